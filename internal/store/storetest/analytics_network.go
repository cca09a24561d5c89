package storetest

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

// testAnalyticsNetwork checks measures and communities (DESIGN.md §2.1)
// on the scope fixture at ORGANISATIONS, where the collaboration graph is
// the triangle C–U–K, K–A and A–N, the values worked out by hand from
// NetworkX's definitions.
func testAnalyticsNetwork(t *testing.T, newStore func(*testing.T) kg.Store) {
	s := newStore(t)
	nodes, rels := scopeFixture()
	load(t, s, nodes, rels)
	a := kg.NewAnalytics(s)
	org := kg.ScopeOrganisations

	line := func(r kg.MeasureRanking) string {
		var b strings.Builder
		for _, row := range r.Rows {
			v := "null"
			if row.Value != nil {
				v = fmt.Sprintf("%.4f", *row.Value)
			}
			fmt.Fprintf(&b, "%d %s %s; ", row.Rank, row.ActorID, v)
		}
		return b.String()
	}
	for _, c := range []struct {
		by    kg.Measure
		scope kg.Scope
		kinds []kg.ActorKind
		want  string
	}{
		{kg.MeasureDegree, org, nil, "1 k 3.0000; 2 a 2.0000; 2 c 2.0000; 2 u 2.0000; 5 n 1.0000; "},
		// K: (1/3 + 1/3·1/2)² twice (C and U share each other) + (1/3)² for A.
		{kg.MeasureConstraint, org, nil, "1 a 0.5000; 2 k 0.6111; 3 n 1.0000; 4 c 1.0069; 4 u 1.0069; "},
		// K: three collaborators, one tie among them: 3 − 2/3.
		{kg.MeasureEffectiveSize, org, nil, "1 k 2.3333; 2 a 2.0000; 3 c 1.0000; 3 n 1.0000; 3 u 1.0000; "},
		{kg.MeasureReach, org, nil, "1 a 1.0000; 1 k 1.0000; 3 c 0.7500; 3 u 0.7500; 5 n 0.5000; "},
		// K: distances 1, 1, 1, 2 → 4/5; N: 1, 2, 3, 3 → 4/9.
		{kg.MeasureCloseness, org, nil, "1 k 0.8000; 2 a 0.6667; 3 c 0.5714; 3 u 0.5714; 5 n 0.4444; "},
		{kg.MeasureBetweenness, org, nil, "1 k 4.0000; 2 a 3.0000; 3 c 0.0000; 3 n 0.0000; 3 u 0.0000; "},
		// kinds first: the public-sector organisations K, U, A (C and N gone): U–K, K–A.
		{kg.MeasureDegree, org, []kg.ActorKind{kg.KindMunicipality, kg.KindStateAgency}, "1 k 2.0000; 2 a 1.0000; 2 u 1.0000; "},
	} {
		t.Run(fmt.Sprintf("Measures/%s/%v", c.by, c.kinds), func(t *testing.T) {
			got, err := a.Measures(t.Context(), kg.MeasureQuery{By: c.by, First: 10, Scope: c.scope, Kinds: c.kinds})
			if err != nil {
				t.Fatal(err)
			}
			if l := line(got); l != c.want || !got.Exact {
				t.Errorf("got %s (exact %v), want %s", l, got.Exact, c.want)
			}
		})
	}
	t.Run("Measures/PageRankSumsToOne", func(t *testing.T) {
		got, err := a.Measures(t.Context(), kg.MeasureQuery{By: kg.MeasurePageRank, First: 10, Scope: org})
		if err != nil {
			t.Fatal(err)
		}
		sum := 0.0
		for _, r := range got.Rows {
			sum += *r.Value
		}
		if len(got.Rows) != 5 || got.Rows[0].ActorID != "k" || math.Abs(sum-1) > 1e-9 {
			t.Errorf("pagerank %s sums to %v", line(got), sum)
		}
	})
	t.Run("Communities", func(t *testing.T) {
		got, err := a.Communities(t.Context(), kg.CommunityQuery{Scope: org, Resolution: 1, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, c := range got.Communities {
			fmt.Fprintf(&b, "%v %d %s %s; ", c.Members, c.Size, *c.DominantSector, *c.DominantCountry)
		}
		// {C, U, K}: 3 ties inside, degrees 7; {A, N}: 1, 3; m = 5.
		want := "[c k u] 3 PUBLIC SE; [a n] 2 CIVIL SE; "
		if b.String() != want || math.Abs(got.Modularity-0.22) > 1e-12 || got.ActorCount != 5 {
			t.Errorf("got %s modularity %v, want %s 0.22", b.String(), got.Modularity, want)
		}
	})
	t.Run("Refusals", func(t *testing.T) {
		_, err := a.Measures(t.Context(), kg.MeasureQuery{By: "HEIGHT", First: 10})
		checkErr(t, err, kg.ErrInvalid, "by")
		_, err = a.Measures(t.Context(), kg.MeasureQuery{By: kg.MeasureDegree, First: 101})
		checkErr(t, err, kg.ErrInvalid, "first")
		_, err = a.Communities(t.Context(), kg.CommunityQuery{Resolution: -1})
		checkErr(t, err, kg.ErrInvalid, "resolution")
	})
}

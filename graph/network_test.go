package graph_test

import (
	"math"
	"testing"
)

// measures and communities through the API on the seed (DESIGN.md §2.1).
func TestNetworkMeasuresOnTheSeed(t *testing.T) {
	h := handler(t, seededStore(t), nil)

	type row struct {
		Actor   struct{ ID string }
		Value   *float64
		Rank    int
		Exact   bool
		Samples int
	}
	t.Run("every measure ranks the seed's actors", func(t *testing.T) {
		for _, by := range []string{"DEGREE", "CLOSENESS", "BETWEENNESS", "PAGERANK", "EIGENVECTOR", "CONSTRAINT", "EFFECTIVE_SIZE", "REACH"} {
			var resp struct{ Measures []row }
			mustPost(t, h, `query($by: Measure!) { measures(by: $by, first: 100) { actor { id } value rank exact samples } }`, &resp, map[string]any{"by": by})
			rows := resp.Measures
			if len(rows) != 40 {
				t.Fatalf("%s: %d rows, want the seed's 40 actors", by, len(rows))
			}
			for i, r := range rows {
				if !r.Exact || r.Samples != 0 {
					t.Errorf("%s: %s exact %v samples %d on a graph of 40 actors", by, r.Actor.ID, r.Exact, r.Samples)
				}
				if i == 0 {
					if r.Rank != 1 {
						t.Errorf("%s: first rank %d", by, r.Rank)
					}
					continue
				}
				p := rows[i-1]
				switch {
				case r.Value == nil:
					if by != "CONSTRAINT" && by != "EFFECTIVE_SIZE" {
						t.Errorf("%s: %s has no value", by, r.Actor.ID)
					}
				case p.Value == nil:
					t.Errorf("%s: %s (no value) ranked before %s", by, p.Actor.ID, r.Actor.ID)
				case by == "CONSTRAINT" && *p.Value > *r.Value, by != "CONSTRAINT" && *p.Value < *r.Value:
					t.Errorf("%s: %s (%v) before %s (%v)", by, p.Actor.ID, *p.Value, r.Actor.ID, *r.Value)
				case *p.Value == *r.Value && (p.Rank != r.Rank || p.Actor.ID > r.Actor.ID):
					t.Errorf("%s: equal values, ranks %d %d, ids %s %s", by, p.Rank, r.Rank, p.Actor.ID, r.Actor.ID)
				case *p.Value != *r.Value && r.Rank != i+1:
					t.Errorf("%s: %s rank %d at position %d", by, r.Actor.ID, r.Rank, i+1)
				}
			}
		}
	})

	t.Run("betweenness is the brokers' score; degree the collaborators", func(t *testing.T) {
		var resp struct {
			Measures []row
			Brokers  struct {
				Brokers []struct {
					Actor struct{ ID string }
					Score float64
				}
			}
			Degree []row
			Actor  struct{ ID string }
		}
		mustPost(t, h, `{ measures(by: BETWEENNESS, first: 3, scope: ORGANISATIONS) { actor { id } value rank exact samples }
			brokers(first: 3, scope: ORGANISATIONS) { brokers { actor { id } score } }
			degree: measures(by: DEGREE, first: 1) { actor { id } value rank exact samples } }`, &resp, nil)
		for i, b := range resp.Brokers.Brokers {
			m := resp.Measures[i]
			if m.Actor.ID != b.Actor.ID || m.Value == nil || math.Abs(*m.Value-b.Score) > 1e-9 {
				t.Errorf("#%d: measures %s %v, brokers %s %v", i+1, m.Actor.ID, m.Value, b.Actor.ID, b.Score)
			}
		}
		if d := resp.Degree; len(d) != 1 || d[0].Value == nil || *d[0].Value < 5 {
			t.Errorf("top degree = %+v", d)
		}
	})

	t.Run("communities partition the seed", func(t *testing.T) {
		var resp struct {
			Communities struct {
				Scope       string
				Resolution  float64
				Seed        int
				Modularity  float64
				ActorCount  int
				Communities []struct {
					Members         []string
					Size            int
					DominantSector  *string
					DominantCountry *string
				}
			}
		}
		q := `{ communities { scope resolution seed modularity actorCount communities { members size dominantSector dominantCountry } } }`
		mustPost(t, h, q, &resp, nil)
		c := resp.Communities
		if c.Scope != "ALL" || c.Resolution != 1 || c.Seed != 1 || c.ActorCount != 40 || c.Modularity <= 0.1 || len(c.Communities) < 2 {
			t.Fatalf("communities = %+v", c)
		}
		seen := map[string]bool{}
		for i, k := range c.Communities {
			if k.Size != len(k.Members) || k.DominantSector == nil {
				t.Errorf("community %d = %+v", i, k)
			}
			if i > 0 && k.Size > c.Communities[i-1].Size {
				t.Errorf("community %d larger than the one before", i)
			}
			for _, m := range k.Members {
				if seen[m] {
					t.Errorf("%s in two communities", m)
				}
				seen[m] = true
			}
		}
		if len(seen) != 40 {
			t.Errorf("%d actors in communities, want 40", len(seen))
		}
		// Seeded: the same again.
		var again struct{ Communities struct{ Modularity float64 } }
		mustPost(t, h, `{ communities { modularity } }`, &again, nil)
		if again.Communities.Modularity != c.Modularity {
			t.Errorf("modularity %v then %v", c.Modularity, again.Communities.Modularity)
		}
	})
}

// The arguments of measures and communities are checked, the argument named.
func TestNetworkGuards(t *testing.T) {
	h := handler(t, seededStore(t), nil)
	for _, c := range []struct{ name, query, field string }{
		{"measures first 101", `{ measures(by: DEGREE, first: 101) { rank } }`, "first"},
		{"measures first 0", `{ measures(by: PAGERANK, first: 0) { rank } }`, "first"},
		{"measures asOf", `{ measures(by: DEGREE, asOf: "1969-12-31") { rank } }`, "asOf"},
		{"communities resolution 0", `{ communities(resolution: 0) { modularity } }`, "resolution"},
		{"communities resolution 101", `{ communities(resolution: 101) { modularity } }`, "resolution"},
		{"communities seed -1", `{ communities(seed: -1) { modularity } }`, "seed"},
		{"communities asOf", `{ communities(asOf: "2017-02-30") { modularity } }`, "asOf"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := post(t, h, c.query, nil)
			if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != c.field {
				t.Fatalf("want BAD_USER_INPUT naming %s, got %s", c.field, r.Raw)
			}
		})
	}
}

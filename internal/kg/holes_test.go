package kg_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

// holesByDefinition computes constraint, effective size and reach of every
// actor from the adjacency itself, as NetworkX's constraint and
// effective_size and DESIGN.md's reach define them (NaN: undefined).
func holesByDefinition(ids []string, adj map[string]map[string]bool) (constraint, effective, reach map[string]float64) {
	constraint, effective, reach = map[string]float64{}, map[string]float64{}, map[string]float64{}
	for _, u := range ids {
		d := float64(len(adj[u]))
		if d == 0 {
			constraint[u], effective[u] = math.NaN(), math.NaN()
		} else {
			c, ties := 0.0, 0.0
			for v := range adj[u] {
				x := 1 / d
				for w := range adj[u] {
					if adj[w][v] {
						x += 1 / d / float64(len(adj[w]))
					}
				}
				c += x * x
				for w := range adj[u] {
					if adj[v][w] {
						ties++
					}
				}
			}
			constraint[u], effective[u] = c, d-ties/d
		}
		ball := map[string]bool{u: true}
		for v := range adj[u] {
			ball[v] = true
			for w := range adj[v] {
				ball[w] = true
			}
		}
		if len(ids) > 1 {
			reach[u] = float64(len(ball)-1) / float64(len(ids)-1)
		} else {
			reach[u] = 0
		}
	}
	return constraint, effective, reach
}

// overlapGraph is hand-built: a0 is in both big projects, a1–a4 share
// both of them (pairs joined twice, a1–a2 also by a partnership: three
// reasons), a5–a6 share three small projects, a direct tie inside a
// project (a7 MEMBER_OF a8, both in big0), a path reaching two steps out
// of a project (a9–a10–a11), and an actor alone.
func overlapGraph() kg.Graph {
	var g kg.Graph
	for i := range 13 {
		g.Actors = append(g.Actors, mActor(fmt.Sprintf("a%02d", i), kg.KindCompany, kg.SectorPrivate))
	}
	for _, p := range []string{"big0", "big1", "s0", "s1", "s2"} {
		g.Projects = append(g.Projects, mProject(p))
	}
	in := func(p string, as ...int) {
		for _, a := range as {
			g.Rels = append(g.Rels, mRel(kg.RelParticipatesIn, fmt.Sprintf("a%02d", a), p))
		}
	}
	in("big0", 0, 1, 2, 3, 4, 7, 8, 9)
	in("big1", 0, 1, 2, 3, 4, 5)
	in("s0", 5, 6)
	in("s1", 5, 6)
	in("s2", 5, 6, 2)
	g.Rels = append(g.Rels,
		mRel(kg.RelPartnersWith, "a01", "a02"),
		mRel(kg.RelMemberOf, "a07", "a08"),
		mRel(kg.RelPartnersWith, "a09", "a10"),
		mRel(kg.RelPartnersWith, "a10", "a11"))
	return g
}

// TestHolesAndReachAgainstDefinition checks constraint, effective size and
// reach, as the measures answer them, against their definitions on the
// hand-built graph and on random graphs with big overlapping projects.
func TestHolesAndReachAgainstDefinition(t *testing.T) {
	graphs := []kg.Graph{overlapGraph()}
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 14))
		if seed%2 == 0 {
			graphs = append(graphs, randomCollabGraph(rng, 1+rng.IntN(60)))
		} else {
			graphs = append(graphs, overlappingCollabGraph(rng, 12+rng.IntN(80)))
		}
	}
	for gi, g := range graphs {
		ids, adj := collabAdjacency(g)
		want := map[kg.Measure]map[string]float64{}
		want[kg.MeasureConstraint], want[kg.MeasureEffectiveSize], want[kg.MeasureReach] = holesByDefinition(ids, adj)
		a := kg.NewAnalytics(openAnalyticsStore(t, g))
		for _, m := range []kg.Measure{kg.MeasureConstraint, kg.MeasureEffectiveSize, kg.MeasureReach} {
			r, err := a.Measures(t.Context(), kg.MeasureQuery{By: m, First: kg.MaxMeasuresFirst})
			if err != nil {
				t.Fatalf("graph %d %s: %v", gi, m, err)
			}
			if len(r.Rows) != min(len(ids), kg.MaxMeasuresFirst) || !r.Exact {
				t.Fatalf("graph %d %s: %d rows (want %d), exact %v", gi, m, len(r.Rows), len(ids), r.Exact)
			}
			for _, row := range r.Rows {
				w := want[m][row.ActorID]
				if math.IsNaN(w) {
					if row.Value != nil {
						t.Errorf("graph %d %s %s: %v, want null", gi, m, row.ActorID, *row.Value)
					}
					continue
				}
				if row.Value == nil || math.Abs(*row.Value-w) > 1e-12*math.Max(1, math.Abs(w)) {
					t.Errorf("graph %d %s %s: %v, want %v", gi, m, row.ActorID, row.Value, w)
				}
				if !row.Exact || row.Samples != 0 {
					t.Errorf("graph %d %s %s: exact %v samples %d, want exact", gi, m, row.ActorID, row.Exact, row.Samples)
				}
			}
		}
	}
}

// TestReachPathsAgree checks that reach by the projects' balls (the
// bitsets) and by searching from every actor give the same values, on
// graphs with projects larger than a bitset's words and actors with many
// direct links, which take the bitsets' shortcuts.
func TestReachPathsAgree(t *testing.T) {
	for seed := range uint64(12) {
		rng := rand.New(rand.NewPCG(seed, 15))
		g := overlappingCollabGraph(rng, 100+rng.IntN(300))
		hub := g.Actors[0].ID
		seen := map[kg.RelKey]bool{}
		for _, r := range g.Rels {
			seen[r.Key()] = true
		}
		for _, a := range g.Actors[1 : 40+rng.IntN(60)] {
			if r := mRel(kg.RelPartnersWith, a.ID, hub); !seen[r.Key()] && !seen[kg.KeyOf(kg.RelPartnersWith, hub, a.ID)] {
				g.Rels = append(g.Rels, r)
			}
		}
		bits, search := kg.ReachPaths(t, openAnalyticsStore(t, g))
		if len(bits) != len(g.Actors) {
			t.Fatalf("seed %d: %d values for %d actors", seed, len(bits), len(g.Actors))
		}
		for i := range bits {
			if bits[i] != search[i] {
				t.Fatalf("seed %d actor %d: bitsets %v, search %v", seed, i, bits[i], search[i])
			}
		}
	}
}

// hubbyCollabGraph is overlappingCollabGraph with what makes the pairs'
// costs differ: small projects overlapping the big ones (pairs joined two
// and three times), a hub in most projects with many partnerships (the
// dearest end of its pairs), partnerships inside projects, isolated
// actors, and people MEMBER_OF organisations that are PART_OF others (the
// wholes' direct links at ORGANISATIONS).
func hubbyCollabGraph(rng *rand.Rand, nA int) kg.Graph {
	g := overlappingCollabGraph(rng, nA)
	seen := map[kg.RelKey]bool{}
	add := func(r kg.Rel) {
		if r.From != r.To && !seen[r.Key()] && !seen[kg.KeyOf(r.Type, r.To, r.From)] {
			seen[r.Key()] = true
			g.Rels = append(g.Rels, r)
		}
	}
	for _, r := range g.Rels {
		seen[r.Key()] = true
	}
	aid := func() string { return g.Actors[rng.IntN(nA)].ID }
	for i := range 4 + rng.IntN(8) {
		id := fmt.Sprintf("small%d", i)
		g.Projects = append(g.Projects, mProject(id))
		for range 2 + rng.IntN(6) {
			add(mRel(kg.RelParticipatesIn, aid(), id))
		}
	}
	hub := g.Actors[rng.IntN(nA)].ID
	for _, p := range g.Projects {
		if rng.IntN(4) > 0 {
			add(mRel(kg.RelParticipatesIn, hub, p.ID))
		}
	}
	for range nA / 3 {
		add(mRel(kg.RelPartnersWith, hub, aid()))
	}
	// People: each MEMBER_OF one or two organisations, some of which are
	// PART_OF another.
	for i := range nA / 4 {
		a := mActor(fmt.Sprintf("person%03d", i), kg.KindPerson, kg.SectorPrivate)
		g.Actors = append(g.Actors, a)
		for range 1 + rng.IntN(2) {
			add(mRel(kg.RelMemberOf, a.ID, g.Actors[rng.IntN(nA)].ID))
		}
		for range rng.IntN(3) {
			add(mRel(kg.RelParticipatesIn, a.ID, g.Projects[rng.IntN(len(g.Projects))].ID))
		}
	}
	for range nA / 6 {
		add(mRel(kg.RelPartOf, aid(), aid()))
	}
	for i := range 1 + rng.IntN(3) {
		g.Actors = append(g.Actors, mActor(fmt.Sprintf("zalone%d", i), kg.KindCompany, kg.SectorPrivate))
	}
	return g
}

// TestHolesAgainstReference checks constraint and effective size, each
// pair evaluated at one end, against the previous implementation that
// evaluated it at both ends, at both scopes, on graphs where the pairs'
// two ends cost very different amounts; and that splitting the blocks of
// actors changes nothing.
func TestHolesAgainstReference(t *testing.T) {
	for seed := range uint64(24) {
		rng := rand.New(rand.NewPCG(seed, 16))
		g := hubbyCollabGraph(rng, 20+rng.IntN(200))
		s := openAnalyticsStore(t, g)
		for _, scope := range []kg.Scope{kg.ScopeAll, kg.ScopeOrganisations} {
			got, ref := kg.HolesAgainstReference(t, s, scope)
			defined := 0
			for m, name := range []string{"constraint", "effective size"} {
				if len(got[m]) != len(ref[m]) {
					t.Fatalf("seed %d %s %s: %d values, want %d", seed, scope, name, len(got[m]), len(ref[m]))
				}
				for i, w := range ref[m] {
					v := got[m][i]
					if math.IsNaN(w) || math.IsNaN(v) {
						if math.IsNaN(w) != math.IsNaN(v) {
							t.Fatalf("seed %d %s %s actor %d: %v, want %v", seed, scope, name, i, v, w)
						}
						continue
					}
					defined++
					if math.Abs(v-w) > 1e-12*math.Max(1, math.Abs(w)) {
						t.Fatalf("seed %d %s %s actor %d: %v, want %v", seed, scope, name, i, v, w)
					}
				}
			}
			if defined == 0 {
				t.Fatalf("seed %d %s: no actor with collaborators", seed, scope)
			}
			// Blocks of actors split where they keep many pairs: the
			// same values to the last bit.
			limit := 1 + int(seed%5)*7
			split := kg.HolesWithBlockPairs(t, s, scope, limit)
			for m := range split {
				for i, v := range split[m] {
					if w := got[m][i]; math.Float64bits(v) != math.Float64bits(w) {
						t.Fatalf("seed %d %s blocks split at %d pairs, measure %d actor %d: %v, want %v", seed, scope, limit, m, i, v, w)
					}
				}
			}
		}
	}
}

// TestStructuralMeasuresRefusedBeyondTheirWork: on a graph with more
// collaborator pairs to read than StructuralMeasuresMaxPairWork (XL),
// CONSTRAINT, EFFECTIVE_SIZE and REACH answer BAD_USER_INPUT on by at once,
// at either scope; the other measures, and those three on a graph within
// the bound, answer.
func TestStructuralMeasuresRefusedBeyondTheirWork(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 14))
	g := overlappingCollabGraph(rng, 60)
	st := openAnalyticsStore(t, g)
	snap := snapshotOf(g)
	for _, scope := range kg.Scopes {
		work := kg.PairWorkAt(snap, scope)
		if work == 0 {
			t.Fatalf("%s: no pairs to read", scope)
		}
		for _, limit := range []int{work - 1, work} {
			restore := kg.SetStructuralMaxPairWork(limit)
			a := kg.NewAnalytics(st)
			for _, m := range kg.Measures {
				_, err := a.Measures(t.Context(), kg.MeasureQuery{By: m, First: 5, Scope: scope})
				structural := m == kg.MeasureConstraint || m == kg.MeasureEffectiveSize || m == kg.MeasureReach
				var ke *kg.Error
				switch {
				case structural && limit < work:
					if !errors.Is(err, kg.ErrInvalid) || !errors.As(err, &ke) || ke.Field != "by" || !strings.Contains(ke.Msg, string(m)) {
						t.Errorf("%s %s, %d pairs to read, at most %d: %v; want ErrInvalid on by naming the measure", scope, m, work, limit, err)
					}
				case err != nil:
					t.Errorf("%s %s, %d pairs to read, at most %d: %v", scope, m, work, limit, err)
				}
			}
			restore()
		}
	}
}

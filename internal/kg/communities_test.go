package kg_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"testing"

	"github.com/samverkan/samverkan/internal/engine"
	"github.com/samverkan/samverkan/internal/kg"
)

// cliquesGraph is two groups of n actors, each all in one project, and one
// partnership between the groups' first actors.
func cliquesGraph(n int) kg.Graph {
	var g kg.Graph
	for c, name := range []string{"a", "b"} {
		p := mProject("p-" + name)
		g.Projects = append(g.Projects, p)
		for i := range n {
			id := fmt.Sprintf("%s%03d", name, i)
			g.Actors = append(g.Actors, mActor(id, kg.KindCompany, []kg.Sector{kg.SectorPrivate, kg.SectorPublic}[c]))
			g.Rels = append(g.Rels, mRel(kg.RelParticipatesIn, id, p.ID))
		}
	}
	g.Rels = append(g.Rels, mRel(kg.RelPartnersWith, "a000", "b000"))
	return g
}

// TestCommunitiesTwoCliques: two cliques joined by a bridge are two
// communities, of the modularity worked out by hand: each clique holds
// C(n,2) of the m = 2·C(n,2)+1 edges and half the degrees, so
// Q = 2·(C(n,2)/m − 1/4). Small cliques are read member by member, large
// ones (more than 16) through their counts per community.
func TestCommunitiesTwoCliques(t *testing.T) {
	for _, n := range []int{5, 40} {
		a := kg.NewAnalytics(openAnalyticsStore(t, cliquesGraph(n)))
		r, err := a.Communities(t.Context(), kg.CommunityQuery{Resolution: 1, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Communities) != 2 {
			t.Fatalf("n=%d: %d communities, want 2: %+v", n, len(r.Communities), r.Communities)
		}
		for _, c := range r.Communities {
			if c.Size != n || len(c.Members) != n {
				t.Fatalf("n=%d: a community of %d (%d members), want %d", n, c.Size, len(c.Members), n)
			}
			for _, id := range c.Members {
				if id[0] != c.Members[0][0] {
					t.Errorf("n=%d: %s in the community of %s", n, id, c.Members[0])
				}
			}
		}
		if s := r.Communities[1].DominantSector; s == nil || *s != kg.SectorPublic {
			t.Errorf("n=%d: the b clique's dominant sector %v, want PUBLIC", n, s)
		}
		pairs := float64(n * (n - 1) / 2)
		m := 2*pairs + 1
		if want := 2 * (pairs/m - 0.25); math.Abs(r.Modularity-want) > 1e-12 {
			t.Errorf("n=%d: modularity %v, want %v", n, r.Modularity, want)
		}
		if r.ActorCount != 2*n {
			t.Errorf("n=%d: ActorCount %d", n, r.ActorCount)
		}
	}
}

// modularity is NetworkX's community.modularity of parts on the graph adj
// (unweighted): Σ_c L_c/m − γ (d_c/2m)².
func modularity(adj map[string]map[string]bool, parts [][]string, gamma float64) float64 {
	m := 0.0
	for _, ns := range adj {
		m += float64(len(ns))
	}
	m /= 2
	q := 0.0
	for _, p := range parts {
		in := map[string]bool{}
		for _, x := range p {
			in[x] = true
		}
		l, d := 0.0, 0.0
		for _, x := range p {
			d += float64(len(adj[x]))
			for y := range adj[x] {
				if in[y] {
					l += 0.5
				}
			}
		}
		q += l/m - gamma*(d/(2*m))*(d/(2*m))
	}
	return q
}

// projectsGraph is a random ecosystem of a few large overlapping projects
// (read through their counts per community), small ones and direct links,
// so that many pairs are joined for several reasons.
func projectsGraph(rng *rand.Rand, nA int) kg.Graph {
	g := randomCollabGraph(rng, nA)
	seen := map[kg.RelKey]bool{}
	for _, r := range g.Rels {
		seen[r.Key()] = true
	}
	for p := range 1 + rng.IntN(4) {
		id := fmt.Sprintf("big%d", p)
		g.Projects = append(g.Projects, mProject(id))
		lo := rng.IntN(nA / 2)
		for i := lo; i < nA; i++ {
			if rng.IntN(3) > 0 {
				if r := mRel(kg.RelParticipatesIn, g.Actors[i].ID, id); !seen[r.Key()] {
					seen[r.Key()] = true
					g.Rels = append(g.Rels, r)
				}
			}
		}
	}
	return g
}

// TestCommunitiesAgainstDefinition: every actor in exactly one community,
// the communities in their order, and the modularity the one NetworkX's
// formula gives the partition on the expanded collaboration graph, at
// several resolutions.
func TestCommunitiesAgainstDefinition(t *testing.T) {
	for seed := range uint64(40) {
		rng := rand.New(rand.NewPCG(seed, 14))
		g := randomCollabGraph(rng, 2+rng.IntN(40))
		if seed%2 == 1 {
			g = projectsGraph(rng, 30+rng.IntN(90))
		}
		a := kg.NewAnalytics(openAnalyticsStore(t, g))
		ids, adj := collabAdjacency(g)
		for _, gamma := range []float64{1, 0.5, 2} {
			r, err := a.Communities(t.Context(), kg.CommunityQuery{Resolution: gamma, Seed: int64(seed)})
			if err != nil {
				t.Fatal(err)
			}
			var parts [][]string
			var all []string
			for i, c := range r.Communities {
				if c.Size != len(c.Members) || !slices.IsSorted(c.Members) {
					t.Fatalf("seed %d: community %d: size %d, members %v", seed, i, c.Size, c.Members)
				}
				if i > 0 {
					p := r.Communities[i-1]
					if p.Size < c.Size || p.Size == c.Size && p.Members[0] > c.Members[0] {
						t.Errorf("seed %d: community of %s (%d) before %s (%d)", seed, p.Members[0], p.Size, c.Members[0], c.Size)
					}
				}
				parts = append(parts, c.Members)
				all = append(all, c.Members...)
			}
			slices.Sort(all)
			if !slices.Equal(all, ids) {
				t.Fatalf("seed %d: the communities hold %v, the actors are %v", seed, all, ids)
			}
			edges := 0
			for _, ns := range adj {
				edges += len(ns)
			}
			want := 0.0
			if edges > 0 {
				want = modularity(adj, parts, gamma)
			}
			if math.Abs(r.Modularity-want) > 1e-9 {
				t.Errorf("seed %d γ=%v: modularity %v, NetworkX's formula on the partition %v", seed, gamma, r.Modularity, want)
			}
			if gamma == 1 && edges > 0 && r.Modularity < 0 {
				t.Errorf("seed %d: modularity %v below the one of singletons' order", seed, r.Modularity)
			}
		}
	}
}

// TestCommunitiesDeterministic: the same graph, resolution and seed give
// the same partition, computed afresh, with one core or two.
func TestCommunitiesDeterministic(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for seed := range uint64(6) {
		rng := rand.New(rand.NewPCG(seed, 15))
		g := projectsGraph(rng, 300+rng.IntN(300))
		st := openAnalyticsStore(t, g)
		var first kg.Communities
		for run, procs := range []int{1, 2, 1, 4} {
			runtime.GOMAXPROCS(procs)
			for _, scope := range kg.Scopes {
				r, err := kg.NewAnalytics(st).Communities(t.Context(), kg.CommunityQuery{Scope: scope, Resolution: 1, Seed: 7})
				if err != nil {
					t.Fatal(err)
				}
				if scope != kg.ScopeAll {
					continue
				}
				if run == 0 {
					first = r
					if len(r.Communities) < 2 {
						t.Fatalf("seed %d: %d communities; the comparison would be vacuous", seed, len(r.Communities))
					}
					continue
				}
				if !reflect.DeepEqual(r, first) {
					t.Errorf("seed %d: GOMAXPROCS=%d gives another partition (modularity %v, %d communities) than GOMAXPROCS=1 (%v, %d)",
						seed, procs, r.Modularity, len(r.Communities), first.Modularity, len(first.Communities))
				}
			}
		}
	}
}

// snapshotOf is the topology of g at version 1, as a store would load it,
// for the engine's functions on their own and the benchmarks.
func snapshotOf(g kg.Graph) *engine.Snapshot {
	return kg.LoadTopology(1, func(yield func(kg.ChangedNode) bool) {
		for _, n := range g.Nodes() {
			if !yield(kg.ChangedNodeOf(n)) {
				return
			}
		}
	}, func(yield func(kg.ChangedRel) bool) {
		for _, r := range g.Rels {
			if !yield(kg.ChangedRelOf(r)) {
				return
			}
		}
	}).Snapshot()
}

// TestCommunitiesFirstLevelLocalOptimum: the first level's local moves,
// which read big projects through their counts per community and weigh
// lone collaborators apart, end where no actor gains by joining any other
// community, each gain reckoned on the expanded collaboration graph. (A
// pass that gains less than the passes' threshold would end the level
// early; on these graphs every pass that moves gains far more.)
func TestCommunitiesFirstLevelLocalOptimum(t *testing.T) {
	checked := 0
	for seed := range uint64(40) {
		rng := rand.New(rand.NewPCG(seed, 16))
		g := projectsGraph(rng, 30+rng.IntN(150))
		_, adj := collabAdjacency(g)
		for _, gamma := range []float64{1, 0.5, 3} {
			ids, comm := kg.Level0Of(kg.CollabAt(snapshotOf(g), kg.ScopeAll), gamma, int64(seed))
			index := map[string]int{}
			for i, id := range ids {
				index[id] = i
			}
			m, tot := 0.0, map[int32]float64{}
			for i, id := range ids {
				m += float64(len(adj[id]))
				tot[comm[i]] += float64(len(adj[id]))
			}
			m /= 2
			if m == 0 {
				continue
			}
			for i, id := range ids {
				ki := float64(len(adj[id]))
				w := map[int32]float64{}
				for j := range adj[id] {
					w[comm[index[j]]]++
				}
				own := comm[i]
				stay := w[own] - gamma*(tot[own]-ki)*ki/(2*m)
				for c, x := range w {
					if c == own {
						continue
					}
					if gain := x - gamma*tot[c]*ki/(2*m); gain > stay+1e-9 {
						t.Errorf("seed %d γ=%v: %s gains %v by joining community %d (%v collaborators there)", seed, gamma, id, (gain-stay)/m, c, x)
					}
				}
				checked++
			}
		}
	}
	if checked < 1000 {
		t.Fatalf("checked %d actors", checked)
	}
}

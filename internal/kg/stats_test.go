package kg_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

// The collaboration figures agree with the graph read directly off the
// relationship list: edges (parallel reasons counted once), components
// (isolated actors included) and the largest one.
func TestStatsAgainstDefinition(t *testing.T) {
	for seed := range uint64(30) {
		rng := rand.New(rand.NewPCG(seed, 9))
		g := randomCollabGraph(rng, 1+rng.IntN(40))
		st, err := kg.NewAnalytics(openAnalyticsStore(t, g)).Stats(t.Context(), kg.ScopeAll)
		if err != nil {
			t.Fatal(err)
		}
		ids, adj := collabAdjacency(g)
		edges := 0
		for _, nb := range adj {
			edges += len(nb)
		}
		edges /= 2
		comps, largest := 0, 0
		seen := map[string]bool{}
		for _, id := range ids {
			if seen[id] {
				continue
			}
			comps++
			size := 0
			stack := []string{id}
			seen[id] = true
			for len(stack) > 0 {
				v := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				size++
				for w := range adj[v] {
					if !seen[w] {
						seen[w] = true
						stack = append(stack, w)
					}
				}
			}
			largest = max(largest, size)
		}
		n := len(ids)
		if st.Actors != n || st.CollaborationEdges != edges || st.Components != comps || st.LargestComponent != largest {
			t.Errorf("seed %d: actors %d edges %d components %d largest %d; want %d %d %d %d", seed,
				st.Actors, st.CollaborationEdges, st.Components, st.LargestComponent, n, edges, comps, largest)
		}
		if n >= 2 && st.Density != 2*float64(edges)/float64(n*(n-1)) {
			t.Errorf("seed %d: density %v", seed, st.Density)
		}
		if st.Projects != len(g.Projects) {
			t.Errorf("seed %d: %d projects, want %d", seed, st.Projects, len(g.Projects))
		}
	}
}

// Callers get their own copies: changing one answer does not change the
// next (the computed statistics are cached).
func TestStatsAnswersAreCopies(t *testing.T) {
	a := kg.NewAnalytics(openAnalyticsStore(t, randomCollabGraph(rand.New(rand.NewPCG(4, 4)), 12)))
	first, err := a.Stats(t.Context(), kg.ScopeAll)
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Clone(first.Labels)
	first.Labels[0].Count = -1
	first.Kinds[0].Key = "changed"
	second, err := a.Stats(t.Context(), kg.ScopeAll)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(second.Labels, want) || second.Kinds[0].Key == "changed" {
		t.Errorf("a caller's change leaked into the cache: %+v", second)
	}
}

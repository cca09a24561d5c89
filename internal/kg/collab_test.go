package kg_test

import (
	"testing"

	"github.com/samverkan/samverkan/internal/gen"
	"github.com/samverkan/samverkan/internal/kg"
)

// TestEdgeCountAgreesWithThePairs: ecosystemStats' pair count, which
// counts each actor's collaborators around its largest project without
// listing the pairs, gives every actor the degree that listing every pair
// gives, at both scopes, on generated ecosystems with flagship projects,
// hubs, people, memberships, partnerships, islands and isolated actors.
func TestEdgeCountAgreesWithThePairs(t *testing.T) {
	for _, c := range []gen.Config{
		{Seed: 1, Actors: 300},
		{Seed: 2, Actors: 800, PersonShare: 0.6, Hubs: 6},
		{Seed: 3, Actors: 1500, MeanProjectSize: 40},
		{Seed: 4, Actors: 200, PersonShare: 0.1, Islands: 8, IslandSize: 3, Isolated: 20},
	} {
		snap := snapshotOf(gen.Generate(c))
		for _, scope := range []kg.Scope{kg.ScopeAll, kg.ScopeOrganisations} {
			listed, counted, same, err := kg.EdgeCountsAt(snap, scope)
			if err != nil {
				t.Fatal(err)
			}
			if listed == 0 {
				t.Fatalf("seed %d %s: no pairs at all; the graph tests nothing", c.Seed, scope)
			}
			if counted != listed || !same {
				t.Errorf("seed %d %s: %d pairs counted, %d listed; every degree the same: %v", c.Seed, scope, counted, listed, same)
			}
		}
	}
}

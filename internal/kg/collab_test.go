package kg_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/samverkan/samverkan/internal/gen"
	"github.com/samverkan/samverkan/internal/kg"
)

// flagshipEcosystems are generated ecosystems with flagship projects,
// hubs, people, memberships, partnerships, islands and isolated actors.
var flagshipEcosystems = []gen.Config{
	{Seed: 1, Actors: 300},
	{Seed: 2, Actors: 800, PersonShare: 0.6, Hubs: 6},
	{Seed: 3, Actors: 1500, MeanProjectSize: 40},
	{Seed: 4, Actors: 200, PersonShare: 0.1, Islands: 8, IslandSize: 3, Isolated: 20},
}

// TestEdgeCountAgreesWithThePairs: ecosystemStats' pair count, which
// counts each actor's collaborators around its largest project without
// listing the pairs, gives every actor the degree that listing every pair
// gives, at both scopes, on generated ecosystems with flagship projects,
// hubs, people, memberships, partnerships, islands and isolated actors.
func TestEdgeCountAgreesWithThePairs(t *testing.T) {
	for _, c := range flagshipEcosystems {
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

// TestPairsAgainstDefinition: the collaboration graph's degrees and the
// surplus of the pairs joined for several reasons, built without reading
// a project that outweighs the rest of an actor's ties, are what reading
// every project and link gives, at both scopes, on generated ecosystems
// with flagship projects.
func TestPairsAgainstDefinition(t *testing.T) {
	implicitSeen := false
	for _, c := range flagshipEcosystems {
		snap := snapshotOf(gen.Generate(c))
		for _, scope := range []kg.Scope{kg.ScopeAll, kg.ScopeOrganisations} {
			diff, multi, _ := kg.PairsAgainstDefinition(snap, scope)
			if diff != "" {
				t.Errorf("seed %d %s: %s", c.Seed, scope, diff)
			}
			// the big projects as flagships (at these sizes only when
			// asked for): their pairs' surplus in the masks
			restore := kg.SetParticipantBitsetMin(1)
			diff, _, implicit := kg.PairsAgainstDefinition(snap, scope)
			if diff != "" {
				t.Errorf("seed %d %s, with flagships: %s", c.Seed, scope, diff)
			}
			restore()
			if diff == "" && multi == 0 {
				t.Errorf("seed %d %s: no pair joined more than once; the graph tests nothing", c.Seed, scope)
			}
			implicitSeen = implicitSeen || implicit > 0
		}
	}
	if !implicitSeen {
		t.Error("no pair joined by two flagships alone: the masks' surplus is not tested")
	}
}

// TestOrganisationPairsAgainstReference: the collaboration graph at
// ORGANISATIONS, where a person's wholes are in its projects' groups, has
// the same pairs as the explicit pairing it replaced, on graphs where people
// belong to several organisations with chains of wholes above them (PART_OF
// among organisations and from people), with a kinds filter and at dates
// that see only some of the ties. The definition itself is checked by
// TestOrganisationBrokersAgainstDefinition and the NetworkX oracle.
func TestOrganisationPairsAgainstReference(t *testing.T) {
	kindsOf := [][]kg.ActorKind{nil, {kg.KindCompany, kg.KindMunicipality}, {kg.KindPerson, kg.KindResearch}}
	for seed := range uint64(30) {
		rng := rand.New(rand.NewPCG(seed, 77))
		g := hubbyCollabGraph(rng, 20+rng.IntN(150))
		// deeper wholes: chains of PART_OF among the organisations, and
		// people PART_OF an organisation; some ties dated.
		for range len(g.Actors) / 4 {
			x, y := g.Actors[rng.IntN(len(g.Actors))].ID, g.Actors[rng.IntN(len(g.Actors))].ID
			if x > y && !slices.ContainsFunc(g.Rels, func(r kg.Rel) bool { return r.Key() == kg.KeyOf(kg.RelPartOf, x, y) }) {
				g.Rels = append(g.Rels, mRel(kg.RelPartOf, x, y))
			}
		}
		for i := range g.Rels {
			switch rng.IntN(4) {
			case 0:
				g.Rels[i].Start = "2018-01-01"
			case 1:
				g.Rels[i].End = "2016-12-31"
			}
		}
		s := openAnalyticsStore(t, g)
		for _, kinds := range kindsOf {
			for _, asOf := range []kg.Date{"", "2017-06-01", "2019-06-01"} {
				got, ref, gotEdges, refEdges := kg.CollabPairsAgainstReference(t, s, kg.ScopeOrganisations, kinds, asOf)
				if len(ref) == 0 && asOf == "" && kinds == nil {
					t.Fatalf("seed %d: no pairs at all", seed)
				}
				for p := range ref {
					if !got[p] {
						t.Errorf("seed %d kinds %v asOf %q: pair %v missing", seed, kinds, asOf, p)
					}
				}
				for p := range got {
					if !ref[p] {
						t.Errorf("seed %d kinds %v asOf %q: pair %v that the reference does not have", seed, kinds, asOf, p)
					}
				}
				if gotEdges != len(ref) || refEdges != len(ref) {
					t.Errorf("seed %d kinds %v asOf %q: %d edges counted (reference %d), want %d", seed, kinds, asOf, gotEdges, refEdges, len(ref))
				}
				if t.Failed() {
					return
				}
			}
		}
	}
}

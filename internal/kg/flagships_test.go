package kg_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/samverkan/samverkan/internal/gen"
	"github.com/samverkan/samverkan/internal/kg"
)

// wholeGraphAnswers are a graph's whole-graph answers in one form to
// compare: their labels, and the numbers in them.
type wholeGraphAnswers struct {
	labels []string
	values []float64
}

func (w *wholeGraphAnswers) add(label string, v float64) {
	w.labels = append(w.labels, label)
	w.values = append(w.values, v)
}

// answersOf asks a on its store for every measure, the brokers, the
// communities at two resolutions and similar actors by collaborators, at
// both scopes.
func answersOf(t *testing.T, a *kg.Analytics, actors []string) wholeGraphAnswers {
	t.Helper()
	ctx := t.Context()
	var w wholeGraphAnswers
	for _, scope := range []kg.Scope{kg.ScopeAll, kg.ScopeOrganisations} {
		for _, m := range kg.Measures {
			r, err := a.Measures(ctx, kg.MeasureQuery{By: m, First: kg.MaxMeasuresFirst, Scope: scope})
			if err != nil {
				t.Fatalf("%s %s: %v", scope, m, err)
			}
			for _, row := range r.Rows {
				v := math.Inf(-1)
				if row.Value != nil {
					v = *row.Value
				}
				w.add(fmt.Sprintf("%s %s %s", scope, m, row.ActorID), v)
			}
		}
		b, err := a.Brokers(ctx, kg.BrokerQuery{First: kg.MaxBrokersFirst, Scope: scope})
		if err != nil {
			t.Fatalf("%s brokers: %v", scope, err)
		}
		for _, x := range b.Brokers {
			w.add(fmt.Sprintf("%s broker %s", scope, x.ActorID), x.Score)
		}
		for _, gamma := range []float64{1, 2} {
			c, err := a.Communities(ctx, kg.CommunityQuery{Scope: scope, Resolution: gamma, Seed: 7})
			if err != nil {
				t.Fatalf("%s communities: %v", scope, err)
			}
			w.add(fmt.Sprintf("%s γ=%v modularity", scope, gamma), c.Modularity)
			for i, cm := range c.Communities {
				w.add(fmt.Sprintf("%s γ=%v community %d %v", scope, gamma, i, cm.Members), float64(cm.Size))
			}
		}
		for _, id := range actors {
			s, err := a.Similar(ctx, kg.SimilarQuery{ID: id, Scope: scope, By: []kg.Dimension{kg.DimCollaborators}, First: kg.MaxSimilarFirst})
			if err != nil {
				continue // a person at ORGANISATIONS
			}
			for _, x := range s {
				w.add(fmt.Sprintf("%s similar to %s: %s", scope, id, x.ActorID), x.Score)
			}
		}
	}
	return w
}

// TestFlagshipsChangeNoAnswer: with every project large enough to be a
// flagship (at XL the programmes of 25,000 to 100,000 participants), the
// pairs joined by two or more shared flagships alone are not listed but
// read from the actors' masks by every whole-graph analytic; the answers
// are those of the listed pairs, which the definition tests check. On
// graphs with big overlapping projects, people and organisations.
func TestFlagshipsChangeNoAnswer(t *testing.T) {
	var graphs []kg.Graph
	for seed := range uint64(6) {
		rng := rand.New(rand.NewPCG(seed, 41))
		graphs = append(graphs, overlappingCollabGraph(rng, 12+rng.IntN(40)), projectsGraph(rng, 30+rng.IntN(90)))
	}
	graphs = append(graphs, gen.Generate(gen.Config{Seed: 5, Actors: 150, PersonShare: 0.4, Hubs: 3}))
	implicit := 0
	for gi, g := range graphs {
		s := openAnalyticsStore(t, g)
		var actors []string
		for i, x := range g.Actors {
			if i%7 == 0 {
				actors = append(actors, x.ID)
			}
		}
		want := answersOf(t, kg.NewAnalytics(s), actors)
		restore := kg.SetParticipantBitsetMin(1)
		got := answersOf(t, kg.NewAnalytics(s), actors)
		snap := snapshotOf(g)
		for _, scope := range []kg.Scope{kg.ScopeAll, kg.ScopeOrganisations} {
			_, _, k := kg.PairsAgainstDefinition(snap, scope)
			implicit += k
		}
		restore()
		sameAnswers(t, fmt.Sprintf("graph %d with flagships", gi), got, want)
	}
	if implicit < 100 {
		t.Fatalf("%d pairs joined by flagships alone: the masks' surplus is barely tested", implicit)
	}
}

// sameAnswers compares got with want by label: actors of equal measures
// may swap places on the last digit of a sum taken in another order.
func sameAnswers(t *testing.T, name string, got, want wholeGraphAnswers) {
	t.Helper()
	byLabel := map[string]float64{}
	for i, l := range got.labels {
		byLabel[l] = got.values[i]
	}
	if len(byLabel) != len(want.labels) || len(got.labels) != len(want.labels) {
		t.Fatalf("%s: %d answers, want %d", name, len(got.labels), len(want.labels))
	}
	for i, l := range want.labels {
		x, ok := byLabel[l]
		if y := want.values[i]; !ok || x != y && math.Abs(x-y) > 1e-9*math.Max(1, math.Abs(y)) {
			t.Errorf("%s: %s: %v (%v), want %v", name, l, x, ok, y)
		}
	}
}

// TestRangesChangeNoAnswer: the collaboration graph's pairs and the broker
// graph are built on every core in ranges of actors and projects once
// there is much work (at XL); cutting every graph into ranges, with every
// project a flagship or none, changes no answer.
func TestRangesChangeNoAnswer(t *testing.T) {
	var graphs []kg.Graph
	for seed := range uint64(3) {
		rng := rand.New(rand.NewPCG(seed, 43))
		graphs = append(graphs, overlappingCollabGraph(rng, 20+rng.IntN(40)), projectsGraph(rng, 60+rng.IntN(90)))
	}
	graphs = append(graphs, gen.Generate(gen.Config{Seed: 6, Actors: 200, PersonShare: 0.4, Hubs: 3}))
	for gi, g := range graphs {
		s := openAnalyticsStore(t, g)
		var actors []string
		for i, x := range g.Actors {
			if i%11 == 0 {
				actors = append(actors, x.ID)
			}
		}
		for _, flagships := range []bool{false, true} {
			var restore func()
			if flagships {
				restore = kg.SetParticipantBitsetMin(1)
			}
			want := answersOf(t, kg.NewAnalytics(s), actors)
			restoreRanges := kg.SetRangeWorkMin(1)
			got := answersOf(t, kg.NewAnalytics(s), actors)
			restoreRanges()
			if restore != nil {
				restore()
			}
			sameAnswers(t, fmt.Sprintf("graph %d in ranges, flagships %v", gi, flagships), got, want)
		}
	}
}

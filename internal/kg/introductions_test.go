package kg_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/samverkan/samverkan/internal/gen"
	"github.com/samverkan/samverkan/internal/kg"
)

// needsFor is need matching read the other way round (DESIGN.md §2.1): on
// a generated ecosystem, every open need matchNeed ranks an actor for is
// in the actor's needsFor with the same coverage, distance and lists, and
// every need of needsFor ranks the actor so. The two compute coverage and
// distance separately (needsFor searches from the actor, matchNeed from
// the owners), so a slip in either shows.
func TestNeedsForIsMatchNeedReversed(t *testing.T) {
	m := benchStore(nil, gen.ScaleS)
	a := kg.NewAnalytics(m)
	ctx := context.Background()
	var open []string
	for id, n := range m.nodes {
		if nd, ok := n.(*kg.Need); ok && nd.Status != kg.NeedMet {
			open = append(open, id)
		}
	}
	c, _ := gen.ScaleS.Config(gen.DefaultSeed)
	r := rand.New(rand.NewPCG(14, 1))
	checked := 0
	for range 25 {
		x := gen.ActorID(r.IntN(c.Actors))
		hops, level := 1+r.IntN(kg.MaxMatchMaxHops), 1+r.IntN(3)
		fits, err := a.NeedsFor(ctx, kg.NeedsForQuery{ActorID: x, First: kg.MaxNeedsForFirst, MaxHops: hops, MinLevel: level})
		if err != nil {
			t.Fatal(err)
		}
		if len(fits) == kg.MaxNeedsForFirst {
			continue // cut: the converse cannot be checked
		}
		got := map[string]kg.NeedFit{}
		for _, f := range fits {
			got[f.NeedID] = f
		}
		for _, n := range open {
			ms, err := a.MatchNeed(ctx, kg.MatchQuery{NeedID: n, First: kg.MaxMatchFirst, MaxHops: hops, MinLevel: level})
			if err != nil {
				t.Fatal(err)
			}
			var mine *kg.Match
			for i := range ms {
				if ms[i].ActorID == x {
					mine = &ms[i]
				}
			}
			f, listed := got[n]
			switch {
			case mine == nil && listed && len(ms) < kg.MaxMatchFirst:
				t.Errorf("needsFor(%s, maxHops %d, minLevel %d) lists %s, whose matchNeed does not list it", x, hops, level, n)
			case mine != nil && !listed:
				t.Errorf("matchNeed(%s) lists %s, whose needsFor (maxHops %d, minLevel %d) does not list it", n, x, hops, level)
			case mine != nil:
				checked++
				if f.Coverage != mine.Coverage || fmtDist(f.Distance) != fmtDist(mine.Distance) ||
					len(f.Covered) != len(mine.Covered) || len(f.Missing) != len(mine.Missing) {
					t.Errorf("%s for %s: needsFor %+v, matchNeed %+v", n, x, f, *mine)
				}
			}
		}
	}
	if checked < 20 {
		t.Errorf("only %d (actor, need) pairs compared", checked)
	}
}

func fmtDist(d *int) int {
	if d == nil {
		return -1
	}
	return *d
}

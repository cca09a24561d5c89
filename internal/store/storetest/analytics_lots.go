package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

// lotsFixture is matchFixture with a person of kappa's, pia, who is
// november's partner in 2017–2018, and two needs of others': november's
// n8 (c1, IN_PROGRESS, priority 5) and mike's n7 (c1, MET).
func lotsFixture() ([]kg.Node, []kg.Rel) {
	nodes, rels := matchFixture()
	nodes = append(nodes,
		actor("pia", "Pia", func(a *kg.Actor) { a.Kind = kg.KindPerson }),
		need("n7", "Met need", func(n *kg.Need) { n.Status = kg.NeedMet }),
		need("n8", "Need of november", func(n *kg.Need) { n.Status, n.Priority = kg.NeedInProgress, 5 }),
	)
	dated := partners("pia", "november")
	dated.Start, dated.End = "2017-01-01", "2018-12-31"
	rels = append(rels,
		memberOf("pia", "kappa", ""), dated,
		hasNeed("mike", "n7"), requires("n7", "c1", 1),
		hasNeed("november", "n8"), requires("n8", "c1", 1),
	)
	return nodes, rels
}

func fitLines(fs []kg.NeedFit) []string {
	out := []string{}
	for _, f := range fs {
		var cov, miss []string
		for _, c := range f.Covered {
			cov = append(cov, fmt.Sprintf("%s:%d@%d", c.CompetencyID, c.Importance, c.Level))
		}
		for _, c := range f.Missing {
			miss = append(miss, fmt.Sprintf("%s:%d", c.CompetencyID, c.Importance))
		}
		out = append(out, fmt.Sprintf("%s cov=%.6f d=%s p=%d covered=[%s] missing=[%s]", f.NeedID, f.Coverage, distOf(f.Distance),
			f.Priority, strings.Join(cov, " "), strings.Join(miss, " ")))
	}
	return out
}

func introLines(is []kg.Introduction) []string {
	out := []string{}
	for _, in := range is {
		var comps, path []string
		for _, c := range in.Competencies {
			comps = append(comps, fmt.Sprintf("%s@%d", c.CompetencyID, c.Level))
		}
		if in.Path != nil {
			for _, n := range in.Path.Nodes {
				path = append(path, n.Base().ID)
			}
		}
		out = append(out, fmt.Sprintf("%s %s %s cov=%.6f d=%s [%s] path=[%s]", in.ActorID, in.NeedID, in.Direction,
			in.Coverage, distOf(in.Distance), strings.Join(comps, " "), strings.Join(path, " ")))
	}
	return out
}

func distOf(d *int) string {
	if d == nil {
		return "-"
	}
	return fmt.Sprint(*d)
}

// testAnalyticsLots: needs for an actor and introductions (DESIGN.md
// §2.1), on the need-matching fixture.
func testAnalyticsLots(t *testing.T, newStore func(*testing.T) kg.Store) {
	s := newStore(t)
	nodes, rels := lotsFixture()
	load(t, s, nodes, rels)
	a := kg.NewAnalytics(s)
	ctx := t.Context()

	needsFor := func(t *testing.T, q kg.NeedsForQuery, want []string) {
		t.Helper()
		got, err := a.NeedsFor(ctx, q)
		if err != nil {
			t.Fatalf("NeedsFor(%+v): %v", q, err)
		}
		if g := fitLines(got); !slices.Equal(g, want) {
			t.Errorf("NeedsFor(%+v):\n got %s\nwant %s", q, strings.Join(g, "\n     "), strings.Join(want, "\n     "))
		}
	}
	intros := func(t *testing.T, q kg.IntroductionQuery, want []string) {
		t.Helper()
		got, err := a.Introductions(ctx, q)
		if err != nil {
			t.Fatalf("Introductions(%+v): %v", q, err)
		}
		if g := introLines(got); !slices.Equal(g, want) {
			t.Errorf("Introductions(%+v):\n got %s\nwant %s", q, strings.Join(g, "\n     "), strings.Join(want, "\n     "))
		}
	}

	t.Run("NeedsFor", func(t *testing.T) {
		// n7 is met; n8's owner is two hops away through pia, n1's and
		// n6's through p1.
		needsFor(t, kg.NeedsForQuery{ActorID: "kappa", First: 10, MaxHops: 4, MinLevel: 1}, []string{
			"n8 cov=1.000000 d=2 p=5 covered=[c1:1@3] missing=[]",
			"n1 cov=0.833333 d=2 p=3 covered=[c1:3@3 c2:2@3] missing=[c3:1]",
			"n6 cov=0.400000 d=2 p=3 covered=[c1:2@3] missing=[c4:3]",
		})
		needsFor(t, kg.NeedsForQuery{ActorID: "kappa", First: 10, MaxHops: 4, MinLevel: 4}, []string{})
		// own's own needs are not for it; n2 has no owner, n8's is 4 hops
		// away: beyond maxHops 3 the priority decides.
		needsFor(t, kg.NeedsForQuery{ActorID: "own", First: 10, MaxHops: 3, MinLevel: 1}, []string{
			"n8 cov=1.000000 d=- p=5 covered=[c1:1@5] missing=[]",
			"n2 cov=1.000000 d=- p=3 covered=[c3:2@1] missing=[]",
		})
		needsFor(t, kg.NeedsForQuery{ActorID: "own", First: 10, MaxHops: 4, MinLevel: 1}, []string{
			"n8 cov=1.000000 d=4 p=5 covered=[c1:1@5] missing=[]",
			"n2 cov=1.000000 d=- p=3 covered=[c3:2@1] missing=[]",
		})
		// pia is kappa's: kappa's organisation's needs are not hers either
		// way, and she holds nothing.
		needsFor(t, kg.NeedsForQuery{ActorID: "pia", First: 10, MaxHops: 4, MinLevel: 1}, []string{})
	})

	t.Run("Introductions", func(t *testing.T) {
		// own is kappa's collaborator; november is not, and pia stands
		// between them.
		intros(t, kg.IntroductionQuery{ActorID: "kappa", First: 10}, []string{
			"november n8 YOU_CAN_MEET_THEIRS cov=1.000000 d=2 [c1@3] path=[kappa pia november]",
		})
		// november's best reason is its own need, which own covers fully,
		// over own's n1. kappa, papa, quebec and mike work with own.
		intros(t, kg.IntroductionQuery{ActorID: "own", First: 10}, []string{
			"november n8 YOU_CAN_MEET_THEIRS cov=1.000000 d=4 [c1@5] path=[own p1 kappa pia november]",
			"lima n1 CAN_MEET_YOUR_NEED cov=0.833333 d=3 [c1@5 c2@5] path=[]",
			"oscar n1 CAN_MEET_YOUR_NEED cov=0.500000 d=4 [c1@4] path=[]",
			"tango n1 CAN_MEET_YOUR_NEED cov=0.500000 d=- [c1@1] path=[]",
			"romeo n1 CAN_MEET_YOUR_NEED cov=0.166667 d=- [c3@3] path=[]",
			"sierra n1 CAN_MEET_YOUR_NEED cov=0.166667 d=- [c3@3] path=[]",
		})
		intros(t, kg.IntroductionQuery{ActorID: "own", First: 2}, []string{
			"november n8 YOU_CAN_MEET_THEIRS cov=1.000000 d=4 [c1@5] path=[own p1 kappa pia november]",
			"lima n1 CAN_MEET_YOUR_NEED cov=0.833333 d=3 [c1@5 c2@5] path=[]",
		})
	})

	// Before and after pia's partnership november is out of reach: still
	// to be met for its need, without distance or warm path.
	t.Run("AsOf", func(t *testing.T) {
		outside := []string{"november n8 YOU_CAN_MEET_THEIRS cov=1.000000 d=- [c1@3] path=[]"}
		intros(t, kg.IntroductionQuery{ActorID: "kappa", First: 10, AsOf: "2016-12-31"}, outside)
		intros(t, kg.IntroductionQuery{ActorID: "kappa", First: 10, AsOf: "2017-01-01"}, []string{
			"november n8 YOU_CAN_MEET_THEIRS cov=1.000000 d=2 [c1@3] path=[kappa pia november]",
		})
		intros(t, kg.IntroductionQuery{ActorID: "kappa", First: 10, AsOf: "2019-01-01"}, outside)
		needsFor(t, kg.NeedsForQuery{ActorID: "kappa", First: 1, MaxHops: 4, MinLevel: 1, AsOf: "2019-01-01"}, []string{
			"n8 cov=1.000000 d=- p=5 covered=[c1:1@3] missing=[]",
		})
		needsFor(t, kg.NeedsForQuery{ActorID: "kappa", First: 1, MaxHops: 4, MinLevel: 1, AsOf: "2018-12-31"}, []string{
			"n8 cov=1.000000 d=2 p=5 covered=[c1:1@3] missing=[]",
		})
	})

	t.Run("Refusals", func(t *testing.T) {
		for _, c := range []struct {
			name  string
			err   error
			kind  error
			field string
		}{
			{"needsFor unknown actor", nfErr(ctx, a, kg.NeedsForQuery{ActorID: "nobody", First: 10, MaxHops: 4, MinLevel: 1}), kg.ErrNotFound, "actorId"},
			{"needsFor need as actor", nfErr(ctx, a, kg.NeedsForQuery{ActorID: "n1", First: 10, MaxHops: 4, MinLevel: 1}), kg.ErrInvalid, "actorId"},
			{"needsFor first 101", nfErr(ctx, a, kg.NeedsForQuery{ActorID: "kappa", First: 101, MaxHops: 4, MinLevel: 1}), kg.ErrInvalid, "first"},
			{"needsFor maxHops 9", nfErr(ctx, a, kg.NeedsForQuery{ActorID: "kappa", First: 10, MaxHops: 9, MinLevel: 1}), kg.ErrInvalid, "maxHops"},
			{"needsFor minLevel 0", nfErr(ctx, a, kg.NeedsForQuery{ActorID: "kappa", First: 10, MaxHops: 4, MinLevel: 0}), kg.ErrInvalid, "minLevel"},
			{"introductions unknown actor", inErr(ctx, a, kg.IntroductionQuery{ActorID: "nobody", First: 10}), kg.ErrNotFound, "actorId"},
			{"introductions project as actor", inErr(ctx, a, kg.IntroductionQuery{ActorID: "p1", First: 10}), kg.ErrInvalid, "actorId"},
			{"introductions first 0", inErr(ctx, a, kg.IntroductionQuery{ActorID: "kappa", First: 0}), kg.ErrInvalid, "first"},
			{"needsFor asOf not a date", nfErr(ctx, a, kg.NeedsForQuery{ActorID: "kappa", First: 10, MaxHops: 4, MinLevel: 1, AsOf: "2019-02-30"}), kg.ErrInvalid, "asOf"},
			{"introductions asOf before 1970", inErr(ctx, a, kg.IntroductionQuery{ActorID: "kappa", First: 10, AsOf: "1969-12-31"}), kg.ErrInvalid, "asOf"},
		} {
			t.Run(c.name, func(t *testing.T) { checkErr(t, c.err, c.kind, c.field) })
		}
	})

	// A need's status is read from the store: once met it is gone at once.
	t.Run("SeesWrites", func(t *testing.T) {
		upsert(t, s, need("n8", "Need of november", func(n *kg.Need) { n.Status = kg.NeedMet }))
		needsFor(t, kg.NeedsForQuery{ActorID: "kappa", First: 10, MaxHops: 4, MinLevel: 1}, []string{
			"n1 cov=0.833333 d=2 p=3 covered=[c1:3@3 c2:2@3] missing=[c3:1]",
			"n6 cov=0.400000 d=2 p=3 covered=[c1:2@3] missing=[c4:3]",
		})
		intros(t, kg.IntroductionQuery{ActorID: "kappa", First: 10}, []string{})
	})
}

func nfErr(ctx context.Context, a *kg.Analytics, q kg.NeedsForQuery) error {
	_, err := a.NeedsFor(ctx, q)
	return err
}

func inErr(ctx context.Context, a *kg.Analytics, q kg.IntroductionQuery) error {
	_, err := a.Introductions(ctx, q)
	return err
}

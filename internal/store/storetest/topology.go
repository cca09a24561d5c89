package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/internal/engine"
	"github.com/samverkan/samverkan/internal/kg"
)

// testTopology checks Store.Topology and Store.GetRels: after every kind
// of write the snapshot shows exactly the graph the store reads back, at
// the store's version; an older snapshot never changes; GetRels returns
// stored relationships aligned with the keys asked for.
func testTopology(t *testing.T, newStore func(*testing.T) kg.Store) {
	ctx := context.Background()

	t.Run("FollowsEveryWrite", func(t *testing.T) {
		s := newStore(t)
		check := func(step string) {
			t.Helper()
			sn := topology(t, s)
			if got, want := sn.Version(), version(t, s); got != want {
				t.Errorf("after %s: the topology is at version %d, the store at %d", step, got, want)
			}
			if d := diffLines(dumpTopology(sn), dumpStore(t, s)); len(d) > 0 {
				t.Errorf("after %s the topology differs from what the store reads back:\n%s", step, strings.Join(d, "\n"))
			}
		}
		check("nothing")
		upsert(t, s, actor("a1", "One", func(a *kg.Actor) { a.Country = "SE" }))
		upsert(t, s, actor("a2", "Two", func(a *kg.Actor) { a.Kind, a.Sector = kg.KindCompany, kg.SectorPrivate }))
		upsert(t, s, actor("a3", "Three"))
		upsert(t, s, actor("a4", "Four", func(a *kg.Actor) { a.Country = "NO" }))
		upsert(t, s, project("p1", "Project"))
		upsert(t, s, competency("c1", "Competency"))
		upsert(t, s, need("n1", "Need"))
		check("upserting nodes")
		lead := participates("a1", "p1", kg.RoleLead)
		lead.Start, lead.End = "2019-01-01", "2021-06-30"
		setRel(t, s, lead)
		setRel(t, s, participates("a2", "p1", kg.RolePartner))
		setRel(t, s, hasCompetency("a1", "c1", 4))
		setRel(t, s, requires("n1", "c1", 3))
		setRel(t, s, hasNeed("a3", "n1"))
		setRel(t, s, addresses("p1", "n1"))
		setRel(t, s, memberOf("a2", "a1", "staff"))
		p := partners("a3", "a4")
		p.Start = "2018-05-01"
		setRel(t, s, p)
		check("setting one relationship of every type")
		setRel(t, s, partners("a4", "a3")) // the same partnership, given the other way
		setRel(t, s, hasCompetency("a1", "c1", 2))
		upsert(t, s, actor("a1", "One", func(a *kg.Actor) { a.Kind, a.Sector, a.Country = kg.KindRegion, kg.SectorPublic, "DK" }))
		check("rewriting a node and two relationships")
		if ok, err := s.RemoveRel(ctx, kg.RelMemberOf, "a2", "a1"); err != nil || !ok {
			t.Fatalf("RemoveRel = %v, %v", ok, err)
		}
		if ok, err := s.RemoveRel(ctx, kg.RelPartnersWith, "a4", "a3"); err != nil || !ok {
			t.Fatalf("RemoveRel(partners, reversed) = %v, %v", ok, err)
		}
		check("removing relationships")
		if ok, err := s.DeleteNode(ctx, kg.LabelActor, "a2"); err != nil || !ok {
			t.Fatalf("DeleteNode = %v, %v", ok, err)
		}
		check("deleting a node with relationships")
		if _, err := s.Import(ctx, kg.Graph{
			Actors: []*kg.Actor{actor("a2", "Two again"), actor("a5", "Five")},
			Rels:   []kg.Rel{participates("a2", "p1", kg.RoleFunder), participates("a5", "p1", kg.RoleParticipant), partners("a5", "a1")},
		}); err != nil {
			t.Fatal(err)
		}
		check("an import (re-creating a deleted id)")
		if _, err := s.SetRel(ctx, hasNeed("a1", "missing")); err == nil {
			t.Fatal("SetRel to a missing node was accepted")
		}
		check("a refused write")
	})

	t.Run("SnapshotsAreImmutable", func(t *testing.T) {
		s := newStore(t)
		load(t, s, []kg.Node{actor("a1", "One"), actor("a2", "Two"), project("p1", "P")},
			[]kg.Rel{participates("a1", "p1", kg.RoleLead), participates("a2", "p1", kg.RolePartner)})
		old := topology(t, s)
		before := dumpTopology(old)
		if ok, err := s.DeleteNode(ctx, kg.LabelActor, "a1"); err != nil || !ok {
			t.Fatal(ok, err)
		}
		upsert(t, s, actor("a3", "Three"))
		setRel(t, s, participates("a3", "p1", kg.RoleLead))
		if d := diffLines(before, dumpTopology(old)); len(d) > 0 {
			t.Errorf("a snapshot taken before three writes changed:\n%s", strings.Join(d, "\n"))
		}
		if now := topology(t, s); now.Version() <= old.Version() {
			t.Errorf("the topology stayed at version %d after writes", now.Version())
		}
	})

	t.Run("GetRels", func(t *testing.T) {
		s := newStore(t)
		lead := participates("a1", "p1", kg.RoleLead)
		lead.Sources = []string{"https://example.org/a"}
		load(t, s, []kg.Node{actor("a1", "One"), actor("a2", "Two"), project("p1", "P")},
			[]kg.Rel{lead, partners("a1", "a2")})
		keys := []kg.RelKey{
			{Type: kg.RelPartnersWith, From: "a2", To: "a1"}, // stored a1 → a2
			{Type: kg.RelParticipatesIn, From: "a2", To: "p1"},
			{Type: kg.RelParticipatesIn, From: "a1", To: "p1"},
			{Type: kg.RelMemberOf, From: "a1", To: "a2"},
		}
		got, err := s.GetRels(ctx, keys)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(keys) {
			t.Fatalf("GetRels returned %d entries for %d keys", len(got), len(keys))
		}
		if got[0] == nil || got[0].From != "a1" || got[0].To != "a2" {
			t.Errorf("a partnership asked the other way round = %+v, want the stored a1 → a2", got[0])
		}
		if got[1] != nil || got[3] != nil {
			t.Errorf("keys without a relationship gave %+v and %+v, want nil", got[1], got[3])
		}
		if got[2] == nil || got[2].Role != string(kg.RoleLead) || !slices.Equal(got[2].Sources, lead.Sources) || got[2].CreatedAt.IsZero() {
			t.Errorf("the participation = %+v, want it as stored (role, sources, times)", got[2])
		}
		if got, err := s.GetRels(ctx, nil); err != nil || len(got) != 0 {
			t.Errorf("GetRels(nil) = %v, %v", got, err)
		}
	})
}

func topology(t *testing.T, s kg.Store) *engine.Snapshot {
	t.Helper()
	sn, err := s.Topology(context.Background())
	if err != nil {
		t.Fatalf("Topology: %v", err)
	}
	return sn
}

// dumpTopology lists a snapshot's nodes and relationships as lines.
func dumpTopology(s *engine.Snapshot) []string {
	var out []string
	for x := range s.Slots() {
		n := s.Node(x)
		if !n.Alive {
			continue
		}
		out = append(out, nodeLine(s.ID(x), n))
		for _, e := range s.Edges(x) {
			if e.Out {
				out = append(out, tieLine(kg.TypeOfCode(e.Type), s.ID(x), s.ID(e.To), e.W, e.Start, e.End))
			}
		}
	}
	slices.Sort(out)
	return out
}

// dumpStore lists, in dumpTopology's form, what the store reads back.
func dumpStore(t *testing.T, s kg.Store) []string {
	t.Helper()
	var out, all []string
	for _, l := range kg.Labels {
		for _, n := range listAll(t, s, kg.ListQuery{Label: l, First: kg.MaxPageSize, Order: kg.Order{Field: kg.OrderByID}}) {
			out = append(out, nodeLine(n.Base().ID, kg.TopoNode(n)))
			all = append(all, n.Base().ID)
		}
	}
	rels, err := kg.RelsFrom(context.Background(), s, all)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rels {
		tie := kg.TopoTie(r)
		out = append(out, tieLine(r.Type, r.From, r.To, tie.W, tie.Start, tie.End))
	}
	slices.Sort(out)
	return out
}

func nodeLine(id string, n engine.Node) string {
	return fmt.Sprintf("node %s label=%s kind=%s sector=%s country=%q dates=%d..%d", id, kg.LabelOfCode(n.Label),
		kg.KindOfCode(n.Kind), kg.SectorOfCode(n.Sector), n.Country, n.Start, n.End)
}

func tieLine(t kg.RelType, from, to string, w uint8, start, end int32) string {
	return fmt.Sprintf("rel %s %s→%s w=%d dates=%d..%d", t, from, to, w, start, end)
}

// diffLines lists the lines only one side has.
func diffLines(got, want []string) []string {
	var out []string
	for _, l := range got {
		if !slices.Contains(want, l) {
			out = append(out, "  unexpected: "+l)
		}
	}
	for _, l := range want {
		if !slices.Contains(got, l) {
			out = append(out, "  missing:    "+l)
		}
	}
	return out
}

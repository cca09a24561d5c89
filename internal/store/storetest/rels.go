package storetest

import (
	"slices"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

// relFixture holds one node of each label, and a second actor, for the
// relationship tests.
func relFixture() []kg.Node {
	return []kg.Node{
		actor("compare", "Compare", func(a *kg.Actor) { a.Kind = kg.KindCluster }),
		actor("karlstads-kommun", "Karlstads kommun", func(a *kg.Actor) { a.Kind, a.Sector = kg.KindMunicipality, kg.SectorPublic }),
		project("ndhc", "NDHC"),
		project("interreg", "Interreg Sverige-Norge", func(p *kg.Project) { p.Type = kg.ProjectTypeProgramme }),
		need("trygghetslarm", "Trygghetslarm"),
		competency("tjanstedesign", "Tjänstedesign"),
	}
}

func testRels(t *testing.T, newStore func(*testing.T) kg.Store) {
	src := []string{"https://example.org/source", "Seed article 1"}
	withSources := func(r kg.Rel) kg.Rel { r.Sources = src; return r }
	// Every type with every property, then a replacement that changes or
	// clears each property.
	cases := []struct {
		name        string
		full, other kg.Rel
	}{
		{"PARTICIPATES_IN",
			kg.Rel{Type: kg.RelParticipatesIn, From: "compare", To: "ndhc", Role: "LEAD", Start: "2016-09-01", End: "2019-08-31", Sources: src,
				Basis: kg.BasisStated, Quote: "Compare ledde förprojektet."},
			kg.Rel{Type: kg.RelParticipatesIn, From: "compare", To: "ndhc", Role: "ADVISOR", End: "2020-01-01"}},
		{"PARTICIPATES_IN as FUNDER",
			kg.Rel{Type: kg.RelParticipatesIn, From: "karlstads-kommun", To: "ndhc", Role: "FUNDER", Amount: 1_250_000.5, Currency: "SEK", Basis: kg.BasisInferred},
			kg.Rel{Type: kg.RelParticipatesIn, From: "karlstads-kommun", To: "ndhc", Role: "SPEAKER"}},
		{"HAS_COMPETENCY",
			kg.Rel{Type: kg.RelHasCompetency, From: "compare", To: "tjanstedesign", Level: 4, Evidence: "Ran the NDHC design lab.\nTwo reports.", Sources: src},
			kg.Rel{Type: kg.RelHasCompetency, From: "compare", To: "tjanstedesign", Level: 1}},
		{"HAS_NEED",
			withSources(hasNeed("karlstads-kommun", "trygghetslarm")),
			hasNeed("karlstads-kommun", "trygghetslarm")},
		{"REQUIRES",
			withSources(requires("trygghetslarm", "tjanstedesign", 5)),
			requires("trygghetslarm", "tjanstedesign", 2)},
		{"ADDRESSES",
			withSources(addresses("ndhc", "trygghetslarm")),
			addresses("ndhc", "trygghetslarm")},
		{"MEMBER_OF",
			kg.Rel{Type: kg.RelMemberOf, From: "karlstads-kommun", To: "compare", Role: "Founding member", Start: "2014-01-01", End: "2020-12-31", Sources: src},
			memberOf("karlstads-kommun", "compare", "")},
		{"PART_OF between actors",
			kg.Rel{Type: kg.RelPartOf, From: "karlstads-kommun", To: "compare", Start: "2017-01-01", End: "2018-01-01", Basis: kg.BasisAssessed, Quote: "en del av", Sources: src},
			kg.Rel{Type: kg.RelPartOf, From: "karlstads-kommun", To: "compare"}},
		{"PART_OF between projects",
			kg.Rel{Type: kg.RelPartOf, From: "ndhc", To: "interreg", Start: "2016-09-01", Sources: src},
			kg.Rel{Type: kg.RelPartOf, From: "ndhc", To: "interreg", End: "2019-08-31"}},
		{"SUPPLIES",
			kg.Rel{Type: kg.RelSupplies, From: "compare", To: "karlstads-kommun", Start: "2017-06-01", End: "2018-06-01", Description: "Drift av e-tjänster.", Quote: "levererar till", Sources: src},
			kg.Rel{Type: kg.RelSupplies, From: "compare", To: "karlstads-kommun"}},
		{"PARTNERS_WITH",
			kg.Rel{Type: kg.RelPartnersWith, From: "compare", To: "karlstads-kommun", Start: "2015-03-01", End: "2021-12-31", Description: "Joint testbed.", Sources: src},
			kg.Rel{Type: kg.RelPartnersWith, From: "compare", To: "karlstads-kommun", Start: "2016-01-01"}},
	}
	for _, tc := range cases {
		t.Run("Set/"+tc.name, func(t *testing.T) {
			s := newStore(t)
			ctx := t.Context()
			load(t, s, relFixture(), nil)
			from, to := tc.full.From, tc.full.To

			got := setRel(t, s, tc.full)
			if relContent(got) != relContent(tc.full) {
				t.Errorf("SetRel returned\n %s\nwant\n %s", relContent(got), relContent(tc.full))
			}
			checkTimes(t, "relationship", got.CreatedAt, got.UpdatedAt)
			checkOnly(t, s, got)

			again := setRel(t, s, tc.other)
			if relContent(again) != relContent(tc.other) {
				t.Errorf("replacing SetRel returned\n %s\nwant\n %s", relContent(again), relContent(tc.other))
			}
			checkRewriteTimes(t, "replaced relationship",
				kg.Meta{CreatedAt: got.CreatedAt, UpdatedAt: got.UpdatedAt},
				kg.Meta{CreatedAt: again.CreatedAt, UpdatedAt: again.UpdatedAt})
			checkOnly(t, s, again)

			ok, err := s.RemoveRel(ctx, tc.full.Type, from, to)
			if err != nil || !ok {
				t.Fatalf("RemoveRel = %v, %v; want true, nil", ok, err)
			}
			for _, dir := range []kg.Direction{kg.Outgoing, kg.Incoming, kg.Both} {
				if m := relsOf(t, s, tc.full.Type, dir, from, to); len(m[from])+len(m[to]) != 0 {
					t.Errorf("after RemoveRel, RelsOf(%v) = %v", dir, m)
				}
			}
			ok, err = s.RemoveRel(ctx, tc.full.Type, from, to)
			if err != nil || ok {
				t.Errorf("second RemoveRel = %v, %v; want false, nil", ok, err)
			}
			if sn := snapshot(t, s); len(sn.nodes) != len(relFixture()) || len(sn.rels) != 0 {
				t.Errorf("after RemoveRel the store holds %d nodes and %d relationships, want %d and 0", len(sn.nodes), len(sn.rels), len(relFixture()))
			}
		})
	}

	t.Run("RelsOfOrderAndBatch", func(t *testing.T) {
		s := newStore(t)
		load(t, s, []kg.Node{
			actor("a", "A"), actor("b", "B"), actor("m", "M"), actor("z", "Z"),
			project("p3", "P3"), project("p1", "P1"), project("p2", "P2"), project("p4", "P4"),
		}, []kg.Rel{
			participates("m", "p3", kg.RoleLead), participates("m", "p1", kg.RolePartner),
			participates("m", "p2", kg.RoleFunder), participates("a", "p2", kg.RoleAdvisor),
			memberOf("m", "z", "member"), memberOf("a", "m", ""), memberOf("m", "b", ""),
		})
		out := relsOf(t, s, kg.RelParticipatesIn, kg.Outgoing, "m", "a", "b", "p1", "unknown")
		if got := relEnds(out["m"]); !slices.Equal(got, []string{"m→p1", "m→p2", "m→p3"}) {
			t.Errorf("Outgoing of m = %v, want ordered by project id", got)
		}
		if got := relEnds(out["a"]); !slices.Equal(got, []string{"a→p2"}) {
			t.Errorf("Outgoing of a = %v", got)
		}
		for _, id := range []string{"b", "p1", "unknown"} {
			if len(out[id]) != 0 {
				t.Errorf("Outgoing of %s = %v, want none", id, relEnds(out[id]))
			}
		}
		if out["m"][0].Role != "PARTNER" || out["m"][2].Role != "LEAD" {
			t.Errorf("roles mixed up: %+v", out["m"])
		}
		in := relsOf(t, s, kg.RelParticipatesIn, kg.Incoming, "p2", "p4", "p1")
		if got := relEnds(in["p2"]); !slices.Equal(got, []string{"a→p2", "m→p2"}) {
			t.Errorf("Incoming of p2 = %v, want ordered by actor id", got)
		}
		if len(in["p4"]) != 0 || len(in["p1"]) != 1 {
			t.Errorf("Incoming of p4, p1 = %v, %v", in["p4"], in["p1"])
		}
		both := relsOf(t, s, kg.RelMemberOf, kg.Both, "m")
		if got := relEnds(both["m"]); !slices.Equal(got, []string{"a→m", "m→b", "m→z"}) {
			t.Errorf("Both of m = %v, want ordered by the other end's id", got)
		}
		if m := relsOf(t, s, kg.RelPartnersWith, kg.Both, "m", "a"); len(m["m"])+len(m["a"]) != 0 {
			t.Errorf("PARTNERS_WITH of m, a = %v, want none (only other types exist)", m)
		}
		if m := relsOf(t, s, kg.RelMemberOf, kg.Both); len(m) != 0 {
			t.Errorf("RelsOf with no ids = %v", m)
		}
	})

	t.Run("PartnershipStoredOnce", func(t *testing.T) {
		s := newStore(t)
		ctx := t.Context()
		load(t, s, []kg.Node{actor("difi", "Difi"), actor("doga", "DOGA"), actor("other", "Other")}, nil)
		first := setRel(t, s, kg.Rel{Type: kg.RelPartnersWith, From: "doga", To: "difi", Start: "2017-01-01", Description: "first"})
		second := setRel(t, s, kg.Rel{Type: kg.RelPartnersWith, From: "difi", To: "doga", Start: "2018-05-01", Description: "second"})
		// The direction of the first set is kept; the properties are the
		// second's.
		want := kg.Rel{Type: kg.RelPartnersWith, From: "doga", To: "difi", Start: "2018-05-01", Description: "second"}
		if relContent(second) != relContent(want) {
			t.Errorf("second SetRel returned\n %s\nwant\n %s", relContent(second), relContent(want))
		}
		if !second.CreatedAt.Equal(first.CreatedAt) {
			t.Errorf("reverse SetRel changed CreatedAt: %v → %v", first.CreatedAt, second.CreatedAt)
		}
		for _, id := range []string{"difi", "doga"} {
			m := relsOf(t, s, kg.RelPartnersWith, kg.Both, id)
			if len(m[id]) != 1 || relContent(m[id][0]) != relContent(want) {
				t.Errorf("Both from %s = %v, want exactly %s", id, m[id], relContent(want))
			}
		}
		if m := relsOf(t, s, kg.RelPartnersWith, kg.Outgoing, "doga", "difi"); len(m["doga"]) != 1 || len(m["difi"]) != 0 {
			t.Errorf("Outgoing = %v, want only from doga, the first set's direction", m)
		}
		if m := relsOf(t, s, kg.RelPartnersWith, kg.Incoming, "doga", "difi"); len(m["difi"]) != 1 || len(m["doga"]) != 0 {
			t.Errorf("Incoming = %v, want only to difi", m)
		}
		if sn := snapshot(t, s); len(sn.rels) != 1 {
			t.Errorf("store holds %d relationships, want 1", len(sn.rels))
		}
		// Either direction names the one relationship when removing it.
		ok, err := s.RemoveRel(ctx, kg.RelPartnersWith, "difi", "doga")
		if err != nil || !ok {
			t.Fatalf("RemoveRel(difi, doga) = %v, %v; want true", ok, err)
		}
		ok, err = s.RemoveRel(ctx, kg.RelPartnersWith, "doga", "difi")
		if err != nil || ok {
			t.Errorf("RemoveRel(doga, difi) after removal = %v, %v; want false", ok, err)
		}
		// MEMBER_OF is directed: both directions are two relationships.
		setRel(t, s, memberOf("difi", "doga", ""))
		setRel(t, s, memberOf("doga", "difi", ""))
		if m := relsOf(t, s, kg.RelMemberOf, kg.Both, "difi"); len(m["difi"]) != 2 {
			t.Errorf("MEMBER_OF both ways: Both from difi = %v, want 2", m["difi"])
		}
	})

	t.Run("RemoveAbsent", func(t *testing.T) {
		s := newStore(t)
		load(t, s, relFixture(), []kg.Rel{participates("compare", "ndhc", kg.RoleLead)})
		for _, r := range []kg.Rel{
			participates("karlstads-kommun", "ndhc", kg.RoleLead), hasCompetency("compare", "tjanstedesign", 1),
			hasNeed("compare", "trygghetslarm"), requires("trygghetslarm", "tjanstedesign", 1),
			addresses("ndhc", "trygghetslarm"), memberOf("compare", "karlstads-kommun", ""), partners("compare", "karlstads-kommun"),
		} {
			ok, err := s.RemoveRel(t.Context(), r.Type, r.From, r.To)
			if err != nil || ok {
				t.Errorf("RemoveRel(%s %s→%s) with none stored = %v, %v; want false, nil", r.Type, r.From, r.To, ok, err)
			}
		}
		if sn := snapshot(t, s); len(sn.rels) != 1 {
			t.Errorf("store holds %d relationships, want the 1 set", len(sn.rels))
		}
	})

	t.Run("DeleteNodeRemovesRels", func(t *testing.T) {
		s := newStore(t)
		ctx := t.Context()
		nodes := append(relFixture(), actor("third", "Third"))
		rels := []kg.Rel{
			participates("compare", "ndhc", kg.RoleLead), hasCompetency("compare", "tjanstedesign", 3),
			hasNeed("compare", "trygghetslarm"), requires("trygghetslarm", "tjanstedesign", 2),
			addresses("ndhc", "trygghetslarm"), memberOf("compare", "karlstads-kommun", ""),
			memberOf("third", "compare", ""), partners("karlstads-kommun", "compare"),
			participates("karlstads-kommun", "ndhc", kg.RolePartner), partners("third", "karlstads-kommun"),
		}
		load(t, s, nodes, rels)
		v := version(t, s)
		ok, err := s.DeleteNode(ctx, kg.LabelActor, "compare")
		if err != nil || !ok {
			t.Fatalf("DeleteNode = %v, %v", ok, err)
		}
		if nv := version(t, s); nv <= v {
			t.Errorf("DeleteNode did not bump the version (%d → %d)", v, nv)
		}
		sn := snapshot(t, s)
		want := []string{
			"ADDRESSES|ndhc|trygghetslarm", "PARTICIPATES_IN|karlstads-kommun|ndhc",
			"PARTNERS_WITH|third|karlstads-kommun", "REQUIRES|trygghetslarm|tjanstedesign",
		}
		var got []string
		for k := range sn.rels {
			got = append(got, k)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("after deleting compare the relationships are\n %v\nwant\n %v", got, want)
		}
		for _, typ := range kg.RelTypes {
			if m := relsOf(t, s, typ, kg.Both, "compare"); len(m["compare"]) != 0 {
				t.Errorf("deleted node still has %s relationships: %v", typ, m)
			}
		}
		// A new node with the same id starts without relationships.
		upsert(t, s, actor("compare", "Compare again"))
		for _, typ := range kg.RelTypes {
			if m := relsOf(t, s, typ, kg.Both, "compare"); len(m["compare"]) != 0 {
				t.Errorf("re-created node inherited %s relationships: %v", typ, m)
			}
		}
		// Deleting the other end of a relationship to a project, too.
		if ok, err := s.DeleteNode(ctx, kg.LabelNeed, "trygghetslarm"); err != nil || !ok {
			t.Fatalf("DeleteNode(need) = %v, %v", ok, err)
		}
		if sn := snapshot(t, s); len(sn.rels) != 2 {
			t.Errorf("after deleting the need %d relationships remain, want 2: %v", len(sn.rels), sn.rels)
		}
	})
}

// checkOnly asserts that r is the only relationship of its type, seen the
// same from every side and direction.
func checkOnly(t *testing.T, s kg.Store, r kg.Rel) {
	t.Helper()
	want := relState(r)
	look := func(dir kg.Direction, id string, n int) {
		t.Helper()
		m := relsOf(t, s, r.Type, dir, id)
		if len(m[id]) != n || (n == 1 && relState(m[id][0]) != want) {
			var got []string
			for _, x := range m[id] {
				got = append(got, relState(x))
			}
			t.Errorf("RelsOf(%s, dir %d, %q) = %v, want %d × %s", r.Type, dir, id, got, n, want)
		}
	}
	look(kg.Outgoing, r.From, 1)
	look(kg.Incoming, r.To, 1)
	look(kg.Both, r.From, 1)
	look(kg.Both, r.To, 1)
	look(kg.Outgoing, r.To, 0)
	look(kg.Incoming, r.From, 0)
	for _, other := range kg.RelTypes {
		if other == r.Type {
			continue
		}
		if m := relsOf(t, s, other, kg.Both, r.From, r.To); len(m[r.From])+len(m[r.To]) != 0 {
			t.Errorf("a %s relationship shows up as %s: %v", r.Type, other, m)
		}
	}
}

package storetest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

// scopeFixture is a small ecosystem of organisations and their people
// (DESIGN.md §2.1):
//
//	K municipality (PUBLIC), U a unit PART_OF K, A an agency, C a company,
//	N an NGO MEMBER_OF A; p1 a person at C, p2 one at U (so also at K),
//	p4 one at A, p3 a person without an organisation.
//	proj1: p1, p2 and C; K PARTNERS_WITH A; p4 PARTNERS_WITH p3;
//	projX (A alone) ADDRESSES K's need nK.
//
// At ORGANISATIONS the collaboration graph is C–U, C–K (p2 is K's too),
// U–K (the unit), K–A, A–N: five edges on five organisations; p3 joins
// nothing, having no organisation.
func scopeFixture() ([]kg.Node, []kg.Rel) {
	person := func(sec kg.Sector) func(*kg.Actor) { return kindOf(kg.KindPerson, sec, "SE") }
	return []kg.Node{
			actor("k", "Kommun", kindOf(kg.KindMunicipality, kg.SectorPublic, "SE")),
			actor("u", "Unit", kindOf(kg.KindMunicipality, kg.SectorPublic, "SE")),
			actor("a", "Agency", kindOf(kg.KindStateAgency, kg.SectorPublic, "SE")),
			actor("c", "Company", kindOf(kg.KindCompany, kg.SectorPrivate, "SE")),
			actor("n", "NGO", kindOf(kg.KindNGO, kg.SectorCivil, "SE")),
			actor("p1", "P1", person(kg.SectorPrivate)), actor("p2", "P2", person(kg.SectorPublic)),
			actor("p3", "P3", person(kg.SectorPrivate)), actor("p4", "P4", person(kg.SectorPublic)),
			project("proj1", "Proj1"), project("projx", "ProjX"),
			need("nk", "Need of K"), competency("k1", "K1"), competency("k2", "K2"), competency("k3", "K3"),
		}, []kg.Rel{
			{Type: kg.RelPartOf, From: "u", To: "k"},
			memberOf("p1", "c", ""), memberOf("p2", "u", ""), memberOf("p4", "a", ""), memberOf("n", "a", ""),
			participates("p1", "proj1", kg.RolePartner), participates("p2", "proj1", kg.RoleLead),
			participates("c", "proj1", kg.RoleParticipant), participates("a", "projx", kg.RoleLead),
			partners("k", "a"), partners("p4", "p3"),
			hasNeed("k", "nk"), requires("nk", "k1", 3), requires("nk", "k2", 2), requires("nk", "k3", 1),
			addresses("projx", "nk"),
			hasCompetency("p2", "k1", 4), hasCompetency("u", "k2", 3), hasCompetency("c", "k1", 2),
			hasCompetency("p1", "k2", 5), hasCompetency("p1", "k3", 2), hasCompetency("n", "k2", 1),
			hasCompetency("a", "k3", 1),
		}
}

func testAnalyticsScope(t *testing.T, newStore func(*testing.T) kg.Store) {
	s := newStore(t)
	nodes, rels := scopeFixture()
	load(t, s, nodes, rels)
	a := kg.NewAnalytics(s)

	t.Run("BrokersOrganisations", func(t *testing.T) {
		// K lies between {C, U} and {A, N}: 4 pairs; A between N and the
		// rest: 3. n = 5, normalised by 4·3/2 = 6.
		cases := []struct {
			name  string
			q     kg.BrokerQuery
			want  []string
			count int
		}{
			{"organisations", kg.BrokerQuery{First: 10, Scope: kg.ScopeOrganisations},
				[]string{"k 4.000000 0.666667", "a 3.000000 0.500000", "c 0.000000 0.000000", "n 0.000000 0.000000", "u 0.000000 0.000000"}, 5},
			// kinds keep MUNICIPALITY and COMPANY before ranking: the triangle
			// C, K, U, with nobody between anyone.
			{"organisations of kinds", kg.BrokerQuery{First: 10, Scope: kg.ScopeOrganisations, Kinds: []kg.ActorKind{kg.KindMunicipality, kg.KindCompany}},
				[]string{"c 0.000000 0.000000", "k 0.000000 0.000000", "u 0.000000 0.000000"}, 3},
			{"organisations, persons only", kg.BrokerQuery{First: 10, Scope: kg.ScopeOrganisations, Kinds: []kg.ActorKind{kg.KindPerson}},
				[]string{}, 0},
		}
		for _, c := range cases {
			r, err := a.Brokers(t.Context(), c.q)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if g := brokerLines(r); !slices.Equal(g, c.want) || r.ActorCount != c.count || r.Scope != kg.ScopeOrganisations {
				t.Errorf("%s: got %q (ActorCount %d, scope %s), want %q (%d)", c.name, g, r.ActorCount, r.Scope, c.want, c.count)
			}
		}
		_, err := a.Brokers(t.Context(), kg.BrokerQuery{First: 10, Scope: "TEAMS"})
		checkErr(t, err, kg.ErrInvalid, "scope")
	})

	t.Run("StatsOrganisations", func(t *testing.T) {
		st, err := a.Stats(t.Context(), kg.ScopeOrganisations)
		if err != nil {
			t.Fatal(err)
		}
		// 5 edges on 5 organisations: density 10/20, average degree 2.
		if g, want := fmt.Sprintf("scope=%s actors=%d edges=%d components=%d largest=%d density=%.6f degree=%.6f kinds=%s",
			st.Scope, st.Actors, st.CollaborationEdges, st.Components, st.LargestComponent, st.Density, st.AverageDegree, countLine(st.Kinds)),
			"scope=ORGANISATIONS actors=5 edges=5 components=1 largest=5 density=0.500000 degree=2.000000 kinds=MUNICIPALITY:2 COMPANY:1 NGO:1 STATE_AGENCY:1"; g != want {
			t.Errorf("organisations:\n got %s\nwant %s", g, want)
		}
		all, err := a.Stats(t.Context(), kg.ScopeAll)
		if err != nil {
			t.Fatal(err)
		}
		if all.Actors != 9 || all.Scope != kg.ScopeAll {
			t.Errorf("ALL: %d actors at scope %s, want 9 at ALL", all.Actors, all.Scope)
		}
	})

	t.Run("MatchNeedLeavesOutOwnPeople", func(t *testing.T) {
		// K, its unit U and U's p2 are K's own: never candidates. p1 and C
		// cover 3 of 6 each, both 4 hops from K (K–U–p2–proj1–…); p1's levels
		// sum higher. N (k2) is two hops away (K–A–N), A (k3) one.
		want := []string{"p1 0.500000 4", "c 0.500000 4", "n 0.333333 2", "a 0.166667 1"}
		got := scopeMatchLines(t, a, kg.MatchQuery{NeedID: "nk", First: 10, MaxHops: 4, MinLevel: 1})
		if !slices.Equal(got, want) {
			t.Errorf("matchNeed: got %q, want %q", got, want)
		}
		// A takes part in projX, which ADDRESSES nK.
		got = scopeMatchLines(t, a, kg.MatchQuery{NeedID: "nk", First: 10, MaxHops: 4, MinLevel: 1, ExcludeEngaged: true})
		if want := want[:3]; !slices.Equal(got, want) {
			t.Errorf("matchNeed excludeEngaged: got %q, want %q", got, want)
		}
	})

	t.Run("ConsortiumNeverAnActorAndItsOwn", func(t *testing.T) {
		// p1 is chosen first (k2, k3); C, p1's organisation, would add k1 but
		// may not join it; N and A add nothing new.
		c, err := a.Consortium(t.Context(), kg.ConsortiumQuery{NeedID: "nk", MaxSize: 3})
		if err != nil {
			t.Fatal(err)
		}
		var members []string
		for _, m := range c.Members {
			members = append(members, m.ActorID)
		}
		if !slices.Equal(members, []string{"p1"}) || fmt.Sprintf("%.6f", c.Coverage) != "0.500000" ||
			len(c.Missing) != 1 || c.Missing[0].CompetencyID != "k1" {
			t.Errorf("consortium: members %q, coverage %.6f, missing %+v; want [p1], 0.5, [k1]", members, c.Coverage, c.Missing)
		}
	})

	t.Run("SimilarLeavesOutOwn", func(t *testing.T) {
		by := []kg.Dimension{kg.DimCollaborators}
		cases := []struct {
			name string
			q    kg.SimilarQuery
			want []string
		}{
			// K's collaborators are U and A. p2 shares U but is K's own (at U),
			// as U itself is.
			{"all", kg.SimilarQuery{ID: "k", By: by, First: 10}, []string{"n 0.500000 [a]", "p4 0.333333 [a]"}},
			// In the organisations' graph C has U and K; U has C and K.
			{"organisations", kg.SimilarQuery{ID: "c", By: by, First: 10, Scope: kg.ScopeOrganisations},
				[]string{"u 1.000000 [k]", "k 0.500000 [u]", "a 0.333333 [k]"}},
		}
		for _, c := range cases {
			got, err := a.Similar(t.Context(), c.q)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			var lines []string
			for _, s := range got {
				lines = append(lines, fmt.Sprintf("%s %.6f %v", s.ActorID, s.Score, s.Shared))
			}
			if !slices.Equal(lines, c.want) {
				t.Errorf("%s: got %q, want %q", c.name, lines, c.want)
			}
		}
		_, err := a.Similar(t.Context(), kg.SimilarQuery{ID: "p1", By: by, First: 10, Scope: kg.ScopeOrganisations})
		checkErr(t, err, kg.ErrInvalid, "id")
	})

	t.Run("CrossSectorProjects", func(t *testing.T) {
		s := newStore(t)
		typed := func(pt kg.ProjectType) func(*kg.Project) { return func(p *kg.Project) { p.Type = pt } }
		nodes, rels := scopeFixture()
		nodes = append(nodes,
			project("ev", "Event", typed(kg.ProjectTypeEvent)), project("prog", "Programme", typed(kg.ProjectTypeProgramme)),
			project("svc", "Service", typed(kg.ProjectTypeService)), project("proj3", "Proj3"))
		rels = append(rels,
			// An event is never cross-sector, whoever attends or speaks.
			participates("k", "ev", kg.RoleOrganiser), participates("c", "ev", kg.RoleAttendee), participates("p1", "ev", kg.RoleSpeaker),
			// An advisor does not collaborate.
			participates("k", "prog", kg.RoleFunder), participates("c", "prog", kg.RoleAdvisor),
			// p1 counts as C: PRIVATE.
			participates("a", "svc", kg.RoleLead), participates("p1", "svc", kg.RoleParticipant),
			// p3 has no organisation, so no sector counts for it.
			participates("p3", "proj3", kg.RoleLead), participates("k", "proj3", kg.RolePartner))
		load(t, s, nodes, rels)
		a := kg.NewAnalytics(s)
		page, err := a.CrossSectorProjects(t.Context(), 10, "")
		if err != nil {
			t.Fatal(err)
		}
		// proj1: p2 stands for U and K (PUBLIC), p1 and C for C (PRIVATE).
		want := []string{"proj1 [k u] [c]", "svc [a] [c]"}
		if g := crossLines(page); !slices.Equal(g, want) || page.TotalCount != 2 || page.HasNextPage {
			t.Errorf("cross-sector: got %q (total %d, next %v), want %q", g, page.TotalCount, page.HasNextPage, want)
		}
		first, err := a.CrossSectorProjects(t.Context(), 1, "")
		if err != nil {
			t.Fatal(err)
		}
		rest, err := a.CrossSectorProjects(t.Context(), 1, "proj1")
		if err != nil {
			t.Fatal(err)
		}
		if g := append(crossLines(first), crossLines(rest)...); !slices.Equal(g, want) || !first.HasNextPage || rest.HasNextPage {
			t.Errorf("pages of one: %q (next %v, %v), want %q", g, first.HasNextPage, rest.HasNextPage, want)
		}
		_, err = a.CrossSectorProjects(t.Context(), 0, "")
		checkErr(t, err, kg.ErrInvalid, "first")

		st, err := a.Stats(t.Context(), kg.ScopeAll)
		if err != nil {
			t.Fatal(err)
		}
		// Six projects, five of them not events: 2/5.
		if g, want := fmt.Sprintf("projects=%d types=%s cross=%d share=%.6f", st.Projects, countLine(st.ProjectTypes), st.CrossSectorProjects, st.CrossSectorShare),
			"projects=6 types=PROJECT:3 PROGRAMME:1 SERVICE:1 EVENT:1 cross=2 share=0.400000"; g != want {
			t.Errorf("stats:\n got %s\nwant %s", g, want)
		}
	})
}

func scopeMatchLines(t *testing.T, a *kg.Analytics, q kg.MatchQuery) []string {
	t.Helper()
	ms, err := a.MatchNeed(t.Context(), q)
	if err != nil {
		t.Fatalf("MatchNeed(%+v): %v", q, err)
	}
	out := []string{}
	for _, m := range ms {
		d := "null"
		if m.Distance != nil {
			d = fmt.Sprint(*m.Distance)
		}
		out = append(out, fmt.Sprintf("%s %.6f %s", m.ActorID, m.Coverage, d))
	}
	return out
}

func crossLines(p kg.CrossSectorPage) []string {
	out := []string{}
	for _, c := range p.Projects {
		out = append(out, fmt.Sprintf("%s %v %v", c.ProjectID, c.Public, c.Private))
	}
	return out
}

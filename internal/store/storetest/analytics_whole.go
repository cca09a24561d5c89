package storetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

func kindOf(k kg.ActorKind, sec kg.Sector, country string) func(*kg.Actor) {
	return func(a *kg.Actor) { a.Kind, a.Sector, a.Country = k, sec, country }
}

// pathFixture is the collaboration path a – b – c – d, each edge for a
// different reason; a and b are joined twice (partners and a shared
// project), which is still one edge.
func pathFixture() ([]kg.Node, []kg.Rel) {
	return []kg.Node{
			actor("a", "A", kindOf(kg.KindCompany, kg.SectorPrivate, "")),
			actor("b", "B", kindOf(kg.KindCompany, kg.SectorPrivate, "")),
			actor("c", "C", kindOf(kg.KindMunicipality, kg.SectorPublic, "")),
			actor("d", "D", kindOf(kg.KindNGO, kg.SectorCivil, "")),
			project("pab", "AB"), project("pcd", "CD"),
		}, []kg.Rel{
			partners("a", "b"), participates("a", "pab", kg.RoleLead), participates("b", "pab", kg.RolePartner),
			memberOf("b", "c", ""),
			participates("c", "pcd", kg.RoleLead), participates("d", "pcd", kg.RoleFunder),
		}
}

// brokerLines renders a ranking as "id raw normalized" lines.
func brokerLines(r kg.BrokerRanking) []string {
	out := []string{}
	for _, b := range r.Brokers {
		out = append(out, fmt.Sprintf("%s %.6f %.6f", b.ActorID, b.Score, b.Normalized))
	}
	return out
}

func countLine(cs []kg.Count) string {
	var parts []string
	for _, c := range cs {
		parts = append(parts, fmt.Sprintf("%s:%d", c.Key, c.Count))
	}
	return strings.Join(parts, " ")
}

func testAnalyticsWhole(t *testing.T, newStore func(*testing.T) kg.Store) {
	brokers := func(t *testing.T, a *kg.Analytics, q kg.BrokerQuery) kg.BrokerRanking {
		t.Helper()
		r, err := a.Brokers(t.Context(), q)
		if err != nil {
			t.Fatalf("Brokers(%+v): %v", q, err)
		}
		return r
	}

	t.Run("BrokersPath", func(t *testing.T) {
		s := newStore(t)
		nodes, rels := pathFixture()
		load(t, s, nodes, rels)
		a := kg.NewAnalytics(s)
		// b lies on the shortest paths a–c and a–d, c on a–d and b–d: 2 each,
		// normalised by (n−1)(n−2)/2 = 3.
		cases := []struct {
			name  string
			q     kg.BrokerQuery
			want  []string
			count int
		}{
			{"all", kg.BrokerQuery{First: 10},
				[]string{"b 2.000000 0.666667", "c 2.000000 0.666667", "a 0.000000 0.000000", "d 0.000000 0.000000"}, 4},
			{"first 1", kg.BrokerQuery{First: 1}, []string{"b 2.000000 0.666667"}, 4},
			// Kinds filter the graph before ranking (DESIGN.md §2.1): c alone
			// is between nobody; without c, b no longer bridges a to d.
			{"kinds MUNICIPALITY", kg.BrokerQuery{First: 10, Kinds: []kg.ActorKind{kg.KindMunicipality}},
				[]string{"c 0.000000 0.000000"}, 1},
			{"kinds COMPANY NGO", kg.BrokerQuery{First: 10, Kinds: []kg.ActorKind{kg.KindNGO, kg.KindCompany}},
				[]string{"a 0.000000 0.000000", "b 0.000000 0.000000", "d 0.000000 0.000000"}, 3},
			{"kinds nobody has", kg.BrokerQuery{First: 10, Kinds: []kg.ActorKind{kg.KindPerson}}, []string{}, 0},
			{"kinds COMPANY MUNICIPALITY", kg.BrokerQuery{First: 10, Kinds: []kg.ActorKind{kg.KindCompany, kg.KindMunicipality}},
				[]string{"b 1.000000 1.000000", "a 0.000000 0.000000", "c 0.000000 0.000000"}, 3},
		}
		for _, c := range cases {
			r := brokers(t, a, c.q)
			if g := brokerLines(r); !slices.Equal(g, c.want) {
				t.Errorf("%s: got %q, want %q", c.name, g, c.want)
			}
			if !r.Exact || r.Samples != 0 || r.ActorCount != c.count {
				t.Errorf("%s: Exact %v Samples %d ActorCount %d, want true 0 %d", c.name, r.Exact, r.Samples, r.ActorCount, c.count)
			}
			if v := version(t, s); r.Version != v {
				t.Errorf("%s: Version %d, store is at %d", c.name, r.Version, v)
			}
		}

		// Closing the path into a square a–b–c–d–a must be seen: every actor
		// then sits on one of the two shortest paths of the opposite pair.
		setRel(t, s, partners("d", "a"))
		r := brokers(t, a, kg.BrokerQuery{First: 10})
		want := []string{"a 0.500000 0.166667", "b 0.500000 0.166667", "c 0.500000 0.166667", "d 0.500000 0.166667"}
		if g := brokerLines(r); !slices.Equal(g, want) {
			t.Errorf("after closing the square: got %q, want %q", g, want)
		}
		if v := version(t, s); r.Version != v {
			t.Errorf("after a write: Version %d, store is at %d", r.Version, v)
		}
		// An actor is added without links: n = 5 changes the normalisation.
		upsert(t, s, actor("e", "E"))
		r = brokers(t, a, kg.BrokerQuery{First: 10})
		want = []string{"a 0.500000 0.083333", "b 0.500000 0.083333", "c 0.500000 0.083333", "d 0.500000 0.083333", "e 0.000000 0.000000"}
		if g := brokerLines(r); !slices.Equal(g, want) || r.ActorCount != 5 {
			t.Errorf("after adding an actor: got %q (ActorCount %d), want %q (5)", g, r.ActorCount, want)
		}
	})

	t.Run("BrokersStar", func(t *testing.T) {
		s := newStore(t)
		// The hub is the only way between any two of its four spokes:
		// C(4,2) = 6 pairs, normalised 6/6 = 1. Spokes are joined to it by
		// partnership in either direction and by membership.
		load(t, s, []kg.Node{actor("hub", "Hub"), actor("s1", "S1"), actor("s2", "S2"), actor("s3", "S3"), actor("s4", "S4")},
			[]kg.Rel{partners("hub", "s1"), partners("s2", "hub"), memberOf("s3", "hub", "member"), memberOf("hub", "s4", "")})
		r := brokers(t, kg.NewAnalytics(s), kg.BrokerQuery{First: 3})
		want := []string{"hub 6.000000 1.000000", "s1 0.000000 0.000000", "s2 0.000000 0.000000"}
		if g := brokerLines(r); !slices.Equal(g, want) {
			t.Errorf("star: got %q, want %q", g, want)
		}
	})

	t.Run("BrokersSharedProject", func(t *testing.T) {
		s := newStore(t)
		// One project of three makes a triangle: nobody is between anyone.
		// x bridges the triangle to y: it lies on the shortest path from each
		// of the other two corners to y.
		load(t, s, []kg.Node{actor("t1", "T1"), actor("t2", "T2"), actor("x", "X"), actor("y", "Y"), project("tri", "Tri")},
			[]kg.Rel{participates("t1", "tri", kg.RoleLead), participates("t2", "tri", kg.RolePartner),
				participates("x", "tri", kg.RolePartner), partners("x", "y")})
		r := brokers(t, kg.NewAnalytics(s), kg.BrokerQuery{First: 10})
		want := []string{"x 2.000000 0.666667", "t1 0.000000 0.000000", "t2 0.000000 0.000000", "y 0.000000 0.000000"}
		if g := brokerLines(r); !slices.Equal(g, want) {
			t.Errorf("triangle with a tail: got %q, want %q", g, want)
		}
	})

	t.Run("BrokersEmptyAndRefusals", func(t *testing.T) {
		s := newStore(t)
		a := kg.NewAnalytics(s)
		r := brokers(t, a, kg.BrokerQuery{First: 10})
		if len(r.Brokers) != 0 || r.ActorCount != 0 || !r.Exact {
			t.Errorf("empty graph: %+v", r)
		}
		load(t, s, []kg.Node{actor("solo", "Solo"), actor("pair", "Pair")}, []kg.Rel{partners("solo", "pair")})
		r = brokers(t, a, kg.BrokerQuery{First: 10})
		if g, want := brokerLines(r), []string{"pair 0.000000 0.000000", "solo 0.000000 0.000000"}; !slices.Equal(g, want) {
			t.Errorf("two actors: got %q, want %q", g, want)
		}
		for _, c := range []struct {
			name  string
			q     kg.BrokerQuery
			field string
		}{
			{"first 0", kg.BrokerQuery{First: 0}, "first"},
			{"first 101", kg.BrokerQuery{First: 101}, "first"},
			{"unknown kind", kg.BrokerQuery{First: 10, Kinds: []kg.ActorKind{kg.KindCompany, "ALIEN"}}, "kinds"},
		} {
			_, err := a.Brokers(t.Context(), c.q)
			t.Run(c.name, func(t *testing.T) { checkErr(t, err, kg.ErrInvalid, c.field) })
		}
	})

	t.Run("Stats", func(t *testing.T) {
		s := newStore(t)
		a := kg.NewAnalytics(s)
		st, err := a.Stats(t.Context(), kg.ScopeAll)
		if err != nil {
			t.Fatal(err)
		}
		empty := "labels=Actor:0 Project:0 Need:0 Competency:0 kinds= sectors= countries= " +
			"rels=PARTICIPATES_IN:0 HAS_COMPETENCY:0 HAS_NEED:0 REQUIRES:0 ADDRESSES:0 MEMBER_OF:0 PARTNERS_WITH:0 PART_OF:0 SUPPLIES:0 " +
			"actors=0 edges=0 components=0 largest=0 density=0.000000 degree=0.000000 projects=0 cross=0 share=0.000000"
		if g := statsLine(st); g != empty {
			t.Errorf("empty store:\n got %s\nwant %s", g, empty)
		}

		// Components {m1, co1, co2}, {m2, r1}, {iso}. m1–co1 are partners and
		// share p1: one edge. Only p1 has a PUBLIC and a PRIVATE participant
		// (p2 is public–academic, p3 private only, p4 has nobody).
		load(t, s, []kg.Node{
			actor("m1", "M1", kindOf(kg.KindMunicipality, kg.SectorPublic, "SE")),
			actor("m2", "M2", kindOf(kg.KindMunicipality, kg.SectorPublic, "NO")),
			actor("co1", "Co1", kindOf(kg.KindCompany, kg.SectorPrivate, "SE")),
			actor("co2", "Co2", kindOf(kg.KindCompany, kg.SectorPrivate, "")),
			actor("r1", "R1", kindOf(kg.KindResearch, kg.SectorAcademic, "NO")),
			actor("iso", "Iso", kindOf(kg.KindNGO, kg.SectorCivil, "SE")),
			project("p1", "P1"), project("p2", "P2"), project("p3", "P3"), project("p4", "P4"),
			need("n1", "N1"), competency("k1", "K1"),
		}, []kg.Rel{
			participates("m1", "p1", kg.RoleLead), participates("co1", "p1", kg.RolePartner),
			participates("m2", "p2", kg.RoleLead), participates("r1", "p2", kg.RolePartner),
			participates("co2", "p3", kg.RoleLead),
			partners("co1", "m1"), memberOf("co2", "co1", ""),
			hasCompetency("m1", "k1", 3), hasNeed("m1", "n1"), requires("n1", "k1", 2), addresses("p1", "n1"),
		})
		st, err = a.Stats(t.Context(), kg.ScopeAll)
		if err != nil {
			t.Fatal(err)
		}
		// density 2·3/(6·5) = 0.2, average degree 2·3/6 = 1.
		want := "labels=Actor:6 Project:4 Need:1 Competency:1 " +
			"kinds=COMPANY:2 MUNICIPALITY:2 NGO:1 RESEARCH:1 sectors=PRIVATE:2 PUBLIC:2 ACADEMIC:1 CIVIL:1 countries=SE:3 NO:2 " +
			"rels=PARTICIPATES_IN:5 HAS_COMPETENCY:1 HAS_NEED:1 REQUIRES:1 ADDRESSES:1 MEMBER_OF:1 PARTNERS_WITH:1 PART_OF:0 SUPPLIES:0 " +
			"actors=6 edges=3 components=3 largest=3 density=0.200000 degree=1.000000 projects=4 cross=1 share=0.250000"
		if g := statsLine(st); g != want {
			t.Errorf("small graph:\n got %s\nwant %s", g, want)
		}
		if v := version(t, s); st.Version != v {
			t.Errorf("Version %d, store is at %d", st.Version, v)
		}

		// Writes are seen: iso joins m2's component, and p2 gains a private
		// participant (co2, which also links it to m2 and r1), but as an
		// ADVISOR, which does not make p2 cross-sector (DESIGN.md §2.1).
		setRel(t, s, partners("iso", "m2"))
		setRel(t, s, participates("co2", "p2", kg.RoleAdvisor))
		st, err = a.Stats(t.Context(), kg.ScopeAll)
		if err != nil {
			t.Fatal(err)
		}
		// Edges: m1–co1, co2–co1, m2–r1, iso–m2, co2–m2, co2–r1 = 6; one
		// component of all six; density 12/30, degree 12/6.
		want = "labels=Actor:6 Project:4 Need:1 Competency:1 " +
			"kinds=COMPANY:2 MUNICIPALITY:2 NGO:1 RESEARCH:1 sectors=PRIVATE:2 PUBLIC:2 ACADEMIC:1 CIVIL:1 countries=SE:3 NO:2 " +
			"rels=PARTICIPATES_IN:6 HAS_COMPETENCY:1 HAS_NEED:1 REQUIRES:1 ADDRESSES:1 MEMBER_OF:1 PARTNERS_WITH:2 PART_OF:0 SUPPLIES:0 " +
			"actors=6 edges=6 components=1 largest=6 density=0.400000 degree=2.000000 projects=4 cross=1 share=0.250000"
		if g := statsLine(st); g != want {
			t.Errorf("after writes:\n got %s\nwant %s", g, want)
		}
		if v := version(t, s); st.Version != v {
			t.Errorf("after writes: Version %d, store is at %d", st.Version, v)
		}
	})
}

func statsLine(st kg.Stats) string {
	return fmt.Sprintf("labels=%s kinds=%s sectors=%s countries=%s rels=%s actors=%d edges=%d components=%d largest=%d "+
		"density=%.6f degree=%.6f projects=%d cross=%d share=%.6f",
		countLine(st.Labels), countLine(st.Kinds), countLine(st.Sectors), countLine(st.Countries), countLine(st.Relationships),
		st.Actors, st.CollaborationEdges, st.Components, st.LargestComponent, st.Density, st.AverageDegree,
		st.Projects, st.CrossSectorProjects, st.CrossSectorShare)
}

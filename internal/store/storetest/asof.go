package storetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

// asOfFixture is a small ecosystem whose ties have periods (DESIGN.md
// §1.1, §2.1 Time):
//
//	proj runs 2018-01-01 – 2019-12-31. Municipality m leads it without
//	dates of its own (so for the project's period); company c is a
//	partner from 2019-01-01 (to the project's end). Person p is MEMBER_OF
//	c from 2018-06-01 to 2018-12-31. Unit u is PART_OF m in 2017. Cluster
//	b PARTNERS_WITH m since 2020-01-01 (the deprecated since, no from); NGO
//	x PARTNERS_WITH m without dates. m needs nm and c needs nc, both
//	requiring k1, which c (3) and p (4) have.
//
// The dates asked: before (2017-06-01: only u–m and x–m), p's membership
// (2018-09-01: m–x, p–c, m alone in proj), c's participation (2019-06-01:
// m–c in proj, m–x) and after the project (2021-01-01: b–m, m–x).
func asOfFixture() ([]kg.Node, []kg.Rel) {
	dated := func(r kg.Rel, from, to kg.Date) kg.Rel { r.Start, r.End = from, to; return r }
	since := partners("b", "m")
	since.Since = "2020-01-01"
	return []kg.Node{
			actor("m", "Municipality", kindOf(kg.KindMunicipality, kg.SectorPublic, "SE")),
			actor("u", "Unit", kindOf(kg.KindMunicipality, kg.SectorPublic, "SE")),
			actor("c", "Company", kindOf(kg.KindCompany, kg.SectorPrivate, "SE")),
			actor("b", "Cluster", kindOf(kg.KindCluster, kg.SectorPrivate, "SE")),
			actor("x", "NGO", kindOf(kg.KindNGO, kg.SectorCivil, "SE")),
			actor("p", "Person", kindOf(kg.KindPerson, kg.SectorPrivate, "SE")),
			project("proj", "Proj", func(p *kg.Project) { p.StartDate, p.EndDate = "2018-01-01", "2019-12-31" }),
			need("nm", "Need of m"), need("nc", "Need of c"), competency("k1", "K1"),
		}, []kg.Rel{
			participates("m", "proj", kg.RoleLead),
			dated(participates("c", "proj", kg.RolePartner), "2019-01-01", ""),
			dated(memberOf("p", "c", ""), "2018-06-01", "2018-12-31"),
			dated(kg.Rel{Type: kg.RelPartOf, From: "u", To: "m"}, "2017-01-01", "2017-12-31"),
			since, partners("x", "m"),
			hasNeed("m", "nm"), hasNeed("c", "nc"), requires("nm", "k1", 2), requires("nc", "k1", 1),
			hasCompetency("c", "k1", 3), hasCompetency("p", "k1", 4),
		}
}

// The dates of asOfFixture, "" for none.
const (
	asOfBefore     = kg.Date("2017-06-01")
	asOfMembership = kg.Date("2018-09-01")
	asOfPartner    = kg.Date("2019-06-01")
	asOfAfter      = kg.Date("2021-01-01")
)

var asOfDates = []kg.Date{"", asOfBefore, asOfMembership, asOfPartner, asOfAfter}

func testAnalyticsAsOf(t *testing.T, newStore func(*testing.T) kg.Store) {
	s := newStore(t)
	nodes, rels := asOfFixture()
	load(t, s, nodes, rels)
	a := kg.NewAnalytics(s)

	// each checks one analytic's answer, as a line, at every date.
	each := func(t *testing.T, want map[kg.Date]string, answer func(asOf kg.Date) (string, error)) {
		t.Helper()
		for _, d := range asOfDates {
			got, err := answer(d)
			if err != nil {
				t.Errorf("asOf %q: %v", d, err)
				continue
			}
			if got != want[d] {
				t.Errorf("asOf %q: got %q, want %q", d, got, want[d])
			}
		}
	}

	t.Run("Paths", func(t *testing.T) {
		each(t, map[kg.Date]string{"": "m proj c", asOfBefore: "", asOfMembership: "", asOfPartner: "m proj c", asOfAfter: ""},
			func(d kg.Date) (string, error) {
				paths, err := a.Paths(t.Context(), kg.PathQuery{From: "m", To: "c", K: 3, MaxHops: 6, AsOf: d})
				var out []string
				for _, p := range paths {
					out = append(out, strings.Join(ids(p.Nodes), " "))
				}
				return strings.Join(out, "; "), err
			})
	})

	t.Run("Overlap", func(t *testing.T) {
		each(t, map[kg.Date]string{"": "[proj] 1.00", asOfBefore: "[] 0.00", asOfMembership: "[] 0.00", asOfPartner: "[proj] 1.00", asOfAfter: "[] 0.00"},
			func(d kg.Date) (string, error) {
				o, err := a.OverlapAt(t.Context(), []string{"m", "c"}, d)
				if err != nil {
					return "", err
				}
				return fmt.Sprintf("[%s] %.2f", strings.Join(o.Projects, " "), o.Jaccard.Projects), nil
			})
	})

	t.Run("SimilarActors", func(t *testing.T) {
		similar := func(id string, by kg.Dimension) func(d kg.Date) (string, error) {
			return func(d kg.Date) (string, error) {
				list, err := a.Similar(t.Context(), kg.SimilarQuery{ID: id, By: []kg.Dimension{by}, First: 10, AsOf: d})
				var out []string
				for _, x := range list {
					out = append(out, fmt.Sprintf("%s %.2f", x.ActorID, x.Score))
				}
				return strings.Join(out, ", "), err
			}
		}
		each(t, map[kg.Date]string{"": "c 1.00", asOfPartner: "c 1.00"}, similar("m", kg.DimProjects))
		// c's collaborators: m and p (every tie), p alone (the membership),
		// m alone (the partnership), none after.
		each(t, map[kg.Date]string{"": "b 0.50, u 0.50, x 0.50", asOfPartner: "x 1.00"}, similar("c", kg.DimCollaborators))
	})

	t.Run("MatchNeed", func(t *testing.T) {
		match := func(need string) func(d kg.Date) (string, error) {
			return func(d kg.Date) (string, error) {
				list, err := a.MatchNeed(t.Context(), kg.MatchQuery{NeedID: need, First: 10, MaxHops: 4, MinLevel: 1, AsOf: d})
				var out []string
				for _, m := range list {
					dist := "-"
					if m.Distance != nil {
						dist = fmt.Sprint(*m.Distance)
					}
					out = append(out, m.ActorID+":"+dist)
				}
				return strings.Join(out, " "), err
			}
		}
		// Distances to m follow the ties of the day; without a distance the
		// higher level (p's 4) goes first.
		each(t, map[kg.Date]string{"": "c:2 p:3", asOfBefore: "p:- c:-", asOfMembership: "p:- c:-", asOfPartner: "c:2 p:-", asOfAfter: "p:- c:-"},
			match("nm"))
		// p is c's own person only while a member.
		each(t, map[kg.Date]string{"": "", asOfBefore: "p:-", asOfMembership: "", asOfPartner: "p:-", asOfAfter: "p:-"}, match("nc"))
	})

	t.Run("SuggestConsortium", func(t *testing.T) {
		each(t, map[kg.Date]string{"": "c", asOfBefore: "p", asOfMembership: "p", asOfPartner: "c", asOfAfter: "p"},
			func(d kg.Date) (string, error) {
				c, err := a.Consortium(t.Context(), kg.ConsortiumQuery{NeedID: "nm", MaxSize: 1, AsOf: d})
				var out []string
				for _, m := range c.Members {
					out = append(out, m.ActorID)
				}
				return strings.Join(out, " "), err
			})
	})

	t.Run("Neighbourhood", func(t *testing.T) {
		each(t, map[kg.Date]string{
			"":             "m:0 b:1 proj:1 u:1 x:1 c:2 / 5",
			asOfBefore:     "m:0 u:1 x:1 / 2",
			asOfMembership: "m:0 proj:1 x:1 / 2",
			asOfPartner:    "m:0 proj:1 x:1 c:2 / 3",
			asOfAfter:      "m:0 b:1 x:1 / 2",
		}, func(d kg.Date) (string, error) {
			g, err := a.Neighbourhood(t.Context(), kg.NeighbourhoodQuery{ID: "m", Depth: 2, Limit: 100, AsOf: d})
			var out []string
			for _, n := range g.Nodes {
				out = append(out, fmt.Sprintf("%s:%d", n.Node.Base().ID, n.Distance))
			}
			return fmt.Sprintf("%s / %d", strings.Join(out, " "), len(g.Edges)), err
		})
	})

	t.Run("Brokers", func(t *testing.T) {
		// Every tie: m between {c, p} and {u, b, x} and among those (9),
		// c between p and the rest (4); n = 6, normalised by 10.
		each(t, map[kg.Date]string{
			"":             "m 9.000000 0.900000, c 4.000000 0.400000",
			asOfBefore:     "m 1.000000 0.100000, b 0.000000 0.000000",
			asOfMembership: "b 0.000000 0.000000, c 0.000000 0.000000",
			asOfPartner:    "m 1.000000 0.100000, b 0.000000 0.000000",
			asOfAfter:      "m 1.000000 0.100000, b 0.000000 0.000000",
		}, func(d kg.Date) (string, error) {
			r, err := a.Brokers(t.Context(), kg.BrokerQuery{First: 2, AsOf: d})
			if err == nil && r.ActorCount != 6 {
				err = fmt.Errorf("ActorCount %d, want 6: the nodes stay", r.ActorCount)
			}
			return strings.Join(brokerLines(r), ", "), err
		})
	})

	t.Run("Measures", func(t *testing.T) {
		// Degree of the day's collaboration graph, the top two (degree
		// desc, id).
		each(t, map[kg.Date]string{
			"":             "m 4, c 2",
			asOfBefore:     "m 2, u 1",
			asOfMembership: "c 1, m 1",
			asOfPartner:    "m 2, c 1",
			asOfAfter:      "m 2, b 1",
		}, func(d kg.Date) (string, error) {
			r, err := a.Measures(t.Context(), kg.MeasureQuery{By: kg.MeasureDegree, First: 2, AsOf: d})
			var out []string
			for _, row := range r.Rows {
				out = append(out, fmt.Sprintf("%s %.0f", row.ActorID, *row.Value))
			}
			return strings.Join(out, ", "), err
		})
	})

	t.Run("Communities", func(t *testing.T) {
		// The communities of two or more: in 2018-09 the two pairs m–x and
		// p–c, the rest alone.
		each(t, map[kg.Date]string{
			"":             "b m u x | c p",
			asOfBefore:     "m u x",
			asOfMembership: "c p | m x",
			asOfPartner:    "c m x",
			asOfAfter:      "b m x",
		}, func(d kg.Date) (string, error) {
			r, err := a.Communities(t.Context(), kg.CommunityQuery{Resolution: 1, Seed: 1, AsOf: d})
			var out []string
			for _, c := range r.Communities {
				if c.Size > 1 {
					out = append(out, strings.Join(c.Members, " "))
				}
			}
			if err == nil && r.ActorCount != 6 {
				err = fmt.Errorf("ActorCount %d, want 6: the nodes stay", r.ActorCount)
			}
			return strings.Join(out, " | "), err
		})
	})

	stats := func(d kg.Date) (string, error) {
		st, err := a.StatsAt(t.Context(), kg.ScopeAll, d)
		if err != nil {
			return "", err
		}
		rel := map[string]int{}
		for _, c := range st.Relationships {
			rel[c.Key] = c.Count
		}
		return fmt.Sprintf("actors=%d part=%d member=%d partner=%d partOf=%d edges=%d comps=%d/%d cross=%d",
			st.Actors, rel[string(kg.RelParticipatesIn)], rel[string(kg.RelMemberOf)], rel[string(kg.RelPartnersWith)],
			rel[string(kg.RelPartOf)], st.CollaborationEdges, st.Components, st.LargestComponent, st.CrossSectorProjects), nil
	}
	t.Run("EcosystemStats", func(t *testing.T) {
		each(t, map[kg.Date]string{
			"":             "actors=6 part=2 member=1 partner=2 partOf=1 edges=5 comps=1/6 cross=1",
			asOfBefore:     "actors=6 part=0 member=0 partner=1 partOf=1 edges=2 comps=4/3 cross=0",
			asOfMembership: "actors=6 part=1 member=1 partner=1 partOf=0 edges=2 comps=4/2 cross=0",
			asOfPartner:    "actors=6 part=2 member=0 partner=1 partOf=0 edges=2 comps=4/3 cross=1",
			asOfAfter:      "actors=6 part=0 member=0 partner=2 partOf=0 edges=2 comps=4/3 cross=0",
		}, stats)
		// Both ends of a period are in it.
		for d, want := range map[kg.Date]string{
			"2018-12-31": "actors=6 part=1 member=1 partner=1 partOf=0 edges=2 comps=4/2 cross=0",
			"2019-01-01": "actors=6 part=2 member=0 partner=1 partOf=0 edges=2 comps=4/3 cross=1",
			"2019-12-31": "actors=6 part=2 member=0 partner=1 partOf=0 edges=2 comps=4/3 cross=1",
			"2020-01-01": "actors=6 part=0 member=0 partner=2 partOf=0 edges=2 comps=4/3 cross=0",
		} {
			if got, err := stats(d); err != nil || got != want {
				t.Errorf("asOf %s: got %q (%v), want %q", d, got, err, want)
			}
		}
	})

	cross := func(d kg.Date) (string, error) {
		page, err := a.CrossSectorProjectsAt(t.Context(), 10, "", d)
		var out []string
		for _, p := range page.Projects {
			out = append(out, fmt.Sprintf("%s %v %v", p.ProjectID, p.Public, p.Private))
		}
		return strings.Join(out, "; "), err
	}
	t.Run("CrossSectorProjects", func(t *testing.T) {
		each(t, map[kg.Date]string{"": "proj [m] [c]", asOfPartner: "proj [m] [c]"}, cross)
	})

	t.Run("ProjectDatesFollowWrites", func(t *testing.T) {
		// The participations without dates of their own follow the
		// project's dates as they change.
		p := getNode(t, s, "proj").(*kg.Project)
		p.EndDate = "2021-12-31"
		upsert(t, s, p)
		if got, err := cross(asOfAfter); err != nil || got != "proj [m] [c]" {
			t.Errorf("after the project was extended: got %q (%v)", got, err)
		}
		if got, err := stats(asOfAfter); err != nil || !strings.Contains(got, "part=2") {
			t.Errorf("after the project was extended: got %q (%v)", got, err)
		}
		p.EndDate = "2019-12-31"
		upsert(t, s, p)
		if got, err := cross(asOfAfter); err != nil || got != "" {
			t.Errorf("after the project's end was put back: got %q (%v)", got, err)
		}
	})

	t.Run("BadAsOf", func(t *testing.T) {
		for _, d := range []kg.Date{"2019-02-30", "2019", "1969-12-31"} {
			calls := map[string]func() error{
				"paths": func() error {
					_, err := a.Paths(t.Context(), kg.PathQuery{From: "m", To: "c", K: 3, MaxHops: 6, AsOf: d})
					return err
				},
				"overlap": func() error { _, err := a.OverlapAt(t.Context(), []string{"m", "c"}, d); return err },
				"similar": func() error {
					_, err := a.Similar(t.Context(), kg.SimilarQuery{ID: "m", First: 10, AsOf: d})
					return err
				},
				"match": func() error {
					_, err := a.MatchNeed(t.Context(), kg.MatchQuery{NeedID: "nm", First: 10, MaxHops: 4, MinLevel: 1, AsOf: d})
					return err
				},
				"consortium": func() error {
					_, err := a.Consortium(t.Context(), kg.ConsortiumQuery{NeedID: "nm", MaxSize: 3, AsOf: d})
					return err
				},
				"neighbourhood": func() error {
					_, err := a.Neighbourhood(t.Context(), kg.NeighbourhoodQuery{ID: "m", Depth: 1, Limit: 10, AsOf: d})
					return err
				},
				"brokers": func() error { _, err := a.Brokers(t.Context(), kg.BrokerQuery{First: 10, AsOf: d}); return err },
				"stats":   func() error { _, err := a.StatsAt(t.Context(), kg.ScopeAll, d); return err },
				"cross":   func() error { _, err := a.CrossSectorProjectsAt(t.Context(), 10, "", d); return err },
				"measures": func() error {
					_, err := a.Measures(t.Context(), kg.MeasureQuery{By: kg.MeasureDegree, First: 10, AsOf: d})
					return err
				},
				"communities": func() error {
					_, err := a.Communities(t.Context(), kg.CommunityQuery{Resolution: 1, Seed: 1, AsOf: d})
					return err
				},
			}
			names := make([]string, 0, len(calls))
			for n := range calls {
				names = append(names, n)
			}
			slices.Sort(names)
			for _, n := range names {
				t.Run(n+" "+string(d), func(t *testing.T) { checkErr(t, calls[n](), kg.ErrInvalid, "asOf") })
			}
		}
	})
}

package storetest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

// overlapFixture is a small graph whose overlaps and similarities are
// worked out by hand. Neighbours per actor:
//
//	          projects   competencies  needs    collaborators
//	alfa      p1 p2      k1 k2 k3      n1       adam beta cesar erik
//	beta      p1 p3      k2 k3 k4      n1 n2    adam alfa cesar erik
//	cesar     p1         k3            —        adam alfa beta
//	adam      —          —             —        alfa beta cesar
//	erik      p2 p3      —             —        alfa beta
//	solo1     —          —             —        solo2
//	solo2     —          —             —        solo1
//	lone, lone2: nothing
//
// (p1: alfa beta cesar; p2: alfa erik; p3: beta erik; alfa PARTNERS_WITH
// adam, beta MEMBER_OF adam, adam PARTNERS_WITH cesar, solo1 PARTNERS_WITH
// solo2; the need n2 also REQUIRES k1, which no dimension counts.)
func overlapFixture() ([]kg.Node, []kg.Rel) {
	nodes := []kg.Node{
		actor("alfa", "Alfa"), actor("beta", "Beta"), actor("cesar", "Cesar"), actor("adam", "Adam"),
		actor("erik", "Erik"), actor("solo1", "Solo 1"), actor("solo2", "Solo 2"),
		actor("lone", "Lone"), actor("lone2", "Lone 2"),
		project("p1", "P1"), project("p2", "P2"), project("p3", "P3"),
		competency("k1", "K1"), competency("k2", "K2"), competency("k3", "K3"), competency("k4", "K4"),
		need("n1", "N1"), need("n2", "N2"),
	}
	rels := []kg.Rel{
		participates("alfa", "p1", kg.RoleLead), participates("alfa", "p2", kg.RolePartner),
		participates("beta", "p1", kg.RolePartner), participates("beta", "p3", kg.RoleLead),
		participates("cesar", "p1", kg.RoleFunder),
		participates("erik", "p2", kg.RoleAdvisor), participates("erik", "p3", kg.RoleParticipant),
		hasCompetency("alfa", "k1", 3), hasCompetency("alfa", "k2", 3), hasCompetency("alfa", "k3", 1),
		hasCompetency("beta", "k2", 5), hasCompetency("beta", "k3", 2), hasCompetency("beta", "k4", 4),
		hasCompetency("cesar", "k3", 4),
		hasNeed("alfa", "n1"), hasNeed("beta", "n1"), hasNeed("beta", "n2"),
		requires("n2", "k1", 2),
		partners("alfa", "adam"), memberOf("beta", "adam", ""), partners("adam", "cesar"),
		partners("solo1", "solo2"),
	}
	return nodes, rels
}

func testAnalyticsOverlap(t *testing.T, newStore func(*testing.T) kg.Store) {
	s := newStore(t)
	nodes, rels := overlapFixture()
	load(t, s, nodes, rels)
	an := kg.NewAnalytics(s)

	comp := func(id string, competencies []string) kg.Complement {
		return kg.Complement{ActorID: id, CompetencyIDs: competencies}
	}
	cases := []struct {
		name string
		ids  []string
		want kg.Overlap
	}{
		{"two actors", []string{"alfa", "beta"}, kg.Overlap{
			ActorIDs: []string{"alfa", "beta"}, Projects: []string{"p1"}, Competencies: []string{"k2", "k3"},
			Needs: []string{"n1"}, Collaborators: []string{"adam", "cesar", "erik"},
			// overall: {k1 k2 k3 p1 p2 adam cesar erik} vs {k2 k3 k4 p1 p3 adam cesar erik}: 6 / 10
			Jaccard:       &kg.OverlapJaccard{Projects: 1.0 / 3, Competencies: 2.0 / 4, Needs: 1.0 / 2, Collaborators: 1, Overall: 6.0 / 10},
			Complementary: []kg.Complement{comp("alfa", []string{"k1"}), comp("beta", []string{"k4"})},
		}},
		{"two actors, other order", []string{"beta", "alfa"}, kg.Overlap{
			ActorIDs: []string{"beta", "alfa"}, Projects: []string{"p1"}, Competencies: []string{"k2", "k3"},
			Needs: []string{"n1"}, Collaborators: []string{"adam", "cesar", "erik"},
			Jaccard:       &kg.OverlapJaccard{Projects: 1.0 / 3, Competencies: 2.0 / 4, Needs: 1.0 / 2, Collaborators: 1, Overall: 6.0 / 10},
			Complementary: []kg.Complement{comp("beta", []string{"k4"}), comp("alfa", []string{"k1"})},
		}},
		{"two actors that collaborate directly", []string{"alfa", "cesar"}, kg.Overlap{
			ActorIDs: []string{"alfa", "cesar"}, Projects: []string{"p1"}, Competencies: []string{"k3"},
			Needs: []string{}, Collaborators: []string{"adam", "beta"},
			// collaborators {adam beta erik} vs {adam beta}; overall
			// {k1 k2 k3 p1 p2 adam beta erik} vs {k3 p1 adam beta}: 4 / 8
			Jaccard:       &kg.OverlapJaccard{Projects: 1.0 / 2, Competencies: 1.0 / 3, Needs: 0, Collaborators: 2.0 / 3, Overall: 4.0 / 8},
			Complementary: []kg.Complement{comp("alfa", []string{"k1", "k2"}), comp("cesar", []string{})},
		}},
		{"three actors", []string{"alfa", "beta", "cesar"}, kg.Overlap{
			ActorIDs: []string{"alfa", "beta", "cesar"}, Projects: []string{"p1"}, Competencies: []string{"k3"},
			Needs: []string{}, Collaborators: []string{"adam"},
			Complementary: []kg.Complement{comp("alfa", []string{"k1"}), comp("beta", []string{"k4"}), comp("cesar", []string{})},
		}},
		{"an actor with no neighbours", []string{"alfa", "lone"}, kg.Overlap{
			ActorIDs: []string{"alfa", "lone"}, Projects: []string{}, Competencies: []string{}, Needs: []string{},
			Collaborators: []string{}, Jaccard: &kg.OverlapJaccard{},
			Complementary: []kg.Complement{comp("alfa", []string{"k1", "k2", "k3"}), comp("lone", []string{})},
		}},
		{"two actors with no neighbours", []string{"lone2", "lone"}, kg.Overlap{
			ActorIDs: []string{"lone2", "lone"}, Projects: []string{}, Competencies: []string{}, Needs: []string{},
			Collaborators: []string{}, Jaccard: &kg.OverlapJaccard{},
			Complementary: []kg.Complement{comp("lone2", []string{}), comp("lone", []string{})},
		}},
		{"partners of only each other", []string{"solo1", "solo2"}, kg.Overlap{
			ActorIDs: []string{"solo1", "solo2"}, Projects: []string{}, Competencies: []string{}, Needs: []string{},
			Collaborators: []string{}, Jaccard: &kg.OverlapJaccard{},
			Complementary: []kg.Complement{comp("solo1", []string{}), comp("solo2", []string{})},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := an.Overlap(t.Context(), c.ids)
			if err != nil {
				t.Fatalf("Overlap(%q): %v", c.ids, err)
			}
			if g, w := overlapString(got), overlapString(c.want); g != w {
				t.Errorf("Overlap(%q)\n got  %s\n want %s", c.ids, g, w)
			}
		})
	}

	t.Run("errors", func(t *testing.T) {
		eleven := []string{"alfa", "beta", "cesar", "adam", "erik", "solo1", "solo2", "lone", "lone2", "p1", "p2"}
		errs := []struct {
			name  string
			ids   []string
			kind  error
			field string
		}{
			{"one actor", []string{"alfa"}, kg.ErrInvalid, "actorIds"},
			{"none", nil, kg.ErrInvalid, "actorIds"},
			{"eleven", eleven, kg.ErrInvalid, "actorIds"},
			{"duplicate", []string{"alfa", "beta", "alfa"}, kg.ErrInvalid, "actorIds"},
			{"bad id", []string{"alfa", "Beta!"}, kg.ErrInvalid, "actorIds"},
			{"unknown", []string{"alfa", "nobody"}, kg.ErrNotFound, "actorIds"},
			{"a project", []string{"alfa", "p1"}, kg.ErrInvalid, "actorIds"},
		}
		for _, c := range errs {
			t.Run(c.name, func(t *testing.T) {
				_, err := an.Overlap(t.Context(), c.ids)
				checkErr(t, err, c.kind, c.field)
			})
		}
	})
}

// overlapString renders an overlap canonically (nil and empty lists alike,
// Jaccard values to 6 decimals) for comparison and readable diffs.
func overlapString(o kg.Overlap) string {
	l := func(s []string) string { return fmt.Sprintf("%q", append([]string{}, s...)) }
	out := fmt.Sprintf("ids=%s projects=%s competencies=%s needs=%s collaborators=%s",
		l(o.ActorIDs), l(o.Projects), l(o.Competencies), l(o.Needs), l(o.Collaborators))
	if j := o.Jaccard; j != nil {
		out += fmt.Sprintf(" jaccard{projects=%.6f competencies=%.6f needs=%.6f collaborators=%.6f overall=%.6f}",
			j.Projects, j.Competencies, j.Needs, j.Collaborators, j.Overall)
	} else {
		out += " jaccard=nil"
	}
	out += " complementary="
	for _, c := range o.Complementary {
		out += c.ActorID + ":" + l(c.CompetencyIDs) + " "
	}
	return out
}

func testAnalyticsSimilar(t *testing.T, newStore func(*testing.T) kg.Store) {
	s := newStore(t)
	nodes, rels := overlapFixture()
	load(t, s, nodes, rels)
	an := kg.NewAnalytics(s)

	type sim struct {
		id     string
		score  float64
		shared []string
	}
	cases := []struct {
		name string
		q    kg.SimilarQuery
		want []sim
	}{
		// alfa's union minus the candidate vs the candidate's union minus alfa.
		{"default dimensions", kg.SimilarQuery{ID: "alfa", First: 10}, []sim{
			{"beta", 6.0 / 10, []string{"adam", "cesar", "erik", "k2", "k3", "p1"}},
			{"cesar", 4.0 / 8, []string{"adam", "beta", "k3", "p1"}},
			{"adam", 2.0 / 8, []string{"beta", "cesar"}},
			{"erik", 2.0 / 9, []string{"beta", "p2"}},
		}},
		{"first cuts", kg.SimilarQuery{ID: "alfa", First: 2}, []sim{
			{"beta", 6.0 / 10, []string{"adam", "cesar", "erik", "k2", "k3", "p1"}},
			{"cesar", 4.0 / 8, []string{"adam", "beta", "k3", "p1"}},
		}},
		{"equal scores: more shared first", kg.SimilarQuery{ID: "cesar", First: 10}, []sim{
			{"alfa", 4.0 / 8, []string{"adam", "beta", "k3", "p1"}},
			{"beta", 4.0 / 8, []string{"adam", "alfa", "k3", "p1"}},
			{"adam", 2.0 / 4, []string{"alfa", "beta"}},
			{"erik", 2.0 / 7, []string{"alfa", "beta"}},
		}},
		{"equal scores and counts: by id", kg.SimilarQuery{ID: "adam", First: 10}, []sim{
			{"cesar", 2.0 / 4, []string{"alfa", "beta"}},
			{"erik", 2.0 / 5, []string{"alfa", "beta"}},
			{"alfa", 2.0 / 8, []string{"beta", "cesar"}},
			{"beta", 2.0 / 8, []string{"alfa", "cesar"}},
		}},
		{"projects only", kg.SimilarQuery{ID: "alfa", First: 10, By: []kg.Dimension{kg.DimProjects}}, []sim{
			{"cesar", 1.0 / 2, []string{"p1"}},
			{"beta", 1.0 / 3, []string{"p1"}},
			{"erik", 1.0 / 3, []string{"p2"}},
		}},
		{"needs only", kg.SimilarQuery{ID: "alfa", First: 10, By: []kg.Dimension{kg.DimNeeds}}, []sim{
			{"beta", 1.0 / 2, []string{"n1"}},
		}},
		{"competencies and needs", kg.SimilarQuery{ID: "beta", First: 10, By: []kg.Dimension{kg.DimNeeds, kg.DimCompetencies}}, []sim{
			// beta {k2 k3 k4 n1 n2}; alfa {k1 k2 k3 n1}; cesar {k3}
			{"alfa", 3.0 / 6, []string{"k2", "k3", "n1"}},
			{"cesar", 1.0 / 5, []string{"k3"}},
		}},
		{"an actor with no neighbours", kg.SimilarQuery{ID: "lone", First: 10}, nil},
		{"nothing but each other", kg.SimilarQuery{ID: "solo1", First: 10}, nil},
		{"no needs", kg.SimilarQuery{ID: "cesar", First: 10, By: []kg.Dimension{kg.DimNeeds}}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := an.Similar(t.Context(), c.q)
			if err != nil {
				t.Fatalf("Similar(%+v): %v", c.q, err)
			}
			var gs, ws []string
			for _, g := range got {
				gs = append(gs, fmt.Sprintf("%s %.6f %q", g.ActorID, g.Score, g.Shared))
			}
			for _, w := range c.want {
				ws = append(ws, fmt.Sprintf("%s %.6f %q", w.id, w.score, w.shared))
			}
			if !slices.Equal(gs, ws) {
				t.Errorf("Similar(%+v)\n got  %q\n want %q", c.q, gs, ws)
			}
		})
	}

	t.Run("errors", func(t *testing.T) {
		errs := []struct {
			name  string
			q     kg.SimilarQuery
			kind  error
			field string
		}{
			{"unknown", kg.SimilarQuery{ID: "nobody", First: 10}, kg.ErrNotFound, "id"},
			{"bad id", kg.SimilarQuery{ID: "", First: 10}, kg.ErrInvalid, "id"},
			{"a project", kg.SimilarQuery{ID: "p1", First: 10}, kg.ErrInvalid, "id"},
			{"a competency", kg.SimilarQuery{ID: "k1", First: 10}, kg.ErrInvalid, "id"},
			{"bad dimension", kg.SimilarQuery{ID: "alfa", First: 10, By: []kg.Dimension{"FRIENDS"}}, kg.ErrInvalid, "by"},
			{"first 0", kg.SimilarQuery{ID: "alfa", First: 0}, kg.ErrInvalid, "first"},
			{"first 101", kg.SimilarQuery{ID: "alfa", First: 101}, kg.ErrInvalid, "first"},
		}
		for _, c := range errs {
			t.Run(c.name, func(t *testing.T) {
				_, err := an.Similar(t.Context(), c.q)
				checkErr(t, err, c.kind, c.field)
			})
		}
	})
}

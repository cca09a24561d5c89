package kg_test

import (
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

// WithoutPeople makes a where's relationship filters blind to ties whose
// actor is a PERSON: some and none do not see them, all ignores them.
func TestWhereWithoutPeople(t *testing.T) {
	person := &kg.Actor{Meta: kg.Meta{ID: "p", Name: "P"}, Kind: kg.KindPerson, Sector: kg.SectorCivil}
	org := &kg.Actor{Meta: kg.Meta{ID: "o", Name: "O"}, Kind: kg.KindCompany, Sector: kg.SectorPrivate}
	prj := &kg.Project{Meta: kg.Meta{ID: "x", Name: "X"}, Status: kg.ProjectActive}
	tie := func(a *kg.Actor, role kg.ParticipationRole) kg.Tie {
		return kg.Tie{Rel: &kg.Rel{Type: kg.RelParticipatesIn, From: a.ID, To: prj.ID, Role: string(role)}, From: a, To: prj}
	}
	ties := func(list ...kg.Tie) kg.TieReader {
		return func(kg.RelType, kg.Direction) []kg.Tie { return list }
	}
	cases := []struct {
		where      map[string]any
		ties       []kg.Tie
		open, gate bool
	}{
		{map[string]any{"participants": map[string]any{"some": map[string]any{"actor": map[string]any{"kind": map[string]any{"eq": "PERSON"}}}}},
			[]kg.Tie{tie(person, kg.RoleLead)}, true, false},
		{map[string]any{"participants": map[string]any{"some": map[string]any{}}}, []kg.Tie{tie(person, kg.RoleLead)}, true, false},
		{map[string]any{"participants": map[string]any{"none": map[string]any{"role": map[string]any{"eq": "LEAD"}}}},
			[]kg.Tie{tie(person, kg.RoleLead), tie(org, kg.RolePartner)}, false, true},
		{map[string]any{"participants": map[string]any{"all": map[string]any{"role": map[string]any{"eq": "PARTNER"}}}},
			[]kg.Tie{tie(person, kg.RoleLead), tie(org, kg.RolePartner)}, false, true},
		{map[string]any{"participants": map[string]any{"some": map[string]any{"role": map[string]any{"eq": "PARTNER"}}}},
			[]kg.Tie{tie(person, kg.RoleLead), tie(org, kg.RolePartner)}, true, true},
	}
	for i, c := range cases {
		w, err := kg.ParseWhere(kg.LabelProject, "where", c.where)
		if err != nil {
			t.Fatal(err)
		}
		if got := w.Match(prj, ties(c.ties...)); got != c.open {
			t.Errorf("case %d: Match = %v, want %v", i, got, c.open)
		}
		if got := w.WithoutPeople().Match(prj, ties(c.ties...)); got != c.gate {
			t.Errorf("case %d: WithoutPeople().Match = %v, want %v", i, got, c.gate)
		}
	}
}

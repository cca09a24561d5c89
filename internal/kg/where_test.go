package kg_test

import (
	"slices"
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

// Between two actors either end may be the hidden person: a membership of
// a person, seen from the organisation, and a partnership stored from the
// person, seen from the other actor.
func TestWhereWithoutPeopleOnActorTies(t *testing.T) {
	person := &kg.Actor{Meta: kg.Meta{ID: "p", Name: "P"}, Kind: kg.KindPerson, Sector: kg.SectorCivil}
	org := &kg.Actor{Meta: kg.Meta{ID: "o", Name: "O"}, Kind: kg.KindCompany, Sector: kg.SectorPrivate}
	ties := func(typ kg.RelType, from, to *kg.Actor) kg.TieReader {
		return func(kg.RelType, kg.Direction) []kg.Tie {
			return []kg.Tie{{Rel: &kg.Rel{Type: typ, From: from.ID, To: to.ID}, From: from, To: to}}
		}
	}
	for _, c := range []struct {
		where map[string]any
		typ   kg.RelType
	}{
		{map[string]any{"members": map[string]any{"some": map[string]any{}}}, kg.RelMemberOf},
		{map[string]any{"partnerships": map[string]any{"some": map[string]any{"partner": map[string]any{"id": map[string]any{"eq": "p"}}}}}, kg.RelPartnersWith},
		{map[string]any{"suppliers": map[string]any{"some": map[string]any{}}}, kg.RelSupplies},
	} {
		w, err := kg.ParseWhere(kg.LabelActor, "where", c.where)
		if err != nil {
			t.Fatal(err)
		}
		if !w.Match(org, ties(c.typ, person, org)) {
			t.Errorf("%v: Match = false, want true", c.where)
		}
		if w.WithoutPeople().Match(org, ties(c.typ, person, org)) {
			t.Errorf("%v: WithoutPeople().Match = true, want false", c.where)
		}
	}
}

// Seed finds the values an eq or in at the top level (or in a top-level
// AND, intersected) requires, and nothing inside OR, NOT or a relationship
// filter.
func TestWhereSeed(t *testing.T) {
	for _, c := range []struct {
		where map[string]any
		vals  []string
		ok    bool
	}{
		{map[string]any{"kind": map[string]any{"eq": "CLUSTER"}}, []string{"CLUSTER"}, true},
		{map[string]any{"kind": map[string]any{"in": []any{"NGO", "ARENA", "NGO"}}}, []string{"ARENA", "NGO"}, true},
		{map[string]any{"kind": map[string]any{"in": []any{"NGO", "ARENA"}}, "AND": []any{map[string]any{"kind": map[string]any{"eq": "ARENA"}}}}, []string{"ARENA"}, true},
		{map[string]any{"kind": map[string]any{"in": []any{}}}, []string{}, true},
		{map[string]any{"OR": []any{map[string]any{"kind": map[string]any{"eq": "ARENA"}}}}, nil, false},
		{map[string]any{"NOT": map[string]any{"kind": map[string]any{"eq": "ARENA"}}}, nil, false},
		{map[string]any{"memberOf": map[string]any{"some": map[string]any{"organisation": map[string]any{"kind": map[string]any{"eq": "ARENA"}}}}}, nil, false},
		{map[string]any{"sector": map[string]any{"eq": "PUBLIC"}}, nil, false},
	} {
		w, err := kg.ParseWhere(kg.LabelActor, "where", c.where)
		if err != nil {
			t.Fatal(err)
		}
		vals, ok := w.Seed(kg.WhereSeedField(kg.LabelActor))
		if ok != c.ok || len(vals) != len(c.vals) || (ok && !slices.Equal(vals, c.vals)) {
			t.Errorf("%v: Seed = %v, %v; want %v, %v", c.where, vals, ok, c.vals, c.ok)
		}
	}
}

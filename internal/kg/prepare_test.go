package kg_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/samverkan/samverkan/internal/kg"
)

var (
	t0 = time.Date(2020, 1, 2, 3, 4, 5, 6, time.UTC)
	t1 = time.Date(2024, 6, 7, 8, 9, 10, 11, time.UTC)
)

func TestPrepareNodeGeneratesID(t *testing.T) {
	for _, l := range kg.Labels {
		n := kg.NewNode(l)
		m := n.Base()
		m.ID, m.Name = "  ", "Namn"
		switch v := n.(type) {
		case *kg.Actor:
			v.Kind, v.Sector = kg.KindCompany, kg.SectorPrivate
		case *kg.Project:
			v.Status = kg.ProjectPlanned
		case *kg.Need:
			v.Status, v.Priority = kg.NeedOpen, 1
		case *kg.Competency:
			v.Category = kg.CategoryOther
		}
		if err := kg.PrepareNode(n, nil, t1); err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		prefix := strings.ToLower(string(l)) + ":"
		if !kg.ValidID(m.ID) || !strings.HasPrefix(m.ID, prefix) {
			t.Errorf("%s: generated id %q is not a valid id starting with %q", l, m.ID, prefix)
		}
		other := kg.NewID(l)
		if other == m.ID || !kg.ValidID(other) {
			t.Errorf("%s: NewID gave %q after %q", l, other, m.ID)
		}
	}
}

func TestPrepareNode(t *testing.T) {
	t.Run("new node", func(t *testing.T) {
		a := validActor()
		a.Name = " Karlstads kommun "
		a.Country = "se"
		a.CreatedAt = t0 // what a client sends is ignored
		if err := kg.PrepareNode(a, nil, t1); err != nil {
			t.Fatal(err)
		}
		if a.ID != "karlstads-kommun" {
			t.Errorf("a given id was replaced by %q", a.ID)
		}
		if a.Name != "Karlstads kommun" || a.Country != "SE" {
			t.Errorf("not normalized: name %q country %q", a.Name, a.Country)
		}
		if !a.CreatedAt.Equal(t1) || !a.UpdatedAt.Equal(t1) {
			t.Errorf("createdAt %v updatedAt %v, want both %v", a.CreatedAt, a.UpdatedAt, t1)
		}
	})
	t.Run("update keeps createdAt", func(t *testing.T) {
		old := validActor()
		old.CreatedAt, old.UpdatedAt = t0, t0
		a := validActor()
		a.Name = "Karlstad"
		a.CreatedAt = t1
		if err := kg.PrepareNode(a, old, t1); err != nil {
			t.Fatal(err)
		}
		if !a.CreatedAt.Equal(t0) || !a.UpdatedAt.Equal(t1) {
			t.Errorf("createdAt %v updatedAt %v, want %v and %v", a.CreatedAt, a.UpdatedAt, t0, t1)
		}
	})
	t.Run("label change is a conflict", func(t *testing.T) {
		old := validProject()
		old.ID = "karlstads-kommun"
		err := kg.PrepareNode(validActor(), old, t1)
		e := wantKind(t, err, kg.ErrConflict, "")
		if e.ID != "karlstads-kommun" || !strings.Contains(err.Error(), "Project") {
			t.Errorf("conflict %q (ID %q) does not say which id and label", err, e.ID)
		}
		if errors.Is(err, kg.ErrInvalid) {
			t.Error("a conflict is also ErrInvalid")
		}
	})
	t.Run("invalid", func(t *testing.T) {
		n := validNeed()
		n.Priority = 9
		wantInvalid(t, kg.PrepareNode(n, nil, t1), "priority")
	})
	t.Run("nil", func(t *testing.T) {
		wantInvalid(t, kg.PrepareNode(nil, nil, t1), "input")
		if err := kg.PrepareNode((*kg.Need)(nil), nil, t1); !errors.Is(err, kg.ErrInvalid) {
			t.Errorf("typed nil: %v", err)
		}
	})
}

func labels(m map[string]kg.Label) kg.LabelOf { return func(id string) kg.Label { return m[id] } }

func TestPrepareRel(t *testing.T) {
	lo := labels(map[string]kg.Label{"a": kg.LabelActor, "b": kg.LabelActor, "p": kg.LabelProject})

	t.Run("symmetric keeps stored orientation", func(t *testing.T) {
		existing := &kg.Rel{Type: kg.RelPartnersWith, From: "b", To: "a", CreatedAt: t0, UpdatedAt: t0}
		r := kg.Rel{Type: kg.RelPartnersWith, From: " a ", To: "b", Since: "2019-01-01"}
		if err := kg.PrepareRel(&r, lo, existing, t1); err != nil {
			t.Fatal(err)
		}
		if r.From != "b" || r.To != "a" {
			t.Errorf("oriented %s→%s, want b→a as stored", r.From, r.To)
		}
		if !r.CreatedAt.Equal(t0) || !r.UpdatedAt.Equal(t1) || r.Begin() != "2019-01-01" {
			t.Errorf("got %+v", r)
		}
	})
	t.Run("directed keeps given orientation", func(t *testing.T) {
		existing := &kg.Rel{Type: kg.RelMemberOf, From: "a", To: "b", CreatedAt: t0}
		r := kg.Rel{Type: kg.RelMemberOf, From: "a", To: "b", Role: " ordförande "}
		if err := kg.PrepareRel(&r, lo, existing, t1); err != nil {
			t.Fatal(err)
		}
		if r.From != "a" || r.To != "b" || r.Role != "ordförande" || !r.CreatedAt.Equal(t0) {
			t.Errorf("got %+v", r)
		}
	})
	t.Run("new", func(t *testing.T) {
		r := kg.Rel{Type: kg.RelParticipatesIn, From: "a", To: "p", Role: "LEAD"}
		if err := kg.PrepareRel(&r, lo, nil, t1); err != nil {
			t.Fatal(err)
		}
		if !r.CreatedAt.Equal(t1) || !r.UpdatedAt.Equal(t1) {
			t.Errorf("got %+v", r)
		}
	})
	t.Run("unknown endpoint", func(t *testing.T) {
		r := kg.Rel{Type: kg.RelPartnersWith, From: "a", To: "nobody"}
		wantKind(t, kg.PrepareRel(&r, lo, nil, t1), kg.ErrNotFound, "partnerId")
	})
	t.Run("wrong endpoint label", func(t *testing.T) {
		r := kg.Rel{Type: kg.RelMemberOf, From: "a", To: "p"}
		wantInvalid(t, kg.PrepareRel(&r, lo, nil, t1), "organisationId")
	})
	t.Run("invalid property before endpoints", func(t *testing.T) {
		r := kg.Rel{Type: kg.RelHasCompetency, From: "a", To: "nobody", Level: 7}
		wantInvalid(t, kg.PrepareRel(&r, lo, nil, t1), "level")
	})
}

func TestKeyOf(t *testing.T) {
	ab, ba := kg.KeyOf(kg.RelPartnersWith, "a", "b"), kg.KeyOf(kg.RelPartnersWith, "b", "a")
	if ab != ba {
		t.Errorf("symmetric keys differ: %v %v", ab, ba)
	}
	if ab != (kg.RelKey{Type: kg.RelPartnersWith, From: "a", To: "b"}) {
		t.Errorf("symmetric key not ordered: %v", ab)
	}
	if kg.KeyOf(kg.RelMemberOf, "a", "b") == kg.KeyOf(kg.RelMemberOf, "b", "a") {
		t.Error("MEMBER_OF a→b and b→a share a key")
	}
	if kg.KeyOf(kg.RelMemberOf, "a", "b") == kg.KeyOf(kg.RelPartnersWith, "a", "b") {
		t.Error("different types share a key")
	}
	r := kg.Rel{Type: kg.RelPartnersWith, From: "z", To: "m"}
	if r.Key() != kg.KeyOf(kg.RelPartnersWith, "m", "z") {
		t.Errorf("Rel.Key() = %v", r.Key())
	}
	for _, typ := range kg.RelTypes {
		if typ.Symmetric() != (typ == kg.RelPartnersWith) {
			t.Errorf("%s: Symmetric() = %v", typ, typ.Symmetric())
		}
	}
}

// store is what PrepareImport looks up: the content of a store.
type store struct {
	nodes map[string]kg.Node
	rels  map[kg.RelKey]*kg.Rel
}

func (s store) node(id string) kg.Node  { return s.nodes[id] }
func (s store) rel(k kg.RelKey) *kg.Rel { return s.rels[k] }
func (s store) prepare(g kg.Graph) (kg.PreparedImport, error) {
	return kg.PrepareImport(g, s.node, s.rel, t1)
}

func newStore() store {
	old := validActor() // karlstads-kommun
	old.CreatedAt, old.UpdatedAt = t0, t0
	partner := &kg.Actor{Meta: kg.Meta{ID: "compare", Name: "Compare", CreatedAt: t0},
		Kind: kg.KindCluster, Sector: kg.SectorPrivate}
	pw := &kg.Rel{Type: kg.RelPartnersWith, From: "karlstads-kommun", To: "compare", CreatedAt: t0}
	return store{
		nodes: map[string]kg.Node{old.ID: old, partner.ID: partner},
		rels:  map[kg.RelKey]*kg.Rel{pw.Key(): pw},
	}
}

func TestPrepareImport(t *testing.T) {
	s := newStore()
	actor := validActor()
	actor.Name = "  Karlstads kommun  "
	g := kg.Graph{
		Actors:       []*kg.Actor{actor, {Meta: kg.Meta{ID: "dwa", Name: "DigitalWell Arena"}, Kind: kg.KindArena, Sector: kg.SectorPublic}},
		Projects:     []*kg.Project{validProject()},
		Needs:        []*kg.Need{validNeed()},
		Competencies: []*kg.Competency{validCompetency()},
		Rels: []kg.Rel{
			{Type: kg.RelParticipatesIn, From: "dwa", To: "ndhc", Role: "LEAD"},                      // both in the batch
			{Type: kg.RelParticipatesIn, From: "karlstads-kommun", To: "ndhc", Role: "PARTNER"},      // stored → batch
			{Type: kg.RelPartnersWith, From: "compare", To: "karlstads-kommun", Since: "2017-01-01"}, // stored, reversed
			{Type: kg.RelRequires, From: "need:trygghet", To: "tjanstedesign", Importance: 4},
			{Type: kg.RelHasNeed, From: "karlstads-kommun", To: "need:trygghet"},
		},
	}
	p, err := s.prepare(g)
	if err != nil {
		t.Fatal(err)
	}
	want := kg.ImportResult{NodesCreated: 4, NodesUpdated: 1, RelsCreated: 4, RelsUpdated: 1}
	if p.Result != want {
		t.Errorf("result %+v, want %+v", p.Result, want)
	}
	if len(p.Nodes) != 5 || len(p.Rels) != 5 {
		t.Fatalf("%d nodes, %d rels", len(p.Nodes), len(p.Rels))
	}
	if m := p.Nodes[0].Base(); m.Name != "Karlstads kommun" || !m.CreatedAt.Equal(t0) || !m.UpdatedAt.Equal(t1) {
		t.Errorf("updated node: %+v", *m)
	}
	if m := p.Nodes[1].Base(); !m.CreatedAt.Equal(t1) {
		t.Errorf("new node createdAt %v", m.CreatedAt)
	}
	if r := p.Rels[2]; r.From != "karlstads-kommun" || r.To != "compare" || !r.CreatedAt.Equal(t0) {
		t.Errorf("symmetric relationship not oriented like the stored one: %+v", r)
	}
	if actor.Name != "  Karlstads kommun  " || !actor.UpdatedAt.IsZero() {
		t.Error("PrepareImport changed the caller's graph")
	}
}

func TestPrepareImportRefuses(t *testing.T) {
	a := func(id string) *kg.Actor {
		return &kg.Actor{Meta: kg.Meta{ID: id, Name: id}, Kind: kg.KindCompany, Sector: kg.SectorPrivate}
	}
	badNeed := validNeed()
	badNeed.Priority = 0
	badProject := validProject()
	badProject.EndDate = "2000-01-01"
	clash := validCompetency()
	clash.ID = "x"

	tests := []struct {
		name  string
		g     kg.Graph
		kind  error
		field string
	}{
		{"duplicate id", kg.Graph{Actors: []*kg.Actor{a("x"), a("y"), a("x")}}, kg.ErrInvalid, "actors[2].id"},
		{"duplicate id after trimming", kg.Graph{Actors: []*kg.Actor{a("x"), a(" x ")}}, kg.ErrInvalid, "actors[1].id"},
		{"duplicate id across labels", kg.Graph{Actors: []*kg.Actor{a("x")}, Competencies: []*kg.Competency{clash}}, kg.ErrInvalid, "competencies[0].id"},
		{"missing id", kg.Graph{Actors: []*kg.Actor{a("x"), a("")}}, kg.ErrInvalid, "actors[1].id"},
		{"blank id", kg.Graph{Actors: []*kg.Actor{a("  ")}}, kg.ErrInvalid, "actors[0].id"},
		{"null node", kg.Graph{Actors: []*kg.Actor{a("x"), nil}}, kg.ErrInvalid, "actors[1]"},
		{"null project", kg.Graph{Projects: []*kg.Project{nil}}, kg.ErrInvalid, "projects[0]"},
		{"invalid need", kg.Graph{Actors: []*kg.Actor{a("x")}, Needs: []*kg.Need{badNeed}}, kg.ErrInvalid, "needs[0].priority"},
		{"invalid project", kg.Graph{Projects: []*kg.Project{badProject}}, kg.ErrInvalid, "projects[0].endDate"},
		{"label change of a stored node", kg.Graph{Projects: []*kg.Project{func() *kg.Project {
			p := validProject()
			p.ID = "compare"
			return p
		}()}}, kg.ErrConflict, "projects[0]"},
		{"label change of a stored node, id with spaces", kg.Graph{Needs: []*kg.Need{func() *kg.Need {
			n := validNeed()
			n.ID = " compare "
			return n
		}()}}, kg.ErrConflict, "needs[0]"},
		{"relationship to an unknown node", kg.Graph{Actors: []*kg.Actor{a("x")},
			Rels: []kg.Rel{{Type: kg.RelHasNeed, From: "x", To: "ghost"}}}, kg.ErrNotFound, "relationships[0].needId"},
		{"relationship of unknown type", kg.Graph{Rels: []kg.Rel{{Type: "LIKES", From: "compare", To: "karlstads-kommun"}}},
			kg.ErrInvalid, "relationships[0].type"},
		{"duplicate relationship", kg.Graph{Actors: []*kg.Actor{a("x")}, Rels: []kg.Rel{
			{Type: kg.RelMemberOf, From: "x", To: "compare"},
			{Type: kg.RelMemberOf, From: "x", To: "compare", Role: "medlem"},
		}}, kg.ErrInvalid, "relationships[1]"},
		{"symmetric duplicate in reverse", kg.Graph{Actors: []*kg.Actor{a("x")}, Rels: []kg.Rel{
			{Type: kg.RelPartnersWith, From: "x", To: "compare"},
			{Type: kg.RelPartnersWith, From: "compare", To: "x"},
		}}, kg.ErrInvalid, "relationships[1]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := newStore().prepare(tc.g)
			wantKind(t, err, tc.kind, tc.field)
		})
	}
}

// A node whose id comes with surrounding spaces is the stored node of that
// id: it is updated (createdAt kept), not counted as created.
func TestPrepareImportTrimsIDBeforeLookup(t *testing.T) {
	a := validActor()
	a.ID = " karlstads-kommun "
	p, err := newStore().prepare(kg.Graph{Actors: []*kg.Actor{a}})
	if err != nil {
		t.Fatal(err)
	}
	if p.Result.NodesUpdated != 1 || p.Result.NodesCreated != 0 {
		t.Errorf("result %+v, want one update", p.Result)
	}
	if m := p.Nodes[0].Base(); m.ID != "karlstads-kommun" || !m.CreatedAt.Equal(t0) {
		t.Errorf("node %q createdAt %v, want createdAt %v", m.ID, m.CreatedAt, t0)
	}
}

func TestPrepareImportNamesDeepEntry(t *testing.T) {
	g := kg.Graph{Actors: []*kg.Actor{{Meta: kg.Meta{ID: "org", Name: "Org"}, Kind: kg.KindNetwork, Sector: kg.SectorCivil}}}
	for i := 0; i < 1000; i++ {
		id := fmt.Sprintf("m%d", i)
		g.Actors = append(g.Actors, &kg.Actor{Meta: kg.Meta{ID: id, Name: id}, Kind: kg.KindPerson, Sector: kg.SectorCivil})
		g.Rels = append(g.Rels, kg.Rel{Type: kg.RelMemberOf, From: id, To: "org"})
	}
	s := store{nodes: map[string]kg.Node{}, rels: map[kg.RelKey]*kg.Rel{}}
	p, err := s.prepare(g)
	if err != nil {
		t.Fatal(err)
	}
	if p.Result != (kg.ImportResult{NodesCreated: 1001, RelsCreated: 1000}) {
		t.Errorf("result %+v", p.Result)
	}

	g.Competencies = []*kg.Competency{validCompetency()}
	g.Rels[999] = kg.Rel{Type: kg.RelHasCompetency, From: "m999", To: "tjanstedesign", Level: 9}
	_, err = s.prepare(g)
	e := wantKind(t, err, kg.ErrInvalid, "relationships[999].level")
	if !strings.HasPrefix(e.Error(), "relationships[999].level: ") {
		t.Errorf("message %q does not start with the field", e.Error())
	}
}

func TestPrepareImportLimits(t *testing.T) {
	s := newStore()
	_, err := s.prepare(kg.Graph{Needs: make([]*kg.Need, kg.MaxImportNodes+1)})
	if !errors.Is(err, kg.ErrInvalid) {
		t.Errorf("too many nodes: %v", err)
	}
	_, err = s.prepare(kg.Graph{Rels: make([]kg.Rel, kg.MaxImportRels+1)})
	wantInvalid(t, err, "relationships")
}

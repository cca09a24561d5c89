package kg_test

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

// fakeLookup is a kg.Lookup over maps that records every call.
type fakeLookup struct {
	nodes map[string]kg.Node
	rels  map[kg.RelKey]*kg.Rel
	err   error // returned by every call when set
	calls []string
}

func (f *fakeLookup) Labels(ids []string) (map[string]kg.Label, error) {
	f.calls = append(f.calls, "Labels "+strings.Join(ids, ","))
	out := map[string]kg.Label{}
	for _, id := range ids {
		if n := f.nodes[id]; n != nil {
			out[id] = n.NodeLabel()
		}
	}
	return out, f.err
}

func (f *fakeLookup) Nodes(ids []string) (map[string]kg.Node, error) {
	f.calls = append(f.calls, "Nodes "+strings.Join(ids, ","))
	out := map[string]kg.Node{}
	for _, id := range ids {
		if n := f.nodes[id]; n != nil {
			out[id] = n
		}
	}
	return out, f.err
}

func (f *fakeLookup) Rels(keys []kg.RelKey) (map[kg.RelKey]*kg.Rel, error) {
	var names []string
	out := map[kg.RelKey]*kg.Rel{}
	for _, k := range keys {
		names = append(names, string(k.Type)+":"+k.From+"-"+k.To)
		if r := f.rels[k]; r != nil {
			out[k] = r
		}
	}
	f.calls = append(f.calls, "Rels "+strings.Join(names, ","))
	return out, f.err
}

func (f *fakeLookup) PartOf(ids []string) (map[string][]string, error) {
	f.calls = append(f.calls, "PartOf "+strings.Join(ids, ","))
	out := map[string][]string{}
	for k := range f.rels {
		if k.Type == kg.RelPartOf && slices.Contains(ids, k.From) {
			out[k.From] = append(out[k.From], k.To)
		}
	}
	return out, f.err
}

func (f *fakeLookup) ExternalIDOwners(ids []kg.ExternalID) (map[kg.ExternalID]string, error) {
	var names []string
	out := map[kg.ExternalID]string{}
	for _, x := range ids {
		names = append(names, x.Key())
		for _, n := range f.nodes {
			if a, ok := n.(*kg.Actor); ok && slices.Contains(a.ExternalIDs, x) {
				out[x] = a.ID
			}
		}
	}
	f.calls = append(f.calls, "ExternalIDOwners "+strings.Join(names, ","))
	return out, f.err
}

func TestPartOfCycles(t *testing.T) {
	unit := func(from, to string) kg.Rel { return kg.Rel{Type: kg.RelPartOf, From: from, To: to} }
	stored := func(rs ...kg.Rel) map[kg.RelKey]*kg.Rel {
		m := map[kg.RelKey]*kg.Rel{}
		for _, r := range rs {
			m[r.Key()] = &r
		}
		return m
	}
	lk := &fakeLookup{nodes: map[string]kg.Node{"a": storedActor("a"), "b": storedActor("b"), "c": storedActor("c"), "d": storedActor("d")},
		rels: stored(unit("a", "b"), unit("b", "c"))}
	for _, tc := range []struct {
		rel  kg.Rel
		want string // "" accepted, else the error's text must hold it
	}{
		{unit("c", "a"), "c → a → b → c"},
		{unit("b", "a"), "b → a → b"},
		{unit("c", "d"), ""},
		{unit("d", "a"), ""},
		{unit("a", "b"), ""}, // already stored: an update
	} {
		plan, err := kg.PlanSetRel(tc.rel)
		if err != nil {
			t.Fatal(err)
		}
		_, err = plan.Prepare(lk, t1)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s→%s refused: %v", tc.rel.From, tc.rel.To, err)
		case tc.want != "" && (!errors.Is(err, kg.ErrInvalid) || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s→%s: got %v, want a refusal naming %s", tc.rel.From, tc.rel.To, err, tc.want)
		}
	}
	// Within one import: c→d and d→a close c→d→a→b→c with the stored ones;
	// the first relationship that lies on the cycle is named.
	plan, err := kg.PlanImport(kg.Graph{Rels: []kg.Rel{unit("c", "d"), unit("d", "a")}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := plan.Prepare(lk, t1); !errors.Is(err, kg.ErrInvalid) || !strings.Contains(err.Error(), "relationships[0]") ||
		!strings.Contains(err.Error(), "c → d → a → b → c") {
		t.Errorf("import closing a cycle: %v", err)
	}
}

func writeActor(id string) *kg.Actor {
	return &kg.Actor{Meta: kg.Meta{ID: id, Name: "A " + id}, Kind: kg.KindCompany, Sector: kg.SectorPrivate}
}

func storedActor(id string) *kg.Actor {
	a := writeActor(id)
	a.CreatedAt, a.UpdatedAt = t0, t0
	return a
}

func TestPlanUpsertNodeRefusesLikePrepareNode(t *testing.T) {
	for _, in := range []kg.Node{nil, (*kg.Need)(nil), &kg.Actor{Meta: kg.Meta{ID: "Bad ID", Name: "x"}},
		&kg.Actor{Meta: kg.Meta{Name: "no kind"}}, &kg.Project{Meta: kg.Meta{ID: " p ", Name: " "}}} {
		_, got := kg.PlanUpsertNode(in)
		var c kg.Node
		if !kg.IsNil(in) {
			c = kg.Clone(in)
		}
		want := kg.PrepareNode(c, nil, t1)
		if got == nil || want == nil || got.Error() != want.Error() {
			t.Errorf("PlanUpsertNode(%#v) = %v, want PrepareNode's %v", in, got, want)
		}
	}
}

func TestNodeUpsertPrepare(t *testing.T) {
	lk := &fakeLookup{nodes: map[string]kg.Node{"a": storedActor("a"), "p": &kg.Project{Meta: kg.Meta{ID: "p"}}}}
	in := writeActor("  a ")
	plan, err := kg.PlanUpsertNode(in)
	if err != nil {
		t.Fatal(err)
	}
	if in.ID != "  a " {
		t.Error("PlanUpsertNode changed its input")
	}
	for range 2 { // Prepare may run again on a retried transaction
		got, err := plan.Prepare(lk, t1)
		if err != nil {
			t.Fatal(err)
		}
		if m := got.Base(); m.ID != "a" || !m.CreatedAt.Equal(t0) || !m.UpdatedAt.Equal(t1) {
			t.Errorf("prepared %+v, want id a, CreatedAt kept, UpdatedAt now", *m)
		}
	}
	if want := []string{"Nodes a", "Nodes a"}; !slices.Equal(lk.calls, want) {
		t.Errorf("lookups %q, want %q", lk.calls, want)
	}

	// An id held by another label is a conflict, found by the lookup.
	plan, _ = kg.PlanUpsertNode(writeActor("p"))
	if _, err := plan.Prepare(lk, t1); !errors.Is(err, kg.ErrConflict) {
		t.Errorf("id of a project: %v, want ErrConflict", err)
	}

	// A generated id is new: nothing to look up.
	lk.calls = nil
	plan, _ = kg.PlanUpsertNode(writeActor(""))
	got, err := plan.Prepare(lk, t1)
	if err != nil || got.Base().ID != plan.ID() || !strings.HasPrefix(plan.ID(), "actor:") || len(lk.calls) != 0 {
		t.Errorf("generated id: %v, %v, lookups %q", got, err, lk.calls)
	}

	// A store failure is returned as is.
	boom := errors.New("store down")
	plan, _ = kg.PlanUpsertNode(writeActor("a"))
	if _, err := plan.Prepare(&fakeLookup{err: boom}, t1); !errors.Is(err, boom) {
		t.Errorf("failed lookup: %v", err)
	}
}

func TestRelSetPrepare(t *testing.T) {
	stored := kg.Rel{Type: kg.RelPartnersWith, From: "b", To: "a", CreatedAt: t0, UpdatedAt: t0}
	lk := &fakeLookup{
		nodes: map[string]kg.Node{"a": storedActor("a"), "b": storedActor("b"), "p": &kg.Project{Meta: kg.Meta{ID: "p"}}},
		rels:  map[kg.RelKey]*kg.Rel{stored.Key(): &stored},
	}
	if _, err := kg.PlanSetRel(kg.Rel{Type: "LIKES", From: "a", To: "b"}); !errors.Is(err, kg.ErrInvalid) {
		t.Errorf("unknown type: %v", err)
	}
	plan, err := kg.PlanSetRel(kg.Rel{Type: kg.RelPartnersWith, From: " a", To: "b "})
	if err != nil {
		t.Fatal(err)
	}
	got, err := plan.Prepare(lk, t1)
	if err != nil {
		t.Fatal(err)
	}
	if got.From != "b" || got.To != "a" || !got.CreatedAt.Equal(t0) || !got.UpdatedAt.Equal(t1) {
		t.Errorf("prepared %+v: want the stored direction b→a, CreatedAt kept", got)
	}
	if want := []string{"Labels a,b", "Rels PARTNERS_WITH:a-b"}; !slices.Equal(lk.calls, want) {
		t.Errorf("lookups %q, want %q (endpoints first: a store locks them)", lk.calls, want)
	}
	for _, tc := range []struct {
		r     kg.Rel
		kind  error
		field string
	}{
		{kg.Rel{Type: kg.RelMemberOf, From: "a", To: "nobody"}, kg.ErrNotFound, "organisationId"},
		{kg.Rel{Type: kg.RelParticipatesIn, From: "a", To: "b", Role: string(kg.RoleLead)}, kg.ErrInvalid, "projectId"},
	} {
		plan, err := kg.PlanSetRel(tc.r)
		if err != nil {
			t.Fatal(err)
		}
		_, err = plan.Prepare(lk, t1)
		var ke *kg.Error
		if !errors.Is(err, tc.kind) || !errors.As(err, &ke) || ke.Field != tc.field {
			t.Errorf("%+v: %v, want %v on %s", tc.r, err, tc.kind, tc.field)
		}
	}
}

func TestRelRemovalAndNodeDeletion(t *testing.T) {
	lk := &fakeLookup{nodes: map[string]kg.Node{"a": storedActor("a"), "b": storedActor("b"), "p": &kg.Project{Meta: kg.Meta{ID: "p"}}}}
	none := func(string) kg.Label { return "" }
	for _, tc := range []struct {
		t        kg.RelType
		from, to string
	}{{"LIKES", "a", "b"}, {kg.RelMemberOf, "A!", "b"}, {kg.RelPartnersWith, "a", ""}} {
		_, got := kg.PlanRemoveRel(tc.t, tc.from, tc.to)
		want := kg.CheckRemove(tc.t, tc.from, tc.to, none)
		if got == nil || want == nil || got.Error() != want.Error() {
			t.Errorf("PlanRemoveRel%v = %v, want CheckRemove's %v", tc, got, want)
		}
	}
	plan, err := kg.PlanRemoveRel(kg.RelPartnersWith, "b", "a")
	if err != nil {
		t.Fatal(err)
	}
	if err := plan.Prepare(lk); err != nil || plan.Key() != kg.KeyOf(kg.RelPartnersWith, "a", "b") {
		t.Errorf("Prepare = %v, key %v", err, plan.Key())
	}
	plan, _ = kg.PlanRemoveRel(kg.RelMemberOf, "a", "gone")
	if err := plan.Prepare(lk); !errors.Is(err, kg.ErrNotFound) {
		t.Errorf("missing endpoint: %v", err)
	}

	if _, err := kg.PlanDeleteNode("Thing", "a"); !errors.Is(err, kg.ErrInvalid) {
		t.Errorf("bad label: %v", err)
	}
	for _, tc := range []struct {
		l     kg.Label
		id    string
		found bool
		err   bool
	}{{kg.LabelActor, "a", true, false}, {kg.LabelActor, "gone", false, false}, {kg.LabelActor, "p", false, true}} {
		d, err := kg.PlanDeleteNode(tc.l, tc.id)
		if err != nil {
			t.Fatal(err)
		}
		found, err := d.Prepare(lk)
		if found != tc.found || (err != nil) != tc.err || (err != nil && !errors.Is(err, kg.ErrInvalid)) {
			t.Errorf("delete %s %s: %v, %v", tc.l, tc.id, found, err)
		}
	}
}

func TestImportPlan(t *testing.T) {
	big := kg.Graph{Rels: make([]kg.Rel, kg.MaxImportRels+1)}
	_, got := kg.PlanImport(big)
	_, want := kg.PrepareImport(big, func(string) kg.Node { return nil }, func(kg.RelKey) *kg.Rel { return nil }, t1)
	if got == nil || want == nil || got.Error() != want.Error() {
		t.Errorf("oversized: %v, want %v", got, want)
	}

	stored := kg.Rel{Type: kg.RelPartnersWith, From: "old", To: "a", CreatedAt: t0, UpdatedAt: t0}
	lk := &fakeLookup{
		nodes: map[string]kg.Node{"old": storedActor("old")},
		rels:  map[kg.RelKey]*kg.Rel{stored.Key(): &stored},
	}
	g := kg.Graph{
		Actors: []*kg.Actor{writeActor(" a "), nil},
		Rels:   []kg.Rel{{Type: kg.RelPartnersWith, From: "a ", To: " old"}, {Type: "LIKES", From: "a", To: "old"}},
	}
	plan, err := kg.PlanImport(g)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := plan.Prepare(lk, t1); err == nil || !strings.HasPrefix(err.(*kg.Error).Field, "actors[1]") {
		t.Errorf("null actor: %v", err)
	}
	// The lookups are one batch each, of the normalized ids and keys.
	if want := []string{"Nodes a,a,old,a,old", "Rels PARTNERS_WITH:a-old"}; !slices.Equal(lk.calls, want) {
		t.Errorf("lookups %q, want %q", lk.calls, want)
	}

	g.Actors, g.Rels = g.Actors[:1], g.Rels[:1]
	plan, _ = kg.PlanImport(g)
	p, err := plan.Prepare(lk, t1)
	if err != nil {
		t.Fatal(err)
	}
	wantRes := kg.ImportResult{NodesCreated: 1, RelsUpdated: 1}
	if p.Result != wantRes || len(p.Rels) != 1 || p.Rels[0].From != "old" || !p.Rels[0].CreatedAt.Equal(t0) {
		t.Errorf("prepared %+v", p)
	}
	if g.Actors[0].ID != " a " || g.Rels[0].From != "a " {
		t.Error("Prepare changed the import it was given")
	}
	if !reflect.DeepEqual(lk.nodes["old"], storedActor("old")) || !reflect.DeepEqual(*lk.rels[stored.Key()], stored) {
		t.Error("Prepare changed what the lookup handed it")
	}
}

package embedded

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/samverkan/samverkan/internal/kg"
)

// The behaviour every store shares (validation, pagination, search ranking)
// is tested by the contract suite; these tests cover what is particular to
// the embedded store: durability, the version counter, concurrency and the
// file's consistency.

// tickClock returns a clock that moves one second per call, starting at a
// time with nanoseconds in a non-UTC zone, to show that stored times
// survive a reopen exactly.
func tickClock() (func() time.Time, func(i int) time.Time) {
	base := time.Date(2024, 3, 1, 12, 0, 0, 123456789, time.FixedZone("CET", 3600))
	var n int
	at := func(i int) time.Time { return base.Add(time.Duration(i) * time.Second) }
	return func() time.Time { n++; return at(n - 1) }, at
}

func openStore(t *testing.T, dir string, opts ...Option) *Store {
	t.Helper()
	s, err := Open(dir, opts...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func reopen(t *testing.T, s *Store, dir string) *Store {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	return openStore(t, dir)
}

// fullGraph has every label with every field set and every relationship
// type with every property set, already in normalised form.
func fullGraph() ([]kg.Node, []kg.Rel) {
	nodes := []kg.Node{
		&kg.Actor{Meta: kg.Meta{ID: "karlstads-kommun", Name: "Karlstads kommun", Description: "Municipality in Värmland.\nRuns NDHC.",
			Sources: []string{"https://example.org/a", "article 1"}},
			Kind: kg.KindMunicipality, Sector: kg.SectorPublic, Country: "SE", Region: "Värmland", City: "Karlstad",
			Website: "https://karlstad.se", Aliases: []string{"Karlstad", "KK"}},
		&kg.Actor{Meta: kg.Meta{ID: "compare", Name: "Compare"}, Kind: kg.KindCluster, Sector: kg.SectorPrivate},
		&kg.Actor{Meta: kg.Meta{ID: "doga", Name: "DOGA"}, Kind: kg.KindArena, Sector: kg.SectorCivil, Country: "NO"},
		&kg.Project{Meta: kg.Meta{ID: "ndhc", Name: "NDHC", Description: "Nordic digital health.", Sources: []string{"s1"}},
			Status: kg.ProjectActive, StartDate: "2017-01-01", EndDate: "2019-12-31", URL: "https://ndhc.example",
			Programme: "Interreg"},
		&kg.Need{Meta: kg.Meta{ID: "need:welfare-tech", Name: "Welfare technology", Description: "d", Sources: []string{"s2"}},
			Status: kg.NeedInProgress, Priority: 4},
		&kg.Competency{Meta: kg.Meta{ID: "service-design", Name: "Service design", Description: "Tjänstedesign",
			Sources: []string{"s3"}}, Category: kg.CategoryDesign, Aliases: []string{"tjänstedesign"}},
	}
	rels := []kg.Rel{
		{Type: kg.RelParticipatesIn, From: "karlstads-kommun", To: "ndhc", Role: string(kg.RoleLead), Start: "2017-02-01", End: "2019-06-30", Sources: []string{"r1"}},
		{Type: kg.RelHasCompetency, From: "compare", To: "service-design", Level: 4, Evidence: "Ran three design sprints.", Sources: []string{"r2"}},
		{Type: kg.RelHasNeed, From: "karlstads-kommun", To: "need:welfare-tech", Sources: []string{"r3"}},
		{Type: kg.RelRequires, From: "need:welfare-tech", To: "service-design", Importance: 5, Sources: []string{"r4"}},
		{Type: kg.RelAddresses, From: "ndhc", To: "need:welfare-tech", Sources: []string{"r5"}},
		{Type: kg.RelMemberOf, From: "karlstads-kommun", To: "compare", Role: "member municipality", Sources: []string{"r6"}},
		{Type: kg.RelPartnersWith, From: "doga", To: "compare", Start: "2018-05-01", Description: "Design for the public sector.", Sources: []string{"r7"}},
	}
	return nodes, rels
}

func allIDs(nodes []kg.Node) []string {
	ids := make([]string, len(nodes))
	for i, n := range nodes {
		ids[i] = n.Base().ID
	}
	return ids
}

// snapshot is everything a client can read about the given ids.
type snapshot struct {
	Nodes   []kg.Node
	Rels    map[kg.RelType]map[string][]kg.Rel
	Version uint64
}

func snap(t *testing.T, s *Store, ids []string) snapshot {
	t.Helper()
	ctx := context.Background()
	nodes, err := s.GetNodes(ctx, ids)
	if err != nil {
		t.Fatalf("GetNodes: %v", err)
	}
	sn := snapshot{Nodes: nodes, Rels: map[kg.RelType]map[string][]kg.Rel{}}
	for _, rt := range kg.RelTypes {
		if sn.Rels[rt], err = s.RelsOf(ctx, rt, kg.Outgoing, ids); err != nil {
			t.Fatalf("RelsOf: %v", err)
		}
	}
	if sn.Version, err = s.Version(ctx); err != nil {
		t.Fatalf("Version: %v", err)
	}
	return sn
}

func TestReopenRestoresEverything(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	clock, at := tickClock()
	s := openStore(t, dir, WithClock(clock))
	nodes, rels := fullGraph()

	// Nodes and half the relationships one by one, the rest by import, so
	// that both write paths are covered.
	for _, n := range nodes {
		if _, err := s.UpsertNode(ctx, n); err != nil {
			t.Fatalf("UpsertNode %s: %v", n.Base().ID, err)
		}
	}
	for _, r := range rels[:4] {
		if _, err := s.SetRel(ctx, r); err != nil {
			t.Fatalf("SetRel %s: %v", r.Type, err)
		}
	}
	if _, err := s.Import(ctx, kg.Graph{Rels: rels[4:]}); err != nil {
		t.Fatalf("Import: %v", err)
	}
	// An update keeps CreatedAt and moves UpdatedAt.
	updated := kg.Clone(nodes[0]).(*kg.Actor)
	updated.City = "Karlstad C"
	if _, err := s.UpsertNode(ctx, updated); err != nil {
		t.Fatal(err)
	}
	nodes[0] = updated
	ticks := len(nodes) + 4 + 1 + 1

	ids := allIDs(nodes)
	before := snap(t, s, ids)
	if err := s.Check(); err != nil {
		t.Fatalf("Check: %v", err)
	}
	s = reopen(t, s, dir)
	after := snap(t, s, ids)
	if !reflect.DeepEqual(before, after) {
		t.Fatalf("reopened store differs:\nbefore %+v\nafter  %+v", before, after)
	}

	// What was read back is what was written, field by field, stamped by
	// the clock.
	for i, want := range nodes {
		got := after.Nodes[i]
		if got == nil {
			t.Fatalf("node %s lost", want.Base().ID)
		}
		w := kg.Clone(want)
		w.Base().CreatedAt, w.Base().UpdatedAt = got.Base().CreatedAt, got.Base().UpdatedAt
		if !reflect.DeepEqual(w, got) {
			t.Errorf("node %s:\nwant %+v\ngot  %+v", want.Base().ID, w, got)
		}
	}
	if m := after.Nodes[0].Base(); !m.CreatedAt.Equal(at(0)) || !m.UpdatedAt.Equal(at(ticks-1)) {
		t.Errorf("updated node: createdAt %v updatedAt %v, want %v and %v", m.CreatedAt, m.UpdatedAt, at(0), at(ticks-1))
	}
	if m := after.Nodes[1].Base(); !m.CreatedAt.Equal(at(1)) || !m.UpdatedAt.Equal(at(1)) {
		t.Errorf("node: createdAt %v updatedAt %v, want both %v", m.CreatedAt, m.UpdatedAt, at(1))
	}
	for i, want := range rels {
		got := after.Rels[want.Type][want.From]
		if len(got) != 1 {
			t.Fatalf("%s from %s: got %d relationships, want 1", want.Type, want.From, len(got))
		}
		w := kg.CloneRel(want)
		w.CreatedAt, w.UpdatedAt = got[0].CreatedAt, got[0].UpdatedAt
		if !reflect.DeepEqual(w, got[0]) {
			t.Errorf("%s:\nwant %+v\ngot  %+v", want.Type, w, got[0])
		}
		stamp := at(len(nodes) + min(i, 4)) // the import stamps its relationships with one time
		if !got[0].CreatedAt.Equal(stamp) || !got[0].UpdatedAt.Equal(stamp) {
			t.Errorf("%s: createdAt %v updatedAt %v, want %v", want.Type, got[0].CreatedAt, got[0].UpdatedAt, stamp)
		}
	}
	if st := s.Stats(); st.Nodes != len(nodes) || st.Rels != len(rels) || st.FileBytes <= 0 || st.Version != uint64(ticks) {
		t.Errorf("Stats after reopen = %+v, want %d nodes, %d rels, a file size, version %d", st, len(nodes), len(rels), ticks)
	}
}

func TestOpenCreatesDirectoryAndFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	s := openStore(t, dir)
	if _, err := os.Stat(filepath.Join(dir, FileName)); err != nil {
		t.Fatalf("database file: %v", err)
	}
	if err := s.Ping(context.Background()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	if v, err := s.Version(context.Background()); err != nil || v != 0 {
		t.Fatalf("Version of a new store = %d, %v; want 0", v, err)
	}
}

func TestDeleteNodeRemovesRelationshipsOnDisk(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openStore(t, dir)
	nodes, rels := fullGraph()
	g := kg.Graph{Rels: rels}
	for _, n := range nodes {
		g.Add(n)
	}
	if _, err := s.Import(ctx, g); err != nil {
		t.Fatal(err)
	}
	// compare has HAS_COMPETENCY (out), MEMBER_OF (in) and PARTNERS_WITH (in).
	ok, err := s.DeleteNode(ctx, kg.LabelActor, "compare")
	if err != nil || !ok {
		t.Fatalf("DeleteNode = %v, %v; want true", ok, err)
	}
	s = reopen(t, s, dir)
	if st := s.Stats(); st.Nodes != len(nodes)-1 || st.Rels != len(rels)-3 {
		t.Fatalf("after reopen: %d nodes, %d rels; want %d and %d", st.Nodes, st.Rels, len(nodes)-1, len(rels)-3)
	}
	got, _ := s.GetNodes(ctx, []string{"compare"})
	if got[0] != nil {
		t.Errorf("deleted node is back: %+v", got[0])
	}
	for _, tc := range []struct {
		t  kg.RelType
		id string
	}{{kg.RelHasCompetency, "service-design"}, {kg.RelMemberOf, "karlstads-kommun"}, {kg.RelPartnersWith, "doga"}} {
		m, err := s.RelsOf(ctx, tc.t, kg.Both, []string{tc.id})
		if err != nil || len(m[tc.id]) != 0 {
			t.Errorf("%s of %s after deleting its other end: %v, %v", tc.t, tc.id, m[tc.id], err)
		}
	}
	// The relationships not touching the node survive.
	m, err := s.RelsOf(ctx, kg.RelRequires, kg.Outgoing, []string{"need:welfare-tech"})
	if err != nil || len(m["need:welfare-tech"]) != 1 {
		t.Errorf("REQUIRES after an unrelated delete: %v, %v", m, err)
	}
	if err := s.Check(); err != nil {
		t.Errorf("Check: %v", err)
	}
}

func TestPartnershipKeepsFirstDirectionOnDisk(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openStore(t, dir)
	for _, id := range []string{"a", "b"} {
		if _, err := s.UpsertNode(ctx, &kg.Actor{Meta: kg.Meta{ID: id, Name: id}, Kind: kg.KindCompany, Sector: kg.SectorPrivate}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.SetRel(ctx, kg.Rel{Type: kg.RelPartnersWith, From: "b", To: "a"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetRel(ctx, kg.Rel{Type: kg.RelPartnersWith, From: "a", To: "b", Description: "second"}); err != nil {
		t.Fatal(err)
	}
	s = reopen(t, s, dir)
	m, err := s.RelsOf(ctx, kg.RelPartnersWith, kg.Both, []string{"a", "b"})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"a", "b"} {
		if got := m[id]; len(got) != 1 || got[0].From != "b" || got[0].To != "a" || got[0].Description != "second" {
			t.Errorf("partnerships of %s = %+v; want one, b→a, description %q", id, got, "second")
		}
	}
	if ok, err := s.RemoveRel(ctx, kg.RelPartnersWith, "a", "b"); err != nil || !ok {
		t.Fatalf("RemoveRel in the other direction = %v, %v; want true", ok, err)
	}
	s = reopen(t, s, dir)
	if st := s.Stats(); st.Rels != 0 {
		t.Errorf("after RemoveRel and reopen: %d relationships, want 0", st.Rels)
	}
}

func TestVersionPersistsAndGrows(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openStore(t, dir)
	version := func() uint64 {
		t.Helper()
		v, err := s.Version(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	actor := func(id string) *kg.Actor {
		return &kg.Actor{Meta: kg.Meta{ID: id, Name: id}, Kind: kg.KindNGO, Sector: kg.SectorCivil}
	}
	writes := []struct {
		name  string
		write func() error
	}{
		{"create", func() error { _, err := s.UpsertNode(ctx, actor("x")); return err }},
		{"identical upsert", func() error { _, err := s.UpsertNode(ctx, actor("x")); return err }},
		{"create other", func() error { _, err := s.UpsertNode(ctx, actor("y")); return err }},
		{"set rel", func() error {
			_, err := s.SetRel(ctx, kg.Rel{Type: kg.RelMemberOf, From: "x", To: "y"})
			return err
		}},
		{"remove rel", func() error { _, err := s.RemoveRel(ctx, kg.RelMemberOf, "x", "y"); return err }},
		{"import", func() error { _, err := s.Import(ctx, kg.Graph{Actors: []*kg.Actor{actor("z")}}); return err }},
		{"delete", func() error { _, err := s.DeleteNode(ctx, kg.LabelActor, "z"); return err }},
	}
	prev := version()
	if prev != 0 {
		t.Fatalf("new store at version %d", prev)
	}
	for _, w := range writes {
		if err := w.write(); err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		if v := version(); v <= prev {
			t.Fatalf("%s: version %d after %d; want it to grow", w.name, v, prev)
		} else {
			prev = v
		}
	}
	// Writes that find nothing to do change nothing, the version included.
	if ok, err := s.DeleteNode(ctx, kg.LabelActor, "z"); ok || err != nil {
		t.Fatalf("deleting a missing node = %v, %v", ok, err)
	}
	if ok, err := s.RemoveRel(ctx, kg.RelMemberOf, "x", "y"); ok || err != nil {
		t.Fatalf("removing a missing relationship = %v, %v", ok, err)
	}
	if v := version(); v != prev {
		t.Fatalf("no-op writes moved the version from %d to %d", prev, v)
	}

	s = reopen(t, s, dir)
	if v := version(); v != prev {
		t.Fatalf("version after reopen = %d, want %d", v, prev)
	}
	if _, err := s.UpsertNode(ctx, actor("w")); err != nil {
		t.Fatal(err)
	}
	if v := version(); v <= prev {
		t.Fatalf("version after reopen and a write = %d, want more than %d", v, prev)
	}
}

func fileHash(t *testing.T, dir string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func TestRefusedWriteChangesNothing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	clock, _ := tickClock()
	s := openStore(t, dir, WithClock(clock))
	nodes, rels := fullGraph()
	for _, n := range nodes {
		if _, err := s.UpsertNode(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range rels {
		if _, err := s.SetRel(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	ids := append(allIDs(nodes), "new-actor", "new-project")
	newActor := &kg.Actor{Meta: kg.Meta{ID: "new-actor", Name: "New"}, Kind: kg.KindCompany, Sector: kg.SectorPrivate}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()

	cases := []struct {
		name  string
		want  error
		write func() error
	}{
		{"node with a bad id", kg.ErrInvalid, func() error {
			_, err := s.UpsertNode(ctx, &kg.Actor{Meta: kg.Meta{ID: "Bad Id", Name: "x"}, Kind: kg.KindCompany, Sector: kg.SectorPrivate})
			return err
		}},
		{"id of another label", kg.ErrConflict, func() error {
			_, err := s.UpsertNode(ctx, &kg.Project{Meta: kg.Meta{ID: "compare", Name: "x"}, Status: kg.ProjectActive})
			return err
		}},
		{"nil node", kg.ErrInvalid, func() error { _, err := s.UpsertNode(ctx, (*kg.Need)(nil)); return err }},
		{"rel to a missing node", kg.ErrNotFound, func() error {
			_, err := s.SetRel(ctx, kg.Rel{Type: kg.RelMemberOf, From: "compare", To: "nobody"})
			return err
		}},
		{"level outside 1-5", kg.ErrInvalid, func() error {
			_, err := s.SetRel(ctx, kg.Rel{Type: kg.RelHasCompetency, From: "compare", To: "service-design", Level: 6})
			return err
		}},
		{"remove with a missing endpoint", kg.ErrNotFound, func() error {
			_, err := s.RemoveRel(ctx, kg.RelMemberOf, "karlstads-kommun", "nobody")
			return err
		}},
		{"delete under the wrong label", kg.ErrInvalid, func() error {
			_, err := s.DeleteNode(ctx, kg.LabelProject, "compare")
			return err
		}},
		{"import with one bad relationship at the end", kg.ErrInvalid, func() error {
			_, err := s.Import(ctx, kg.Graph{
				Actors:   []*kg.Actor{newActor},
				Projects: []*kg.Project{{Meta: kg.Meta{ID: "new-project", Name: "P"}, Status: kg.ProjectPlanned}},
				Rels: []kg.Rel{
					{Type: kg.RelParticipatesIn, From: "new-actor", To: "new-project", Role: string(kg.RolePartner)},
					{Type: kg.RelRequires, From: "need:welfare-tech", To: "service-design", Importance: 9},
				},
			})
			return err
		}},
		{"cancelled context", kg.ErrTimeout, func() error { _, err := s.UpsertNode(cancelled, newActor); return err }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before, hash := snap(t, s, ids), fileHash(t, dir)
			err := tc.write()
			if !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want one wrapping %v", err, tc.want)
			}
			if after := snap(t, s, ids); !reflect.DeepEqual(before, after) {
				t.Errorf("a refused write changed what the store answers:\nbefore %+v\nafter  %+v", before, after)
			}
			if fileHash(t, dir) != hash {
				t.Errorf("a refused write changed the database file")
			}
		})
	}
	before := snap(t, s, ids)
	s = reopen(t, s, dir)
	if after := snap(t, s, ids); !reflect.DeepEqual(before, after) {
		t.Errorf("after reopen the store differs:\nbefore %+v\nafter  %+v", before, after)
	}
}

func TestFailedCommitLeavesMemoryUnchanged(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openStore(t, dir)
	a := &kg.Actor{Meta: kg.Meta{ID: "a", Name: "Before"}, Kind: kg.KindCompany, Sector: kg.SectorPrivate}
	if _, err := s.UpsertNode(ctx, a); err != nil {
		t.Fatal(err)
	}
	// What memory holds: the nodes and the topology (relationship
	// properties are read from the file, which is gone below).
	memory := func() string {
		nodes, err := s.GetNodes(ctx, []string{"a"})
		if err != nil {
			t.Fatal(err)
		}
		top, err := s.Topology(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%+v version %d slots %d", nodes[0], top.Version(), top.Slots())
	}
	before := memory()
	// Pull the file out from under the store, so that bbolt refuses to commit.
	if err := s.db.Close(); err != nil {
		t.Fatal(err)
	}
	changed := kg.Clone(a).(*kg.Actor)
	changed.Name = "After"
	_, err := s.UpsertNode(ctx, changed)
	if !errors.Is(err, kg.ErrUnavailable) {
		t.Fatalf("UpsertNode on a failing file: %v, want ErrUnavailable", err)
	}
	if strings.Contains(err.Error(), dir) || strings.Contains(err.Error(), FileName) {
		t.Errorf("error message reveals the file: %q", err)
	}
	if _, err := s.Import(ctx, kg.Graph{Actors: []*kg.Actor{changed}}); !errors.Is(err, kg.ErrUnavailable) {
		t.Fatalf("Import on a failing file: %v, want ErrUnavailable", err)
	}
	if after := memory(); before != after {
		t.Errorf("a failed commit changed memory:\nbefore %s\nafter  %s", before, after)
	}
}

func TestReturnedValuesAreCopies(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	in := &kg.Actor{Meta: kg.Meta{ID: "a", Name: "A", Sources: []string{"s"}}, Kind: kg.KindCompany, Sector: kg.SectorPrivate, Aliases: []string{"x"}}
	out, err := s.UpsertNode(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	in.Aliases[0], in.Name = "changed", "changed"
	out.(*kg.Actor).Sources[0] = "changed"
	got, _ := s.GetNodes(ctx, []string{"a"})
	got[0].(*kg.Actor).Aliases[0] = "changed"
	page, err := s.List(ctx, kg.ListQuery{Label: kg.LabelActor, First: 10})
	if err != nil {
		t.Fatal(err)
	}
	a := page.Nodes[0].(*kg.Actor)
	if a.Name != "A" || a.Sources[0] != "s" || a.Aliases[0] != "x" {
		t.Errorf("changing values given to or returned by the store changed it: %+v", a)
	}
}

func TestClosedStoreRefusesCalls(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, t.TempDir())
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	calls := map[string]func() error{
		"Ping":    func() error { return s.Ping(ctx) },
		"Version": func() error { _, err := s.Version(ctx); return err },
		"GetNodes": func() error {
			_, err := s.GetNodes(ctx, []string{"a"})
			return err
		},
		"RelsOf": func() error {
			_, err := s.RelsOf(ctx, kg.RelMemberOf, kg.Both, []string{"a"})
			return err
		},
		"List": func() error {
			_, err := s.List(ctx, kg.ListQuery{Label: kg.LabelActor, First: 1})
			return err
		},
		"Search": func() error {
			_, err := s.Search(ctx, kg.SearchQuery{Text: "a", First: 1})
			return err
		},
		"UpsertNode": func() error {
			_, err := s.UpsertNode(ctx, &kg.Need{Meta: kg.Meta{ID: "n", Name: "n"}, Status: kg.NeedOpen, Priority: 1})
			return err
		},
		"DeleteNode": func() error { _, err := s.DeleteNode(ctx, kg.LabelNeed, "n"); return err },
		"SetRel": func() error {
			_, err := s.SetRel(ctx, kg.Rel{Type: kg.RelMemberOf, From: "a", To: "b"})
			return err
		},
		"RemoveRel": func() error { _, err := s.RemoveRel(ctx, kg.RelMemberOf, "a", "b"); return err },
		"Import":    func() error { _, err := s.Import(ctx, kg.Graph{}); return err },
		"Check":     s.Check,
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, kg.ErrUnavailable) {
			t.Errorf("%s after Close: %v, want ErrUnavailable", name, err)
		}
	}
}

func TestCancelledContext(t *testing.T) {
	s := openStore(t, t.TempDir())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.GetNodes(ctx, []string{"a"})
	if !errors.Is(err, kg.ErrTimeout) || !errors.Is(err, context.Canceled) {
		t.Errorf("GetNodes with a cancelled context: %v, want ErrTimeout and context.Canceled", err)
	}
	ctx, cancel = context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer cancel()
	if err := s.Ping(ctx); !errors.Is(err, kg.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Ping past its deadline: %v, want ErrTimeout and DeadlineExceeded", err)
	}
}

// TestConcurrentReadersAndWriters runs writers and readers together; under
// -race it also proves the locking. Readers check what must hold at any
// moment: the version never goes back, and every relationship they see
// joins nodes that exist at that moment.
func TestConcurrentReadersAndWriters(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openStore(t, dir)
	const writers, readers, rounds = 4, 4, 20
	var accepted atomic.Uint64
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rounds {
				id := fmt.Sprintf("w%d-%d", w, i)
				if _, err := s.UpsertNode(ctx, &kg.Actor{Meta: kg.Meta{ID: id, Name: "Actor " + id}, Kind: kg.KindCompany, Sector: kg.SectorPrivate}); err != nil {
					t.Errorf("UpsertNode: %v", err)
					return
				}
				accepted.Add(1)
				if i == 0 {
					continue
				}
				prev := fmt.Sprintf("w%d-%d", w, i-1)
				if _, err := s.SetRel(ctx, kg.Rel{Type: kg.RelPartnersWith, From: id, To: prev}); err != nil {
					t.Errorf("SetRel: %v", err)
					return
				}
				accepted.Add(1)
				if i%5 == 0 { // delete the node before, with its two partnerships
					if ok, err := s.DeleteNode(ctx, kg.LabelActor, prev); err != nil || !ok {
						t.Errorf("DeleteNode = %v, %v", ok, err)
						return
					}
					accepted.Add(1)
				}
			}
		}()
	}
	for r := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var last uint64
			for i := range rounds * 2 {
				v, err := s.Version(ctx)
				if err != nil || v < last {
					t.Errorf("Version = %d, %v after %d", v, err, last)
					return
				}
				last = v
				page, err := s.List(ctx, kg.ListQuery{Label: kg.LabelActor, First: 10})
				if err != nil {
					t.Errorf("List: %v", err)
					return
				}
				ids := []string{fmt.Sprintf("w%d-%d", r, i/2)}
				for _, n := range page.Nodes {
					ids = append(ids, n.Base().ID)
				}
				if _, err := s.Search(ctx, kg.SearchQuery{Text: "actor", First: 5}); err != nil {
					t.Errorf("Search: %v", err)
					return
				}
				m, err := s.RelsOf(ctx, kg.RelPartnersWith, kg.Both, ids)
				if err != nil {
					t.Errorf("RelsOf: %v", err)
					return
				}
				for _, rs := range m {
					for _, rel := range rs {
						got, err := s.GetNodes(ctx, []string{rel.From, rel.To})
						if err != nil {
							t.Errorf("GetNodes: %v", err)
							return
						}
						// A later delete may remove them; a missing end is
						// only wrong if the relationship is still there.
						if got[0] == nil || got[1] == nil {
							still, _ := s.RelsOf(ctx, kg.RelPartnersWith, kg.Both, []string{rel.From})
							for _, x := range still[rel.From] {
								if x.Key() == rel.Key() {
									t.Errorf("relationship %v outlives its node", rel.Key())
								}
							}
						}
					}
				}
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	if err := s.Check(); err != nil {
		t.Fatalf("Check: %v", err)
	}
	st := s.Stats()
	if st.Version != accepted.Load() {
		t.Errorf("version %d after %d accepted writes", st.Version, accepted.Load())
	}
	// Per writer: rounds nodes, minus one deleted every fifth round; a
	// partnership per round after the first, minus two per delete.
	deletes := (rounds - 1) / 5
	wantNodes := writers * (rounds - deletes)
	wantRels := writers * (rounds - 1 - 2*deletes)
	if st.Nodes != wantNodes || st.Rels != wantRels {
		t.Errorf("%d nodes and %d relationships, want %d and %d", st.Nodes, st.Rels, wantNodes, wantRels)
	}
	s = reopen(t, s, dir)
	if st2 := s.Stats(); st2.Nodes != st.Nodes || st2.Rels != st.Rels || st2.Version != st.Version {
		t.Errorf("after reopen %+v, before %+v", st2, st)
	}
}

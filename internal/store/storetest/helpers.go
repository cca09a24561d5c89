package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/samverkan/samverkan/internal/kg"
)

// Node builders. Each gives the label's required fields a valid default;
// opts set the rest.

func actor(id, name string, opts ...func(*kg.Actor)) *kg.Actor {
	a := &kg.Actor{Meta: kg.Meta{ID: id, Name: name}, Kind: kg.KindCompany, Sector: kg.SectorPrivate}
	for _, o := range opts {
		o(a)
	}
	return a
}

func project(id, name string, opts ...func(*kg.Project)) *kg.Project {
	p := &kg.Project{Meta: kg.Meta{ID: id, Name: name}, Status: kg.ProjectActive}
	for _, o := range opts {
		o(p)
	}
	return p
}

func need(id, name string, opts ...func(*kg.Need)) *kg.Need {
	n := &kg.Need{Meta: kg.Meta{ID: id, Name: name}, Status: kg.NeedOpen, Priority: 3}
	for _, o := range opts {
		o(n)
	}
	return n
}

func competency(id, name string, opts ...func(*kg.Competency)) *kg.Competency {
	c := &kg.Competency{Meta: kg.Meta{ID: id, Name: name}, Category: kg.CategoryOther}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Relationship builders, one per type, with the required properties.

func participates(actorID, projectID string, role kg.ParticipationRole) kg.Rel {
	return kg.Rel{Type: kg.RelParticipatesIn, From: actorID, To: projectID, Role: string(role)}
}

func hasCompetency(actorID, competencyID string, level int) kg.Rel {
	return kg.Rel{Type: kg.RelHasCompetency, From: actorID, To: competencyID, Level: level}
}

func hasNeed(actorID, needID string) kg.Rel {
	return kg.Rel{Type: kg.RelHasNeed, From: actorID, To: needID}
}

func requires(needID, competencyID string, importance int) kg.Rel {
	return kg.Rel{Type: kg.RelRequires, From: needID, To: competencyID, Importance: importance}
}

func addresses(projectID, needID string) kg.Rel {
	return kg.Rel{Type: kg.RelAddresses, From: projectID, To: needID}
}

func memberOf(memberID, orgID, role string) kg.Rel {
	return kg.Rel{Type: kg.RelMemberOf, From: memberID, To: orgID, Role: role}
}

func partners(actorID, partnerID string) kg.Rel {
	return kg.Rel{Type: kg.RelPartnersWith, From: actorID, To: partnerID}
}

// Write helpers that stop the test on an error.

func upsert(t *testing.T, s kg.Store, n kg.Node) kg.Node {
	t.Helper()
	got, err := s.UpsertNode(t.Context(), kg.Clone(n))
	if err != nil {
		t.Fatalf("UpsertNode(%s %q): %v", n.NodeLabel(), n.Base().ID, err)
	}
	return got
}

func setRel(t *testing.T, s kg.Store, r kg.Rel) kg.Rel {
	t.Helper()
	got, err := s.SetRel(t.Context(), kg.CloneRel(r))
	if err != nil {
		t.Fatalf("SetRel(%s %s→%s): %v", r.Type, r.From, r.To, err)
	}
	return got
}

// load writes a small graph node by node and relationship by relationship,
// so that fixtures do not depend on Import.
func load(t *testing.T, s kg.Store, nodes []kg.Node, rels []kg.Rel) {
	t.Helper()
	for _, n := range nodes {
		upsert(t, s, n)
	}
	for _, r := range rels {
		setRel(t, s, r)
	}
}

func getNode(t *testing.T, s kg.Store, id string) kg.Node {
	t.Helper()
	got, err := s.GetNodes(t.Context(), []string{id})
	if err != nil {
		t.Fatalf("GetNodes(%q): %v", id, err)
	}
	if len(got) != 1 {
		t.Fatalf("GetNodes(%q) returned %d entries, want 1", id, len(got))
	}
	return got[0]
}

func version(t *testing.T, s kg.Store) uint64 {
	t.Helper()
	v, err := s.Version(t.Context())
	if err != nil {
		t.Fatalf("Version: %v", err)
	}
	return v
}

func relsOf(t *testing.T, s kg.Store, typ kg.RelType, dir kg.Direction, ids ...string) map[string][]kg.Rel {
	t.Helper()
	m, err := s.RelsOf(t.Context(), typ, dir, ids)
	if err != nil {
		t.Fatalf("RelsOf(%s, %v, %v): %v", typ, dir, ids, err)
	}
	return m
}

// listAll walks every page of q (First is the page size) and checks the
// page bookkeeping on the way.
func listAll(t *testing.T, s kg.Store, q kg.ListQuery) []kg.Node {
	t.Helper()
	var out []kg.Node
	for page := 0; ; page++ {
		p, err := s.List(t.Context(), q)
		if err != nil {
			t.Fatalf("List(%s, %+v) page %d: %v", q.Label, q.Order, page, err)
		}
		if len(p.Nodes) > q.First {
			t.Fatalf("List page %d has %d nodes, more than First=%d", page, len(p.Nodes), q.First)
		}
		out = append(out, p.Nodes...)
		if !p.HasNextPage {
			return out
		}
		if len(p.Nodes) == 0 {
			t.Fatalf("List page %d is empty but HasNextPage is true", page)
		}
		if page > 10_000 {
			t.Fatalf("List never ends")
		}
		c := kg.CursorOf(p.Nodes[len(p.Nodes)-1], q.Order)
		q.After = &c
	}
}

func ids(nodes []kg.Node) []string {
	out := make([]string, len(nodes))
	for i, n := range nodes {
		if n == nil {
			out[i] = "<nil>"
			continue
		}
		out[i] = n.Base().ID
	}
	return out
}

func relEnds(rels []kg.Rel) []string {
	out := make([]string, len(rels))
	for i, r := range rels {
		out[i] = r.From + "→" + r.To
	}
	return out
}

// Comparisons. A node's "state" is every field including timestamps; its
// "content" is every field a client sets. Both are canonical JSON, so that
// nil and empty slices and time zones do not matter and diffs are readable.

func nodeState(n kg.Node) string {
	if n == nil {
		return "<nil>"
	}
	c := kg.Clone(n)
	m := c.Base()
	m.CreatedAt, m.UpdatedAt = m.CreatedAt.UTC(), m.UpdatedAt.UTC()
	b, _ := json.Marshal(c)
	return string(c.NodeLabel()) + string(b)
}

func nodeContent(n kg.Node) string {
	if n == nil {
		return "<nil>"
	}
	c := kg.Clone(n)
	m := c.Base()
	m.CreatedAt, m.UpdatedAt = time.Time{}, time.Time{}
	b, _ := json.Marshal(c)
	return string(c.NodeLabel()) + string(b)
}

func relState(r kg.Rel) string {
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	b, _ := json.Marshal(r)
	return string(b)
}

func relContent(r kg.Rel) string {
	r.CreatedAt, r.UpdatedAt = time.Time{}, time.Time{}
	b, _ := json.Marshal(r)
	return string(b)
}

// checkTimes asserts what the suite may assume of a store's clock.
func checkTimes(t *testing.T, what string, created, updated time.Time) {
	t.Helper()
	if created.IsZero() || updated.IsZero() {
		t.Errorf("%s: CreatedAt %v / UpdatedAt %v not set", what, created, updated)
	}
	if updated.Before(created) {
		t.Errorf("%s: UpdatedAt %v is before CreatedAt %v", what, updated, created)
	}
}

// checkRewriteTimes asserts that a rewrite kept CreatedAt and did not move
// UpdatedAt back.
func checkRewriteTimes(t *testing.T, what string, before, after kg.Meta) {
	t.Helper()
	if !after.CreatedAt.Equal(before.CreatedAt) {
		t.Errorf("%s: CreatedAt changed on rewrite: %v → %v", what, before.CreatedAt, after.CreatedAt)
	}
	if after.UpdatedAt.Before(before.UpdatedAt) {
		t.Errorf("%s: UpdatedAt moved back on rewrite: %v → %v", what, before.UpdatedAt, after.UpdatedAt)
	}
	checkTimes(t, what, after.CreatedAt, after.UpdatedAt)
}

// checkErr asserts that err wraps kind and is a *kg.Error naming field
// (skipped when field is "-").
func checkErr(t *testing.T, err, kind error, field string) {
	t.Helper()
	if err == nil {
		t.Errorf("got no error, want %v on field %q", kind, field)
		return
	}
	if !errors.Is(err, kind) {
		t.Errorf("got error %q (%T), want errors.Is(err, %v)", err, err, kind)
		return
	}
	var e *kg.Error
	if !errors.As(err, &e) {
		t.Errorf("error %q is a %T, not a *kg.Error", err, err)
		return
	}
	if field != "-" && e.Field != field {
		t.Errorf("error %q names field %q, want %q", err, e.Field, field)
	}
}

// snap is everything a store holds, read through its public API.
type snap struct {
	nodes   map[string]string // id → nodeState
	rels    map[string]string // type|from|to → relState
	version uint64
}

// snapshot reads every node (List over every label), every relationship
// (RelsOf over every id, every type) and the version. It also checks that
// the outgoing and incoming views of the relationships agree.
func snapshot(t *testing.T, s kg.Store) snap {
	t.Helper()
	sn := snap{nodes: map[string]string{}, rels: map[string]string{}, version: version(t, s)}
	var all []string
	for _, l := range kg.Labels {
		for _, n := range listAll(t, s, kg.ListQuery{Label: l, First: kg.MaxPageSize, Order: kg.Order{Field: kg.OrderByID}}) {
			if n.NodeLabel() != l {
				t.Errorf("List(%s) returned a %s (%q)", l, n.NodeLabel(), n.Base().ID)
			}
			id := n.Base().ID
			if _, dup := sn.nodes[id]; dup {
				t.Errorf("snapshot: id %q listed twice", id)
			}
			sn.nodes[id] = nodeState(n)
			all = append(all, id)
		}
	}
	for _, typ := range kg.RelTypes {
		in := map[string]string{}
		for start := 0; start < len(all); start += 500 {
			chunk := all[start:min(start+500, len(all))]
			for id, rels := range relsOf(t, s, typ, kg.Outgoing, chunk...) {
				for _, r := range rels {
					if r.From != id || r.Type != typ {
						t.Errorf("RelsOf(%s, Outgoing, %q) returned %s %s→%s", typ, id, r.Type, r.From, r.To)
					}
					sn.rels[relKey(r)] = relState(r)
				}
			}
			for id, rels := range relsOf(t, s, typ, kg.Incoming, chunk...) {
				for _, r := range rels {
					if r.To != id || r.Type != typ {
						t.Errorf("RelsOf(%s, Incoming, %q) returned %s %s→%s", typ, id, r.Type, r.From, r.To)
					}
					in[relKey(r)] = relState(r)
				}
			}
		}
		for k, v := range sn.rels {
			if strings.HasPrefix(k, string(typ)+"|") && in[k] != v {
				t.Errorf("relationship %s is seen outgoing but not incoming (or differently): %s vs %s", k, v, in[k])
			}
		}
		for k := range in {
			if _, ok := sn.rels[k]; !ok {
				t.Errorf("relationship %s is seen incoming but not outgoing", k)
			}
		}
	}
	return sn
}

func relKey(r kg.Rel) string { return string(r.Type) + "|" + r.From + "|" + r.To }

// diff lists what differs between two snapshots.
func (a snap) diff(b snap) []string {
	var out []string
	out = append(out, diffMaps("node", a.nodes, b.nodes)...)
	out = append(out, diffMaps("relationship", a.rels, b.rels)...)
	if a.version != b.version {
		out = append(out, fmt.Sprintf("version %d → %d", a.version, b.version))
	}
	return out
}

func diffMaps(what string, a, b map[string]string) []string {
	var out []string
	for k, v := range a {
		w, ok := b[k]
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("%s %s removed (was %s)", what, k, v))
		case v != w:
			out = append(out, fmt.Sprintf("%s %s changed:\n  was %s\n  now %s", what, k, v, w))
		}
	}
	for k, w := range b {
		if _, ok := a[k]; !ok {
			out = append(out, fmt.Sprintf("%s %s added: %s", what, k, w))
		}
	}
	sort.Strings(out)
	return out
}

// assertUnchanged fails the test when the store differs from before.
func assertUnchanged(t *testing.T, s kg.Store, before snap) {
	t.Helper()
	if d := before.diff(snapshot(t, s)); len(d) > 0 {
		if len(d) > 10 {
			d = append(d[:10], fmt.Sprintf("… and %d more", len(d)-10))
		}
		t.Errorf("a refused write changed the store:\n%s", strings.Join(d, "\n"))
	}
}

// contentOf strips UpdatedAt and the version from a snapshot, for the
// comparisons of idempotent repeats.
func contentOf(t *testing.T, s kg.Store) snap {
	t.Helper()
	return contentFromSnap(snapshot(t, s))
}

func contentFromSnap(sn snap) snap {
	out := snap{nodes: map[string]string{}, rels: map[string]string{}}
	for k, v := range sn.nodes {
		out.nodes[k] = stripTimes(v)
	}
	for k, v := range sn.rels {
		out.rels[k] = stripTimes(v)
	}
	return out
}

// stripTimes removes updatedAt from a state string; createdAt stays, as a
// rewrite must keep it.
func stripTimes(state string) string {
	i := strings.IndexByte(state, '{')
	var m map[string]any
	if err := json.Unmarshal([]byte(state[i:]), &m); err != nil {
		return state
	}
	delete(m, "updatedAt")
	b, _ := json.Marshal(m)
	return state[:i] + string(b)
}

func strN(n int, c string) string { return strings.Repeat(c, n) }

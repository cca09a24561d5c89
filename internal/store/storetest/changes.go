package storetest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

// entryText is a feed entry as the suite compares it: its version as an
// offset from base, then what changed.
func entryText(e kg.ChangeEntry, base uint64) string {
	if e.ID != "" {
		return fmt.Sprintf("+%d %s %s %s", e.Version-base, e.Kind, e.Label, e.ID)
	}
	return fmt.Sprintf("+%d %s %s %s→%s", e.Version-base, e.Kind, e.Type, e.From, e.To)
}

// testChanges: every successful write leaves one change record at its
// version, in version order and nothing else (a refused or empty write
// none), with its time; the feed lists their entries, deletions
// included, pages through them by cursor, and refuses a cursor the store
// cannot serve.
func testChanges(t *testing.T, newStore func(*testing.T) kg.Store) {
	s := newStore(t)
	ctx := t.Context()
	v0 := version(t, s)
	upsert(t, s, actor("a", "A"))
	upsert(t, s, project("p", "P"))
	setRel(t, s, participates("a", "p", kg.RoleLead))
	if _, err := s.SetRel(ctx, hasCompetency("a", "nowhere", 3)); err == nil {
		t.Fatal("a competency of no competency was accepted")
	}
	if done, err := s.DeleteNode(ctx, kg.LabelActor, "nobody"); err != nil || done {
		t.Fatalf("deleting nobody: %v, %v", done, err)
	}
	if _, err := s.Import(ctx, kg.Graph{Actors: []*kg.Actor{actor("b", "B")}, Competencies: []*kg.Competency{competency("c", "C")},
		Rels: []kg.Rel{hasCompetency("b", "c", 4), partners("b", "a")}}); err != nil {
		t.Fatalf("Import: %v", err)
	}
	if done, err := s.RemoveRel(ctx, kg.RelParticipatesIn, "a", "p"); err != nil || !done {
		t.Fatalf("RemoveRel: %v, %v", done, err)
	}
	if done, err := s.DeleteNode(ctx, kg.LabelActor, "a"); err != nil || !done {
		t.Fatalf("DeleteNode: %v, %v", done, err)
	}
	upsert(t, s, actor("b", "B2"))
	want := []string{
		"+1 NODE_UPSERTED Actor a",
		"+2 NODE_UPSERTED Project p",
		"+3 RELATIONSHIP_SET PARTICIPATES_IN a→p",
		"+4 NODE_UPSERTED Actor b",
		"+4 NODE_UPSERTED Competency c",
		"+4 RELATIONSHIP_SET HAS_COMPETENCY b→c",
		"+4 RELATIONSHIP_SET PARTNERS_WITH b→a",
		"+5 RELATIONSHIP_REMOVED PARTICIPATES_IN a→p",
		"+6 NODE_DELETED Actor a",
		"+7 NODE_UPSERTED Actor b",
	}
	head := version(t, s)
	if head != v0+7 {
		t.Fatalf("version %d after 7 writes from %d", head, v0)
	}

	recs, err := s.Changes(ctx, v0, 100)
	if err != nil {
		t.Fatalf("Changes: %v", err)
	}
	if recs.Version != head {
		t.Errorf("Changes says version %d, the store %d", recs.Version, head)
	}
	var got []string
	for i, c := range recs.Changes {
		if c.Version != v0+uint64(i)+1 {
			t.Errorf("record %d is of version %d, want %d (one per write, in order)", i, c.Version, v0+uint64(i)+1)
		}
		if c.At.IsZero() {
			t.Errorf("record of version %d has no time", c.Version)
		}
		for _, e := range c.Entries() {
			got = append(got, entryText(e, v0))
		}
	}
	slices.Sort(got) // within a write the entries' order is the record's
	sorted := slices.Clone(want)
	slices.Sort(sorted)
	if !slices.Equal(got, sorted) {
		t.Errorf("change records after the writes:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(sorted, "\n"))
	}
	if recs, err := s.Changes(ctx, v0+2, 2); err != nil || len(recs.Changes) != 2 || recs.Changes[0].Version != v0+3 {
		t.Errorf("Changes(after +2, limit 2): %d records, %v; want +3 and +4", len(recs.Changes), err)
	}
	if recs, err := s.Changes(ctx, head, 10); err != nil || len(recs.Changes) != 0 {
		t.Errorf("Changes after the newest version: %d records, %v", len(recs.Changes), err)
	}

	// The feed from just after the first write, page by page.
	var feed []string
	var prev []kg.ChangeEntry
	cursor := &kg.ChangeCursor{Version: v0 + 1, Seq: 0}
	for pages := 0; ; pages++ {
		p, err := kg.ReadChanges(ctx, s, cursor, 2)
		if err != nil {
			t.Fatalf("ReadChanges page %d: %v", pages, err)
		}
		if p.Version != head || pages > 10 {
			t.Fatalf("page %d at version %d (want %d)", pages, p.Version, head)
		}
		for _, e := range p.Entries {
			feed = append(feed, entryText(e, v0))
			prev = append(prev, e)
		}
		if len(p.Entries) > 2 || p.HasNextPage && len(p.Entries) != 2 {
			t.Fatalf("page %d: %d entries, hasNextPage %v", pages, len(p.Entries), p.HasNextPage)
		}
		if !p.HasNextPage {
			break
		}
		last := p.Entries[len(p.Entries)-1]
		cursor = &kg.ChangeCursor{Version: last.Version, Seq: last.Seq}
	}
	if feedWant := want[1:]; !sameEntries(feed, feedWant) {
		t.Errorf("the feed after the first write:\n%s\nwant (in version order)\n%s", strings.Join(feed, "\n"), strings.Join(feedWant, "\n"))
	}
	for i := 1; i < len(prev); i++ {
		a, b := prev[i-1], prev[i]
		if b.Version < a.Version || b.Version == a.Version && b.Seq <= a.Seq {
			t.Errorf("entries out of order: %s then %s", entryText(a, v0), entryText(b, v0))
		}
	}
	// Up to date: an empty page, not an error.
	last := prev[len(prev)-1]
	if p, err := kg.ReadChanges(ctx, s, &kg.ChangeCursor{Version: last.Version, Seq: last.Seq}, 5); err != nil || len(p.Entries) != 0 || p.HasNextPage {
		t.Errorf("after the last entry: %d entries, hasNextPage %v, %v", len(p.Entries), p.HasNextPage, err)
	}
	// A cursor from beyond the graph (a store restored from an older copy).
	_, err = kg.ReadChanges(ctx, s, &kg.ChangeCursor{Version: head + 5}, 5)
	checkErr(t, err, kg.ErrInvalid, "after")
	var ke *kg.Error
	if errors.As(err, &ke) && ke.Reason != kg.ReasonChangesExpired {
		t.Errorf("a cursor beyond the graph: reason %q, want %s", ke.Reason, kg.ReasonChangesExpired)
	}
}

// sameEntries compares feeds whose entries within one version may come in
// any order.
func sameEntries(got, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	ver := func(s string) string { v, _, _ := strings.Cut(s, " "); return v }
	for i := range got {
		if ver(got[i]) != ver(want[i]) {
			return false
		}
	}
	a, b := slices.Clone(got), slices.Clone(want)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

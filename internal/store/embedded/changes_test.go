package embedded_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"go.etcd.io/bbolt"

	"github.com/samverkan/samverkan/internal/kg"
	"github.com/samverkan/samverkan/internal/store/embedded"
)

// makeSchema2 turns the store file in dir into the second layout: the
// current one without the change log (schema 3 only added bucket changes).
func makeSchema2(t *testing.T, dir string) {
	t.Helper()
	db, err := bbolt.Open(filepath.Join(dir, embedded.FileName), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bbolt.Tx) error {
		if err := tx.DeleteBucket([]byte("changes")); err != nil {
			return err
		}
		return tx.Bucket([]byte("meta")).Put([]byte("schema"), binary.BigEndian.AppendUint64(nil, 2))
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestSchema2FileGainsTheChangeLog: a file of the second layout (the
// release before the change feed) opens with everything it held, gains
// the change log in place, and from then on every write is in the feed,
// which a cursor resumes after a restart.
func TestSchema2FileGainsTheChangeLog(t *testing.T) {
	dir := unpackSchema1(t)
	s, err := embedded.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	nodes := s.Stats().Nodes
	s.Close()
	makeSchema2(t, dir)
	if v, b := rawFile(t, dir); v != 2 || slices.Contains(b, "changes") {
		t.Fatalf("the fixture is not a schema 2 file: schema %d, buckets %v", v, b)
	}

	s, err = embedded.Open(dir)
	if err != nil {
		t.Fatalf("Open of a schema 2 file: %v", err)
	}
	if st := s.Stats(); st.Nodes != nodes {
		t.Errorf("after the migration %d nodes, want %d", st.Nodes, nodes)
	}
	if data := gql(t, s, `{ changes { edges { cursor } pageInfo { hasNextPage } } }`); len(kgDig(data, "changes", "edges").([]any)) != 0 {
		t.Errorf("the writes before the change log are in the feed: %v", data)
	}
	gql(t, s, `mutation { upsertActor(input: {id: "new-actor", name: "New", kind: MUNICIPALITY, sector: PUBLIC}) { id } }`)
	first := gql(t, s, `{ changes { edges { cursor node { kind id label } } } }`)
	edges := kgDig(first, "changes", "edges").([]any)
	if len(edges) != 1 || fmt.Sprint(kgDig(edges[0], "node")) != "map[id:new-actor kind:NODE_UPSERTED label:ACTOR]" {
		t.Fatalf("the feed after one write: %v", edges)
	}
	cursor := kgDig(edges[0], "cursor").(string)
	gql(t, s, `mutation { deleteActor(id: "new-actor") }`)
	s.Close()
	if v, b := rawFile(t, dir); v != 4 || !slices.Contains(b, "changes") {
		t.Fatalf("after the migration: schema %d, buckets %v; want schema 4 with changes", v, b)
	}

	s, err = embedded.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	next := gql(t, s, `{ changes(after: "`+cursor+`") { edges { node { kind id } } } }`)
	if got := fmt.Sprint(kgDig(next, "changes", "edges")); got != "[map[node:map[id:new-actor kind:NODE_DELETED]]]" {
		t.Errorf("the feed after the cursor, after a restart: %s", got)
	}
}

// TestChangeRetention: the store keeps the records of the newest
// WithChangeRetention versions; a cursor before them has expired.
func TestChangeRetention(t *testing.T) {
	s, err := embedded.Open(t.TempDir(), embedded.WithChangeRetention(3))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := t.Context()
	for i := range 6 {
		if _, err := s.UpsertNode(ctx, &kg.Actor{Meta: kg.Meta{ID: fmt.Sprintf("a%d", i), Name: "A"}, Kind: kg.KindMunicipality, Sector: kg.SectorPublic}); err != nil {
			t.Fatal(err)
		}
	}
	recs, err := s.Changes(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var kept []uint64
	for _, c := range recs.Changes {
		kept = append(kept, c.Version)
	}
	if !slices.Equal(kept, []uint64{4, 5, 6}) {
		t.Errorf("kept the records of versions %v, want 4 5 6", kept)
	}
	if _, err := kg.ReadChanges(ctx, s, &kg.ChangeCursor{Version: 2}, 10); !expired(err) {
		t.Errorf("a cursor at version 2 of 6 with retention 3: %v, want it expired", err)
	}
	p, err := kg.ReadChanges(ctx, s, &kg.ChangeCursor{Version: 4}, 10)
	if err != nil || len(p.Entries) != 2 {
		t.Errorf("a cursor at version 4: %d entries, %v; want versions 5 and 6", len(p.Entries), err)
	}
	if p, err := kg.ReadChanges(ctx, s, nil, 10); err != nil || len(p.Entries) != 3 || p.Entries[0].Version != 4 {
		t.Errorf("without a cursor: %v, %v; want the kept versions 4 to 6", p.Entries, err)
	}
}

func expired(err error) bool {
	var e *kg.Error
	return errors.As(err, &e) && errors.Is(err, kg.ErrInvalid) && e.Reason == kg.ReasonChangesExpired
}

package storetest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

// testBackup checks the optional kg.Backuper capability: a backup opens as
// a store holding the same graph at the same version, taken while writers
// go on, and later writes to either store do not reach the other.
func testBackup(t *testing.T, newStore func(*testing.T) kg.Store, o options) {
	s := newStore(t)
	b, ok := s.(kg.Backuper)
	if !ok {
		t.Skipf("%T does not implement kg.Backuper (Backup(io.Writer) (int64, error)): no backup capability to check", s)
	}
	if o.openBackup == nil {
		t.Skip("the store implements kg.Backuper, but the hookup passes no storetest.OpenBackup to open a backup with")
	}
	ctx := context.Background()
	nodes, rels := matchFixture()
	load(t, s, nodes, rels)

	backup := func(t *testing.T, name string) (string, int64) {
		t.Helper()
		path := filepath.Join(t.TempDir(), name)
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		n, err := b.Backup(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			t.Fatalf("Backup: %v", err)
		}
		return path, n
	}

	t.Run("SameGraph", func(t *testing.T) {
		want := snapshot(t, s)
		wantTopo := dumpTopology(topology(t, s))
		path, n := backup(t, "backup")
		if fi, err := os.Stat(path); err != nil || fi.Size() != n {
			t.Errorf("Backup reported %d bytes; the file holds %v (%v)", n, fi.Size(), err)
		}
		if n == 0 {
			t.Fatal("Backup wrote nothing")
		}
		r := o.openBackup(t, path)
		if d := want.diff(snapshot(t, r)); len(d) > 0 {
			t.Fatalf("the backup holds another graph:\n%s", strings.Join(d, "\n"))
		}
		if d := diffLines(dumpTopology(topology(t, r)), wantTopo); len(d) > 0 {
			t.Errorf("the backup's topology differs:\n%s", strings.Join(d, "\n"))
		}

		// The two stores are independent from here on.
		upsert(t, s, actor("after-backup", "Written after the backup"))
		if got := getNodes(t, r, "after-backup"); got[0] != nil {
			t.Error("a write to the store after the backup reached the backup")
		}
		upsert(t, r, actor("in-restored", "Written to the restored copy"))
		if got := getNodes(t, s, "in-restored"); got[0] != nil {
			t.Error("a write to the restored copy reached the store")
		}
		if v := version(t, r); v != want.version+1 {
			t.Errorf("the restored copy's version after one write = %d, want %d", v, want.version+1)
		}
	})

	t.Run("WhileWriting", func(t *testing.T) {
		// A backup taken while a writer runs is one consistent version:
		// the restored graph equals some state the writer left, so each
		// of its nodes is whole and its version counts its writes.
		base := version(t, s)
		const writes = 20
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range writes {
				a := actor("w"+strings.Repeat("x", i%3)+string(rune('a'+i)), "Writer")
				if _, err := s.UpsertNode(ctx, a); err != nil {
					t.Errorf("UpsertNode during a backup: %v", err)
					return
				}
			}
		}()
		path, _ := backup(t, "busy")
		wg.Wait()
		r := o.openBackup(t, path)
		got := snapshot(t, r)
		written := 0
		for id := range got.nodes {
			if strings.HasPrefix(id, "w") {
				written++
			}
		}
		if got.version != base+uint64(written) {
			t.Errorf("the backup is at version %d with %d of the writer's nodes; want version %d", got.version, written, base+uint64(written))
		}
	})
}

// getNodes is GetNodes that fails the test on an error.
func getNodes(t *testing.T, s kg.Store, ids ...string) []kg.Node {
	t.Helper()
	got, err := s.GetNodes(context.Background(), ids)
	if err != nil {
		t.Fatalf("GetNodes: %v", err)
	}
	return got
}

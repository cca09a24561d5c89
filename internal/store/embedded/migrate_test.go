package embedded_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"go.etcd.io/bbolt"

	"github.com/samverkan/samverkan/graph"
	"github.com/samverkan/samverkan/internal/kg"
	"github.com/samverkan/samverkan/internal/store/embedded"
)

// testdata/schema1-seed.db.gz is a store file of the first layout, written
// by the release before the second version's model (commit 1431ecc): that
// release's server started on an empty DATA_DIR (loading the Nordic seed),
// then one setPartnership through its API gave compare–kunnskapsbyen-
// lillestrom a since (2015-09-01). testdata/schema1-seed.export.json.gz is
// that release's `samverkan export` of the same file: what it held.

// unpackSchema1 writes the schema 1 file into a new store directory.
func unpackSchema1(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, embedded.FileName), gunzip(t, "testdata/schema1-seed.db.gz"), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

func gunzip(t *testing.T, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(z)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// rawFile reads the schema version and which buckets the file has,
// without the store.
func rawFile(t *testing.T, dir string) (schema uint64, buckets []string) {
	t.Helper()
	db, err := bbolt.Open(filepath.Join(dir, embedded.FileName), 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_ = db.View(func(tx *bbolt.Tx) error {
		_ = tx.ForEach(func(name []byte, _ *bbolt.Bucket) error {
			buckets = append(buckets, string(name))
			return nil
		})
		if v := tx.Bucket([]byte("meta")).Get([]byte("schema")); len(v) == 8 {
			schema = binary.BigEndian.Uint64(v)
		}
		return nil
	})
	slices.Sort(buckets)
	return schema, buckets
}

func fileHash(t *testing.T, dir string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, embedded.FileName))
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// gql runs a query through the GraphQL handler over s.
func gql(t *testing.T, s *embedded.Store, query string) map[string]any {
	t.Helper()
	h := graph.NewHandler(s, graph.Options{Analytics: kg.NewAnalytics(s)})
	body, _ := json.Marshal(map[string]any{"query": query})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	var resp struct {
		Data   map[string]any `json:"data"`
		Errors []any          `json:"errors"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil || w.Code != http.StatusOK || resp.Errors != nil {
		t.Fatalf("%s: %d %v %s", query, w.Code, err, w.Body.String())
	}
	return resp.Data
}

// asJSON is v as a generic JSON value.
func asJSON(t *testing.T, v any) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestSchema1FileMigratesInPlace opens the first layout's file with
// today's store: everything the old release exported is there and reads
// as before, with the second version's defaults; the file is migrated in
// place once (a second open writes nothing); writes work afterwards and
// survive a reopen.
func TestSchema1FileMigratesInPlace(t *testing.T) {
	ctx := context.Background()
	dir := unpackSchema1(t)
	if v, b := rawFile(t, dir); v != 1 || slices.Contains(b, "ties") {
		t.Fatalf("the fixture is not a schema 1 file: schema %d, buckets %v", v, b)
	}
	var export map[string][]map[string]any
	if err := json.Unmarshal(gunzip(t, "testdata/schema1-seed.export.json.gz"), &export); err != nil {
		t.Fatal(err)
	}

	s, err := embedded.Open(dir)
	if err != nil {
		t.Fatalf("Open of a schema 1 file: %v", err)
	}
	nodes := 0
	for section, label := range map[string]kg.Label{"actors": kg.LabelActor, "projects": kg.LabelProject,
		"needs": kg.LabelNeed, "competencies": kg.LabelCompetency} {
		for _, want := range export[section] {
			nodes++
			id := want["id"].(string)
			got, err := s.GetNodes(ctx, []string{id})
			if err != nil || got[0] == nil || got[0].NodeLabel() != label {
				t.Fatalf("node %s: %v, %v; want a %s", id, got, err, label)
			}
			have := asJSON(t, got[0])
			for k, v := range want {
				if !reflect.DeepEqual(have[k], v) {
					t.Errorf("node %s %s = %v, want %v", id, k, have[k], v)
				}
			}
		}
	}
	rels := export["relationships"]
	for _, want := range rels {
		typ, from, to := kg.RelType(want["type"].(string)), want["fromId"].(string), want["toId"].(string)
		got, err := s.GetRels(ctx, []kg.RelKey{kg.KeyOf(typ, from, to)})
		if err != nil || got[0] == nil {
			t.Fatalf("relationship %s %s–%s: %v, %v", typ, from, to, got, err)
		}
		have := asJSON(t, got[0])
		for k, v := range want {
			if k == "type" || k == "fromId" || k == "toId" {
				continue
			}
			if !reflect.DeepEqual(have[k], v) {
				t.Errorf("relationship %s %s–%s %s = %v, want %v", typ, from, to, k, have[k], v)
			}
		}
	}
	if st := s.Stats(); st.Nodes != nodes || st.Rels != len(rels) || nodes != 77 || len(rels) != 182 {
		t.Fatalf("Stats = %+v; the export has %d nodes and %d relationships (77 and 182 expected)", st, nodes, len(rels))
	}

	// What a client reads: the second version's defaults for what the
	// first did not store, and the analytics over the migrated topology.
	data := gql(t, s, `{ project(id: "ndhc") { type participants { role basis actor { id } } }
		actor(id: "compare") { partnerships { partner { id } from since basis } }
		partnershipPaths(from: "kunnskapsbyen-lillestrom", to: "karlstads-kommun", k: 1) { length } }`)
	if got := kgDig(data, "project", "type"); got != "PROJECT" {
		t.Errorf("ndhc's type = %v, want PROJECT", got)
	}
	parts := kgDig(data, "project", "participants").([]any)
	if len(parts) == 0 {
		t.Fatal("ndhc has no participants after the migration")
	}
	for _, p := range parts {
		if b := p.(map[string]any)["basis"]; b != "STATED" {
			t.Errorf("participation basis = %v, want STATED", b)
		}
	}
	found := false
	for _, p := range kgDig(data, "actor", "partnerships").([]any) {
		p := p.(map[string]any)
		if p["partner"].(map[string]any)["id"] == "kunnskapsbyen-lillestrom" {
			found = true
			if p["from"] != "2015-09-01" || p["since"] != "2015-09-01" || p["basis"] != "STATED" {
				t.Errorf("the partnership with a since reads from %v, since %v, basis %v; want 2015-09-01 twice and STATED", p["from"], p["since"], p["basis"])
			}
		}
	}
	if !found {
		t.Error("compare's partnership with kunnskapsbyen-lillestrom is missing")
	}
	if paths := data["partnershipPaths"].([]any); len(paths) != 1 || paths[0].(map[string]any)["length"] != 2.0 {
		t.Errorf("partnershipPaths = %v, want one path of length 2 (through SOL)", paths)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	// Migrated in place, once: the file has the current schema, and opening
	// it again changes not a byte.
	if v, b := rawFile(t, dir); v != 4 || !slices.Contains(b, "ties") || !slices.Contains(b, "nodeNums") || !slices.Contains(b, "changes") || !slices.Contains(b, "extids") {
		t.Fatalf("after the migration: schema %d, buckets %v; want schema 4 with ties, nodeNums, changes and extids", v, b)
	}
	before := fileHash(t, dir)
	s, err = embedded.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if st := s.Stats(); st.Nodes != nodes || st.Rels != len(rels) {
		t.Fatalf("reopened: %+v", st)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if fileHash(t, dir) != before {
		t.Error("opening a migrated file wrote to it: it was migrated again")
	}

	// Writes after the migration, then a reopen.
	s, err = embedded.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpsertNode(ctx, &kg.Actor{Meta: kg.Meta{ID: "ny-aktor", Name: "Ny aktør"}, Kind: kg.KindCompany, Sector: kg.SectorPrivate, Country: "NO"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetRel(ctx, kg.Rel{Type: kg.RelParticipatesIn, From: "ny-aktor", To: "ndhc", Role: string(kg.RolePartner)}); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.RemoveRel(ctx, kg.RelPartnersWith, "kunnskapsbyen-lillestrom", "compare"); err != nil || !ok {
		t.Fatalf("RemoveRel of the old partnership: %v, %v", ok, err)
	}
	if ok, err := s.DeleteNode(ctx, kg.LabelActor, "aho"); err != nil || !ok {
		t.Fatalf("DeleteNode aho: %v, %v", ok, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = embedded.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	data = gql(t, s, `{ project(id: "ndhc") { participants { actor { id } } }
		actor(id: "compare") { partnerships { partner { id } } }
		aho: actor(id: "aho") { id }
		partnershipPaths(from: "kunnskapsbyen-lillestrom", to: "ny-aktor", k: 1) { length } }`)
	var ids []string
	for _, p := range kgDig(data, "project", "participants").([]any) {
		ids = append(ids, p.(map[string]any)["actor"].(map[string]any)["id"].(string))
	}
	if !slices.Contains(ids, "ny-aktor") || len(ids) != len(parts)+1 {
		t.Errorf("ndhc's participants after the writes = %v; want the %d before and ny-aktor", ids, len(parts))
	}
	for _, p := range kgDig(data, "actor", "partnerships").([]any) {
		if p.(map[string]any)["partner"].(map[string]any)["id"] == "kunnskapsbyen-lillestrom" {
			t.Error("the removed partnership is back after a reopen")
		}
	}
	if data["aho"] != nil {
		t.Errorf("the deleted actor is back: %v", data["aho"])
	}
	if paths := data["partnershipPaths"].([]any); len(paths) != 1 {
		t.Errorf("no partnership path to the new actor: %v", paths)
	}
	ahoRels := 0
	for _, r := range rels {
		if r["fromId"] == "aho" || r["toId"] == "aho" {
			ahoRels++
		}
	}
	if st, want := s.Stats(), len(rels)+1-1-ahoRels; st.Nodes != nodes || st.Rels != want {
		t.Errorf("after the writes: %+v; want %d nodes and %d relationships", st, nodes, want)
	}
}

// TestSchema1MigrationIsAllOrNothing: a schema 1 file with a relationship
// the migration cannot read is refused, and the file is left as it was.
func TestSchema1MigrationIsAllOrNothing(t *testing.T) {
	dir := unpackSchema1(t)
	db, err := bbolt.Open(filepath.Join(dir, embedded.FileName), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		rb := tx.Bucket([]byte("rels"))
		k, _ := rb.Cursor().Last() // after most: the migration has done work when it meets it
		return rb.Put(slices.Clone(k), []byte(`{"type":`))
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = db.Close()
	before := fileHash(t, dir)
	if s, err := embedded.Open(dir); err == nil {
		_ = s.Close()
		t.Fatal("Open migrated a file with an unreadable relationship")
	}
	if v, b := rawFile(t, dir); v != 1 || slices.Contains(b, "ties") || slices.Contains(b, "nodeNums") {
		t.Errorf("after the failed migration: schema %d, buckets %v; want the schema 1 file untouched", v, b)
	}
	if fileHash(t, dir) != before {
		t.Error("the failed migration changed the file")
	}
}

func kgDig(v any, path ...string) any {
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

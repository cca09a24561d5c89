package embedded_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"go.etcd.io/bbolt"

	"github.com/samverkan/samverkan/internal/kg"
	"github.com/samverkan/samverkan/internal/seed"
	"github.com/samverkan/samverkan/internal/store/embedded"
)

// testdata/schema3-seed.db.gz is a store file of the third layout, written
// by the release before external ids (commit d387611): a new store with
// the Nordic seed loaded (seed.Load), closed.

func unpackSchema3(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, embedded.FileName), gunzip(t, "testdata/schema3-seed.db.gz"), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

const skrOrgnr = `{scheme: "se-orgnr", value: "222000-0315"}`

func lookupSKR(t *testing.T, s *embedded.Store) any {
	t.Helper()
	return kgDig(gql(t, s, `{ actorByExternalId(scheme: "se-orgnr", value: "222000-0315") { id externalIds { scheme value } } }`), "actorByExternalId")
}

// TestSchema3FileGainsTheExternalIDIndex: the previous release's file
// opens with everything it held, gains the index of external ids in place
// (once: a second open writes nothing), and external ids written then are
// found again after a restart.
func TestSchema3FileGainsTheExternalIDIndex(t *testing.T) {
	dir := unpackSchema3(t)
	if v, b := rawFile(t, dir); v != 3 || slices.Contains(b, "extids") {
		t.Fatalf("the fixture is not a schema 3 file: schema %d, buckets %v", v, b)
	}
	s, err := embedded.Open(dir)
	if err != nil {
		t.Fatalf("Open of a schema 3 file: %v", err)
	}
	g, err := seed.Graph()
	if err != nil {
		t.Fatal(err)
	}
	if st := s.Stats(); st.Nodes != len(g.Nodes()) || st.Rels != len(g.Rels) {
		t.Errorf("after the migration %d nodes and %d relationships; the seed has %d and %d", st.Nodes, st.Rels, len(g.Nodes()), len(g.Rels))
	}
	names := gql(t, s, `{ actors(first: 3, orderBy: {field: ID}) { totalCount edges { node { id name externalIds { value } } } } }`)
	if got := fmt.Sprint(kgDig(names, "actors", "edges")); got == "[]" {
		t.Errorf("no actors after the migration: %v", names)
	}
	s.Close()
	if v, b := rawFile(t, dir); v != 4 || !slices.Contains(b, "extids") {
		t.Fatalf("after the migration: schema %d, buckets %v; want schema 4 with extids", v, b)
	}
	before := fileHash(t, dir)
	s, err = embedded.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if fileHash(t, dir) != before {
		t.Error("opening the migrated file again changed it")
	}

	s, err = embedded.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	gql(t, s, `mutation { upsertActor(input: {id: "skr", name: "SKR", kind: NETWORK, sector: PUBLIC, externalIds: [`+skrOrgnr+`]}) { id } }`)
	s.Close()
	s, err = embedded.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := fmt.Sprint(lookupSKR(t, s)); got != "map[externalIds:[map[scheme:se-orgnr value:222000-0315]] id:skr]" {
		t.Errorf("after a restart actorByExternalId = %s", got)
	}
}

// TestMigrationRebuildsTheExternalIDIndex: the migration to schema 4
// builds the file's index from the actors' JSON (so that ImportDir, which
// reads only the index, refuses an id an actor holds), and an offline
// import keeps it.
func TestMigrationRebuildsTheExternalIDIndex(t *testing.T) {
	dir := t.TempDir()
	s, err := embedded.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	gql(t, s, `mutation { upsertActor(input: {id: "skr", name: "SKR", kind: NETWORK, sector: PUBLIC, externalIds: [`+skrOrgnr+`]}) { id } }`)
	s.Close()
	// As if an older build had left the index out.
	db, err := bbolt.Open(filepath.Join(dir, embedded.FileName), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		if err := tx.DeleteBucket([]byte("extids")); err != nil {
			return err
		}
		return tx.Bucket([]byte("meta")).Put([]byte("schema"), binary.BigEndian.AppendUint64(nil, 3))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}

	imp := func(actors ...*kg.Actor) error {
		_, err := embedded.ImportDir(t.Context(), dir, func(node func(string, kg.Node) error, _ func(string, kg.Rel) error) error {
			for i, a := range actors {
				if err := node(fmt.Sprintf("actors[%d]", i), a); err != nil {
					return err
				}
			}
			return nil
		})
		return err
	}
	orgnr := kg.ExternalID{Scheme: "se-orgnr", Value: "222000-0315"}
	err = imp(&kg.Actor{Meta: kg.Meta{ID: "other", Name: "Other"}, Kind: kg.KindCompany, Sector: kg.SectorPrivate,
		ExternalIDs: []kg.ExternalID{{Scheme: "gln", Value: "1"}, orgnr}})
	var ke *kg.Error
	if !errors.Is(err, kg.ErrConflict) || !errors.As(err, &ke) || ke.Field != "actors[0].externalIds[1]" {
		t.Fatalf("ImportDir of an id skr holds: %v, want a conflict on actors[0].externalIds[1]", err)
	}
	if v, b := rawFile(t, dir); v != 4 || !slices.Contains(b, "extids") {
		t.Fatalf("after ImportDir: schema %d, buckets %v; want schema 4 with extids", v, b)
	}
	// An offline import that replaces skr may move the id; the server then finds it.
	err = imp(&kg.Actor{Meta: kg.Meta{ID: "skr", Name: "SKR"}, Kind: kg.KindNetwork, Sector: kg.SectorPublic},
		&kg.Actor{Meta: kg.Meta{ID: "other", Name: "Other"}, Kind: kg.KindCompany, Sector: kg.SectorPrivate, ExternalIDs: []kg.ExternalID{orgnr}})
	if err != nil {
		t.Fatalf("ImportDir moving the id: %v", err)
	}
	err = imp(&kg.Actor{Meta: kg.Meta{ID: "third", Name: "Third"}, Kind: kg.KindCompany, Sector: kg.SectorPrivate, ExternalIDs: []kg.ExternalID{orgnr}})
	if !errors.Is(err, kg.ErrConflict) {
		t.Fatalf("ImportDir of an id the previous import moved: %v, want a conflict", err)
	}
	s, err = embedded.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := fmt.Sprint(lookupSKR(t, s)); got != "map[externalIds:[map[scheme:se-orgnr value:222000-0315]] id:other]" {
		t.Errorf("after the offline imports actorByExternalId = %s", got)
	}
}

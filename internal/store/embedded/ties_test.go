package embedded

import (
	"context"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"go.etcd.io/bbolt"

	"github.com/samverkan/samverkan/internal/engine"
	"github.com/samverkan/samverkan/internal/kg"
)

// dumpTopology lists every alive node of the snapshot with its analytics
// fields and every tie as each endpoint sees it, by string ids.
func dumpTopology(s *engine.Snapshot) []string {
	var out []string
	for x := range s.Slots() {
		if !s.Alive(x) {
			continue
		}
		n := s.Node(x)
		out = append(out, fmt.Sprintf("node %s %d %d %d %s", s.ID(x), n.Label, n.Kind, n.Sector, n.Country))
		for _, e := range s.Edges(x) {
			out = append(out, fmt.Sprintf("tie %s %s %s out=%v w=%d %d–%d", s.ID(x), kg.TypeOfCode(e.Type), s.ID(e.To), e.Out, e.W, e.Start, e.End))
		}
	}
	slices.Sort(out)
	return out
}

func storeTopology(t *testing.T, s *Store) []string {
	t.Helper()
	snap, err := s.Topology(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return dumpTopology(snap)
}

// fileTopology is the topology built from the relationships' JSON of the
// file in dir (as a schema 1 store built it), the oracle of the tie
// records.
func fileTopology(t *testing.T, dir string) []string {
	t.Helper()
	var nodes []kg.ChangedNode
	var rels []kg.ChangedRel
	err := ExportDir(context.Background(), dir,
		func(n kg.Node) error { nodes = append(nodes, kg.ChangedNodeOf(n)); return nil },
		func(r kg.Rel) error { rels = append(rels, kg.ChangedRelOf(r)); return nil })
	if err != nil {
		t.Fatalf("ExportDir: %v", err)
	}
	top := kg.LoadTopology(0, slices.Values(nodes), slices.Values(rels))
	return dumpTopology(top.Snapshot())
}

// randomWrites applies n random writes of every kind to s (nodes created,
// replaced and deleted; relationships of every tie type set, replaced and
// removed, partnerships in either direction; imports).
func randomWrites(t *testing.T, s *Store, rng *rand.Rand, n int) {
	t.Helper()
	ctx := context.Background()
	actor := func() string { return fmt.Sprintf("a%d", rng.IntN(12)) }
	project := func() string { return fmt.Sprintf("p%d", rng.IntN(5)) }
	comp := func() string { return fmt.Sprintf("c%d", rng.IntN(3)) }
	date := func() kg.Date {
		if rng.IntN(3) == 0 {
			return ""
		}
		return kg.Date(fmt.Sprintf("20%02d-0%d-1%d", 10+rng.IntN(10), 1+rng.IntN(9), rng.IntN(9)))
	}
	node := func() kg.Node {
		switch rng.IntN(3) {
		case 0:
			return &kg.Project{Meta: kg.Meta{ID: project(), Name: "P"}, Type: kg.ProjectTypes[rng.IntN(len(kg.ProjectTypes))], Status: kg.ProjectActive, Country: "NO"}
		case 1:
			return &kg.Competency{Meta: kg.Meta{ID: comp(), Name: "C"}, Category: kg.CategoryDesign}
		}
		return &kg.Actor{Meta: kg.Meta{ID: actor(), Name: "A"}, Kind: kg.ActorKinds[rng.IntN(len(kg.ActorKinds))],
			Sector: kg.Sectors[rng.IntN(len(kg.Sectors))], Country: []string{"SE", "NO", ""}[rng.IntN(3)]}
	}
	rel := func() kg.Rel {
		switch rng.IntN(4) {
		case 0:
			return kg.Rel{Type: kg.RelParticipatesIn, From: actor(), To: project(),
				Role: string(kg.ParticipationRoles[rng.IntN(len(kg.ParticipationRoles))]), Start: date(), End: date()}
		case 1:
			return kg.Rel{Type: kg.RelHasCompetency, From: actor(), To: comp(), Level: 1 + rng.IntN(5)}
		case 2:
			r := kg.Rel{Type: kg.RelPartnersWith, From: actor(), To: actor(), End: date()}
			if rng.IntN(2) == 0 {
				r.Since = date()
			} else {
				r.Start = date()
			}
			return r
		}
		return kg.Rel{Type: kg.RelMemberOf, From: actor(), To: actor(), Start: date()}
	}
	for range n {
		switch op := rng.IntN(10); {
		case op < 3:
			_, _ = s.UpsertNode(ctx, node())
		case op < 7:
			_, _ = s.SetRel(ctx, rel()) // refused when an endpoint is missing: fine
		case op < 8:
			r := rel()
			if rng.IntN(2) == 0 {
				r.From, r.To = r.To, r.From // a partnership removed from its other side
			}
			_, _ = s.RemoveRel(ctx, r.Type, r.From, r.To)
		case op < 9:
			nd := node()
			_, _ = s.DeleteNode(ctx, nd.NodeLabel(), nd.Base().ID)
		default:
			var g kg.Graph
			if a, ok := node().(*kg.Actor); ok {
				g.Actors = append(g.Actors, a)
			}
			if p, ok := node().(*kg.Project); ok {
				g.Projects = append(g.Projects, p)
			}
			for range 3 {
				g.Rels = append(g.Rels, rel())
			}
			_, _ = s.Import(ctx, g) // refused as a whole at times: fine
		}
	}
}

// TestTieRecordsFollowEveryWrite: after random writes of every kind, the
// topology a reopened store reads from its tie records is the one the
// store had in memory and the one the relationships' JSON gives.
func TestTieRecordsFollowEveryWrite(t *testing.T) {
	for seed := range uint64(6) {
		dir := t.TempDir()
		rng := rand.New(rand.NewPCG(seed, 11))
		s := openStore(t, dir)
		ties := 0
		for round := range 5 {
			randomWrites(t, s, rng, 60)
			before := storeTopology(t, s)
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if want := fileTopology(t, dir); !slices.Equal(before, want) {
				t.Fatalf("seed %d round %d: the store's topology is not its file's:\nstore %v\nfile  %v", seed, round, before, want)
			}
			s = openStore(t, dir)
			if after := storeTopology(t, s); !slices.Equal(before, after) {
				t.Fatalf("seed %d round %d: reopened topology differs:\nbefore %v\nafter  %v", seed, round, before, after)
			}
			for _, l := range before {
				if l[:4] == "tie " {
					ties++
				}
			}
		}
		if ties < 50 {
			t.Fatalf("seed %d: %d ties over the rounds; the writes did too little", seed, ties)
		}
	}
}

// TestImportDirWritesTieRecords: a bulk import into a new file and one
// over a file with content both leave tie records that reopen as the
// relationships' JSON says.
func TestImportDirWritesTieRecords(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	randomWrites(t, s, rand.New(rand.NewPCG(1, 2)), 80)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	src := func(node func(string, kg.Node) error, rel func(string, kg.Rel) error) error {
		for i := range 20 {
			if err := node(fmt.Sprintf("actors[%d]", i), &kg.Actor{Meta: kg.Meta{ID: fmt.Sprintf("b%d", i), Name: "B"},
				Kind: kg.KindCompany, Sector: kg.SectorPrivate}); err != nil {
				return err
			}
		}
		if err := node("projects[0]", &kg.Project{Meta: kg.Meta{ID: "p0", Name: "P0 again"}, Type: kg.ProjectTypes[len(kg.ProjectTypes)-1], Status: kg.ProjectActive}); err != nil {
			return err
		}
		for i := range 20 {
			if err := rel(fmt.Sprintf("relationships[%d]", i), kg.Rel{Type: kg.RelParticipatesIn, From: fmt.Sprintf("b%d", i), To: "p0",
				Role: string(kg.RoleFunder), Start: "2020-01-01"}); err != nil {
				return err
			}
		}
		if err := rel("relationships[20]", kg.Rel{Type: kg.RelPartnersWith, From: "b9", To: "b1", Since: "2019-05-05"}); err != nil {
			return err
		}
		return nil
	}
	for _, d := range []string{dir, t.TempDir()} { // over content, and a new file
		if _, err := ImportDir(context.Background(), d, src); err != nil {
			t.Fatalf("ImportDir: %v", err)
		}
		want := fileTopology(t, d)
		s := openStore(t, d)
		if got := storeTopology(t, s); !slices.Equal(got, want) {
			t.Fatalf("after ImportDir the topology differs from the file's:\ngot  %v\nwant %v", got, want)
		}
		if !slices.ContainsFunc(want, func(l string) bool { return l == "tie b1 PARTNERS_WITH b9 out=false w=0 18022–0" }) {
			t.Fatalf("the imported partnership is not in %v", want)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestChangedTieCodesRebuildOnce: a file whose tie records were written
// with other codes (here: every record's type code shifted, and the
// fingerprint of another code table) opens with the right topology, and
// its records are rewritten once: the next open reads them as they are.
func TestChangedTieCodesRebuildOnce(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	randomWrites(t, s, rand.New(rand.NewPCG(5, 5)), 150)
	want := storeTopology(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := bbolt.Open(dir+"/"+FileName, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		tb := tx.Bucket(bucketTies)
		var recs []tieEntry
		_ = tb.ForEach(func(k, v []byte) error {
			e := tieEntry{key: [tieKeyLen]byte(k), value: [tieValueLen]byte(v)}
			e.key[0] = (e.key[0] + 1) % uint8(len(kg.RelTypes))
			recs = append(recs, e)
			return nil
		})
		if len(recs) == 0 {
			return fmt.Errorf("no tie records")
		}
		if err := tx.DeleteBucket(bucketTies); err != nil {
			return err
		}
		nb, _ := tx.CreateBucket(bucketTies)
		if err := putTies(nb, recs); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keyTieCodes, encodeUint(12345))
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = db.Close()

	s = openStore(t, dir)
	if got := storeTopology(t, s); !slices.Equal(got, want) {
		t.Fatalf("after new tie codes the topology differs:\ngot  %v\nwant %v", got, want)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// The next open finds the current fingerprint and reads the records.
	db, err = bbolt.Open(dir+"/"+FileName, 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var codes []byte
	_ = db.View(func(tx *bbolt.Tx) error {
		codes = slices.Clone(tx.Bucket(bucketMeta).Get(keyTieCodes))
		return nil
	})
	_ = db.Close()
	if !slices.Equal(codes, tieCodes()) {
		t.Fatalf("tie codes after the rebuild = %x, want %x", codes, tieCodes())
	}
}

// TestSparseNodeNumbersRenumbered: after most nodes are deleted, opening
// numbers the rest anew (so the load's number table stays small) and the
// store reads as before, writes included.
func TestSparseNodeNumbersRenumbered(t *testing.T) {
	defer func(v uint64) { renumberAbove = v }(renumberAbove)
	renumberAbove = 8
	ctx := context.Background()
	dir := t.TempDir()
	s := openStore(t, dir)
	for i := range 40 {
		if _, err := s.UpsertNode(ctx, &kg.Actor{Meta: kg.Meta{ID: fmt.Sprintf("a%02d", i), Name: "A"}, Kind: kg.KindCompany, Sector: kg.SectorPrivate}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 39 {
		if _, err := s.SetRel(ctx, kg.Rel{Type: kg.RelPartnersWith, From: fmt.Sprintf("a%02d", i+1), To: fmt.Sprintf("a%02d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 30 {
		if _, err := s.DeleteNode(ctx, kg.LabelActor, fmt.Sprintf("a%02d", i)); err != nil {
			t.Fatal(err)
		}
	}
	want := storeTopology(t, s)
	s = reopen(t, s, dir)
	if got := storeTopology(t, s); !slices.Equal(got, want) {
		t.Fatalf("after renumbering the topology differs:\ngot  %v\nwant %v", got, want)
	}
	var next uint64
	_ = s.db.View(func(tx *bbolt.Tx) error {
		next = binary.BigEndian.Uint64(tx.Bucket(bucketMeta).Get(keyNextNum))
		return nil
	})
	if next != 10 {
		t.Errorf("next node number after renumbering = %d, want 10 (the nodes left)", next)
	}
	if _, err := s.SetRel(ctx, kg.Rel{Type: kg.RelPartnersWith, From: "a30", To: "a39"}); err != nil {
		t.Fatal(err)
	}
	want = storeTopology(t, s)
	s = reopen(t, s, dir)
	if got := storeTopology(t, s); !slices.Equal(got, want) {
		t.Fatalf("a write after renumbering did not survive a reopen:\ngot  %v\nwant %v", got, want)
	}
}

package neo4j

import (
	"context"
	"slices"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/samverkan/samverkan/internal/kg"
)

// A membership and a supply written by a build before schema version 6
// have no folded role or description; the version's backfill gives them
// theirs, so that a where on the role or description finds them, and it
// leaves no relationship pending.
func TestRelBackfillFoldsTheTextOfOlderTies(t *testing.T) {
	s := seededServer(t)
	ctx := context.Background()
	for _, r := range []kg.Rel{
		{Type: kg.RelMemberOf, From: "difi", To: "doga", Role: "Rådgivare"},
		{Type: kg.RelSupplies, From: "doga", To: "difi", Description: "Tjänstedesign för Difi"},
	} {
		if _, err := s.SetRel(ctx, r); err != nil {
			t.Fatalf("SetRel %s: %v", r.Type, err)
		}
	}
	find := func() []string {
		t.Helper()
		var out []string
		for _, src := range []map[string]any{
			{"memberOf": map[string]any{"some": map[string]any{"role": map[string]any{"eq": "radgivare"}}}},
			{"suppliers": map[string]any{"some": map[string]any{"description": map[string]any{"contains": "tjanstedesign"}}}},
		} {
			w, err := kg.ParseWhere(kg.LabelActor, "where", src)
			if err != nil {
				t.Fatal(err)
			}
			p, err := s.List(ctx, kg.ListQuery{Label: kg.LabelActor, Where: w, Order: kg.Order{Field: kg.OrderByID}, First: 10})
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range p.Nodes {
				out = append(out, n.Base().ID)
			}
		}
		return out
	}
	if got := find(); len(got) != 2 || got[0] != "difi" || got[1] != "difi" {
		t.Fatalf("as written: %v, want difi twice", got)
	}
	// As an older build left them: no folded copies (test-only Cypher).
	if _, err := neo4j.ExecuteQuery(ctx, s.driver, "MATCH ()-[r:MEMBER_OF|SUPPLIES]->() REMOVE r._foldRole, r._foldDescription", nil,
		neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(s.db)); err != nil {
		t.Fatal(err)
	}
	if got := find(); len(got) != 0 {
		t.Fatalf("without the folded copies: %v, want none", got)
	}
	q := func(name string, params map[string]any) ([]record, error) {
		return s.query(ctx, "migrate", name, params, false)
	}
	if err := backfillRels(q, stmtBackfillRelFoldsPending); err != nil {
		t.Fatal(err)
	}
	if got := find(); len(got) != 2 {
		t.Errorf("after the backfill: %v, want difi twice", got)
	}
	if recs, err := q(stmtBackfillRelFoldsPending, map[string]any{"limit": int64(10)}); err != nil || len(recs) != 0 {
		t.Errorf("still pending after the backfill: %d, %v", len(recs), err)
	}
}

// Nodes written by a build before schema version 4 have no place words and
// an older search text; the version's backfill gives them both, so that a
// search finds them again, and leaves no node pending.
func TestNodeBackfillGivesOlderNodesTheirHelpers(t *testing.T) {
	s := seededServer(t)
	ctx := context.Background()
	search := func() []string {
		t.Helper()
		hits, err := s.Search(ctx, kg.SearchQuery{Text: "karlstad", First: 50})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, h := range hits {
			ids = append(ids, h.Node.Base().ID)
		}
		return ids
	}
	want := search()
	if len(want) == 0 {
		t.Fatal("the seed has nothing in Karlstad: the test would test nothing")
	}
	// As an older build left them (test-only Cypher).
	if _, err := neo4j.ExecuteQuery(ctx, s.driver, "MATCH (n:Node) REMOVE n._placeWords, n._text", nil,
		neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(s.db)); err != nil {
		t.Fatal(err)
	}
	if got := search(); len(got) >= len(want) {
		t.Fatalf("without the helpers the search still finds %v", got)
	}
	q := func(name string, params map[string]any) ([]record, error) {
		return s.query(ctx, "migrate", name, params, false)
	}
	if err := backfill(q, stmtBackfillPlaceWordsPending); err != nil {
		t.Fatal(err)
	}
	if got := search(); !slices.Equal(got, want) {
		t.Errorf("after the backfill the search finds %v, want %v", got, want)
	}
	if recs, err := q(stmtBackfillPlaceWordsPending, map[string]any{"limit": int64(10)}); err != nil || len(recs) != 0 {
		t.Errorf("still pending after the backfill: %d, %v", len(recs), err)
	}
}

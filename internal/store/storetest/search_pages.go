package storetest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

// Search pages with SearchQuery.After: walked one or two hits at a time it
// gives the whole ranking exactly once, ties of score and name broken by
// id, for every label filter.
func testSearchPages(t *testing.T, newStore func(*testing.T) kg.Store) {
	s := newStore(t)
	fixture := searchFixture()
	// Same names, so that only the id orders them.
	for _, id := range []string{"kommun-c", "kommun-a", "kommun-b"} {
		fixture = append(fixture, actor(id, "Kommun"))
	}
	fixture = append(fixture, project("kommun-p", "Kommun"), need("kommun-n", "Kommunens behov"))
	load(t, s, fixture, nil)
	ids := func(hits []kg.SearchHit) []string {
		var out []string
		for _, h := range hits {
			out = append(out, fmt.Sprintf("%s:%g", h.Node.Base().ID, h.Score))
		}
		return out
	}
	for _, c := range []struct {
		text   string
		labels []kg.Label
	}{
		{"kommun", nil},
		{"kommun", []kg.Label{kg.LabelActor}},
		{"varmland", nil},
		{"k", nil},
	} {
		all, err := s.Search(t.Context(), kg.SearchQuery{Text: c.text, Labels: c.labels, First: kg.MaxSearchResults})
		if err != nil {
			t.Fatal(err)
		}
		if len(all) < 3 {
			t.Fatalf("Search(%q) found only %v", c.text, ids(all))
		}
		for _, size := range []int{1, 2} {
			var walked []kg.SearchHit
			q := kg.SearchQuery{Text: c.text, Labels: c.labels, First: size}
			for range 100 {
				page, err := s.Search(t.Context(), q)
				if err != nil {
					t.Fatal(err)
				}
				walked = append(walked, page...)
				if len(page) < size {
					break
				}
				after, err := kg.DecodeSearchCursor(q, kg.SearchCursorOf(q, page[len(page)-1]))
				if err != nil {
					t.Fatal(err)
				}
				q.After = after
			}
			if !slices.Equal(ids(walked), ids(all)) {
				t.Errorf("Search(%q, %v) by pages of %d = %v, want %v", c.text, c.labels, size, ids(walked), ids(all))
			}
		}
	}
	// After the last hit there is nothing.
	q := kg.SearchQuery{Text: "kommun", First: kg.MaxSearchResults}
	all, err := s.Search(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	q.After, _ = kg.DecodeSearchCursor(q, kg.SearchCursorOf(q, all[len(all)-1]))
	if rest, err := s.Search(t.Context(), q); err != nil || len(rest) != 0 {
		t.Fatalf("after the last hit: %v, %v", ids(rest), err)
	}
}

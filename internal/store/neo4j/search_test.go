package neo4j

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
	"github.com/samverkan/samverkan/internal/seed"
)

// TestSearchReturnsOnlyFirstRecordsFromTheServer: a one-letter query
// matches many nodes, yet the server sends only the first few records;
// ranking and the limit happen in Cypher, not in Go.
func TestSearchReturnsOnlyFirstRecordsFromTheServer(t *testing.T) {
	s := seededServer(t)
	ctx := context.Background()
	records := func(first int) int {
		sq := kg.SearchQuery{Text: "a", First: first}
		q, err := kg.CheckSearchQuery(sq)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := s.query(ctx, "search", stmtSearchRanked, searchParams(q, sq), true)
		if err != nil {
			t.Fatal(err)
		}
		return len(recs)
	}
	if all := records(kg.MaxSearchResults); all <= 3 {
		t.Fatalf("the query matches only %d nodes; the test needs more", all)
	}
	if got := records(3); got != 3 {
		t.Errorf("the server sent %d records for first 3", got)
	}
}

// TestSearchRanksLikeKgOnTheSeed compares Store.Search with kg's reference
// ranking (kg.Query.Score, then folded name, then id, as the embedded store
// ranks) over the seed graph, for queries made of its names, aliases and
// description words: whole, as prefixes, several words, with labels.
func TestSearchRanksLikeKgOnTheSeed(t *testing.T) {
	s := seededServer(t)
	g, err := seed.Graph()
	if err != nil {
		t.Fatal(err)
	}
	stored, err := s.GetNodes(context.Background(), ids(g.Nodes()))
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string]bool{"a": true, "k": true, "s": true, "kommun": true, "digital": true, "innovation": true}
	for i, n := range stored {
		if i%3 != 0 {
			continue
		}
		names := append([]string{n.Base().Name}, kg.Aliases(n)...)
		for _, name := range names {
			w := kg.Words(name)
			texts[name] = true
			if len(w) > 0 {
				r := []rune(w[0])
				texts[string(r[:min(len(r), 3)])] = true
			}
			if len(w) > 1 {
				texts[w[1]+" "+w[0]] = true
				texts[w[0]+" "+string([]rune(w[1])[:1])] = true
			}
		}
		if d := kg.Words(n.Base().Description); len(d) > 2 {
			texts[d[1]+" "+d[2]] = true
		}
	}
	checked := 0
	for text := range texts {
		for _, labels := range [][]kg.Label{nil, {kg.LabelActor, kg.LabelCompetency}} {
			sq := kg.SearchQuery{Text: text, First: 7, Labels: labels}
			want := reference(sq, stored)
			got, err := s.Search(context.Background(), sq)
			if err != nil {
				t.Fatalf("%q: %v", text, err)
			}
			if a, b := hitString(got), hitString(want); a != b {
				t.Errorf("search %q %v:\n got %s\nwant %s", text, labels, a, b)
			}
			checked++
		}
	}
	if checked < 50 {
		t.Errorf("only %d searches checked", checked)
	}
}

func ids(nodes []kg.Node) []string {
	out := make([]string, len(nodes))
	for i, n := range nodes {
		out[i] = n.Base().ID
	}
	return out
}

// reference ranks nodes as kg defines search.
func reference(sq kg.SearchQuery, nodes []kg.Node) []kg.SearchHit {
	q, _ := kg.CheckSearchQuery(sq)
	var hits []kg.SearchHit
	for _, n := range nodes {
		if len(sq.Labels) > 0 && !slices.Contains(sq.Labels, n.NodeLabel()) {
			continue
		}
		if sc := q.Score(n); sc > 0 {
			hits = append(hits, kg.SearchHit{Node: n, Score: float64(sc)})
		}
	}
	slices.SortFunc(hits, func(a, b kg.SearchHit) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score),
			strings.Compare(kg.SortKey(a.Node, kg.OrderByName), kg.SortKey(b.Node, kg.OrderByName)),
			strings.Compare(a.Node.Base().ID, b.Node.Base().ID))
	})
	return hits[:min(len(hits), sq.First)]
}

func hitString(hits []kg.SearchHit) string {
	parts := make([]string, len(hits))
	for i, h := range hits {
		parts[i] = fmt.Sprintf("%s:%v", h.Node.Base().ID, h.Score)
	}
	return strings.Join(parts, " ")
}

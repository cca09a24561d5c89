package neo4j

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/samverkan/samverkan/internal/kg"
)

// upsertStmt and the list statements exist per label because Cypher cannot
// take a label as a parameter.
var upsertStmt = map[kg.Label]string{
	kg.LabelActor:      stmtUpsertActor,
	kg.LabelProject:    stmtUpsertProject,
	kg.LabelNeed:       stmtUpsertNeed,
	kg.LabelCompetency: stmtUpsertCompetency,
}

type listStmts struct{ asc, desc, count string }

var listStmt = map[kg.Label]listStmts{
	kg.LabelActor:      {stmtListActorAsc, stmtListActorDesc, stmtCountActor},
	kg.LabelProject:    {stmtListProjectAsc, stmtListProjectDesc, stmtCountProject},
	kg.LabelNeed:       {stmtListNeedAsc, stmtListNeedDesc, stmtCountNeed},
	kg.LabelCompetency: {stmtListCompetencyAsc, stmtListCompetencyDesc, stmtCountCompetency},
}

// queryRunner runs a statement either on its own or inside a transaction.
type queryRunner func(name string, params map[string]any) ([]record, error)

func txRunner(ctx context.Context, tx neo4j.ManagedTransaction) queryRunner {
	return func(name string, params map[string]any) ([]record, error) { return run(ctx, tx, name, params) }
}

// batchSize bounds the rows of one UNWIND statement.
const batchSize = 1000

func chunks[T any](all []T, n int, f func([]T) error) error {
	for len(all) > 0 {
		k := min(n, len(all))
		if err := f(all[:k]); err != nil {
			return err
		}
		all = all[k:]
	}
	return nil
}

func dedupe(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// nodesByID loads the nodes with these ids, keyed by id.
func nodesByID(q queryRunner, ids []string) (map[string]kg.Node, error) {
	out := make(map[string]kg.Node, len(ids))
	err := chunks(dedupe(ids), batchSize, func(part []string) error {
		recs, err := q(stmtNodesByID, map[string]any{"ids": part})
		if err != nil {
			return err
		}
		for _, r := range recs {
			n, err := r.node("n")
			if err != nil {
				return err
			}
			out[n.Base().ID] = n
		}
		return nil
	})
	return out, err
}

// nodeLabels looks up the kg label of each id that exists.
func nodeLabels(q queryRunner, ids []string) (map[string]kg.Label, error) {
	out := make(map[string]kg.Label, len(ids))
	recs, err := q(stmtNodeLabels, map[string]any{"ids": dedupe(ids)})
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		id, err := r.str("id")
		if err != nil {
			return nil, err
		}
		labels, err := r.strings("labels")
		if err != nil {
			return nil, err
		}
		out[id] = labelOf(labels)
	}
	return out, nil
}

// GetNodes returns the nodes with the given ids, aligned with ids.
func (s *Store) GetNodes(ctx context.Context, ids []string) ([]kg.Node, error) {
	out := make([]kg.Node, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	recs, err := s.query(ctx, "getNodes", stmtNodesByID, map[string]any{"ids": dedupe(ids)}, true)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]kg.Node, len(recs))
	for _, r := range recs {
		n, err := r.node("n")
		if err != nil {
			return nil, s.fail(ctx, "getNodes", err)
		}
		byID[n.Base().ID] = n
	}
	handed := make(map[string]bool, len(byID))
	for i, id := range ids {
		if n, ok := byID[id]; ok {
			if handed[id] {
				n = kg.Clone(n) // a repeated id gets its own copy to change
			}
			handed[id] = true
			out[i] = n
		}
	}
	return out, nil
}

// writeNodes stores prepared nodes of one label; every row must come back,
// or an id belonged to a node of another label.
func writeNodes(q queryRunner, l kg.Label, nodes []kg.Node) ([]kg.Node, error) {
	name, ok := upsertStmt[l]
	if !ok {
		return nil, kg.Invalid("label", "%q is not a label", l)
	}
	var out []kg.Node
	err := chunks(nodes, batchSize, func(part []kg.Node) error {
		rows := make([]any, len(part))
		for i, n := range part {
			rows[i] = map[string]any{"id": n.Base().ID, "props": nodeProps(n)}
		}
		recs, err := q(name, map[string]any{"rows": rows})
		if err != nil {
			return err
		}
		if len(recs) != len(part) {
			got := make(map[string]bool, len(recs))
			for _, r := range recs {
				if n, err := r.node("n"); err == nil {
					got[n.Base().ID] = true
				}
			}
			for _, n := range part {
				if id := n.Base().ID; !got[id] {
					return kg.Conflict(id, "id %q already belongs to a node of another label; ids are unique across every label", id)
				}
			}
			return fmt.Errorf("upsert returned %d records for %d rows", len(recs), len(part))
		}
		for _, r := range recs {
			n, err := r.node("n")
			if err != nil {
				return err
			}
			out = append(out, n)
		}
		return nil
	})
	return out, err
}

// UpsertNode creates or replaces a node.
func (s *Store) UpsertNode(ctx context.Context, n kg.Node) (kg.Node, error) {
	if kg.IsNil(n) {
		return nil, kg.PrepareNode(nil, nil, now())
	}
	if err := precheckNode(n); err != nil {
		return nil, err
	}
	return write(ctx, s, "upsertNode", func(ctx context.Context, tx neo4j.ManagedTransaction) (kg.Node, error) {
		q := txRunner(ctx, tx)
		c := kg.Clone(n) // the work may run again on a retry
		var existing kg.Node
		if id := strings.TrimSpace(c.Base().ID); id != "" {
			found, err := nodesByID(q, []string{id})
			if err != nil {
				return nil, err
			}
			existing = found[id]
		}
		if err := kg.PrepareNode(c, existing, now()); err != nil {
			return nil, err
		}
		stored, err := writeNodes(q, c.NodeLabel(), []kg.Node{c})
		if err != nil {
			return nil, err
		}
		return stored[0], nil
	})
}

// precheckNode refuses what kg.PrepareNode would refuse whatever the
// store holds, before a write transaction takes the graph-wide write lock.
// It runs the same steps in the same order, so the error is the same.
func precheckNode(n kg.Node) error {
	c := kg.Clone(n)
	if c == nil {
		return kg.PrepareNode(nil, nil, now())
	}
	kg.Normalize(c)
	if c.Base().ID == "" {
		c.Base().ID = kg.NewID(c.NodeLabel()) // PrepareNode does the same
	}
	return kg.ValidateNode(c)
}

// DeleteNode deletes a node of label l and its relationships.
func (s *Store) DeleteNode(ctx context.Context, l kg.Label, id string) (bool, error) {
	if err := kg.CheckDelete(l, id, ""); err != nil {
		return false, err
	}
	_, err := write(ctx, s, "deleteNode", func(ctx context.Context, tx neo4j.ManagedTransaction) (bool, error) {
		q := txRunner(ctx, tx)
		labels, err := nodeLabels(q, []string{id})
		if err != nil {
			return false, err
		}
		stored, ok := labels[id]
		if !ok {
			return false, errNoChange
		}
		if err := kg.CheckDelete(l, id, stored); err != nil {
			return false, err
		}
		_, err = q(stmtDeleteNode, map[string]any{"id": id})
		return true, err
	})
	if errors.Is(err, errNoChange) {
		return false, nil
	}
	return err == nil, err
}

// listParams are the parameters of the filter shared by list and count.
func listParams(l kg.Label, f kg.Filter) map[string]any {
	folded := func(in []string) []string {
		out := make([]string, len(in))
		for i, s := range in {
			out[i] = kg.Fold(strings.TrimSpace(s))
		}
		return out
	}
	conv := func(n int, at func(int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = at(i)
		}
		return out
	}
	p := map[string]any{
		"ids":          strs(f.IDs),
		"nameContains": "",
	}
	if f.NameContains != "" {
		// kg.Filter.Match applies the filter whenever it is set, even to
		// blanks, which then match everything: so does "" here.
		p["nameContains"] = kg.Fold(strings.TrimSpace(f.NameContains))
	}
	switch l {
	case kg.LabelActor:
		p["kinds"] = conv(len(f.Kinds), func(i int) string { return string(f.Kinds[i]) })
		p["sectors"] = conv(len(f.Sectors), func(i int) string { return string(f.Sectors[i]) })
		p["countries"] = strs(f.Countries)
		p["regions"] = folded(f.Regions)
		p["cities"] = folded(f.Cities)
	case kg.LabelProject:
		p["statuses"] = strs(f.Statuses)
		p["programmes"] = folded(f.Programmes)
	case kg.LabelNeed:
		p["statuses"] = strs(f.Statuses)
		p["minPriority"] = int64(f.MinPriority)
	case kg.LabelCompetency:
		p["categories"] = conv(len(f.Categories), func(i int) string { return string(f.Categories[i]) })
	}
	return p
}

// List returns one page of a label's nodes, filtered and ordered as
// kg.Filter.Match, kg.Less and kg.Cursor.After define.
func (s *Store) List(ctx context.Context, q kg.ListQuery) (kg.Page, error) {
	o, err := kg.CheckListQuery(q)
	if err != nil {
		return kg.Page{}, err
	}
	q.Order = o
	stmts := listStmt[q.Label]
	first := q.First

	page := listParams(q.Label, q.Filter)
	count := listParams(q.Label, q.Filter)
	page["orderField"] = string(q.Order.Field)
	page["hasAfter"] = q.After != nil
	page["afterKey"], page["afterId"] = "", ""
	if q.After != nil {
		page["afterKey"], page["afterId"] = orderKey(q.After.Key), q.After.ID
	}
	page["limit"] = int64(first + 1)
	name := stmts.asc
	if q.Order.Desc {
		name = stmts.desc
	}

	return read(ctx, s, "list", func(ctx context.Context, tx neo4j.ManagedTransaction) (kg.Page, error) {
		recs, err := run(ctx, tx, name, page)
		if err != nil {
			return kg.Page{}, err
		}
		totals, err := run(ctx, tx, stmts.count, count)
		if err != nil {
			return kg.Page{}, err
		}
		var out kg.Page
		for _, r := range recs {
			n, err := r.node("n")
			if err != nil {
				return kg.Page{}, err
			}
			out.Nodes = append(out.Nodes, n)
		}
		// Cypher ordered and cut the page already; sorting again with
		// kg.Less is cheap and keeps the order exactly kg's.
		sort.SliceStable(out.Nodes, func(i, j int) bool { return kg.Less(out.Nodes[i], out.Nodes[j], q.Order) })
		if len(out.Nodes) > first {
			out.Nodes, out.HasNextPage = out.Nodes[:first], true
		}
		if len(totals) != 1 {
			return kg.Page{}, fmt.Errorf("count returned %d records", len(totals))
		}
		total, err := totals[0].integer("total")
		if err != nil {
			return kg.Page{}, err
		}
		out.TotalCount = int(total)
		return out, nil
	})
}

// luceneSpecial are the characters Lucene's classic query parser gives a
// meaning; whitespace would split a term in two.
const luceneSpecial = `+-&|!(){}[]^"~*?:\/`

// maxTermRunes keeps every query term within one index token. The
// whitespace analyzer cuts words longer than 255 UTF-16 units into pieces,
// so a longer term could never match; 100 runes are at most 200 units.
const maxTermRunes = 100

// luceneEscape makes word one literal Lucene term. kg.Words yields letters
// and digits only, so this is defence in depth: no user text may ever act
// as query syntax.
func luceneEscape(word string) string {
	var b strings.Builder
	for _, r := range word {
		if strings.ContainsRune(luceneSpecial, r) || unicode.IsSpace(r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// luceneQuery returns the full-text query whose hits include every node
// that q scores above 0: such a node has each earlier query word as a whole
// word, and a word starting with the last one, in its name, an alias or
// its description (see kg.Query.Score). Every clause is required, so the
// index returns few candidates rather than every node sharing one word.
func luceneQuery(q kg.Query) string {
	parts := make([]string, 0, len(q))
	last := len(q) - 1
	for i, w := range q {
		r := []rune(w)
		switch {
		case i < last && len(r) > maxTermRunes:
			// Indexed in pieces: leave this word to kg's scoring.
		case i < last:
			parts = append(parts, "+"+luceneEscape(w))
		default:
			// A prefix of the prefix still finds every match.
			parts = append(parts, "+"+luceneEscape(string(r[:min(len(r), maxTermRunes)]))+"*")
		}
	}
	return strings.Join(parts, " ")
}

// Search ranks nodes by kg.Query.Score, then folded name, then id. The
// full-text index gives candidates, a superset of the matches (see
// luceneQuery and migrate_fulltext_node_search.cypher); kg scores them.
func (s *Store) Search(ctx context.Context, sq kg.SearchQuery) ([]kg.SearchHit, error) {
	q, err := kg.CheckSearchQuery(sq)
	if err != nil {
		return nil, err
	}
	labels := make([]string, len(sq.Labels))
	for i, l := range sq.Labels {
		labels[i] = string(l)
	}
	first := sq.First
	hits := []kg.SearchHit{}
	recs, err := s.query(ctx, "search", stmtSearchCandidates, map[string]any{
		"query":  luceneQuery(q),
		"labels": labels,
	}, true)
	if err != nil {
		return nil, err
	}
	type scored struct {
		hit  kg.SearchHit
		name string
	}
	var all []scored
	for _, r := range recs {
		n, err := r.node("node")
		if err != nil {
			return nil, s.fail(ctx, "search", err)
		}
		if score := q.Score(n); score > 0 {
			all = append(all, scored{kg.SearchHit{Node: n, Score: float64(score)}, kg.Fold(n.Base().Name)})
		}
	}
	sort.Slice(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if a.hit.Score != b.hit.Score {
			return a.hit.Score > b.hit.Score
		}
		if a.name != b.name {
			return a.name < b.name
		}
		return a.hit.Node.Base().ID < b.hit.Node.Base().ID
	})
	for i := 0; i < len(all) && i < first; i++ {
		hits = append(hits, all[i].hit)
	}
	return hits, nil
}

package neo4j

import (
	"context"
	"errors"
	"fmt"
	"maps"
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

// listStmts are the statements of one label's lists (see List).
type listStmts struct {
	order    map[kg.OrderField][2]string // ascending, descending
	by       []filterStmts               // in the order List prefers them
	count    string                      // only unindexed filters: a label scan ("" if none)
	countAll string                      // no filter: the count store
}

// filterStmts serve a list whose filter parameter param is set: its index
// finds the candidates.
type filterStmts struct {
	param            string
	asc, desc, count string
}

func orderStmts(name, id, created, updated [2]string) map[kg.OrderField][2]string {
	return map[kg.OrderField][2]string{
		kg.OrderByName: name, kg.OrderByID: id, kg.OrderByCreatedAt: created, kg.OrderByUpdatedAt: updated,
	}
}

var listStmt = map[kg.Label]listStmts{
	kg.LabelActor: {
		order: orderStmts(
			[2]string{stmtListActorNameAsc, stmtListActorNameDesc},
			[2]string{stmtListActorIDAsc, stmtListActorIDDesc},
			[2]string{stmtListActorCreatedAtAsc, stmtListActorCreatedAtDesc},
			[2]string{stmtListActorUpdatedAtAsc, stmtListActorUpdatedAtDesc}),
		by: []filterStmts{
			{"ids", stmtListActorByIdsAsc, stmtListActorByIdsDesc, stmtCountActorByIds},
			{"kinds", stmtListActorByKindAsc, stmtListActorByKindDesc, stmtCountActorByKind},
			{"sectors", stmtListActorBySectorAsc, stmtListActorBySectorDesc, stmtCountActorBySector},
			{"countries", stmtListActorByCountryAsc, stmtListActorByCountryDesc, stmtCountActorByCountry},
			{"nameContains", stmtListActorByNameAsc, stmtListActorByNameDesc, stmtCountActorByName},
		},
		count: stmtCountActor, countAll: stmtCountActorAll,
	},
	kg.LabelProject: {
		order: orderStmts(
			[2]string{stmtListProjectNameAsc, stmtListProjectNameDesc},
			[2]string{stmtListProjectIDAsc, stmtListProjectIDDesc},
			[2]string{stmtListProjectCreatedAtAsc, stmtListProjectCreatedAtDesc},
			[2]string{stmtListProjectUpdatedAtAsc, stmtListProjectUpdatedAtDesc}),
		by: []filterStmts{
			{"ids", stmtListProjectByIdsAsc, stmtListProjectByIdsDesc, stmtCountProjectByIds},
			{"statuses", stmtListProjectByStatusAsc, stmtListProjectByStatusDesc, stmtCountProjectByStatus},
			{"nameContains", stmtListProjectByNameAsc, stmtListProjectByNameDesc, stmtCountProjectByName},
		},
		count: stmtCountProject, countAll: stmtCountProjectAll,
	},
	kg.LabelNeed: {
		order: orderStmts(
			[2]string{stmtListNeedNameAsc, stmtListNeedNameDesc},
			[2]string{stmtListNeedIDAsc, stmtListNeedIDDesc},
			[2]string{stmtListNeedCreatedAtAsc, stmtListNeedCreatedAtDesc},
			[2]string{stmtListNeedUpdatedAtAsc, stmtListNeedUpdatedAtDesc}),
		by: []filterStmts{
			{"ids", stmtListNeedByIdsAsc, stmtListNeedByIdsDesc, stmtCountNeedByIds},
			{"statuses", stmtListNeedByStatusAsc, stmtListNeedByStatusDesc, stmtCountNeedByStatus},
			{"nameContains", stmtListNeedByNameAsc, stmtListNeedByNameDesc, stmtCountNeedByName},
		},
		count: stmtCountNeed, countAll: stmtCountNeedAll,
	},
	kg.LabelCompetency: {
		order: orderStmts(
			[2]string{stmtListCompetencyNameAsc, stmtListCompetencyNameDesc},
			[2]string{stmtListCompetencyIDAsc, stmtListCompetencyIDDesc},
			[2]string{stmtListCompetencyCreatedAtAsc, stmtListCompetencyCreatedAtDesc},
			[2]string{stmtListCompetencyUpdatedAtAsc, stmtListCompetencyUpdatedAtDesc}),
		by: []filterStmts{
			{"ids", stmtListCompetencyByIdsAsc, stmtListCompetencyByIdsDesc, stmtCountCompetencyByIds},
			{"categories", stmtListCompetencyByCategoryAsc, stmtListCompetencyByCategoryDesc, stmtCountCompetencyByCategory},
			{"nameContains", stmtListCompetencyByNameAsc, stmtListCompetencyByNameDesc, stmtCountCompetencyByName},
		},
		// Every Competency filter is indexed: no count scans the label.
		countAll: stmtCountCompetencyAll,
	},
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
			n, err := r.node()
			if err != nil {
				if nodeGone(r) {
					return fmt.Errorf("%w: %v", errRaced, err)
				}
				return err
			}
			out[n.Base().ID] = n
		}
		return nil
	})
	return out, err
}

// nodeGone reports whether a row's node reads without its id or without
// any label: a node a concurrent write deleted (or was replacing) while
// this statement read or waited for its lock. Neo4j reads committed data,
// not a snapshot, so a row can even hold the properties read before the
// delete and the labels read after it. A write that then writes it finds
// it gone. Inside a write, that is a race (errRaced): the write runs again.
func nodeGone(r record) bool {
	v, err := r.get("node")
	if err != nil {
		return false
	}
	m, _ := v.(map[string]any)
	if m["id"] == nil {
		return true
	}
	labels, err := r.get("labels")
	if err != nil {
		return false // a statement without a labels column
	}
	l, _ := labels.([]any)
	return len(l) == 0
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
		if nodeGone(r) {
			continue // deleted while the statement read it
		}
		n, err := r.node()
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
		recs, err := q(name, upsertParams(part))
		if err != nil {
			return err
		}
		if len(recs) != len(part) {
			got := make(map[string]bool, len(recs))
			for _, r := range recs {
				if n, err := r.nodeOf(l); err == nil {
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
			n, err := r.nodeOf(l)
			if err != nil {
				if nodeGone(r) {
					return fmt.Errorf("%w: %v", errRaced, err)
				}
				return err
			}
			out = append(out, n)
		}
		return nil
	})
	return out, err
}

// upsertParams are the parameters of upsert_<label>.cypher for nodes.
func upsertParams(nodes []kg.Node) map[string]any {
	rows := make([]any, len(nodes))
	for i, n := range nodes {
		rows[i] = map[string]any{"id": n.Base().ID, "props": nodeProps(n)}
	}
	return map[string]any{"rows": rows}
}

// UpsertNode creates or replaces a node. kg.PlanUpsertNode refuses what
// it can before the write transaction takes the graph-wide write lock.
func (s *Store) UpsertNode(ctx context.Context, n kg.Node) (kg.Node, error) {
	plan, err := kg.PlanUpsertNode(n)
	if err != nil {
		return nil, err
	}
	return write(ctx, s, "upsertNode", func(ctx context.Context, tx neo4j.ManagedTransaction) (kg.Node, kg.Change, error) {
		q := txRunner(ctx, tx)
		c, err := plan.Prepare(txLookup{q}, now())
		if err != nil {
			return nil, kg.Change{}, err
		}
		stored, err := writeNodes(q, c.NodeLabel(), []kg.Node{c})
		if err != nil {
			return nil, kg.Change{}, err
		}
		if err := syncExternalIDs(q, stored); err != nil {
			return nil, kg.Change{}, err
		}
		return stored[0], nodesChange(stored), nil
	})
}

// DeleteNode deletes a node of label l and its relationships.
func (s *Store) DeleteNode(ctx context.Context, l kg.Label, id string) (bool, error) {
	plan, err := kg.PlanDeleteNode(l, id)
	if err != nil {
		return false, err
	}
	_, err = write(ctx, s, "deleteNode", func(ctx context.Context, tx neo4j.ManagedTransaction) (bool, kg.Change, error) {
		q := txRunner(ctx, tx)
		found, err := plan.Prepare(txLookup{q})
		if err != nil {
			return false, kg.Change{}, err
		}
		if !found {
			return false, kg.Change{}, errNoChange
		}
		if _, err = q(stmtExternalIDsDeleteOf, map[string]any{"id": plan.ID()}); err != nil {
			return false, kg.Change{}, err
		}
		if _, err = q(stmtDeleteNode, map[string]any{"id": plan.ID()}); err != nil {
			return false, kg.Change{}, err
		}
		return true, kg.Change{DeletedNodes: []kg.NodeRef{{ID: plan.ID(), Label: l}}}, nil
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

// keyMax is above every stored sort key and id: keys hold no character
// from U+E440 up (see orderKey), ids are ASCII. A descending page with no
// cursor starts below it.
const keyMax = "\uffff"

// isSet reports whether a filter parameter selects anything: a non-empty
// list or text, a minimum above 0 (every priority is at least 1).
func isSet(v any) bool {
	switch v := v.(type) {
	case []string:
		return len(v) > 0
	case string:
		return v != ""
	case int64:
		return v > 0
	}
	return false
}

// listPlan picks the statements of a list and builds their parameters.
// Every statement of a label checks the whole filter, so the choice only
// decides which index serves the page:
//   - no indexed filter: the index of the order field (list_<label>_<field>_
//     <dir>), whose keyset condition is a range seek and whose order needs no
//     sort; the filters are checked on the rows it yields;
//   - an indexed filter (ids, an enum field, nameContains): that filter's
//     index (list_<label>_by_<filter>_<dir>), then a sort of what it found.
//     With several set, the first in listStmts.by serves and the others are
//     checked on its rows: a combination has no index of its own.
//
// The total is counted by the same filter's index, from the count store
// with no filter, and with only unindexed filters (regions, cities,
// programmes, minPriority) by a scan of the label.
func listPlan(q kg.ListQuery) (page string, pageParams map[string]any, count string, countParams map[string]any) {
	stmts := listStmt[q.Label]
	filter := listParams(q.Label, q.Filter)
	pageParams = maps.Clone(filter)
	countParams = maps.Clone(filter)

	afterKey, afterID := "", ""
	if q.Order.Desc {
		afterKey, afterID = keyMax, keyMax
	}
	if q.After != nil {
		afterKey, afterID = orderKey(q.After.Key), q.After.ID
	}
	pageParams["afterId"] = afterID
	pageParams["limit"] = int64(q.First + 1)
	dir := 0
	if q.Order.Desc {
		dir = 1
	}
	for _, f := range stmts.by {
		if isSet(filter[f.param]) {
			page, count = f.asc, f.count
			if q.Order.Desc {
				page = f.desc
			}
			pageParams["orderField"] = string(q.Order.Field)
			pageParams["afterKey"] = afterKey
			return page, pageParams, count, countParams
		}
	}
	page = stmts.order[q.Order.Field][dir]
	if q.Order.Field != kg.OrderByID {
		pageParams["afterKey"] = afterKey
	}
	count = stmts.countAll
	for _, v := range filter {
		if isSet(v) {
			count = stmts.count
		}
	}
	if count == stmts.countAll {
		countParams = map[string]any{}
	}
	return page, pageParams, count, countParams
}

// List returns one page of a label's nodes, filtered and ordered as
// kg.Filter.Match, kg.Less and kg.Cursor.After define.
func (s *Store) List(ctx context.Context, q kg.ListQuery) (kg.Page, error) {
	o, err := kg.CheckListQuery(q)
	if err != nil {
		return kg.Page{}, err
	}
	q.Order = o
	if q.Where != nil {
		return s.listWhere(ctx, q)
	}
	first := q.First
	name, page, countName, count := listPlan(q)

	return read(ctx, s, "list", func(ctx context.Context, tx neo4j.ManagedTransaction) (kg.Page, error) {
		recs, err := run(ctx, tx, name, page)
		if err != nil {
			return kg.Page{}, err
		}
		totals, err := run(ctx, tx, countName, count)
		if err != nil {
			return kg.Page{}, err
		}
		var out kg.Page
		for _, r := range recs {
			if nodeGone(r) {
				continue // deleted while the statement read it
			}
			n, err := r.nodeOf(q.Label)
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

// searchParams are the parameters of search_ranked.cypher: the full-text
// query that finds the candidates, and the parsed query that ranks them.
func searchParams(q kg.Query, sq kg.SearchQuery) map[string]any {
	labels := make([]string, len(sq.Labels))
	for i, l := range sq.Labels {
		labels[i] = string(l)
	}
	p := map[string]any{
		"query":  luceneQuery(q),
		"labels": labels,
		"words":  []string(q),
		"first":  int64(sq.First),
		// The first page: every score is below 6.
		"afterScore": int64(kg.TierExact + 1),
		"afterName":  "",
		"afterId":    "",
	}
	if c := sq.After; c != nil {
		p["afterScore"], p["afterName"], p["afterId"] = int64(c.Score), orderKey(c.Key), c.ID
	}
	return p
}

// Search ranks nodes as kg.RankHits does: by kg.Query.Score, then folded
// name, then id. The
// full-text index gives candidates, a superset of the matches (see
// luceneQuery and migrate_fulltext_node_search.cypher); the statement
// scores them as kg does and returns only the best sq.First.
func (s *Store) Search(ctx context.Context, sq kg.SearchQuery) ([]kg.SearchHit, error) {
	q, err := kg.CheckSearchQuery(sq)
	if err != nil {
		return nil, err
	}
	recs, err := s.query(ctx, "search", stmtSearchRanked, searchParams(q, sq), true)
	if err != nil {
		return nil, err
	}
	hits := make([]kg.SearchHit, 0, len(recs))
	for _, r := range recs {
		if nodeGone(r) {
			continue // deleted while the statement read it
		}
		n, err := r.node()
		if err != nil {
			return nil, s.fail(ctx, "search", err)
		}
		score, err := r.integer("score")
		if err != nil {
			return nil, s.fail(ctx, "search", err)
		}
		hits = append(hits, kg.SearchHit{Node: n, Score: float64(score)})
	}
	// The statement ranked and cut already; kg.RankHits again is cheap
	// and keeps the order exactly kg's.
	return kg.RankHits(hits, sq.First), nil
}

package neo4j

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/samverkan/samverkan/internal/kg"
	"github.com/samverkan/samverkan/internal/seed"
)

// capture is a queryRunner that records what the store's own code passes
// to each statement, so that the samples below are the real parameters.
type capture struct {
	params map[string][]map[string]any
	answer func(name string) []record
}

func (c *capture) q(name string, params map[string]any) ([]record, error) {
	if c.params == nil {
		c.params = map[string][]map[string]any{}
	}
	c.params[name] = append(c.params[name], params)
	if c.answer != nil {
		return c.answer(name), nil
	}
	return nil, nil
}

// isSchemaStatement: DDL and SHOW commands, which EXPLAIN does not take;
// TestMigrationsCreateExactlyTheSchema covers them.
func isSchemaStatement(text string) bool {
	for _, kw := range []string{"CREATE CONSTRAINT", "CREATE INDEX", "CREATE TEXT INDEX", "CREATE FULLTEXT INDEX", "SHOW INDEXES", "SHOW CONSTRAINTS"} {
		if strings.Contains(text, kw) {
			return true
		}
	}
	return false
}

// sampleParams returns parameters for every statement but the schema
// ones: built by the store's own functions wherever the store has one
// (nodes, relationships, lists, search, change records, backfill), by hand
// where the store passes scalars inline. Values come from the seed graph
// that s holds, so that reads find something.
func sampleParams(t *testing.T, s *Store) map[string][]map[string]any {
	t.Helper()
	ctx := context.Background()
	g, err := seed.Graph()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	var nodes []kg.Node
	for _, l := range kg.Labels {
		page, err := s.List(ctx, kg.ListQuery{Label: l, First: 2})
		if err != nil || len(page.Nodes) == 0 {
			t.Fatalf("listing %s: %v (%d nodes)", l, err, len(page.Nodes))
		}
		for _, n := range page.Nodes {
			ids = append(ids, n.Base().ID)
			nodes = append(nodes, n)
		}
	}
	c := &capture{}
	_, _ = nodesByID(c.q, ids)
	_, _ = lockNodes(c.q, ids)
	_, _ = txLookup{c.q}.PartOf(ids)
	for _, n := range nodes {
		_, _ = writeNodes(c.q, n.NodeLabel(), []kg.Node{n})
	}
	orgnr := kg.ExternalID{Scheme: "se-orgnr", Value: "222000-0315"}
	orgnrKey := orgnr.Key()
	_, _ = txLookup{c.q}.ExternalIDOwners([]kg.ExternalID{orgnr})
	_ = syncExternalIDs(c.q, []kg.Node{&kg.Actor{Meta: kg.Meta{ID: "explain-a"}, ExternalIDs: []kg.ExternalID{orgnr}}})
	var keys []kg.RelKey
	seen := map[kg.RelType]bool{}
	// The seed's relationships, then those of seededServer's graph of
	// every property for the types the seed lacks.
	every := append(g.Rels, kg.Rel{Type: kg.RelPartOf, From: "explain-q", To: "explain-p"},
		kg.Rel{Type: kg.RelSupplies, From: "explain-b", To: "explain-a", Description: "d"})
	for _, r := range every {
		if !seen[r.Type] {
			seen[r.Type] = true
			keys = append(keys, r.Key())
			_, _ = writeRels(c.q, r.Type, []kg.Rel{r})
		}
	}
	_, _ = relsByKey(c.q, keys)

	// The backfill, answered with one node that lacks the helpers.
	props := nodeProps(nodes[0])
	for k := range props {
		if strings.HasPrefix(k, "_") {
			delete(props, k)
		}
	}
	for _, stmt := range []string{stmtBackfillHelpersPending, stmtBackfillPlaceWordsPending} {
		pending := true
		c.answer = func(name string) []record {
			if name == stmt && pending {
				pending = false
				return []record{{keys: []string{"node", "labels"}, values: []any{asDriver(props), []any{"Node", string(nodes[0].NodeLabel())}}}}
			}
			return nil
		}
		if err := backfill(c.q, stmt); err != nil {
			t.Fatal(err)
		}
	}
	// The relationships' backfill, answered with one membership that lacks
	// its folded role.
	pendingRel := true
	c.answer = func(name string) []record {
		if name == stmtBackfillRelFoldsPending && pendingRel {
			pendingRel = false
			return []record{{keys: []string{"eid", "type", "role", "description"}, values: []any{"4:x:1", "MEMBER_OF", "Ordförande", nil}}}
		}
		return nil
	}
	if err := backfillRels(c.q, stmtBackfillRelFoldsPending); err != nil {
		t.Fatal(err)
	}
	c.answer = nil

	// Every list plan: each order, with and without a cursor, each filter.
	filters := []kg.Filter{{}, {Regions: []string{"Värmland"}}, {MinPriority: 2}, {Programmes: []string{"x"}}}
	for _, fs := range listFilters {
		filters = append(filters, fs...)
	}
	for _, l := range kg.Labels {
		for _, f := range kg.OrderFields {
			for _, desc := range []bool{false, true} {
				for _, filter := range filters {
					q := kg.ListQuery{Label: l, Filter: filter, Order: kg.Order{Field: f, Desc: desc}, First: 5}
					if _, err := kg.CheckListQuery(q); err != nil {
						continue // a filter of another label
					}
					page, pp, count, cp := listPlan(q)
					c.params[page] = append(c.params[page], pp)
					c.params[count] = append(c.params[count], cp)
				}
			}
		}
	}
	// Every where statement, seeded by ids and not, with a program of
	// every instruction.
	for _, l := range kg.Labels {
		rel := kg.WhereRelations[l][0]
		for _, src := range []map[string]any{
			{"name": map[string]any{"contains": "karl"}, "NOT": map[string]any{"id": map[string]any{"in": []any{"x"}}},
				"OR":     []any{map[string]any{"createdAt": map[string]any{"gte": "2020-01-01T00:00:00Z"}}},
				rel.Name: map[string]any{"some": map[string]any{}, "none": map[string]any{"AND": []any{}}}},
			{"id": map[string]any{"eq": "x"}},
			{kg.WhereSeedField(l): map[string]any{"in": []any{seedValues[l][0], seedValues[l][1]}}, rel.Name: map[string]any{"all": map[string]any{}}},
		} {
			w, err := kg.ParseWhere(l, "where", src)
			if err != nil {
				t.Fatal(err)
			}
			for _, desc := range []bool{false, true} {
				q := kg.ListQuery{Label: l, Where: w, Filter: kg.Filter{NameContains: "a"},
					Order: kg.Order{Field: kg.OrderByName, Desc: desc}, First: 5}
				name, p := wherePlan(q)
				c.params[name] = append(c.params[name], p)
			}
		}
	}
	for _, l := range kg.Labels {
		for _, f := range append([]kg.GroupField{kg.GroupNone}, kg.GroupFields(l)...) {
			for _, filter := range filters {
				q := kg.AggregateQuery{Label: l, Filter: filter, GroupBy: f}
				if kg.CheckAggregateQuery(q) == nil {
					c.params[aggregateStatements[l]] = append(c.params[aggregateStatements[l]], aggregateParams(q))
				}
			}
		}
	}
	for _, text := range []string{"karl", "kommun karl", "tjenestedesign"} {
		sq := kg.SearchQuery{Text: text, First: 10, Labels: []kg.Label{kg.LabelActor}}
		q, err := kg.CheckSearchQuery(sq)
		if err != nil {
			t.Fatal(err)
		}
		c.params[stmtSearchRanked] = append(c.params[stmtSearchRanked], searchParams(q, sq))
	}
	// The topology's catch-up, from the start and from the seed's version.
	v, err := s.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c.params[stmtChangesSince] = append(c.params[stmtChangesSince], changesParams(0), changesParams(v))
	// The topology load's second reads, by element id.
	for name, text := range map[string]string{
		stmtTopologyNodesAgain: "MATCH (n:Node) RETURN elementId(n) AS eid LIMIT 3",
		stmtTopologyRelsAgain:  "MATCH (:Node)-[r]->(:Node) RETURN elementId(r) AS eid LIMIT 3",
	} {
		res, err := neo4j.ExecuteQuery(ctx, s.driver, text, nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(s.db))
		if err != nil || len(res.Records) == 0 {
			t.Fatalf("element ids for %s: %v", name, err)
		}
		var eids []string
		for _, r := range res.Records {
			eids = append(eids, r.Values[0].(string))
		}
		c.params[name] = append(c.params[name], map[string]any{"eids": eids})
	}
	// The bump with the change records of each kind of write.
	for _, ch := range []kg.Change{
		nodesChange(nodes),
		relsChange(kg.Change{}, g.Rels[:3]),
		{DeletedNodes: []kg.NodeRef{{ID: ids[0], Label: nodes[0].NodeLabel()}}},
		{RemovedRels: []kg.RelKey{keys[0]}},
		{},
	} {
		rest, err := changeRest(ch)
		if err != nil {
			t.Fatal(err)
		}
		c.params[stmtVersionBump] = append(c.params[stmtVersionBump], map[string]any{"changeRest": rest, "retention": int64(DefaultChangeRetention)})
	}

	// Statements whose parameters the store passes inline, as scalars.
	r := g.Rels[0]
	byHand := map[string]map[string]any{
		stmtRemoveRel:           {"type": string(r.Type), "from": r.From, "to": r.To, "symmetric": r.Type.Symmetric()},
		stmtRelsOut:             {"type": string(r.Type), "ids": ids},
		stmtRelsIn:              {"type": string(r.Type), "ids": ids},
		stmtRelsBoth:            {"type": string(r.Type), "ids": ids},
		stmtDeleteNode:          {"id": ids[0]},
		stmtExternalIDsDeleteOf: {"id": ids[0]},
		stmtActorByExternalID:   {"key": orgnrKey},
		stmtSchemaVersionSet:    {"version": int64(1), "migratedAt": timeString(now())},
		stmtMigrateAwaitIndexes: {"timeoutSeconds": int64(5)},
	}
	for name, p := range byHand {
		c.params[name] = append(c.params[name], p)
	}
	for name, st := range statements {
		if len(st.params) == 0 && !isSchemaStatement(st.text) {
			c.params[name] = append(c.params[name], map[string]any{})
		}
	}
	return c.params
}

var declRE = regexp.MustCompile(`\$([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([A-Z]+(?:<[A-Z]+>)?)`)

// declaredTypes reads the types of a statement's "// params:" header.
func declaredTypes(text string) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "//") {
			break
		}
		if body, ok := strings.CutPrefix(strings.TrimSpace(strings.TrimPrefix(line, "//")), "params:"); ok {
			for _, m := range declRE.FindAllStringSubmatch(body, -1) {
				out[m[1]] = m[2]
			}
		}
	}
	return out
}

func hasType(v any, typ string) bool {
	switch typ {
	case "STRING":
		_, ok := v.(string)
		return ok
	case "INTEGER":
		switch v.(type) {
		case int64, int:
			return true
		}
		return false
	case "BOOLEAN":
		_, ok := v.(bool)
		return ok
	case "MAP":
		_, ok := v.(map[string]any)
		return ok
	case "LIST<STRING>":
		_, ok := v.([]string)
		return ok
	case "LIST<MAP>":
		l, ok := v.([]any)
		for _, e := range l {
			if _, isMap := e.(map[string]any); !isMap {
				return false
			}
		}
		return ok
	}
	return false
}

var unwindRE = regexp.MustCompile(`UNWIND \$([A-Za-z_][A-Za-z0-9_]*) AS ([A-Za-z_][A-Za-z0-9_]*)`)

// mapKeysRead returns, per LIST<MAP> parameter that a statement UNWINDs,
// the keys it reads of each row (row.key). EXPLAIN cannot see those: a
// misspelt key just reads null.
func mapKeysRead(text string) map[string][]string {
	code := stripComments(text)
	out := map[string][]string{}
	for _, m := range unwindRE.FindAllStringSubmatch(code, -1) {
		access := regexp.MustCompile(`\b` + m[2] + `\.([A-Za-z_][A-Za-z0-9_]*)`)
		seen := map[string]bool{}
		for _, a := range access.FindAllStringSubmatch(code, -1) {
			seen[a[1]] = true
		}
		for k := range seen {
			out[m[1]] = append(out[m[1]], k)
		}
		sort.Strings(out[m[1]])
	}
	return out
}

func stripComments(text string) string {
	var b strings.Builder
	for _, line := range strings.Split(text, "\n") {
		if i := strings.Index(line, "//"); i >= 0 {
			line = line[:i]
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

// unknownNames are the notifications of a misspelt label, type or key.
var unknownNames = []string{
	"Neo.ClientNotification.Statement.UnknownLabelWarning",
	"Neo.ClientNotification.Statement.UnknownRelationshipTypeWarning",
	"Neo.ClientNotification.Statement.UnknownPropertyKeyWarning",
}

// TestEveryStatementExplainsCleanly EXPLAINs every statement on the real
// server, after the migrations and an import of the seed graph, with the
// parameters the store sends: it fails on any error and on any notice of
// an unknown label, relationship type or property key. A statement without
// sample parameters fails too, so that none slips by; so does a sample
// whose types differ from the declared ones, or a row key that a statement
// reads but the store does not send (or sends but no statement reads).
func TestEveryStatementExplainsCleanly(t *testing.T) {
	s := seededServer(t)
	samples := sampleParams(t, s)
	names := make([]string, 0, len(statements))
	for name := range statements {
		names = append(names, name)
	}
	sort.Strings(names)
	explained := 0
	for _, name := range names {
		st := statements[name]
		if isSchemaStatement(st.text) {
			continue
		}
		all, ok := samples[name]
		if !ok {
			t.Errorf("%s: no sample parameters; add them to sampleParams (explain_test.go)", name)
			continue
		}
		types := declaredTypes(st.text)
		rowKeys := mapKeysRead(st.text)
		for _, params := range all {
			if err := st.checkParams(params); err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			for p, v := range params {
				if !hasType(v, types[p]) {
					t.Errorf("%s: $%s is declared %s, the store sends %T", name, p, types[p], v)
				}
			}
			for p, keys := range rowKeys {
				rows, _ := params[p].([]any)
				for _, row := range rows {
					sent := slices.Sorted(maps.Keys(row.(map[string]any)))
					if !slices.Equal(sent, keys) {
						t.Errorf("%s: reads %v of each $%s row, the store sends %v", name, keys, p, sent)
					}
				}
			}
			_, notes, err := explain(t, s, st.text, params)
			if err != nil {
				t.Errorf("%s: EXPLAIN failed: %v", name, err)
				continue
			}
			explained++
			for _, n := range notes {
				if slices.Contains(unknownNames, n.Code()) {
					t.Errorf("%s: %s: %s", name, n.Code(), n.Description())
				}
			}
		}
	}
	if explained == 0 {
		t.Fatal("explained nothing")
	}
}

// TestExplainSeesMisspeltNames keeps the test above honest: the server
// does report the misspellings it looks for.
func TestExplainSeesMisspeltNames(t *testing.T) {
	s := seededServer(t)
	for text, code := range map[string]string{
		"MATCH (n:Actr) RETURN n.id":                     unknownNames[0],
		"MATCH (:Actor)-[r:PARTICIPATE_IN]->() RETURN r": unknownNames[1],
		"MATCH (n:Actor) RETURN n._sortNmae":             unknownNames[2],
	} {
		_, notes, err := explain(t, s, text, nil)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, n := range notes {
			found = found || n.Code() == code
		}
		if !found {
			t.Errorf("%q: no %s", text, code)
		}
	}
	if keys := mapKeysRead(stmt(stmtUpsertActor).text)["rows"]; !slices.Equal(keys, []string{"id", "props"}) {
		t.Errorf("upsert_actor reads row keys %v", keys)
	}
}

// schemaItem is one index or constraint as SHOW lists it.
type schemaItem struct {
	name, typ string
	labels    []string
	props     []string
}

func (i schemaItem) String() string {
	return fmt.Sprintf("%s %s %v %v", i.name, i.typ, i.labels, i.props)
}

func readSchema(t *testing.T, s *Store, name string) map[string]schemaItem {
	t.Helper()
	recs, err := s.query(context.Background(), "schema", name, map[string]any{}, true)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]schemaItem{}
	for _, r := range recs {
		var it schemaItem
		var err error
		if it.name, err = r.str("name"); err != nil {
			t.Fatal(err)
		}
		if it.typ, err = r.str("type"); err != nil {
			t.Fatal(err)
		}
		if it.labels, err = r.strings("labelsOrTypes"); err != nil {
			t.Fatal(err)
		}
		if it.props, err = r.strings("properties"); err != nil {
			t.Fatal(err)
		}
		out[it.name] = it
	}
	return out
}

// TestMigrationsCreateExactlyTheSchema covers the DDL statements, which
// EXPLAIN does not take: after Open the database has exactly these
// indexes and constraints, on these labels and property names (the two
// token lookup indexes Neo4j makes itself aside), so a misspelt property
// in a migration fails here.
func TestMigrationsCreateExactlyTheSchema(t *testing.T) {
	s := openServer(t)
	want := map[string]schemaItem{}
	add := func(name, typ, label string, props ...string) {
		want[name] = schemaItem{name, typ, []string{label}, props}
	}
	add("node_id_unique", "RANGE", "Node", "id")
	add("graph_version_key_unique", "RANGE", "GraphVersion", "key")
	add("schema_version_key_unique", "RANGE", "SchemaVersion", "key")
	add("change_version_unique", "RANGE", "Change", "version")
	add("external_id_key_unique", "RANGE", "ExternalId", "key")
	add("node_search", "FULLTEXT", "Node", "_text")
	add("actor_kind", "RANGE", "Actor", "kind")
	add("actor_sector", "RANGE", "Actor", "sector")
	add("actor_country", "RANGE", "Actor", "country")
	add("project_status", "RANGE", "Project", "status")
	add("need_status", "RANGE", "Need", "status")
	add("competency_category", "RANGE", "Competency", "category")
	for _, l := range kg.Labels {
		low := strings.ToLower(string(l))
		add(low+"_sort_name", "RANGE", string(l), "_sortName")
		add(low+"_id", "RANGE", string(l), "id")
		add(low+"_created_at", "RANGE", string(l), "createdAt")
		add(low+"_updated_at", "RANGE", string(l), "updatedAt")
		add(low+"_fold_name_text", "TEXT", string(l), "_foldNameText")
	}
	got := readSchema(t, s, stmtSchemaIndexes)
	for name, it := range got {
		if it.typ == "LOOKUP" {
			delete(got, name)
		}
	}
	compareSchema(t, "index", got, want)

	want = map[string]schemaItem{}
	add("node_id_unique", "UNIQUENESS", "Node", "id")
	add("graph_version_key_unique", "UNIQUENESS", "GraphVersion", "key")
	add("schema_version_key_unique", "UNIQUENESS", "SchemaVersion", "key")
	add("change_version_unique", "UNIQUENESS", "Change", "version")
	add("external_id_key_unique", "UNIQUENESS", "ExternalId", "key")
	compareSchema(t, "constraint", readSchema(t, s, stmtSchemaConstraints), want)

	// Every DDL statement is part of a migration.
	inMigration := map[string]bool{}
	for _, m := range migrations {
		for _, name := range m.statements {
			inMigration[name] = true
		}
	}
	for name, st := range statements {
		if isSchemaStatement(st.text) && strings.HasPrefix(name, "migrate_") && !inMigration[name] {
			t.Errorf("%s is in no migration", name)
		}
	}
}

func compareSchema(t *testing.T, what string, got, want map[string]schemaItem) {
	t.Helper()
	for name, w := range want {
		g, ok := got[name]
		if !ok {
			t.Errorf("%s %s is missing; want %v", what, name, w)
		} else if !reflect.DeepEqual(g, w) {
			t.Errorf("%s %s is %v; want %v", what, name, g, w)
		}
	}
	for name, g := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("unexpected %s %v: add it to the expected schema if a migration means it", what, g)
		}
	}
}

// internalKeys returns the "_" properties, or whole nodes, anywhere in v.
func internalKeys(v any) []string {
	var out []string
	switch v := v.(type) {
	case dbtype.Node:
		out = append(out, fmt.Sprintf("a whole node %v", v.Labels))
	case dbtype.Relationship:
		for k := range v.Props {
			if strings.HasPrefix(k, "_") {
				out = append(out, k)
			}
		}
	case map[string]any:
		for k, e := range v {
			if strings.HasPrefix(k, "_") {
				out = append(out, k)
			}
			out = append(out, internalKeys(e)...)
		}
	case []any:
		for _, e := range v {
			out = append(out, internalKeys(e)...)
		}
	}
	return out
}

// TestStatementsReturnNoInternalProperties runs every statement on the
// real server with the store's parameters, each in a transaction that is
// rolled back, and checks what comes back: no record carries a "_" helper
// property or a whole node (which would carry them all).
func TestStatementsReturnNoInternalProperties(t *testing.T) {
	s := seededServer(t)
	samples := sampleParams(t, s)
	ctx := context.Background()
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.db})
	defer sess.Close(ctx)
	returned := map[string]int{}
	for name, all := range samples {
		st := statements[name]
		if isSchemaStatement(st.text) || name == stmtMigrateAwaitIndexes {
			continue
		}
		for _, params := range all {
			tx, err := sess.BeginTransaction(ctx)
			if err != nil {
				t.Fatal(err)
			}
			res, err := tx.Run(ctx, st.text, params)
			var recs []*neo4j.Record
			if err == nil {
				recs, err = res.Collect(ctx)
			}
			_ = tx.Rollback(ctx)
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			returned[name] += len(recs)
			for _, r := range recs {
				for i, v := range r.Values {
					if bad := internalKeys(v); len(bad) > 0 {
						t.Errorf("%s: column %s carries %v", name, r.Keys[i], bad)
					}
				}
			}
		}
	}
	// The check saw nodes: each kind of node-returning statement returned some.
	for _, name := range []string{stmtNodesByID, stmtUpsertActor, stmtSearchRanked, stmtListActorNameAsc, stmtListNeedByStatusAsc} {
		if returned[name] == 0 {
			t.Errorf("%s returned no records on the seed; the check saw nothing", name)
		}
	}
}

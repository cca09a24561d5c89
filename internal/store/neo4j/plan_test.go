package neo4j

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

// listFilters are one filter per indexed filter field of each label (what
// listStmts.by serves), with values the seed holds.
var listFilters = map[kg.Label][]kg.Filter{
	kg.LabelActor: {
		{IDs: []string{"karlstads-kommun"}},
		{Kinds: []kg.ActorKind{kg.KindMunicipality}},
		{Sectors: []kg.Sector{kg.SectorPublic}},
		{Countries: []string{"SE"}},
		{NameContains: "kommun"},
	},
	kg.LabelProject: {{IDs: []string{"x"}}, {Statuses: []string{string(kg.ProjectActive)}}, {NameContains: "a"}},
	kg.LabelNeed:    {{IDs: []string{"x"}}, {Statuses: []string{string(kg.NeedOpen)}}, {NameContains: "a"}},
	kg.LabelCompetency: {
		{IDs: []string{"x"}}, {Categories: []kg.CompetencyCategory{kg.CategoryDesign}}, {NameContains: "a"},
	},
}

// indexOps are the plan operators that read an index (range seeks and
// scans, text CONTAINS scans, the count store).
func indexOp(name string) bool {
	return strings.HasPrefix(name, "NodeIndex") || strings.HasPrefix(name, "NodeUniqueIndex") || name == "NodeCountFromCountStore"
}

func describe(ops []planOp) string {
	var b strings.Builder
	for _, o := range ops {
		fmt.Fprintf(&b, "\n  %s %s", o.name, strings.ReplaceAll(o.details, "\n", " "))
	}
	return b.String()
}

// TestListPagesAreServedByAnIndex checks on the real server's plans that
// every list order (each field, both directions) reads the order's index
// in order, with no label scan and no full sort (PartialTop only sorts the
// ties on the key), and that each indexed filter, in every order, is found
// through its index, as is every total. Only unindexed filters (regions,
// cities, programmes, minPriority) may count by a label scan.
func TestListPagesAreServedByAnIndex(t *testing.T) {
	s := seededServer(t)
	cursor := func(o kg.Order) *kg.Cursor {
		c := kg.Cursor{Field: o.Field, Desc: o.Desc, Key: "m", ID: "m"}
		if o.Field == kg.OrderByID {
			c.Key = ""
		}
		return &c
	}
	check := func(t *testing.T, what, name string, params map[string]any, want func(ops []planOp) string) {
		t.Helper()
		plan, _, err := explain(t, s, stmt(name).text, params)
		if err != nil {
			t.Fatalf("%s (%s): %v", what, name, err)
		}
		ops := operators(plan)
		if problem := want(ops); problem != "" {
			t.Errorf("%s (%s): %s; plan:%s", what, name, problem, describe(ops))
		}
	}
	noLabelScan := func(ops []planOp) string {
		found := false
		for _, o := range ops {
			if o.name == "NodeByLabelScan" || o.name == "AllNodesScan" {
				return "scans the label"
			}
			found = found || indexOp(o.name)
		}
		if !found {
			return "reads no index"
		}
		return ""
	}
	inIndexOrder := func(index string) func([]planOp) string {
		return func(ops []planOp) string {
			if p := noLabelScan(ops); p != "" {
				return p
			}
			for _, o := range ops {
				if o.name == "Sort" || o.name == "Top" || o.name == "Top1WithTies" {
					return "sorts the rows (" + o.name + ") instead of reading the index in order"
				}
			}
			for _, o := range ops {
				if indexOp(o.name) && strings.Contains(o.details, index) {
					return ""
				}
			}
			return "does not read " + index
		}
	}
	countStore := func(ops []planOp) string {
		for _, o := range ops {
			if o.name == "NodeCountFromCountStore" {
				return ""
			}
		}
		return "does not count from the count store"
	}
	props := map[kg.OrderField]string{
		kg.OrderByName: "(_sortName)", kg.OrderByID: "(id)", kg.OrderByCreatedAt: "(createdAt)", kg.OrderByUpdatedAt: "(updatedAt)",
	}
	for _, l := range kg.Labels {
		t.Run(string(l), func(t *testing.T) {
			for _, f := range kg.OrderFields {
				for _, desc := range []bool{false, true} {
					o := kg.Order{Field: f, Desc: desc}
					for _, after := range []*kg.Cursor{nil, cursor(o)} {
						q := kg.ListQuery{Label: l, Order: o, First: 20, After: after}
						page, pp, count, cp := listPlan(q)
						what := fmt.Sprintf("order %s desc=%v after=%v", f, desc, after != nil)
						check(t, what, page, pp, inIndexOrder(string(l)+props[f]))
						check(t, what+" total", count, cp, countStore)
					}
					for _, filter := range listFilters[l] {
						q := kg.ListQuery{Label: l, Order: o, First: 20, Filter: filter, After: cursor(o)}
						page, pp, count, cp := listPlan(q)
						what := fmt.Sprintf("filter %+v order %s desc=%v", filter, f, desc)
						check(t, what, page, pp, noLabelScan)
						check(t, what+" total", count, cp, noLabelScan)
					}
				}
			}
		})
	}
}

// seedValues are two values of each label's seed field
// (kg.WhereSeedField) that the seed holds.
var seedValues = map[kg.Label][2]string{
	kg.LabelActor:      {string(kg.KindMunicipality), string(kg.KindCluster)},
	kg.LabelProject:    {string(kg.ProjectActive), string(kg.ProjectCompleted)},
	kg.LabelNeed:       {string(kg.NeedOpen), string(kg.NeedMet)},
	kg.LabelCompetency: {string(kg.CategoryDesign), string(kg.CategoryDataAI)},
}

// TestWhereSeedFieldIsServedByItsIndex runs EXPLAIN, on the real server, of
// the statement a where with an eq or in on kind (actors), status
// (projects, needs) or category (competencies) at its top level runs, with
// the parameters the store passes, and checks that the plan seeks that
// field's range index (migrate_index_<label>_<field>.cypher) and never
// scans the label with a filter; every order, and with a relationship
// filter, OR and NOT beside it. It also checks that the index is a range
// index, as the seek needs.
func TestWhereSeedFieldIsServedByItsIndex(t *testing.T) {
	s := seededServer(t)
	indexes := readSchema(t, s, stmtSchemaIndexes)
	for _, l := range kg.Labels {
		field := kg.WhereSeedField(l)
		v := seedValues[l]
		want := fmt.Sprintf("RANGE INDEX n:%s(%s)", l, field)
		found := false
		for _, ix := range indexes {
			found = found || ix.typ == "RANGE" && slices.Equal(ix.labels, []string{string(l)}) && slices.Equal(ix.props, []string{field})
		}
		if !found {
			t.Errorf("no range index on %s.%s among %v", l, field, indexes)
		}
		rel := kg.WhereRelations[l][0]
		for _, where := range []map[string]any{
			{field: map[string]any{"eq": v[0]}},
			{field: map[string]any{"in": []any{v[0], v[1]}}},
			{field: map[string]any{"in": []any{v[1]}}, "NOT": map[string]any{"name": map[string]any{"contains": "a"}},
				"OR": []any{map[string]any{rel.Name: map[string]any{"some": map[string]any{}}}, map[string]any{"id": map[string]any{"startsWith": "k"}}}},
			{"AND": []any{map[string]any{field: map[string]any{"in": []any{v[0], v[1]}}}, map[string]any{field: map[string]any{"eq": v[1]}}}},
		} {
			w, err := kg.ParseWhere(l, "where", where)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range []kg.Order{{Field: kg.OrderByName}, {Field: kg.OrderByID, Desc: true}, {Field: kg.OrderByCreatedAt}} {
				name, params := wherePlan(kg.ListQuery{Label: l, Where: w, Order: o, First: 5})
				plan, _, err := explain(t, s, stmt(name).text, params)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				ops := operators(plan)
				seek := false
				for _, op := range ops {
					if op.name == "NodeByLabelScan" || op.name == "AllNodesScan" {
						t.Errorf("%s %v: %s; plan:%s", name, where, op.name, describe(ops))
					}
					seek = seek || strings.HasPrefix(op.name, "NodeIndexSeek") && strings.Contains(op.details, want)
				}
				if !seek {
					t.Errorf("%s %v %+v: no NodeIndexSeek on %s; plan:%s", name, where, o, want, describe(ops))
				}
			}
		}
	}
}

// TestWhereIsServedByAnIndex checks on the real server's plans that a
// where with an eq or in on id at its top level seeks the id index, and
// any other where reads its label's index rather than every node.
func TestWhereIsServedByAnIndex(t *testing.T) {
	s := seededServer(t)
	for _, l := range kg.Labels {
		for _, tc := range []struct {
			where map[string]any
			seek  bool
		}{
			{map[string]any{"id": map[string]any{"eq": "x"}, "name": map[string]any{"contains": "a"}}, true},
			{map[string]any{"id": map[string]any{"in": []any{"x", "y"}}}, true},
			{map[string]any{"name": map[string]any{"startsWith": "a"}}, false},
		} {
			w, err := kg.ParseWhere(l, "where", tc.where)
			if err != nil {
				t.Fatal(err)
			}
			name, params := wherePlan(kg.ListQuery{Label: l, Where: w, Order: kg.Order{Field: kg.OrderByName}, First: 5})
			plan, _, err := explain(t, s, stmt(name).text, params)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			ops := operators(plan)
			seek, scan := false, false
			for _, o := range ops {
				seek = seek || strings.Contains(o.name, "IndexSeek")
				scan = scan || o.name == "AllNodesScan"
			}
			if scan || seek != tc.seek {
				t.Errorf("%s %v: seek %v (want %v), scans all nodes %v; plan:%s", name, tc.where, seek, tc.seek, scan, describe(ops))
			}
		}
	}
}

package neo4j

import (
	"fmt"
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

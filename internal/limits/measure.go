// Package limits refuses GraphQL operations that are too big or too
// expensive before any resolver runs (so before any store call), caps the
// errors of a response, and rate-limits callers by the cost they spend per
// minute.
package limits

import (
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/samverkan/samverkan/internal/kg"
)

// The cost model (README, Limits). A field that returns an object costs 1
// (at most one batched store call); a scalar costs nothing. A list
// multiplies the cost of what is selected in each item by its expected
// length: a connection by its first (default 20), nodes(ids) by the number
// of ids, search/similarActors/matchNeed/needsFor/introductions/brokers by first, partnershipPaths
// by k, the nodes and edges of neighborhood by limit, and any other list
// (the plain nested relationship lists, an overlap's lists, a path's steps)
// by ListEstimate. A nested connection (projectsConnection, …) is a
// connection: its first. An aggregation (actorsAggregate, …) and each of
// its groupBy cost AggregateCost; a nested one (holdersAggregate) is an
// object, 1. Analytics add the cost of their traversal (analyticCost),
// a list's where its comparisons and relationship filters (whereCost),
// and every mutation MutationCost (importGraph ImportCost).
const (
	ListEstimate = 10
	MutationCost = 10
	// SubscriptionCost is what starting a subscription costs.
	SubscriptionCost = 10
	ImportCost       = 100
	// WhereRelCost is what one relationship filter of a where costs; a
	// comparison costs 1.
	WhereRelCost = 10
	// AggregateCost is what actorsAggregate and the like cost, and each
	// groupBy of one: each reads every node of a label.
	AggregateCost = 100
	// WholeGraphCost is what brokers, ecosystemStats, measures and
	// communities cost: they compute
	// over the whole graph (cached until the next write).
	WholeGraphCost = 1000
	saturate       = 1 << 40
)

// Measure is what the limits compare: the operation as it would execute,
// fragments expanded.
type Measure struct {
	// Depth is the number of fields on the longest path from the root,
	// the leaf included ({ actor { name } } has depth 2). __schema and
	// __type subtrees are not counted: GraphiQL's introspection query is
	// deeper than any limit that suits data, and gqlparser's validation
	// already bounds their list nesting.
	Depth int
	// Aliases counts the fields that carry an alias.
	Aliases int
	// RootFields counts the distinct root fields (response keys).
	RootFields int
	// Cost is the estimated cost, see the cost model.
	Cost int
}

type result struct{ depth, aliases, cost int }

func (r *result) add(c result) {
	r.depth = max(r.depth, c.depth)
	r.aliases = satAdd(r.aliases, c.aliases)
	r.cost = satAdd(r.cost, c.cost)
}

type memoKey struct {
	fragment string
	hint     int
}

type walker struct {
	doc    *ast.QueryDocument
	vars   map[string]any
	memo   map[memoKey]result
	active map[string]bool
}

// MeasureOperation measures op of doc with the operation's variables. It
// expects a validated document (fragment cycles are refused by validation;
// a cycle here only stops the walk). Each fragment is measured once per
// context, so fragments spread many times cost no extra work.
func MeasureOperation(doc *ast.QueryDocument, op *ast.OperationDefinition, vars map[string]any) Measure {
	if op == nil {
		return Measure{}
	}
	w := &walker{doc: doc, vars: vars, memo: map[memoKey]result{}, active: map[string]bool{}}
	r := w.selection(op.SelectionSet, 0)
	keys := map[string]bool{}
	w.rootKeys(op.SelectionSet, keys, map[string]bool{})
	return Measure{Depth: r.depth, Aliases: r.aliases, RootFields: len(keys), Cost: r.cost}
}

func (w *walker) rootKeys(ss ast.SelectionSet, keys, seen map[string]bool) {
	for _, s := range ss {
		switch s := s.(type) {
		case *ast.Field:
			if s.Name != "__typename" {
				keys[responseKey(s)] = true
			}
		case *ast.InlineFragment:
			w.rootKeys(s.SelectionSet, keys, seen)
		case *ast.FragmentSpread:
			if f := w.doc.Fragments.ForName(s.Name); f != nil && !seen[s.Name] {
				seen[s.Name] = true
				w.rootKeys(f.SelectionSet, keys, seen)
			}
		}
	}
}

func responseKey(f *ast.Field) string {
	if f.Alias != "" {
		return f.Alias
	}
	return f.Name
}

// selection measures a selection set; hint is the length of the list
// fields in it when the parent knows it (a connection's edges).
func (w *walker) selection(ss ast.SelectionSet, hint int) result {
	var r result
	for _, s := range ss {
		switch s := s.(type) {
		case *ast.Field:
			r.add(w.field(s, hint))
		case *ast.InlineFragment:
			r.add(w.selection(s.SelectionSet, hint))
		case *ast.FragmentSpread:
			r.add(w.fragment(s.Name, hint))
		}
	}
	return r
}

func (w *walker) fragment(name string, hint int) result {
	k := memoKey{name, hint}
	if r, ok := w.memo[k]; ok {
		return r
	}
	f := w.doc.Fragments.ForName(name)
	if f == nil || w.active[name] {
		return result{}
	}
	w.active[name] = true
	r := w.selection(f.SelectionSet, hint)
	delete(w.active, name)
	w.memo[k] = r
	return r
}

func (w *walker) field(f *ast.Field, hint int) result {
	alias := 0
	if f.Alias != "" && f.Alias != f.Name {
		alias = 1
	}
	isList := f.Definition != nil && f.Definition.Type != nil && f.Definition.Type.Elem != nil
	if f.Name == "__schema" || f.Name == "__type" {
		c := w.selection(f.SelectionSet, 0)
		return result{aliases: satAdd(alias, c.aliases), cost: 1}
	}
	if len(f.SelectionSet) == 0 {
		return result{depth: 1, aliases: alias}
	}
	parent := ""
	if f.ObjectDefinition != nil {
		parent = f.ObjectDefinition.Name
	}
	own, childHint := 1, 0
	if parent == "Subscription" {
		own = SubscriptionCost
	}
	if parent == "Mutation" {
		own = MutationCost
		if f.Name == "importGraph" {
			own = ImportCost
		}
	}
	if f.Name == "groupBy" && strings.HasSuffix(parent, "Aggregate") {
		own = AggregateCost // a store call of its own over the label
	}
	if parent == "Query" {
		own = max(own, w.analyticCost(f))
		switch f.Name {
		case "brokers":
			childHint = w.intArg(f, "first", kg.DefaultBrokersFirst, kg.MaxBrokersFirst)
		case "neighborhood":
			childHint = w.intArg(f, "limit", kg.DefaultNeighbourhoodLimit, kg.MaxNeighbourhoodLimit)
		}
	}
	if f.Definition != nil && strings.HasSuffix(f.Definition.Type.Name(), "Connection") {
		childHint = w.intArg(f, "first", kg.DefaultPageSize, kg.MaxPageSize)
	}
	mult := 1
	if isList {
		mult = hint
		if mult == 0 {
			mult = w.listLength(f)
		}
	}
	c := w.selection(f.SelectionSet, childHint)
	return result{depth: satAdd(c.depth, 1), aliases: satAdd(alias, c.aliases), cost: satAdd(own, satMul(mult, c.cost))}
}

// listLength is the expected length of a list field without a hint from
// its parent.
func (w *walker) listLength(f *ast.Field) int {
	switch {
	case hasArg(f, "ids"):
		return w.listArgLen(f, "ids", kg.MaxBatchIDs)
	case f.Name == "partnershipPaths":
		return w.intArg(f, "k", kg.DefaultPathK, kg.MaxPathK)
	case hasArg(f, "first"):
		return w.intArg(f, "first", ListEstimate, kg.MaxPageSize)
	}
	return ListEstimate
}

// analyticCost is what an analytic root field adds for its traversal, by
// its arguments within their caps.
func (w *walker) analyticCost(f *ast.Field) int {
	switch f.Name {
	case "partnershipPaths":
		return 10 * w.intArg(f, "k", kg.DefaultPathK, kg.MaxPathK) * w.intArg(f, "maxHops", kg.DefaultPathMaxHops, kg.MaxPathMaxHops)
	case "overlap":
		return 20 * w.listArgLen(f, "actorIds", kg.MaxOverlapActors)
	case "similarActors":
		return 50
	case "matchNeed":
		return 25 * w.intArg(f, "maxHops", kg.DefaultMatchMaxHops, kg.MaxMatchMaxHops)
	case "needsFor":
		return 25 * w.intArg(f, "maxHops", kg.DefaultMatchMaxHops, kg.MaxMatchMaxHops)
	case "introductions":
		// the candidates' distances and one warm-path search per answer
		return 100 + 20*w.intArg(f, "first", kg.DefaultIntroductionsFirst, kg.MaxIntroductionsFirst)
	case "suggestConsortium":
		return 100 + 10*w.intArg(f, "maxSize", kg.DefaultConsortiumMaxSize, kg.MaxConsortiumMaxSize)
	case "neighborhood":
		return w.intArg(f, "depth", kg.DefaultNeighbourhoodDepth, kg.MaxNeighbourhoodDepth) *
			w.intArg(f, "limit", kg.DefaultNeighbourhoodLimit, kg.MaxNeighbourhoodLimit) / 10
	case "brokers", "ecosystemStats", "measures", "communities":
		return WholeGraphCost
	case "search":
		return 10
	case "actors", "projects", "needs", "competencies":
		return whereCost(w.argValue(f, "where"))
	case "actorsAggregate", "projectsAggregate", "needsAggregate", "competenciesAggregate":
		return AggregateCost
	}
	return 0
}

// whereCost is what a list's where adds: 1 per comparison, WhereRelCost
// per relationship filter (it reads the ties of every candidate), at most
// as much as kg.MaxWhereSize relationship filters.
func whereCost(v any) int {
	cost := 0
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				switch k {
				case "some", "none", "all":
					cost += WhereRelCost
				case "eq", "in", "contains", "startsWith", "gt", "gte", "lt", "lte":
					cost++
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(v)
	return min(cost, WhereRelCost*kg.MaxWhereSize)
}

func hasArg(f *ast.Field, name string) bool {
	return f.Definition != nil && f.Definition.Arguments.ForName(name) != nil
}

// argValue is the argument's value: given, from a variable, or the
// schema's default.
func (w *walker) argValue(f *ast.Field, name string) any {
	if a := f.Arguments.ForName(name); a != nil {
		v, err := a.Value.Value(w.vars)
		if err == nil && v != nil {
			return v
		}
		if a.Value.Kind != ast.Variable {
			return nil
		}
	}
	if f.Definition != nil {
		if d := f.Definition.Arguments.ForName(name); d != nil && d.DefaultValue != nil {
			v, _ := d.DefaultValue.Value(nil)
			return v
		}
	}
	return nil
}

// intArg reads an integer argument, def when absent, clamped to 0..limit:
// beyond its cap the resolver refuses the argument with a message that
// names it, which is clearer than a cost error.
func (w *walker) intArg(f *ast.Field, name string, def, limit int) int {
	n := def
	switch v := w.argValue(f, name).(type) {
	case int64:
		n = clampInt64(v, limit)
	case int:
		n = clampInt64(int64(v), limit)
	case float64:
		n = clampInt64(int64(v), limit)
	case interface{ Int64() (int64, error) }: // json.Number
		if i, err := v.Int64(); err == nil {
			n = clampInt64(i, limit)
		}
	}
	return n
}

func (w *walker) listArgLen(f *ast.Field, name string, limit int) int {
	if l, ok := w.argValue(f, name).([]any); ok {
		return min(len(l), limit)
	}
	return 1
}

func clampInt64(v int64, limit int) int {
	if v < 0 {
		return 0
	}
	if v > int64(limit) {
		return limit
	}
	return int(v)
}

func satAdd(a, b int) int { return min(a+b, saturate) }

func satMul(a, b int) int {
	if a == 0 || b == 0 {
		return 0
	}
	if a > saturate/b {
		return saturate
	}
	return a * b
}

package embedded

import (
	"slices"
	"sort"
	"strings"

	"github.com/samverkan/samverkan/internal/kg"
)

// list answers Store.List for q, whose order o kg.CheckListQuery returned:
// the label's nodes that pass q.Filter, in kg.CompareKeys order, the
// page after q.After, as copies.
//
// Without a filter a page walks the label's order from the cursor, found
// by binary search: O(log n + First). A filter on ids looks those up and
// sorts them. Other filters walk the order from the cursor until the page
// is full, and TotalCount checks every node of the label, without folding
// any: the index has every node's folded name and aliases (NameContains),
// and a region, city or programme is folded once per request.
func (ix *nodeIndex) list(q kg.ListQuery, o kg.Order) kg.Page {
	ix.sync()
	l, f := labelIndex(q.Label), orderIndex(o.Field)
	m := newListFilter(q.Filter)
	var page kg.Page
	take := func(s int32) {
		if len(page.Nodes) < q.First {
			page.Nodes = append(page.Nodes, kg.Clone(ix.snap[s]))
		} else {
			page.HasNextPage = true
		}
	}
	after := func(s int32) bool {
		return q.After == nil || q.After.After(ix.sortKey(f, s), ix.ids[s])
	}

	if len(q.Filter.IDs) > 0 {
		var cands []int32
		for _, id := range q.Filter.IDs {
			if s, ok := ix.slot[id]; ok && ix.labels[s] == l && m.match(ix, s) {
				cands = append(cands, s)
			}
		}
		slices.Sort(cands)
		cands = slices.Compact(cands) // an id given twice
		page.TotalCount = len(cands)
		slices.SortFunc(cands, func(a, b int32) int {
			if o.Desc {
				return ix.compare(f, b, a)
			}
			return ix.compare(f, a, b)
		})
		for _, s := range cands {
			if after(s) {
				take(s)
			}
		}
		return page
	}

	ord := ix.order[l][f]
	// The slots after the cursor are ord[from:] ascending, ord[:from]
	// descending.
	from := 0
	if c := q.After; c != nil {
		from = sort.Search(len(ord), func(i int) bool {
			d := kg.CompareKeys(ix.sortKey(f, ord[i]), ix.ids[ord[i]], c.Key, c.ID, false)
			if o.Desc {
				return d >= 0
			}
			return d > 0
		})
	} else if o.Desc {
		from = len(ord)
	}
	if m.none {
		page.TotalCount = len(ord)
		if o.Desc {
			for i := from - 1; i >= 0 && !page.HasNextPage; i-- {
				take(ord[i])
			}
		} else {
			for i := from; i < len(ord) && !page.HasNextPage; i++ {
				take(ord[i])
			}
		}
		return page
	}
	// The page: the order from the cursor until one match past it. The
	// count: every slot of the label, in slot order, which is about the
	// order the nodes lie in memory.
	if o.Desc {
		for i := from - 1; i >= 0 && !page.HasNextPage; i-- {
			if m.match(ix, ord[i]) {
				take(ord[i])
			}
		}
	} else {
		for i := from; i < len(ord) && !page.HasNextPage; i++ {
			if m.match(ix, ord[i]) {
				take(ord[i])
			}
		}
	}
	for s, sl := range ix.labels {
		if sl == l && m.match(ix, int32(s)) {
			page.TotalCount++
		}
	}
	return page
}

// listFilter is a kg.Filter (but its ids) prepared for matching slots: it
// gives kg.Filter.Match's answer without folding a node's fields.
type listFilter struct {
	none   bool      // nothing to check: every node matches
	rest   kg.Filter // the fields that need no folding, for kg.Filter.Match
	check  bool      // rest has a field set
	needle string    // NameContains, trimmed and folded
	// Regions, Cities, Programmes folded, and per request whether a
	// stored value folds to one of them.
	regions, cities, programmes foldedSet
}

type foldedSet struct {
	want map[string]bool // folded filter values; nil when unset
	seen map[string]bool // stored value → folds into want
}

func newFoldedSet(vals []string) foldedSet {
	if len(vals) == 0 {
		return foldedSet{}
	}
	fs := foldedSet{want: map[string]bool{}, seen: map[string]bool{}}
	for _, v := range vals {
		fs.want[kg.Fold(strings.TrimSpace(v))] = true
	}
	return fs
}

// has is kg's foldedIn(v, vals).
func (fs *foldedSet) has(v string) bool {
	if fs.want == nil {
		return true
	}
	in, ok := fs.seen[v]
	if !ok {
		in = fs.want[kg.Fold(v)]
		fs.seen[v] = in
	}
	return in
}

func newListFilter(f kg.Filter) *listFilter {
	m := &listFilter{
		rest: kg.Filter{Kinds: f.Kinds, Sectors: f.Sectors, Countries: f.Countries, Statuses: f.Statuses,
			Categories: f.Categories, MinPriority: f.MinPriority},
		regions:    newFoldedSet(f.Regions),
		cities:     newFoldedSet(f.Cities),
		programmes: newFoldedSet(f.Programmes),
	}
	m.check = len(f.Kinds) > 0 || len(f.Sectors) > 0 || len(f.Countries) > 0 || len(f.Statuses) > 0 ||
		len(f.Categories) > 0 || f.MinPriority != 0
	// A NameContains that folds to "" is in every name.
	if f.NameContains != "" {
		m.needle = kg.Fold(strings.TrimSpace(f.NameContains))
	}
	// An empty filter matches every stored node (a stored need's priority
	// is at least 1, so MinPriority 0 passes it).
	m.none = !m.check && m.needle == "" && m.regions.want == nil && m.cities.want == nil &&
		m.programmes.want == nil
	return m
}

// match is q.Filter.Match (without its ids) for slot s.
func (m *listFilter) match(ix *nodeIndex, s int32) bool {
	if m.none {
		return true
	}
	n := ix.snap[s]
	if m.needle != "" {
		found := strings.Contains(ix.fname[s], m.needle)
		for _, a := range ix.falias[s] {
			found = found || strings.Contains(a, m.needle)
		}
		if !found {
			return false
		}
	}
	switch v := n.(type) {
	case *kg.Actor:
		if !m.regions.has(v.Region) || !m.cities.has(v.City) {
			return false
		}
	case *kg.Project:
		if !m.programmes.has(v.Programme) {
			return false
		}
	}
	return !m.check || m.rest.Match(n)
}

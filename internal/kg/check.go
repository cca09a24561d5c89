package kg

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// filterFields lists, per filter field, the labels it applies to; the name
// is the one errors use.
var filterFields = []struct {
	name   string
	labels []Label
	set    func(Filter) bool
}{
	{"filter.kinds", []Label{LabelActor}, func(f Filter) bool { return len(f.Kinds) > 0 }},
	{"filter.sectors", []Label{LabelActor}, func(f Filter) bool { return len(f.Sectors) > 0 }},
	{"filter.countries", []Label{LabelActor}, func(f Filter) bool { return len(f.Countries) > 0 }},
	{"filter.regions", []Label{LabelActor}, func(f Filter) bool { return len(f.Regions) > 0 }},
	{"filter.cities", []Label{LabelActor}, func(f Filter) bool { return len(f.Cities) > 0 }},
	{"filter.statuses", []Label{LabelProject, LabelNeed}, func(f Filter) bool { return len(f.Statuses) > 0 }},
	{"filter.programmes", []Label{LabelProject}, func(f Filter) bool { return len(f.Programmes) > 0 }},
	{"filter.minPriority", []Label{LabelNeed}, func(f Filter) bool { return f.MinPriority != 0 }},
	{"filter.categories", []Label{LabelCompetency}, func(f Filter) bool { return len(f.Categories) > 0 }},
}

// CheckListQuery validates a list query, naming the argument at fault, and
// returns its order with the default field (NAME) filled in. Every store
// calls it, so that all refuse the same queries alike.
func CheckListQuery(q ListQuery) (Order, error) {
	o := q.Order
	if !q.Label.Valid() {
		return o, Invalid("label", "%q is not a label", q.Label)
	}
	if q.First < 1 || q.First > MaxPageSize {
		return o, Invalid("first", "%d is outside 1–%d", q.First, MaxPageSize)
	}
	if o.Field == "" {
		o.Field = OrderByName
	}
	if !o.Field.Valid() {
		return o, Invalid("orderBy", "%q is not an order field (NAME, ID, CREATED_AT, UPDATED_AT)", o.Field)
	}
	if q.After != nil && (q.After.Field != o.Field || q.After.Desc != o.Desc) {
		return o, Invalid("after", "cursor belongs to another ordering (%s); use the same orderBy as the page it came from", q.After.Field)
	}
	for _, f := range filterFields {
		if f.set(q.Filter) && !slices.Contains(f.labels, q.Label) {
			return o, Invalid(f.name, "is not a filter of %s", q.Label)
		}
	}
	if err := checkFilterValues(q.Label, q.Filter); err != nil {
		return o, err
	}
	return o, nil
}

// checkFilterValues refuses enum values that could never match, so that a
// typo is an error rather than an empty page.
func checkFilterValues(l Label, f Filter) error {
	for _, k := range f.Kinds {
		if !k.Valid() {
			return Invalid("filter.kinds", "%q is not an actor kind", k)
		}
	}
	for _, v := range f.Sectors {
		if !v.Valid() {
			return Invalid("filter.sectors", "%q is not a sector", v)
		}
	}
	for _, c := range f.Categories {
		if !c.Valid() {
			return Invalid("filter.categories", "%q is not a competency category", c)
		}
	}
	for _, st := range f.Statuses {
		if (l == LabelProject && !ProjectStatus(st).Valid()) || (l == LabelNeed && !NeedStatus(st).Valid()) {
			return Invalid("filter.statuses", "%q is not a %s status", st, strings.ToLower(string(l)))
		}
	}
	if f.MinPriority < 0 || f.MinPriority > MaxScale {
		return Invalid("filter.minPriority", "%d is outside 1–5", f.MinPriority)
	}
	return nil
}

// DefaultSearchFirst is how many hits a search asks for when its caller does not say.
const DefaultSearchFirst = 10

// CheckSearchQuery validates a search and returns its parsed text.
func CheckSearchQuery(q SearchQuery) (Query, error) {
	if n := utf8.RuneCountInString(q.Text); n > MaxSearchText {
		return nil, Invalid("text", "is %d characters long; the limit is %d", n, MaxSearchText)
	}
	query := ParseQuery(q.Text)
	if len(query) == 0 {
		return nil, Invalid("text", "must contain at least one letter or digit")
	}
	if q.First < 1 || q.First > MaxSearchResults {
		return nil, Invalid("first", "%d is outside 1–%d", q.First, MaxSearchResults)
	}
	for _, l := range q.Labels {
		if !l.Valid() {
			return nil, Invalid("types", "%q is not a node type", l)
		}
	}
	return query, nil
}

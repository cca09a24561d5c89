package kg

import (
	"cmp"
	"slices"
	"strconv"
)

// GroupField is what an aggregate's counts are grouped by.
type GroupField string

const (
	GroupNone     GroupField = ""
	GroupKind     GroupField = "KIND"     // actors
	GroupSector   GroupField = "SECTOR"   // actors
	GroupCountry  GroupField = "COUNTRY"  // actors, projects
	GroupRegion   GroupField = "REGION"   // actors, projects
	GroupCity     GroupField = "CITY"     // actors, projects
	GroupStatus   GroupField = "STATUS"   // projects, needs
	GroupType     GroupField = "TYPE"     // projects
	GroupPriority GroupField = "PRIORITY" // needs
	GroupCategory GroupField = "CATEGORY" // competencies
)

// groupFields lists the fields each label may be grouped by.
var groupFields = map[Label][]GroupField{
	LabelActor:      {GroupKind, GroupSector, GroupCountry, GroupRegion, GroupCity},
	LabelProject:    {GroupStatus, GroupType, GroupCountry, GroupRegion, GroupCity},
	LabelNeed:       {GroupStatus, GroupPriority},
	LabelCompetency: {GroupCategory},
}

// AggregateQuery asks for the nodes of a label that pass Filter, counted,
// and their counts per value of GroupBy (none: one group).
type AggregateQuery struct {
	Label   Label
	Filter  Filter
	GroupBy GroupField
}

// IntStats summarises integer values (levels, importances, priorities):
// N values, their Min, Max and Sum. Zero N: there were none.
type IntStats struct {
	N, Min, Max, Sum int
}

// Add counts v.
func (s *IntStats) Add(v int) {
	if s.N == 0 || v < s.Min {
		s.Min = v
	}
	if s.N == 0 || v > s.Max {
		s.Max = v
	}
	s.N++
	s.Sum += v
}

// Merge adds o's values.
func (s *IntStats) Merge(o IntStats) {
	if o.N == 0 {
		return
	}
	if s.N == 0 || o.Min < s.Min {
		s.Min = o.Min
	}
	if s.N == 0 || o.Max > s.Max {
		s.Max = o.Max
	}
	s.N += o.N
	s.Sum += o.Sum
}

// Avg is the mean; 0 when there are no values.
func (s IntStats) Avg() float64 {
	if s.N == 0 {
		return 0
	}
	return float64(s.Sum) / float64(s.N)
}

// GroupCount is the number of nodes with one value of the grouped field;
// Value is empty for the nodes without one.
type GroupCount struct {
	Value string
	Count int
}

// Aggregate is a Store.Aggregate answer.
type Aggregate struct {
	Count  int
	Groups []GroupCount // by Count descending, then Value ("" last)
	// Priorities of needs; Levels (HAS_COMPETENCY, of the actors that hold
	// them) and Importances (REQUIRES) of competencies; Importances of the
	// requirements of needs. Empty for the other labels.
	Priorities, Levels, Importances IntStats
}

// GroupValue is n's value of field f, as Aggregate groups it: the stored
// value (a project without a type is a PROJECT), "" when it has none.
func GroupValue(n Node, f GroupField) string {
	switch v := n.(type) {
	case *Actor:
		switch f {
		case GroupKind:
			return string(v.Kind)
		case GroupSector:
			return string(v.Sector)
		case GroupCountry:
			return v.Country
		case GroupRegion:
			return v.Region
		case GroupCity:
			return v.City
		}
	case *Project:
		switch f {
		case GroupStatus:
			return string(v.Status)
		case GroupType:
			return string(v.TypeOrDefault())
		case GroupCountry:
			return v.Country
		case GroupRegion:
			return v.Region
		case GroupCity:
			return v.City
		}
	case *Need:
		switch f {
		case GroupStatus:
			return string(v.Status)
		case GroupPriority:
			return strconv.Itoa(v.Priority)
		}
	case *Competency:
		if f == GroupCategory {
			return string(v.Category)
		}
	}
	return ""
}

// SortGroups orders groups as Aggregate.Groups are: by count descending,
// then value, the nodes without a value last.
func SortGroups(gs []GroupCount) {
	slices.SortFunc(gs, func(a, b GroupCount) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		if (a.Value == "") != (b.Value == "") {
			if a.Value == "" {
				return 1
			}
			return -1
		}
		return cmp.Compare(a.Value, b.Value)
	})
}

// CheckAggregateQuery validates q as CheckListQuery validates a list's
// label and filter, and its GroupBy against the label (naming groupBy).
func CheckAggregateQuery(q AggregateQuery) error {
	if _, err := CheckListQuery(ListQuery{Label: q.Label, Filter: q.Filter, First: 1}); err != nil {
		return err
	}
	if q.GroupBy != GroupNone && !slices.Contains(groupFields[q.Label], q.GroupBy) {
		return Invalid("groupBy", "%q is not a field %s can be grouped by", q.GroupBy, q.Label)
	}
	return nil
}

// AggregateNodes is the reference semantics of Store.Aggregate: nodes are
// the label's nodes (any order), rels returns the relationships of type t
// in direction dir of the given ids as RelsOf does.
func AggregateNodes(q AggregateQuery, nodes []Node, rels func(t RelType, dir Direction, ids []string) (map[string][]Rel, error)) (Aggregate, error) {
	var a Aggregate
	counts := map[string]int{}
	var ids []string
	for _, n := range nodes {
		if n.NodeLabel() != q.Label || !q.Filter.Match(n) {
			continue
		}
		a.Count++
		counts[GroupValue(n, q.GroupBy)]++
		ids = append(ids, n.Base().ID)
		if v, ok := n.(*Need); ok {
			a.Priorities.Add(v.Priority)
		}
	}
	for v, c := range counts {
		a.Groups = append(a.Groups, GroupCount{Value: v, Count: c})
	}
	SortGroups(a.Groups)
	add := func(t RelType, dir Direction, into *IntStats, value func(Rel) int) error {
		byID, err := rels(t, dir, ids)
		if err != nil {
			return err
		}
		for _, rs := range byID {
			for _, r := range rs {
				into.Add(value(r))
			}
		}
		return nil
	}
	level := func(r Rel) int { return r.Level }
	importance := func(r Rel) int { return r.Importance }
	var err error
	switch q.Label {
	case LabelNeed:
		err = add(RelRequires, Outgoing, &a.Importances, importance)
	case LabelCompetency:
		if err = add(RelHasCompetency, Incoming, &a.Levels, level); err == nil {
			err = add(RelRequires, Incoming, &a.Importances, importance)
		}
	}
	return a, err
}

// GroupFields returns the fields the nodes of label l may be grouped by.
func GroupFields(l Label) []GroupField { return slices.Clone(groupFields[l]) }

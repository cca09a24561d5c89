package neo4j

import (
	"context"
	"fmt"

	"github.com/samverkan/samverkan/internal/kg"
)

// aggregateStatements are the statements of Store.Aggregate, per label.
var aggregateStatements = map[kg.Label]string{
	kg.LabelActor:      stmtAggregateActor,
	kg.LabelProject:    stmtAggregateProject,
	kg.LabelNeed:       stmtAggregateNeed,
	kg.LabelCompetency: stmtAggregateCompetency,
}

// aggregateParams are the filter's parameters (as list and count take
// them) and the field to group by.
func aggregateParams(q kg.AggregateQuery) map[string]any {
	p := listParams(q.Label, q.Filter)
	p["groupBy"] = string(q.GroupBy)
	return p
}

// Aggregate counts the nodes of a label that pass the filter, grouped, in
// one statement (aggregate_<label>.cypher), as kg.AggregateNodes does.
func (s *Store) Aggregate(ctx context.Context, q kg.AggregateQuery) (kg.Aggregate, error) {
	if err := kg.CheckAggregateQuery(q); err != nil {
		return kg.Aggregate{}, err
	}
	recs, err := s.query(ctx, "aggregate", aggregateStatements[q.Label], aggregateParams(q), true)
	if err != nil {
		return kg.Aggregate{}, err
	}
	var a kg.Aggregate
	for _, r := range recs {
		if err := addAggregateRecord(&a, q.Label, r); err != nil {
			return kg.Aggregate{}, s.fail(ctx, "aggregate", err)
		}
	}
	kg.SortGroups(a.Groups)
	return a, nil
}

// addAggregateRecord adds one group's record to a.
func addAggregateRecord(a *kg.Aggregate, l kg.Label, r record) error {
	v, err := r.get("value")
	if err != nil {
		return err
	}
	value, ok := v.(string)
	if v != nil && !ok {
		return fmt.Errorf("column value holds %T, want a string", v)
	}
	n, err := r.integer("count")
	if err != nil {
		return err
	}
	a.Count += int(n)
	a.Groups = append(a.Groups, kg.GroupCount{Value: value, Count: int(n)})
	stats := func(prefix string, into *kg.IntStats) error {
		var st kg.IntStats
		cols := []string{"N", "Min", "Max", "Sum"}
		dst := []*int{&st.N, &st.Min, &st.Max, &st.Sum}
		for i, c := range cols {
			x, err := r.get(prefix + c)
			if err != nil {
				return err
			}
			switch x := x.(type) {
			case nil: // min and max of no values
			case int64:
				*dst[i] = int(x)
			default:
				return fmt.Errorf("column %s%s holds %T, want an integer", prefix, c, x)
			}
		}
		into.Merge(st)
		return nil
	}
	switch l {
	case kg.LabelNeed:
		var p kg.IntStats
		p.N = int(n)
		if err := stats("i", &a.Importances); err != nil {
			return err
		}
		for i, c := range []string{"pMin", "pMax", "pSum"} {
			x, err := r.integer(c)
			if err != nil {
				return err
			}
			*[]*int{&p.Min, &p.Max, &p.Sum}[i] = int(x)
		}
		a.Priorities.Merge(p)
	case kg.LabelCompetency:
		if err := stats("l", &a.Levels); err != nil {
			return err
		}
		return stats("i", &a.Importances)
	}
	return nil
}

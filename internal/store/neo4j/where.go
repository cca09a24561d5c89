package neo4j

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/samverkan/samverkan/internal/kg"
)

// whereStmt are a label's where statements: [seed][desc], the seed
// whereUnseeded, whereByIDs or whereByValue (kg.WhereSeedField: kind,
// status, category). Each is one fixed statement that interprets the
// where's postfix program (whereProgram) and answers a page and its total
// at once.
var whereStmt = map[kg.Label][3][2]string{
	kg.LabelActor: {{stmtWhereActorAsc, stmtWhereActorDesc}, {stmtWhereActorByIDsAsc, stmtWhereActorByIDsDesc},
		{stmtWhereActorByKindAsc, stmtWhereActorByKindDesc}},
	kg.LabelProject: {{stmtWhereProjectAsc, stmtWhereProjectDesc}, {stmtWhereProjectByIDsAsc, stmtWhereProjectByIDsDesc},
		{stmtWhereProjectByStatusAsc, stmtWhereProjectByStatusDesc}},
	kg.LabelNeed: {{stmtWhereNeedAsc, stmtWhereNeedDesc}, {stmtWhereNeedByIDsAsc, stmtWhereNeedByIDsDesc},
		{stmtWhereNeedByStatusAsc, stmtWhereNeedByStatusDesc}},
	kg.LabelCompetency: {{stmtWhereCompetencyAsc, stmtWhereCompetencyDesc}, {stmtWhereCompetencyByIDsAsc, stmtWhereCompetencyByIDsDesc},
		{stmtWhereCompetencyByCategoryAsc, stmtWhereCompetencyByCategoryDesc}},
}

const (
	whereUnseeded = iota
	whereByIDs
	whereByValue
)

// whereEnds are the instruction's names of what a comparison reads.
var whereEnds = map[kg.WhereEnd]string{kg.EndNode: "n", kg.EndTie: "r", kg.EndFrom: "from", kg.EndTo: "to"}

// whereProgram flattens w into the postfix instructions the where
// statements interpret: {op: and|or, k} pops k booleans, {op: not}
// negates the top, {op: true} pushes true, {op: cmp, on, p, c, v} pushes a
// comparison of property p (kg's whitelist, Where.Prop) and {op: rel, t,
// out, both, q, sub} a relationship filter with its own program (both: a
// symmetric type, its ties in either direction seen from the node). Values are
// parameters; nothing of the where becomes Cypher text.
func whereProgram(w *kg.Where) []any {
	var prog []any
	var emit func(w *kg.Where)
	emit = func(w *kg.Where) {
		switch w.Op {
		case kg.WhereAnd, kg.WhereOr:
			for _, k := range w.Kids {
				emit(k)
			}
			op := "and"
			if w.Op == kg.WhereOr {
				op = "or"
			}
			prog = append(prog, map[string]any{"op": op, "k": int64(len(w.Kids))})
		case kg.WhereNot:
			emit(w.Kids[0])
			prog = append(prog, map[string]any{"op": "not"})
		case kg.WhereRel:
			sub := []any{map[string]any{"op": "true"}}
			if w.Sub != nil {
				sub = whereProgram(w.Sub)
			}
			prog = append(prog, map[string]any{"op": "rel", "t": string(w.Type), "out": w.Dir == kg.Outgoing,
				"both": w.Dir == kg.Both, "q": string(w.Quant), "sub": sub})
		default:
			var v any
			switch {
			case w.IsNumeric() && w.Cmp == kg.CmpIn:
				ints := make([]int64, len(w.Ints))
				for i, n := range w.Ints {
					ints[i] = int64(n)
				}
				v = ints
			case w.IsNumeric():
				v = int64(w.Int)
			case w.Cmp == kg.CmpIn:
				v = strs(w.Strs)
			default:
				v = w.Str
			}
			prog = append(prog, map[string]any{"op": "cmp", "on": whereEnds[w.On], "p": w.Prop(), "c": string(w.Cmp), "v": v})
		}
	}
	emit(w)
	return prog
}

// wherePlan picks the where statement of q and builds its parameters: the
// id index serves a where with an eq or in on id at its top level, else
// the index of the label's seed field (kind, status, category) one with
// an eq or in on that field at its top level, else the label's index.
func wherePlan(q kg.ListQuery) (string, map[string]any) {
	w := kg.AndWhere(kg.FilterWhere(q.Label, q.Filter), q.Where)
	afterKey, afterID := "", ""
	if q.Order.Desc {
		afterKey, afterID = keyMax, keyMax
	}
	if q.After != nil {
		afterKey, afterID = orderKey(q.After.Key), q.After.ID
	}
	p := map[string]any{
		"where":      whereProgram(w),
		"orderField": string(q.Order.Field),
		"afterKey":   afterKey,
		"afterId":    afterID,
		"limit":      int64(q.First + 1),
	}
	seeded, dir := whereUnseeded, 0
	if ids, ok := w.SeedIDs(); ok {
		seeded = whereByIDs
		p["ids"] = strs(ids)
	} else if vals, ok := w.Seed(kg.WhereSeedField(q.Label)); ok {
		seeded = whereByValue
		p["values"] = strs(vals)
	}
	if q.Order.Desc {
		dir = 1
	}
	return whereStmt[q.Label][seeded][dir], p
}

// listWhere is List for a query with a where, q.Order checked.
func (s *Store) listWhere(ctx context.Context, q kg.ListQuery) (kg.Page, error) {
	name, params := wherePlan(q)
	return read(ctx, s, "list", func(ctx context.Context, tx neo4j.ManagedTransaction) (kg.Page, error) {
		recs, err := run(ctx, tx, name, params)
		if err != nil {
			return kg.Page{}, err
		}
		if len(recs) != 1 {
			return kg.Page{}, fmt.Errorf("%s returned %d records", name, len(recs))
		}
		total, err := recs[0].integer("total")
		if err != nil {
			return kg.Page{}, err
		}
		v, err := recs[0].get("nodes")
		if err != nil {
			return kg.Page{}, err
		}
		list, ok := v.([]any)
		if !ok {
			return kg.Page{}, fmt.Errorf("column nodes holds %T, want a list", v)
		}
		out := kg.Page{TotalCount: int(total)}
		for _, e := range list {
			m, ok := e.(map[string]any)
			if !ok {
				return kg.Page{}, fmt.Errorf("nodes holds a %T, want a map of properties", e)
			}
			n, err := nodeFrom(q.Label, m)
			if err != nil {
				return kg.Page{}, err
			}
			out.Nodes = append(out.Nodes, n)
		}
		if len(out.Nodes) > q.First {
			out.Nodes, out.HasNextPage = out.Nodes[:q.First], true
		}
		return out, nil
	})
}

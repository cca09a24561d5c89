package graph

import (
	"context"

	"github.com/samverkan/samverkan/graph/model"
	"github.com/samverkan/samverkan/internal/kg"
)

// This file answers the aggregations: actorsAggregate and the like from
// Store.Aggregate (one call for count and statistics, one per groupBy), and
// the nested ones from the relationships the loaders read.

func (r *Resolver) aggregate(ctx context.Context, l kg.Label, f kg.Filter) (*model.NodeAggregate, error) {
	q := kg.AggregateQuery{Label: l, Filter: f}
	a, err := r.Store.Aggregate(ctx, q)
	if err != nil {
		return nil, err
	}
	return &model.NodeAggregate{Query: q, Agg: a}, nil
}

func (r *Resolver) groupBy(ctx context.Context, obj *model.NodeAggregate, field kg.GroupField) ([]*kg.GroupCount, error) {
	q := obj.Query
	q.GroupBy = field
	a, err := r.Store.Aggregate(ctx, q)
	if err != nil {
		return nil, err
	}
	out := make([]*kg.GroupCount, len(a.Groups))
	for i := range a.Groups {
		out[i] = &a.Groups[i]
	}
	return out, nil
}

// relAggregate counts node id's relationships of type t in direction dir
// and summarises value over them.
func (r *Resolver) relAggregate(ctx context.Context, t kg.RelType, dir kg.Direction, id string, value func(kg.Rel) int) (*model.RelAggregate, error) {
	list, err := r.loaders(ctx).Rels(ctx, t, dir, id)
	if err != nil {
		return nil, err
	}
	a := &model.RelAggregate{Count: len(list)}
	for _, rel := range list {
		a.Stats.Add(value(rel))
	}
	return a, nil
}

func relLevel(r kg.Rel) int      { return r.Level }
func relImportance(r kg.Rel) int { return r.Importance }

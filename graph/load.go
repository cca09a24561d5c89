package graph

import (
	"context"
	"fmt"

	"github.com/samverkan/samverkan/internal/kg"
)

// This file loads what the resolvers return, nodes by id and a node's
// relationships, through the operation's batch loaders (loaders.go).

// checkID refuses an id that breaks the pattern, naming the argument.
func checkID(field, id string) error { return kg.CheckID(field, id) }

// nodeAs loads the node with id as a T; a missing node or one of another
// label is nil. Bad ids are refused.
func nodeAs[T kg.Node](ctx context.Context, r *Resolver, field, id string) (T, error) {
	var zero T
	if err := checkID(field, id); err != nil {
		return zero, err
	}
	n, err := r.loaders(ctx).Node(ctx, id)
	if err != nil || n == nil {
		return zero, err
	}
	t, ok := n.(T)
	if !ok {
		return zero, nil
	}
	return t, nil
}

// endpoint loads a relationship's endpoint, which must exist.
func endpoint[T kg.Node](ctx context.Context, r *Resolver, id string) (T, error) {
	var zero T
	n, err := r.loaders(ctx).Node(ctx, id)
	if err != nil {
		return zero, err
	}
	t, ok := n.(T)
	if !ok {
		return zero, fmt.Errorf("relationship endpoint %q is missing or has another label", id)
	}
	return t, nil
}

// endpoints loads the nodes with ids as Ts, in order; every id must exist.
func endpoints[T kg.Node](ctx context.Context, r *Resolver, ids []string) ([]T, error) {
	nodes, err := r.loaders(ctx).Nodes(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]T, len(ids))
	for i, n := range nodes {
		t, ok := n.(T)
		if !ok {
			return nil, fmt.Errorf("node %q is missing or has another label", ids[i])
		}
		out[i] = t
	}
	return out, nil
}

// rels loads a node's relationships as the pointers gqlgen wants, each a
// copy the caller may change.
func (r *Resolver) rels(ctx context.Context, t kg.RelType, dir kg.Direction, id string) ([]*kg.Rel, error) {
	list, err := r.loaders(ctx).Rels(ctx, t, dir, id)
	if err != nil {
		return nil, err
	}
	out := make([]*kg.Rel, len(list))
	for i := range list {
		rel := list[i]
		out[i] = &rel
	}
	return out, nil
}

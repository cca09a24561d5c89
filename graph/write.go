package graph

import (
	"context"
	"errors"
	"fmt"

	"github.com/samverkan/samverkan/internal/kg"
)

// This file holds what the mutation resolvers share: they write through
// the store and answer what it stored.

// upsert stores n and returns it as stored. Errors name the field under
// the mutation's input argument, e.g. input.name.
func upsert[T kg.Node](ctx context.Context, r *Resolver, n kg.Node) (T, error) {
	var zero T
	out, err := r.Store.UpsertNode(ctx, n)
	if err != nil {
		return zero, inputField(err, "input")
	}
	t, ok := out.(T)
	if !ok {
		return zero, fmt.Errorf("store returned a %T for a %T", out, n)
	}
	return t, nil
}

func (r *Resolver) deleteNode(ctx context.Context, l kg.Label, id string) (bool, error) {
	return r.Store.DeleteNode(ctx, l, id)
}

func (r *Resolver) setRel(ctx context.Context, rel kg.Rel) (*kg.Rel, error) {
	out, err := r.Store.SetRel(ctx, rel)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// inputField puts an error about the input under field (kg.WithField),
// unless the store failed for a reason of its own (unavailable, a full
// disk, a timeout): that error is passed on whole, with its cause, and
// names no field, since the input is not at fault.
func inputField(err error, field string) error {
	if errors.Is(err, kg.ErrUnavailable) || errors.Is(err, kg.ErrTimeout) {
		return err
	}
	return kg.WithField(err, field)
}

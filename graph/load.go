package graph

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

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

// rels loads a node's relationships as the pointers gqlgen wants: into the
// operation's cached list, which no resolver changes (one that would, as
// Partnerships, copies it first). When the query's
// selection under the list asks for the relationships' endpoints, the
// loaders load those with the list (relsAndEnds).
func (r *Resolver) rels(ctx context.Context, t kg.RelType, dir kg.Direction, id string) ([]*kg.Rel, error) {
	var list []kg.Rel
	var err error
	if l := loadersOf(ctx); l != nil {
		list, err = l.relsAndEnds(ctx, t, dir, id, wantedEnds(ctx))
	} else {
		list, err = r.loaders(ctx).Rels(ctx, t, dir, id)
	}
	if err != nil {
		return nil, err
	}
	out := make([]*kg.Rel, len(list))
	for i := range list {
		out[i] = &list[i]
	}
	return out, nil
}

// endFields are, per relationship type of the schema, its fields that
// return an endpoint, and which: the From or the To, as the resolvers of
// relationship.resolvers.go see them.
var endFields = map[string]map[string]relEnds{
	"Participation":  {"actor": endFrom, "project": endTo},
	"HeldCompetency": {"actor": endFrom, "competency": endTo},
	"NeedOwnership":  {"actor": endFrom, "need": endTo},
	"Requirement":    {"need": endFrom, "competency": endTo},
	"Addressing":     {"project": endFrom, "need": endTo},
	"Membership":     {"member": endFrom, "organisation": endTo},
	"Partnership":    {"actor": endFrom, "partner": endTo},
	"PartOf":         {"part": endFrom, "whole": endTo},
	"Supply":         {"supplier": endFrom, "client": endTo},
}

// wantedEnds is which endpoints the selection of the relationship list
// resolved in ctx asks for: the fields gqlgen will collect for its
// elements' type (fragments, @include and @skip as it applies them).
func wantedEnds(ctx context.Context) relEnds {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil || fc.Field.Definition == nil {
		return 0
	}
	typ := fc.Field.Definition.Type
	for typ.Elem != nil {
		typ = typ.Elem
	}
	fields := endFields[typ.NamedType]
	if fields == nil {
		return 0
	}
	var ends relEnds
	sel := fc.Field.Selections
	plain := true
	for _, s := range sel {
		f, ok := s.(*ast.Field)
		if !ok || len(f.Directives) > 0 {
			plain = false
			break
		}
		ends |= fields[f.Name]
	}
	if plain {
		return ends
	}
	ends = 0
	for _, f := range graphql.CollectFields(graphql.GetOperationContext(ctx), sel, []string{typ.NamedType}) {
		ends |= fields[f.Name]
	}
	return ends
}

package graph

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/samverkan/samverkan/graph/model"
	"github.com/samverkan/samverkan/internal/kg"
)

// This file turns GraphQL inputs into domain values and domain values into
// GraphQL outputs; the rules themselves live in internal/kg.

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// optional returns nil for the zero value, so that unknown fields read as
// null rather than "".
func optional[T comparable](v T) *T {
	var zero T
	if v == zero {
		return nil
	}
	return &v
}

func meta(id *string, name string, description *string, sources []string) kg.Meta {
	return kg.Meta{ID: deref(id), Name: name, Description: deref(description), Sources: sources}
}

func actorFromInput(in *model.ActorInput) *kg.Actor {
	return &kg.Actor{Meta: meta(in.ID, in.Name, in.Description, in.Sources), Kind: in.Kind, Sector: in.Sector,
		Country: deref(in.Country), Region: deref(in.Region), City: deref(in.City), Website: deref(in.Website),
		Aliases: in.Aliases}
}

func projectFromInput(in *model.ProjectInput) *kg.Project {
	return &kg.Project{Meta: meta(in.ID, in.Name, in.Description, in.Sources), Status: in.Status,
		StartDate: deref(in.StartDate), EndDate: deref(in.EndDate), URL: deref(in.URL), Programme: deref(in.Programme)}
}

func needFromInput(in *model.NeedInput) *kg.Need {
	return &kg.Need{Meta: meta(in.ID, in.Name, in.Description, in.Sources), Status: in.Status, Priority: in.Priority}
}

func competencyFromInput(in *model.CompetencyInput) *kg.Competency {
	return &kg.Competency{Meta: meta(in.ID, in.Name, in.Description, in.Sources), Category: in.Category,
		Aliases: in.Aliases}
}

func relFromInput(in *model.RelationshipInput) kg.Rel {
	return kg.Rel{Type: in.Type, From: in.FromID, To: in.ToID, Role: deref(in.Role), Start: deref(in.From),
		End: deref(in.To), Level: deref(in.Level), Evidence: deref(in.Evidence), Importance: deref(in.Importance),
		Since: deref(in.Since), Description: deref(in.Description), Sources: in.Sources}
}

func graphFromInput(in model.GraphInput) kg.Graph {
	var g kg.Graph
	for _, a := range in.Actors {
		g.Actors = append(g.Actors, actorFromInput(a))
	}
	for _, p := range in.Projects {
		g.Projects = append(g.Projects, projectFromInput(p))
	}
	for _, n := range in.Needs {
		g.Needs = append(g.Needs, needFromInput(n))
	}
	for _, c := range in.Competencies {
		g.Competencies = append(g.Competencies, competencyFromInput(c))
	}
	for _, r := range in.Relationships {
		g.Rels = append(g.Rels, relFromInput(r))
	}
	return g
}

func labelOf(t model.NodeType) kg.Label {
	switch t {
	case model.NodeTypeActor:
		return kg.LabelActor
	case model.NodeTypeProject:
		return kg.LabelProject
	case model.NodeTypeNeed:
		return kg.LabelNeed
	}
	return kg.LabelCompetency
}

func order(field kg.OrderField, dir model.OrderDirection) kg.Order {
	if field == "" {
		field = kg.OrderByName
	}
	return kg.Order{Field: field, Desc: dir == model.OrderDirectionDesc}
}

// pageArgs checks first and after. first has a schema default, so nil only
// comes from an explicit null.
func pageArgs(first *int, after *string, o kg.Order) (int, *kg.Cursor, error) {
	n := kg.DefaultPageSize
	if first != nil {
		n = *first
	}
	if n < 1 || n > kg.MaxPageSize {
		return 0, nil, kg.Invalid("first", "%d is outside 1–%d", n, kg.MaxPageSize)
	}
	if after == nil {
		return n, nil, nil
	}
	c, err := kg.DecodeCursor("after", *after, o)
	return n, c, err
}

// page fetches one page of a list and the cursors and page info for it.
func (r *Resolver) page(ctx context.Context, label kg.Label, f kg.Filter, o kg.Order, first *int, after *string) ([]kg.Node, []string, *model.PageInfo, int, error) {
	n, c, err := pageArgs(first, after, o)
	if err != nil {
		return nil, nil, nil, 0, err
	}
	p, err := r.Store.List(ctx, kg.ListQuery{Label: label, Filter: f, Order: o, First: n, After: c})
	if err != nil {
		return nil, nil, nil, 0, err
	}
	cursors := make([]string, len(p.Nodes))
	for i, node := range p.Nodes {
		cursors[i] = kg.CursorOf(node, o).Encode()
	}
	info := &model.PageInfo{HasNextPage: p.HasNextPage, HasPreviousPage: c != nil}
	if len(cursors) > 0 {
		info.StartCursor, info.EndCursor = &cursors[0], &cursors[len(cursors)-1]
	}
	return p.Nodes, cursors, info, p.TotalCount, nil
}

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

// rels loads a node's relationships as the pointers gqlgen wants.
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

// upperAll upper-cases country codes, which are stored upper case, so that
// a filter on "se" finds Swedish actors.
func upperAll(in []string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = strings.ToUpper(strings.TrimSpace(s))
	}
	return out
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

package graph

import (
	"strings"

	"github.com/samverkan/samverkan/graph/model"
	"github.com/samverkan/samverkan/internal/kg"
)

// This file turns GraphQL arguments and inputs into domain values and
// domain values into GraphQL outputs; the rules themselves live in
// internal/kg.

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// orDefault applies an argument's default when a client sent an explicit
// null; the schema's defaults cover an argument left out.
func orDefault(p *int, def int) int {
	if p == nil {
		return def
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

func ptrs[T any](in []T) []*T {
	out := make([]*T, len(in))
	for i := range in {
		out[i] = &in[i]
	}
	return out
}

func meta(id *string, name string, description *string, sources []string) kg.Meta {
	return kg.Meta{ID: deref(id), Name: name, Description: deref(description), Sources: sources}
}

func actorFromInput(in *model.ActorInput) *kg.Actor {
	return &kg.Actor{Meta: meta(in.ID, in.Name, in.Description, in.Sources), Kind: in.Kind, Sector: in.Sector,
		Country: deref(in.Country), Region: deref(in.Region), City: deref(in.City), Website: deref(in.Website),
		Aliases: in.Aliases, ExternalIDs: externalIDsFromInput(in.ExternalIds)}
}

func externalIDsFromInput(in []*model.ExternalIDInput) []kg.ExternalID {
	if len(in) == 0 {
		return nil
	}
	out := make([]kg.ExternalID, len(in))
	for i, x := range in {
		out[i] = kg.ExternalID{Scheme: x.Scheme, Value: x.Value}
	}
	return out
}

func projectFromInput(in *model.ProjectInput) *kg.Project {
	return &kg.Project{Meta: meta(in.ID, in.Name, in.Description, in.Sources), Type: deref(in.Type), Status: in.Status,
		StartDate: deref(in.StartDate), EndDate: deref(in.EndDate), URL: deref(in.URL), Programme: deref(in.Programme),
		Country: deref(in.Country), Region: deref(in.Region), City: deref(in.City), Aliases: in.Aliases}
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
		Since: deref(in.Since), Description: deref(in.Description), Amount: deref(in.Amount), Currency: deref(in.Currency),
		Basis: deref(in.Basis), Quote: deref(in.Quote), Sources: in.Sources}
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

func actorFilter(in *model.ActorFilter) kg.Filter {
	if in == nil {
		return kg.Filter{}
	}
	return kg.Filter{IDs: in.Ids, NameContains: deref(in.NameContains), Kinds: in.Kinds, Sectors: in.Sectors,
		Countries: upperAll(in.Countries), Regions: in.Regions, Cities: in.Cities}
}

func projectFilter(in *model.ProjectFilter) kg.Filter {
	if in == nil {
		return kg.Filter{}
	}
	f := kg.Filter{IDs: in.Ids, NameContains: deref(in.NameContains), Programmes: in.Programmes}
	for _, s := range in.Statuses {
		f.Statuses = append(f.Statuses, string(s))
	}
	return f
}

func needFilter(in *model.NeedFilter) kg.Filter {
	if in == nil {
		return kg.Filter{}
	}
	f := kg.Filter{IDs: in.Ids, NameContains: deref(in.NameContains), MinPriority: deref(in.MinPriority)}
	for _, s := range in.Statuses {
		f.Statuses = append(f.Statuses, string(s))
	}
	return f
}

func competencyFilter(in *model.CompetencyFilter) kg.Filter {
	if in == nil {
		return kg.Filter{}
	}
	return kg.Filter{IDs: in.Ids, NameContains: deref(in.NameContains), Categories: in.Categories}
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

// order is a list's order; without orderBy, by name ascending.
func order(field kg.OrderField, dir model.OrderDirection) kg.Order {
	if field == "" {
		field = kg.OrderByName
	}
	return kg.Order{Field: field, Desc: dir == model.OrderDirectionDesc}
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

// seenFrom presents a symmetric relationship (a partnership) from the side
// of the endpoint id: id is From, the other endpoint To. It changes rel in
// place.
func seenFrom(rel *kg.Rel, id string) {
	if rel.From != id {
		rel.From, rel.To = rel.To, rel.From
	}
}

func properties(rel kg.Rel) *model.RelationshipProperties {
	return &model.RelationshipProperties{
		From: optional(rel.Start), To: optional(rel.End), Level: optional(rel.Level), Evidence: optional(rel.Evidence),
		Importance: optional(rel.Importance), Since: optional(rel.Since), Description: optional(rel.Description),
		Role: optional(rel.Role),
	}
}

func edgeOf(rel kg.Rel) *model.Edge {
	sources := rel.Sources
	if sources == nil {
		sources = []string{}
	}
	return &model.Edge{Type: rel.Type, FromID: rel.From, ToID: rel.To, Properties: properties(rel), Sources: sources}
}

// scopeOf reads a scope argument; an explicit null is the default, ALL.
func scopeOf(p *kg.Scope) kg.Scope {
	if p == nil {
		return kg.ScopeAll
	}
	return *p
}

// dateOf is an optional date argument, "" when absent or null.
func dateOf(p *kg.Date) kg.Date {
	if p == nil {
		return ""
	}
	return *p
}

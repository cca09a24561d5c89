// Package export writes the graph, or the part a Filter selects, in the
// formats analysts' and partners' tools read: GraphML and GEXF (Gephi,
// NetworkX, yEd, Cytoscape), CSV (one file per label and per relationship
// type, in a zip) and JSON in the importGraph form (json.go), which
// `samverkan import` and importGraph read back. Everything streams: nodes
// are read from the store in batches, label by label, then relationships
// type by type, and written as they come.
package export

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/samverkan/samverkan/internal/engine"
	"github.com/samverkan/samverkan/internal/kg"
)

// Format is an export format.
type Format string

const (
	GraphML Format = "graphml"
	GEXF    Format = "gexf"
	CSV     Format = "csv" // a zip of CSV files
	JSON    Format = "json"
)

// Formats lists the formats.
var Formats = []Format{GraphML, GEXF, CSV, JSON}

// ParseFormat parses a format name (any case).
func ParseFormat(s string) (Format, error) {
	f := Format(strings.ToLower(strings.TrimSpace(s)))
	if !slices.Contains(Formats, f) {
		return "", fmt.Errorf("format %q is not one of graphml, gexf, csv, json", s)
	}
	return f, nil
}

// ContentType is the media type of an export in f.
func (f Format) ContentType() string {
	switch f {
	case GraphML:
		return "application/graphml+xml"
	case GEXF:
		return "application/gexf+xml"
	case CSV:
		return "application/zip"
	}
	return "application/json"
}

// Ext is the file name extension of an export in f.
func (f Format) Ext() string {
	if f == CSV {
		return "zip"
	}
	return string(f)
}

// Filter selects part of the graph; the zero Filter selects all of it.
type Filter struct {
	// Labels keeps only nodes of these labels (empty: every label).
	Labels []kg.Label
	// Types keeps only relationships of these types (empty: every type);
	// with ID it is also what the neighbourhood follows.
	Types []kg.RelType
	// Kinds keeps only actors of these kinds; nodes of other labels stay
	// (leave them out with Labels).
	Kinds []kg.ActorKind
	// ID, when set, selects the nodes within Depth hops of that node
	// (over Types), before Labels and Kinds apply.
	ID    string
	Depth int
}

// MaxDepth bounds Filter.Depth, as the neighbourhood query's depth.
const MaxDepth = kg.MaxNeighbourhoodDepth

// Check reports the first thing wrong with f, naming the parameter.
func (f Filter) Check() error {
	for _, l := range f.Labels {
		if !l.Valid() {
			return fmt.Errorf("labels: %q is not one of %v", l, kg.Labels)
		}
	}
	for _, t := range f.Types {
		if !slices.Contains(kg.RelTypes, t) {
			return fmt.Errorf("types: %q is not one of %v", t, kg.RelTypes)
		}
	}
	for _, k := range f.Kinds {
		if !k.Valid() {
			return fmt.Errorf("kinds: %q is not one of %v", k, kg.ActorKinds)
		}
	}
	if f.ID == "" && f.Depth != 0 {
		return fmt.Errorf("depth: needs an id to count from")
	}
	if f.ID != "" && (f.Depth < 0 || f.Depth > MaxDepth) {
		return fmt.Errorf("depth: %d is outside 0–%d", f.Depth, MaxDepth)
	}
	return nil
}

// IsAll reports whether f selects the whole graph.
func (f Filter) IsAll() bool {
	return len(f.Labels) == 0 && len(f.Types) == 0 && len(f.Kinds) == 0 && f.ID == ""
}

// ParseList splits a comma-separated list into upper-case entries.
func ParseList[T ~string](s string) []T {
	var out []T
	for _, e := range strings.Split(s, ",") {
		if e = strings.TrimSpace(e); e != "" {
			out = append(out, T(strings.ToUpper(e)))
		}
	}
	return out
}

// ParseLabels splits a comma-separated list of labels, in any case.
func ParseLabels(s string) []kg.Label {
	var out []kg.Label
	for _, e := range strings.Split(s, ",") {
		if e = strings.TrimSpace(e); e == "" {
			continue
		}
		l := kg.Label(e)
		for _, k := range kg.Labels {
			if strings.EqualFold(e, string(k)) {
				l = k
			}
		}
		out = append(out, l)
	}
	return out
}

// ParseDepth parses a depth ("" is 1 with an id, 0 without).
func ParseDepth(s string, withID bool) (int, error) {
	if strings.TrimSpace(s) == "" {
		if withID {
			return 1, nil
		}
		return 0, nil
	}
	d, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("depth: %q is not a number", s)
	}
	return d, nil
}

// sink is a format's writer: label opens the nodes of a label (in
// kg.Labels order, each once, even without nodes), relType the
// relationships of a type (in kg.RelTypes order, after every label).
type sink interface {
	label(l kg.Label) error
	node(n kg.Node) error
	relType(t kg.RelType) error
	rel(r kg.Rel) error
	close() error
}

func newSink(f Format, w io.Writer) sink {
	switch f {
	case GraphML:
		return newGraphML(w)
	case GEXF:
		return newGEXF(w)
	case CSV:
		return newCSV(w)
	}
	return jsonSink{NewWriter(w)}
}

type jsonSink struct{ w *Writer }

func (jsonSink) label(kg.Label) error     { return nil }
func (s jsonSink) node(n kg.Node) error   { return s.w.Node(n) }
func (jsonSink) relType(kg.RelType) error { return nil }
func (s jsonSink) rel(r kg.Rel) error     { return s.w.Rel(r) }
func (s jsonSink) close() error           { return s.w.Close() }

// Counts is what an export wrote.
type Counts struct{ Nodes, Rels int }

// Write writes the part of store's graph that f selects to w in format
// format. f must pass Check; an ID that is no node is kg.ErrNotFound
// before anything is written. Nodes go label by label in id order, then
// the relationships between them type by type, each in (from, to) order.
func Write(ctx context.Context, store kg.Store, f Filter, format Format, w io.Writer) (Counts, error) {
	var c Counts
	snap, err := store.Topology(ctx)
	if err != nil {
		return c, err
	}
	byLabel, err := selectNodes(snap, f)
	if err != nil {
		return c, err
	}
	types := f.Types
	if len(types) == 0 {
		types = kg.RelTypes
	}
	selected := map[string]bool{}
	for _, ids := range byLabel {
		for _, id := range ids {
			selected[id] = true
		}
	}
	s := newSink(format, w)
	var all []string
	for i, l := range kg.Labels {
		if err := s.label(l); err != nil {
			return c, err
		}
		ids := byLabel[i]
		all = append(all, ids...)
		for start := 0; start < len(ids); start += kg.MaxBatchIDs {
			nodes, err := store.GetNodes(ctx, ids[start:min(start+kg.MaxBatchIDs, len(ids))])
			if err != nil {
				return c, err
			}
			for _, n := range nodes {
				if n == nil || n.NodeLabel() != l { // deleted since the snapshot
					continue
				}
				if err := s.node(n); err != nil {
					return c, err
				}
				c.Nodes++
			}
		}
	}
	slices.Sort(all)
	for _, t := range kg.RelTypes {
		if !slices.Contains(types, t) {
			continue
		}
		if err := s.relType(t); err != nil {
			return c, err
		}
		for start := 0; start < len(all); start += kg.MaxBatchIDs {
			batch := all[start:min(start+kg.MaxBatchIDs, len(all))]
			byID, err := store.RelsOf(ctx, t, kg.Outgoing, batch)
			if err != nil {
				return c, err
			}
			for _, id := range batch {
				for _, r := range byID[id] {
					if !selected[r.To] || !selected[r.From] {
						continue
					}
					if err := s.rel(r); err != nil {
						return c, err
					}
					c.Rels++
				}
			}
		}
	}
	return c, s.close()
}

// selectNodes returns the ids f selects, per label (kg.Labels order), in
// id order.
func selectNodes(snap *engine.Snapshot, f Filter) ([][]string, error) {
	keep := func(x int32) bool {
		n := snap.Node(x)
		l := kg.LabelOfCode(n.Label)
		if len(f.Labels) > 0 && !slices.Contains(f.Labels, l) {
			return false
		}
		return l != kg.LabelActor || len(f.Kinds) == 0 || slices.Contains(f.Kinds, kg.KindOfCode(n.Kind))
	}
	out := make([][]string, len(kg.Labels))
	add := func(x int32) {
		if keep(x) {
			l := snap.Node(x).Label
			out[l] = append(out[l], snap.ID(x))
		}
	}
	if f.ID == "" {
		for x := range snap.Slots() {
			if snap.Alive(x) {
				add(x)
			}
		}
	} else {
		start, ok := snap.Lookup(f.ID)
		if !ok {
			return nil, kg.WithField(kg.NotFound(f.ID), "id")
		}
		var follow [engine.MaxCodes]bool
		for _, t := range kg.RelTypes {
			follow[kg.TypeCode(t)] = len(f.Types) == 0 || slices.Contains(f.Types, t)
		}
		seen := map[int32]bool{start: true}
		front := []int32{start}
		for d := 0; d < f.Depth && len(front) > 0; d++ {
			var next []int32
			for _, x := range front {
				for _, e := range snap.Edges(x) {
					if follow[e.Type] && !seen[e.To] {
						seen[e.To] = true
						next = append(next, e.To)
					}
				}
			}
			front = next
		}
		for x := range seen {
			add(x)
		}
	}
	for _, ids := range out {
		slices.Sort(ids)
	}
	return out, nil
}

// attr is one attribute of the GraphML, GEXF and CSV forms: its name, its
// type ("string", "int" or "double") and how to read it off a node or
// relationship ("" when it has none).
type attr[T any] struct {
	name, typ string
	get       func(T) string
}

func joined(s []string) string { return strings.Join(s, " | ") }

func itoa0(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// nodeAttrs are the node attributes, every label's together; labelAttrs
// says which a label has (its CSV columns).
var nodeAttrs = []attr[kg.Node]{
	{"nodeLabel", "string", func(n kg.Node) string { return string(n.NodeLabel()) }},
	{"name", "string", func(n kg.Node) string { return n.Base().Name }},
	{"description", "string", func(n kg.Node) string { return n.Base().Description }},
	{"kind", "string", func(n kg.Node) string {
		a, _ := n.(*kg.Actor)
		return str(a, func(a *kg.Actor) string { return string(a.Kind) })
	}},
	{"sector", "string", func(n kg.Node) string {
		a, _ := n.(*kg.Actor)
		return str(a, func(a *kg.Actor) string { return string(a.Sector) })
	}},
	{"website", "string", func(n kg.Node) string {
		a, _ := n.(*kg.Actor)
		return str(a, func(a *kg.Actor) string { return a.Website })
	}},
	{"type", "string", func(n kg.Node) string {
		p, _ := n.(*kg.Project)
		return str(p, func(p *kg.Project) string { return string(p.TypeOrDefault()) })
	}},
	{"status", "string", func(n kg.Node) string {
		switch v := n.(type) {
		case *kg.Project:
			return string(v.Status)
		case *kg.Need:
			return string(v.Status)
		}
		return ""
	}},
	{"startDate", "string", func(n kg.Node) string {
		p, _ := n.(*kg.Project)
		return str(p, func(p *kg.Project) string { return string(p.StartDate) })
	}},
	{"endDate", "string", func(n kg.Node) string {
		p, _ := n.(*kg.Project)
		return str(p, func(p *kg.Project) string { return string(p.EndDate) })
	}},
	{"url", "string", func(n kg.Node) string {
		p, _ := n.(*kg.Project)
		return str(p, func(p *kg.Project) string { return p.URL })
	}},
	{"programme", "string", func(n kg.Node) string {
		p, _ := n.(*kg.Project)
		return str(p, func(p *kg.Project) string { return p.Programme })
	}},
	{"country", "string", func(n kg.Node) string { c, _, _ := place(n); return c }},
	{"region", "string", func(n kg.Node) string { _, r, _ := place(n); return r }},
	{"city", "string", func(n kg.Node) string { _, _, c := place(n); return c }},
	{"priority", "int", func(n kg.Node) string {
		x, _ := n.(*kg.Need)
		return str(x, func(x *kg.Need) string { return strconv.Itoa(x.Priority) })
	}},
	{"category", "string", func(n kg.Node) string {
		x, _ := n.(*kg.Competency)
		return str(x, func(x *kg.Competency) string { return string(x.Category) })
	}},
	{"aliases", "string", func(n kg.Node) string { return joined(kg.Aliases(n)) }},
	{"externalIds", "string", func(n kg.Node) string {
		xs := kg.ExternalIDsOf(n)
		keys := make([]string, len(xs))
		for i, x := range xs {
			keys[i] = x.Key()
		}
		return joined(keys)
	}},
	{"sources", "string", func(n kg.Node) string { return joined(n.Base().Sources) }},
}

var labelAttrs = map[kg.Label][]string{
	kg.LabelActor:      {"name", "description", "kind", "sector", "country", "region", "city", "website", "aliases", "externalIds", "sources"},
	kg.LabelProject:    {"name", "description", "type", "status", "startDate", "endDate", "url", "programme", "country", "region", "city", "aliases", "sources"},
	kg.LabelNeed:       {"name", "description", "status", "priority", "sources"},
	kg.LabelCompetency: {"name", "description", "category", "aliases", "sources"},
}

// str is get(v), or "" for a nil v (a node of another label).
func str[T any](v *T, get func(*T) string) string {
	if v == nil {
		return ""
	}
	return get(v)
}

func place(n kg.Node) (country, region, city string) {
	switch v := n.(type) {
	case *kg.Actor:
		return v.Country, v.Region, v.City
	case *kg.Project:
		return v.Country, v.Region, v.City
	}
	return "", "", ""
}

// relAttrs are the relationship attributes (every type's CSV columns
// after fromId and toId, but relType).
var relAttrs = []attr[kg.Rel]{
	{"relType", "string", func(r kg.Rel) string { return string(r.Type) }},
	{"role", "string", func(r kg.Rel) string { return r.Role }},
	{"from", "string", func(r kg.Rel) string { return string(r.Start) }},
	{"to", "string", func(r kg.Rel) string { return string(r.End) }},
	{"level", "int", func(r kg.Rel) string { return itoa0(r.Level) }},
	{"evidence", "string", func(r kg.Rel) string { return r.Evidence }},
	{"importance", "int", func(r kg.Rel) string { return itoa0(r.Importance) }},
	{"since", "string", func(r kg.Rel) string { return string(r.Since) }},
	{"description", "string", func(r kg.Rel) string { return r.Description }},
	{"amount", "double", func(r kg.Rel) string {
		if r.Amount == 0 {
			return ""
		}
		return strconv.FormatFloat(r.Amount, 'f', -1, 64)
	}},
	{"currency", "string", func(r kg.Rel) string { return r.Currency }},
	{"basis", "string", func(r kg.Rel) string { return string(r.BasisOrDefault()) }},
	{"quote", "string", func(r kg.Rel) string { return r.Quote }},
	{"sources", "string", func(r kg.Rel) string { return joined(r.Sources) }},
}

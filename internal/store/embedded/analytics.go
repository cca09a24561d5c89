package embedded

import (
	"context"
	"slices"
	"strings"

	"github.com/samverkan/samverkan/internal/kg"
)

// Incident returns copies of every relationship of the given types that has
// an endpoint among ids, each once, sorted by (type in kg.RelTypes order,
// from, to).
func (s *Store) Incident(ctx context.Context, types []kg.RelType, ids []string) ([]kg.Rel, error) {
	types, err := kg.CheckRelTypes(types)
	if err != nil {
		return nil, err
	}
	if err := s.beginRead(ctx); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	// A relationship between two of the ids is reached from both ends; seen
	// keeps it to one copy.
	seen := make(map[kg.RelKey]struct{})
	var out []kg.Rel
	add := func(set map[kg.RelKey]struct{}) {
		for k := range set {
			if _, dup := seen[k]; dup {
				continue
			}
			seen[k] = struct{}{}
			out = append(out, kg.CloneRel(*s.rels[k]))
		}
	}
	for _, id := range ids {
		a := s.adj[id]
		if a == nil {
			continue
		}
		for _, t := range types {
			add(a.out[t])
			add(a.in[t])
		}
	}
	slices.SortFunc(out, func(x, y kg.Rel) int { return kg.CompareLinks(x.Type, x.From, x.To, y.Type, y.From, y.To) })
	return out, nil
}

// Projection returns the actors, counts and collaboration links of the
// whole graph, read under one read lock and so at one version.
func (s *Store) Projection(ctx context.Context) (*kg.Projection, error) {
	if err := s.beginRead(ctx); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	p := &kg.Projection{
		Version:    s.version,
		NodeCounts: make(map[kg.Label]int, len(kg.Labels)),
		RelCounts:  make(map[kg.RelType]int, len(kg.RelTypes)),
	}
	// Every label and type is present, so that a zero is a count rather
	// than a missing entry.
	for _, l := range kg.Labels {
		p.NodeCounts[l] = 0
	}
	for _, t := range kg.RelTypes {
		p.RelCounts[t] = 0
	}
	for _, n := range s.nodes {
		p.NodeCounts[n.NodeLabel()]++
		if a, ok := n.(*kg.Actor); ok {
			p.Actors = append(p.Actors, kg.ProjectedActor{ID: a.ID, Kind: a.Kind, Sector: a.Sector, Country: a.Country})
		}
	}
	for _, r := range s.rels {
		p.RelCounts[r.Type]++
		if isLink(r.Type) {
			// From and To as stored: a partnership keeps its first direction.
			p.Links = append(p.Links, kg.Link{Type: r.Type, From: r.From, To: r.To})
		}
	}
	slices.SortFunc(p.Actors, func(x, y kg.ProjectedActor) int { return strings.Compare(x.ID, y.ID) })
	slices.SortFunc(p.Links, func(x, y kg.Link) int { return kg.CompareLinks(x.Type, x.From, x.To, y.Type, y.From, y.To) })
	return p, nil
}

// isLink reports whether relationships of type t join collaborators.
func isLink(t kg.RelType) bool {
	return t == kg.RelParticipatesIn || t == kg.RelMemberOf || t == kg.RelPartnersWith
}

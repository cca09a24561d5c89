package embedded

import (
	"context"

	"github.com/samverkan/samverkan/internal/kg"
)

// Incident returns copies of every relationship of the given types that has
// an endpoint among ids, in kg.SortIncident order.
func (s *Store) Incident(ctx context.Context, types []kg.RelType, ids []string) ([]kg.Rel, error) {
	types, err := kg.CheckRelTypes(types)
	if err != nil {
		return nil, err
	}
	if err := s.beginRead(ctx); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	// A relationship between two of the ids is reached from both ends;
	// kg.SortIncident keeps one copy. The copies are shallow until then.
	var out []kg.Rel
	for _, id := range ids {
		a := s.adj[id]
		if a == nil {
			continue
		}
		for _, t := range types {
			for _, set := range []map[kg.RelKey]struct{}{a.out[t], a.in[t]} {
				for k := range set {
					out = append(out, *s.rels[k])
				}
			}
		}
	}
	out = kg.SortIncident(out)
	for i := range out {
		out[i] = kg.CloneRel(out[i])
	}
	return out, nil
}

// Projection returns the actors, counts and collaboration links of the
// whole graph, read under one read lock and so at one version.
func (s *Store) Projection(ctx context.Context) (*kg.Projection, error) {
	if err := s.beginRead(ctx); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	p := kg.NewProjection(s.version)
	for _, n := range s.nodes {
		p.NodeCounts[n.NodeLabel()]++
		if a, ok := n.(*kg.Actor); ok {
			p.Actors = append(p.Actors, kg.ProjectedActor{ID: a.ID, Kind: a.Kind, Sector: a.Sector, Country: a.Country})
		}
	}
	for _, r := range s.rels {
		p.RelCounts[r.Type]++
		if r.Type.IsLink() {
			// From and To as stored: a partnership keeps its first direction.
			p.Links = append(p.Links, kg.Link{Type: r.Type, From: r.From, To: r.To})
		}
	}
	p.Sort()
	return p, nil
}

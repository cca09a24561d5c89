package neo4j

import (
	"context"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/samverkan/samverkan/internal/kg"
)

// Import upserts every node, then sets every relationship, in one write
// transaction: UNWIND batches per label and per type, all or nothing.
func (s *Store) Import(ctx context.Context, g kg.Graph) (kg.ImportResult, error) {
	// Refuse oversized imports before reading anything for them.
	if n := len(g.Nodes()); n > kg.MaxImportNodes || len(g.Rels) > kg.MaxImportRels {
		_, err := kg.PrepareImport(g, func(string) kg.Node { return nil }, func(kg.RelKey) *kg.Rel { return nil }, now())
		return kg.ImportResult{}, err
	}
	return write(ctx, s, "import", func(ctx context.Context, tx neo4j.ManagedTransaction) (kg.ImportResult, error) {
		q := txRunner(ctx, tx)

		// What PrepareImport will ask about: every id as given and as
		// trimmed, and every relationship key.
		var ids []string
		for _, n := range g.Nodes() {
			if !kg.IsNil(n) {
				id := n.Base().ID
				ids = append(ids, id, strings.TrimSpace(id))
			}
		}
		var keys []kg.RelKey
		for _, r := range g.Rels {
			from, to := strings.TrimSpace(r.From), strings.TrimSpace(r.To)
			ids = append(ids, from, to)
			if r.Type.Valid() {
				keys = append(keys, kg.KeyOf(r.Type, from, to))
			}
		}
		nodes, err := nodesByID(q, ids)
		if err != nil {
			return kg.ImportResult{}, err
		}
		rels, err := relsByKey(q, keys)
		if err != nil {
			return kg.ImportResult{}, err
		}
		p, err := kg.PrepareImport(g,
			func(id string) kg.Node { return nodes[id] },
			func(k kg.RelKey) *kg.Rel { return rels[k] },
			now())
		if err != nil {
			return kg.ImportResult{}, err
		}

		byLabel := map[kg.Label][]kg.Node{}
		for _, n := range p.Nodes {
			byLabel[n.NodeLabel()] = append(byLabel[n.NodeLabel()], n)
		}
		for _, l := range kg.Labels {
			if _, err := writeNodes(q, l, byLabel[l]); err != nil {
				return kg.ImportResult{}, err
			}
		}
		byType := map[kg.RelType][]kg.Rel{}
		for _, r := range p.Rels {
			byType[r.Type] = append(byType[r.Type], r)
		}
		for _, t := range kg.RelTypes {
			if _, err := writeRels(q, t, byType[t]); err != nil {
				return kg.ImportResult{}, err
			}
		}
		return p.Result, nil
	})
}

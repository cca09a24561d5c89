package neo4j

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/samverkan/samverkan/internal/kg"
)

// Import upserts every node, then sets every relationship, in one write
// transaction: UNWIND batches per label and per type, all or nothing.
func (s *Store) Import(ctx context.Context, g kg.Graph) (kg.ImportResult, error) {
	// kg.PlanImport refuses an oversized import before anything is read
	// for it.
	plan, err := kg.PlanImport(g)
	if err != nil {
		return kg.ImportResult{}, err
	}
	return write(ctx, s, "import", func(ctx context.Context, tx neo4j.ManagedTransaction) (kg.ImportResult, kg.Change, error) {
		q := txRunner(ctx, tx)
		p, err := plan.Prepare(txLookup{q}, now())
		if err != nil {
			return kg.ImportResult{}, kg.Change{}, err
		}

		byLabel := map[kg.Label][]kg.Node{}
		for _, n := range p.Nodes {
			byLabel[n.NodeLabel()] = append(byLabel[n.NodeLabel()], n)
		}
		var nodes []kg.Node
		for _, l := range kg.Labels {
			stored, err := writeNodes(q, l, byLabel[l])
			if err != nil {
				return kg.ImportResult{}, kg.Change{}, err
			}
			nodes = append(nodes, stored...)
		}
		ch := nodesChange(nodes)
		byType := map[kg.RelType][]kg.Rel{}
		for _, r := range p.Rels {
			byType[r.Type] = append(byType[r.Type], r)
		}
		for _, t := range kg.RelTypes {
			stored, err := writeRels(q, t, byType[t])
			if err != nil {
				return kg.ImportResult{}, kg.Change{}, err
			}
			ch = relsChange(ch, stored)
		}
		return p.Result, ch, nil
	})
}

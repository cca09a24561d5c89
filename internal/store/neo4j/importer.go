package neo4j

import (
	"context"
	"slices"
	"strings"

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
		// The relationships' endpoints are locked before anything is read,
		// as SetRel locks its two: a concurrent write of the same pair (a
		// partnership set the other way round by another process) then
		// waits for this one, or this one sees it, and the pair is never
		// stored in both directions.
		if ends := relEnds(g.Rels); len(ends) > 0 {
			if _, err := lockNodes(q, ends); err != nil {
				return kg.ImportResult{}, kg.Change{}, err
			}
		}
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
		if err := syncExternalIDs(q, nodes); err != nil {
			return kg.ImportResult{}, kg.Change{}, err
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

// relEnds returns the endpoint ids of rels, trimmed as kg normalises them,
// sorted so that concurrent writers take their locks in one order.
func relEnds(rels []kg.Rel) []string {
	ids := make([]string, 0, 2*len(rels))
	for _, r := range rels {
		ids = append(ids, strings.TrimSpace(r.From), strings.TrimSpace(r.To))
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

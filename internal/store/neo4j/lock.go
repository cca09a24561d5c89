package neo4j

import "github.com/samverkan/samverkan/internal/kg"

// stmtLockNodes: see lockNodes.
const stmtLockNodes = "lock_nodes"

// lockNodes returns the labels of the nodes with these ids, in a write
// transaction, and takes their write locks until commit.
func lockNodes(q queryRunner, ids []string) (map[string]kg.Label, error) {
	out := make(map[string]kg.Label, len(ids))
	recs, err := q(stmtLockNodes, map[string]any{"ids": dedupe(ids)})
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		id, err := r.str("id")
		if err != nil {
			return nil, err
		}
		labels, err := r.strings("labels")
		if err != nil {
			return nil, err
		}
		out[id] = labelOf(labels)
	}
	return out, nil
}

// txLookup is the kg.Lookup of the write path inside a write transaction:
// Labels locks the nodes it finds (lockNodes), Nodes and Rels read.
type txLookup struct{ q queryRunner }

func (l txLookup) Labels(ids []string) (map[string]kg.Label, error) { return lockNodes(l.q, ids) }

func (l txLookup) Nodes(ids []string) (map[string]kg.Node, error) { return nodesByID(l.q, ids) }

func (l txLookup) Rels(keys []kg.RelKey) (map[kg.RelKey]*kg.Rel, error) { return relsByKey(l.q, keys) }

// stmtPartOfOf: see PartOf.
const stmtPartOfOf = "part_of_of"

// PartOf returns what each node is PART_OF, locking the nodes it reads.
func (l txLookup) PartOf(ids []string) (map[string][]string, error) {
	recs, err := l.q(stmtPartOfOf, map[string]any{"ids": dedupe(ids)})
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, r := range recs {
		id, err := r.str("id")
		if err != nil {
			return nil, err
		}
		p, err := r.str("parent")
		if err != nil {
			return nil, err
		}
		out[id] = append(out[id], p)
	}
	return out, nil
}

package neo4j

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/samverkan/samverkan/internal/kg"
)

// Change records (DESIGN.md §3). Every write transaction writes one
// (:Change {version, change}) node, in the statement that bumps the graph
// version (version_bump.cypher): change is json.Marshal of the write's
// kg.Change at that version. Every process's topology catches up by
// applying the records after its own version (topology.go); the store
// keeps the newest WithChangeRetention of them.

// changeHead is how json.Marshal begins a kg.Change at version 0; the
// bump statement writes the new version in its place.
const changeHead = `{"version":0`

// changeRest returns json.Marshal of ch at version 0 without changeHead:
// what version_bump.cypher appends to {"version":<new version>.
func changeRest(ch kg.Change) (string, error) {
	ch.Version = 0
	b, err := json.Marshal(ch)
	if err != nil {
		return "", fmt.Errorf("encoding the change record: %w", err)
	}
	rest, ok := bytes.CutPrefix(b, []byte(changeHead))
	if !ok {
		return "", fmt.Errorf("the change record %.40q does not start with %s", b, changeHead)
	}
	return string(rest), nil
}

// nodesChange is the change record of stored nodes.
func nodesChange(nodes []kg.Node) kg.Change {
	ch := kg.Change{Nodes: make([]kg.ChangedNode, len(nodes))}
	for i, n := range nodes {
		ch.Nodes[i] = kg.ChangedNodeOf(n)
	}
	return ch
}

// relsChange adds stored relationships, in their stored direction, to ch.
func relsChange(ch kg.Change, rels []kg.Rel) kg.Change {
	for _, r := range rels {
		ch.Rels = append(ch.Rels, kg.ChangedRelOf(r))
	}
	return ch
}

// maxChangesRead bounds the records one Changes call reads.
const maxChangesRead = 1000

// Changes reads the graph version and the change records after after in
// one round trip (changes_since.cypher, the topology's catch-up). A record
// of the version read may not be visible yet (see changeLog.next); the
// feed stops before it and reads it next time.
func (s *Store) Changes(ctx context.Context, after uint64, limit int) (kg.ChangeRecords, error) {
	limit = min(max(limit, 1), maxChangesRead)
	recs, err := s.query(ctx, "changes", stmtChangesSince, map[string]any{"after": int64(after), "limit": int64(limit)}, true)
	if err != nil {
		return kg.ChangeRecords{}, err
	}
	l, err := changeLogFrom(recs)
	if err != nil {
		return kg.ChangeRecords{}, s.fail(ctx, "changes", err)
	}
	return kg.ChangeRecords{Version: l.version, Changes: l.changes}, nil
}

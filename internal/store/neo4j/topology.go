package neo4j

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/samverkan/samverkan/internal/engine"
	"github.com/samverkan/samverkan/internal/kg"
)

// The analytics topology (DESIGN.md §3). The first Topology call loads the
// whole graph (loadTopology); every later call makes one round trip that
// reads the graph version and the change records after the topology's
// version (changes_since.cypher) and applies them in one engine batch, or
// loads the whole graph again when records it needs are gone (older than
// the retention) or too many. Concurrent calls share one catch-up.

// catchUpLimit bounds the change records one catch-up reads; a topology
// further behind is loaded again instead.
const catchUpLimit = 1000

// changeLog is what changes_since.cypher read: the graph version and the
// change records after the asked version up to it, in version order.
type changeLog struct {
	version uint64
	changes []kg.Change
}

func changesParams(after uint64) map[string]any {
	return map[string]any{"after": int64(after), "limit": int64(catchUpLimit)}
}

// changeLogFrom maps the one row of changes_since.cypher.
func changeLogFrom(recs []record) (changeLog, error) {
	if len(recs) != 1 {
		return changeLog{}, fmt.Errorf("the change log query returned %d records", len(recs))
	}
	v, err := recs[0].integer("version")
	if err != nil {
		return changeLog{}, err
	}
	if v < 0 {
		return changeLog{}, fmt.Errorf("negative graph version %d", v)
	}
	raw, err := recs[0].get("changes")
	if err != nil {
		return changeLog{}, err
	}
	list, ok := raw.([]any)
	if !ok {
		return changeLog{}, fmt.Errorf("column changes holds %T, want a list", raw)
	}
	out := changeLog{version: uint64(v), changes: make([]kg.Change, 0, len(list))}
	for _, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			return changeLog{}, fmt.Errorf("a change record is %T, want a map", e)
		}
		at, ok1 := m["version"].(int64)
		text, ok2 := m["change"].(string)
		if !ok1 || !ok2 {
			return changeLog{}, fmt.Errorf("a change record holds version %T and change %T, want an integer and a string", m["version"], m["change"])
		}
		var ch kg.Change
		if err := json.Unmarshal([]byte(text), &ch); err != nil {
			return changeLog{}, fmt.Errorf("change record %d: %w", at, err)
		}
		if ch.Version != uint64(at) {
			return changeLog{}, fmt.Errorf("change record %d holds the change of version %d", at, ch.Version)
		}
		out.changes = append(out.changes, ch)
	}
	slices.SortFunc(out.changes, func(a, b kg.Change) int { return compareUint(a.Version, b.Version) })
	return out, nil
}

func compareUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// next says how a topology at version after goes on from the log: it
// applies the first n changes, which reach version reach. ok is false when
// a record it needs is missing (pruned, or the database was replaced) or
// the log was cut by the limit: the topology must be loaded again.
//
// Every record up to the version read is there but perhaps the last one:
// versions follow commit order (the version's lock), so every write below
// the version read had committed before the version moved on, while the
// write of that version itself may be visible in part. That write
// committed after this catch-up began; the topology reaches it next time.
func (l changeLog) next(after uint64) (n int, reach uint64, ok bool) {
	want := after + 1
	for _, c := range l.changes {
		if c.Version != want {
			break
		}
		n++
		want++
	}
	reach = after + uint64(n)
	switch {
	case l.version < after:
		return n, reach, false // another database, or the version was reset
	case reach == l.version:
		return n, reach, true
	case reach+1 == l.version && n == len(l.changes) && n < catchUpLimit:
		return n, reach, true
	}
	return n, reach, false
}

// apply applies changes to t in one batch published at version.
func apply(t *engine.Topology, changes []kg.Change, version uint64) *engine.Snapshot {
	b := t.Begin()
	for _, c := range changes {
		c.Apply(b)
	}
	return b.Commit(version)
}

// topologyFlight is what one catch-up gives the calls that share it:
// calls numbered up to covers had begun before it read.
type topologyFlight struct {
	snap   *engine.Snapshot
	covers uint64
}

// Topology returns the topology at a version at least as new as every
// write committed before the call, by any process on the database (and on
// a cluster, every write of this process: reads carry its bookmarks).
// Concurrent calls share one catch-up; a call that began after a running
// catch-up read waits for the next one instead.
func (s *Store) Topology(ctx context.Context) (*engine.Snapshot, error) {
	call := s.topoCalls.Add(1)
	for {
		done := s.topoFlight.DoChan("topology", func() (any, error) {
			covers := s.topoCalls.Load()
			// The catch-up serves every call that joined it: one call's
			// cancellation must not fail the others (the statement timeout
			// still bounds it).
			snap, err := s.refreshTopology(context.WithoutCancel(ctx))
			return topologyFlight{snap: snap, covers: covers}, err
		})
		select {
		case r := <-done:
			if r.Err != nil {
				return nil, r.Err
			}
			if f := r.Val.(topologyFlight); f.covers >= call {
				return f.snap, nil
			}
		case <-ctx.Done():
			return nil, mapError(ctx, ctx.Err())
		}
	}
}

// refreshTopology brings the topology up to date: one round trip when it
// is loaded and the change records it needs are there, a full load when
// not.
func (s *Store) refreshTopology(ctx context.Context) (*engine.Snapshot, error) {
	t := s.topo.Load()
	if t == nil {
		return s.reloadTopology(ctx)
	}
	cur := t.Snapshot()
	s.topoReads.Add(1)
	recs, err := s.query(ctx, "topology", stmtChangesSince, changesParams(cur.Version()), true)
	if err != nil {
		return nil, err
	}
	log, err := changeLogFrom(recs)
	if err != nil {
		return nil, s.fail(ctx, "topology", err)
	}
	n, reach, ok := log.next(cur.Version())
	switch {
	case !ok:
		return s.reloadTopology(ctx)
	case n == 0:
		return cur, nil
	}
	return apply(t, log.changes[:n], reach), nil
}

func (s *Store) reloadTopology(ctx context.Context) (*engine.Snapshot, error) {
	t, err := s.loadTopology(ctx)
	if err != nil {
		return nil, err
	}
	s.topo.Store(t)
	return t.Snapshot(), nil
}

// loadTopology reads the whole graph in one read transaction: the graph
// version v, every node, every relationship, each statement's result
// streamed in one fetch and fed straight into the engine, then the change
// records from v on.
//
// Neo4j reads committed data statement by statement, and even row by row,
// not a snapshot: writes that commit during the load may show in it, each
// in part, and so may write v, which bumped the version but may not have
// been visible everywhere yet when the load began. The change records from
// v on, applied on top, bring every node and relationship they touched to
// the state of the last one (applying a change again is harmless), so the
// topology is exact at the version it reaches. What those writes did not
// touch must be read whole: a node a write was replacing (SET n = props)
// or deleting can read without its id, and a relationship then without an
// endpoint's; those rows are read again, by element id, until they read
// whole or are gone (readAgain). Should a record be missing (pruned
// during a long load), the topology still holds every write committed
// before the load, and the next catch-up finds the gap and loads again.
func (s *Store) loadTopology(ctx context.Context) (*engine.Topology, error) {
	s.topoLoads.Add(1)
	return readFetching(ctx, s, "topology", neo4j.FetchAll, func(ctx context.Context, tx neo4j.ManagedTransaction) (*engine.Topology, error) {
		q := txRunner(ctx, tx)
		v, err := readVersion(q)
		if err != nil {
			return nil, err
		}
		var loadErr error
		t := kg.LoadTopology(v, func(yield func(kg.ChangedNode) bool) {
			loadErr = readAgain(ctx, tx, stmtTopologyNodes, stmtTopologyNodesAgain, func(r record) error {
				n, err := changedNodeFrom(r)
				if err == nil {
					yield(n)
				}
				return err
			})
		}, func(yield func(kg.ChangedRel) bool) {
			if loadErr != nil {
				return
			}
			loadErr = readAgain(ctx, tx, stmtTopologyRels, stmtTopologyRelsAgain, func(r record) error {
				rel, err := changedRelFrom(r)
				if err == nil {
					yield(rel)
				}
				return err
			})
		})
		if loadErr != nil {
			return nil, loadErr
		}
		after := max(v, 1) - 1 // the records from v on
		recs, err := q(stmtChangesSince, changesParams(after))
		if err != nil {
			return nil, err
		}
		log, err := changeLogFrom(recs)
		if err != nil {
			return nil, err
		}
		n, reach, _ := log.next(after)
		apply(t, log.changes[:n], reach)
		return t, nil
	})
}

// readAgainRounds bounds how often readAgain reads rows that keep coming
// back incomplete.
const readAgainRounds = 5

// readAgain streams the statement first and hands each whole row to each;
// the rows that carry an element id in retry (read while a write changed
// them) it reads again with the statement again, by those ids, until none
// is left.
func readAgain(ctx context.Context, tx neo4j.ManagedTransaction, first, again string, each func(record) error) error {
	var retry []string
	collect := func(r record) error {
		eid, err := r.optStr("retry")
		if err != nil {
			return err
		}
		if eid != "" {
			retry = append(retry, eid)
			return nil
		}
		return each(r)
	}
	if err := stream(ctx, tx, first, map[string]any{}, collect); err != nil {
		return err
	}
	for round := 0; len(retry) > 0; round++ {
		if round == readAgainRounds {
			return fmt.Errorf("%d rows of %s kept changing while the topology loaded", len(retry), first)
		}
		eids := retry
		retry = nil
		if err := stream(ctx, tx, again, map[string]any{"eids": eids}, collect); err != nil {
			return err
		}
	}
	return nil
}

// stream runs a statement in tx and hands each record to each as it
// arrives, without collecting the result.
func stream(ctx context.Context, tx neo4j.ManagedTransaction, name string, params map[string]any, each func(record) error) error {
	st := stmt(name)
	if err := st.checkParams(params); err != nil {
		return err
	}
	res, err := tx.Run(ctx, st.text, params)
	if err != nil {
		return err
	}
	for res.Next(ctx) {
		r := res.Record()
		if err := each(record{keys: r.Keys, values: r.Values}); err != nil {
			return err
		}
	}
	return res.Err()
}

// gone reports whether a row's id columns are null: a node deleted, or
// being replaced, by a write that committed while the statement read it
// (Neo4j reads committed data, not a snapshot). A read leaves it out.
func gone(r record, idColumns ...string) bool {
	for _, c := range idColumns {
		if v, err := r.get(c); err == nil && v == nil {
			return true
		}
	}
	return false
}

// readVersion runs version_get.cypher.
func readVersion(q queryRunner) (uint64, error) {
	recs, err := q(stmtVersionGet, map[string]any{})
	if err != nil {
		return 0, err
	}
	if len(recs) != 1 {
		return 0, fmt.Errorf("version query returned %d records", len(recs))
	}
	v, err := recs[0].integer("version")
	if err != nil {
		return 0, err
	}
	if v < 0 {
		return 0, fmt.Errorf("negative graph version %d", v)
	}
	return uint64(v), nil
}

// changedNodeFrom maps a row of topology_nodes.cypher. A missing kind,
// sector or country (data written by other tools) reads as empty.
func changedNodeFrom(r record) (kg.ChangedNode, error) {
	var n kg.ChangedNode
	label, err := r.str("label")
	if err != nil {
		return n, err
	}
	if n.ID, err = r.str("id"); err != nil {
		return n, err
	}
	n.Label = kg.Label(label)
	if !n.Label.Valid() {
		return n, fmt.Errorf("node %q has label %q", n.ID, label)
	}
	var kind, sector string
	for _, f := range []struct {
		key  string
		into *string
	}{{"kind", &kind}, {"sector", &sector}, {"country", &n.Country}} {
		if *f.into, err = r.optStr(f.key); err != nil {
			return n, fmt.Errorf("node %q: %w", n.ID, err)
		}
	}
	if n.Label == kg.LabelProject {
		n.Type = kg.ProjectType(kind) // the statements give a project's type as its kind
		m := make(map[string]any, 2)
		for _, k := range []string{"startDate", "endDate"} {
			v, err := r.get(k)
			if err != nil {
				return n, fmt.Errorf("node %q: %w", n.ID, err)
			}
			if v != nil {
				m[k] = v
			}
		}
		p := &props{m: m}
		n.Start, n.End = p.date("startDate"), p.date("endDate")
		if p.err != nil {
			return n, fmt.Errorf("node %q: %w", n.ID, p.err)
		}
		return n, nil
	}
	n.Kind, n.Sector = kg.ActorKind(kind), kg.Sector(sector)
	return n, nil
}

// changedRelFrom maps a row of topology_rels.cypher.
func changedRelFrom(r record) (kg.ChangedRel, error) {
	var c kg.ChangedRel
	typ, err := r.str("type")
	if err != nil {
		return c, err
	}
	c.Type = kg.RelType(typ)
	if !c.Type.Valid() {
		return c, fmt.Errorf("relationship of type %q", typ)
	}
	if c.From, err = r.str("from"); err != nil {
		return c, err
	}
	if c.To, err = r.str("to"); err != nil {
		return c, err
	}
	m := make(map[string]any, 6)
	for _, k := range []string{"role", "level", "importance", "startDate", "endDate", "since"} {
		v, err := r.get(k)
		if err != nil {
			return c, err
		}
		if v != nil {
			m[k] = v
		}
	}
	p := &props{m: m}
	c.Role = p.str("role")
	c.Level = p.integer("level")
	c.Importance = p.integer("importance")
	c.Start, c.End, c.Since = p.date("startDate"), p.date("endDate"), p.date("since")
	if p.err != nil {
		return c, fmt.Errorf("%s %s→%s: %w", c.Type, c.From, c.To, p.err)
	}
	return c, nil
}

// optStr reads a string column that may be null.
func (r record) optStr(key string) (string, error) {
	v, err := r.get(key)
	if err != nil || v == nil {
		return "", err
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("column %s holds %T, want a string", key, v)
	}
	return s, nil
}

// GetRels returns the stored relationships with the given keys, aligned
// with keys, in one statement (rels_by_key.cypher): nil where there is
// none. A key of a symmetric type matches in either direction.
func (s *Store) GetRels(ctx context.Context, keys []kg.RelKey) ([]*kg.Rel, error) {
	out := make([]*kg.Rel, len(keys))
	seen := make(map[kg.RelKey]bool, len(keys))
	rows := make([]any, 0, len(keys))
	for _, k := range keys {
		n := kg.KeyOf(k.Type, k.From, k.To)
		if !seen[n] && k.Type.Valid() {
			seen[n] = true
			rows = append(rows, relKeyRow(n))
		}
	}
	if len(rows) == 0 {
		return out, nil
	}
	recs, err := s.query(ctx, "getRels", stmtRelsByKey, map[string]any{"keys": rows}, true)
	if err != nil {
		return nil, err
	}
	found := make(map[kg.RelKey]kg.Rel, len(recs))
	for _, r := range recs {
		if gone(r, "from", "to") {
			continue
		}
		rel, err := r.rel()
		if err != nil {
			return nil, s.fail(ctx, "getRels", err)
		}
		found[rel.Key()] = rel
	}
	for i, k := range keys {
		if r, ok := found[kg.KeyOf(k.Type, k.From, k.To)]; ok {
			c := kg.CloneRel(r)
			out[i] = &c
		}
	}
	return out, nil
}

package embedded

import (
	"context"
	"encoding/json"
	"time"

	"go.etcd.io/bbolt"

	"github.com/samverkan/samverkan/internal/kg"
)

// Every write follows the same steps: take the writer lock, run kg's write
// path (a kg.Plan* call, then the plan's Prepare over memLookup), commit one
// bbolt transaction that also stores the next version, and only then apply
// the change to memory. A refused or failed write therefore changes neither memory, nor
// the file, nor the version.

// beginWrite checks ctx and the store's state and takes the writer lock;
// on success the caller must call s.wmu.Unlock.
func (s *Store) beginWrite(ctx context.Context) error {
	if err := ctxErr(ctx); err != nil {
		return err
	}
	s.wmu.Lock()
	if s.closed { // closed only changes under wmu, so this read is safe
		s.wmu.Unlock()
		return errClosed()
	}
	return nil
}

// commit runs fn in a bbolt transaction that also stores the next version
// and ch as its change record (changes.go), then applies the change to
// memory and ch to the topology. The caller holds wmu.
func (s *Store) commit(fn func(tx *bbolt.Tx) error, apply func(), ch kg.Change) error {
	next := s.version + 1
	// The record's time is the wall clock's, not WithClock's (which only
	// stamps CreatedAt and UpdatedAt, call by call).
	ch.Version, ch.At = next, time.Now().UTC().Round(0)
	err := s.db.Update(func(tx *bbolt.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		if err := s.putChange(tx, ch); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keyVersion, encodeUint(next))
	})
	if err != nil {
		return unavailable("the embedded store could not save the change; nothing was changed", err)
	}
	s.mu.Lock()
	apply()
	s.version = next
	s.forget(ch)
	b := s.topo.Begin()
	ch.Apply(b)
	b.Commit(next)
	s.mu.Unlock()
	return nil
}

// clock returns the write time in UTC and without a monotonic reading, so
// that what is in memory equals what a reopened store decodes.
func (s *Store) clock() time.Time { return s.now().UTC() }

// UpsertNode creates n or replaces the node with its id. Storing a node
// whose content equals the stored one is still a write: UpdatedAt and the
// version move, which keeps the rule "every accepted write bumps the
// version" free of exceptions.
func (s *Store) UpsertNode(ctx context.Context, n kg.Node) (kg.Node, error) {
	if err := s.beginWrite(ctx); err != nil {
		return nil, err
	}
	defer s.wmu.Unlock()
	plan, err := kg.PlanUpsertNode(n)
	if err != nil {
		return nil, err
	}
	c, err := plan.Prepare(memLookup{s}, s.clock())
	if err != nil {
		return nil, err
	}
	body, err := encodeNode(c)
	if err != nil {
		return nil, unavailable("the embedded store could not encode the node", err)
	}
	id := c.Base().ID
	old := s.nodes[id] // the writer's own read: only writers change nodes
	err = s.commit(func(tx *bbolt.Tx) error {
		if err := putExtIDs(tx, []kg.Node{old}, []kg.Node{c}); err != nil {
			return err
		}
		nums := newNumbers(tx)
		if err := nums.assign(id); err != nil {
			return err
		}
		if err := nums.flush(); err != nil {
			return err
		}
		return tx.Bucket(bucketNodes).Put([]byte(id), body)
	}, func() {
		s.nodes[id] = c
		s.index.put(c)
	}, kg.Change{Nodes: []kg.ChangedNode{kg.ChangedNodeOf(c)}})
	if err != nil {
		return nil, err
	}
	return kg.Clone(c), nil
}

// DeleteNode deletes the node and every relationship it has. Deleting an
// id that holds no node changes nothing and does not bump the version.
func (s *Store) DeleteNode(ctx context.Context, l kg.Label, id string) (bool, error) {
	if err := s.beginWrite(ctx); err != nil {
		return false, err
	}
	defer s.wmu.Unlock()
	plan, err := kg.PlanDeleteNode(l, id)
	if err != nil {
		return false, err
	}
	if found, err := plan.Prepare(memLookup{s}); err != nil || !found {
		return false, err
	}
	keys := s.relKeysOf(id)
	old := s.nodes[id]
	err = s.commit(func(tx *bbolt.Tx) error {
		if err := putExtIDs(tx, []kg.Node{old}, nil); err != nil {
			return err
		}
		rb, tb, nums := tx.Bucket(bucketRels), tx.Bucket(bucketTies), newNumbers(tx)
		for _, k := range keys {
			if err := rb.Delete(relKeyBytes(k)); err != nil {
				return err
			}
			if err := nums.deleteTie(tb, k); err != nil {
				return err
			}
		}
		if err := nums.remove(id); err != nil {
			return err
		}
		return tx.Bucket(bucketNodes).Delete([]byte(id))
	}, func() {
		delete(s.nodes, id)
		s.index.remove(id)
	}, kg.Change{DeletedNodes: []kg.NodeRef{{ID: id, Label: l}}})
	return err == nil, err
}

// SetRel creates or replaces the relationship r.Key() names.
func (s *Store) SetRel(ctx context.Context, r kg.Rel) (kg.Rel, error) {
	if err := s.beginWrite(ctx); err != nil {
		return kg.Rel{}, err
	}
	defer s.wmu.Unlock()
	plan, err := kg.PlanSetRel(r)
	if err != nil {
		return kg.Rel{}, err
	}
	c, err := plan.Prepare(memLookup{s}, s.clock())
	if err != nil {
		return kg.Rel{}, err
	}
	body, err := json.Marshal(c)
	if err != nil {
		return kg.Rel{}, unavailable("the embedded store could not encode the relationship", err)
	}
	err = s.commit(func(tx *bbolt.Tx) error {
		if err := newNumbers(tx).putTie(tx.Bucket(bucketTies), &c); err != nil {
			return err
		}
		return tx.Bucket(bucketRels).Put(relKeyBytes(c.Key()), body)
	}, func() {}, kg.Change{Rels: []kg.ChangedRel{kg.ChangedRelOf(c)}})
	if err != nil {
		return kg.Rel{}, err
	}
	return kg.CloneRel(c), nil
}

// RemoveRel removes the relationship of type t between from and to (either
// order for a symmetric type). Removing one that does not exist changes
// nothing and does not bump the version.
func (s *Store) RemoveRel(ctx context.Context, t kg.RelType, from, to string) (bool, error) {
	if err := s.beginWrite(ctx); err != nil {
		return false, err
	}
	defer s.wmu.Unlock()
	plan, err := kg.PlanRemoveRel(t, from, to)
	if err != nil {
		return false, err
	}
	if err := plan.Prepare(memLookup{s}); err != nil {
		return false, err
	}
	k := plan.Key()
	if had, err := (memLookup{s}).Rels([]kg.RelKey{k}); err != nil {
		return false, err
	} else if had[k] == nil {
		return false, nil
	}
	err = s.commit(func(tx *bbolt.Tx) error {
		if err := newNumbers(tx).deleteTie(tx.Bucket(bucketTies), k); err != nil {
			return err
		}
		return tx.Bucket(bucketRels).Delete(relKeyBytes(k))
	}, func() {}, kg.Change{RemovedRels: []kg.RelKey{k}})
	return err == nil, err
}

// Import writes every node and relationship of g in one bbolt transaction.
func (s *Store) Import(ctx context.Context, g kg.Graph) (kg.ImportResult, error) {
	if err := s.beginWrite(ctx); err != nil {
		return kg.ImportResult{}, err
	}
	defer s.wmu.Unlock()
	plan, err := kg.PlanImport(g)
	if err != nil {
		return kg.ImportResult{}, err
	}
	p, err := plan.Prepare(memLookup{s}, s.clock())
	if err != nil {
		return kg.ImportResult{}, err
	}
	nodeBodies := make([][]byte, len(p.Nodes))
	for i, n := range p.Nodes {
		if nodeBodies[i], err = encodeNode(n); err != nil {
			return kg.ImportResult{}, unavailable("the embedded store could not encode a node", err)
		}
	}
	relBodies := make([][]byte, len(p.Rels))
	for i, r := range p.Rels {
		if relBodies[i], err = json.Marshal(r); err != nil {
			return kg.ImportResult{}, unavailable("the embedded store could not encode a relationship", err)
		}
	}
	old := make([]kg.Node, len(p.Nodes))
	for i, n := range p.Nodes {
		if o := s.nodes[n.Base().ID]; o != nil {
			old[i] = o
		}
	}
	err = s.commit(func(tx *bbolt.Tx) error {
		if err := putExtIDs(tx, old, p.Nodes); err != nil {
			return err
		}
		nb, rb, tb, nums := tx.Bucket(bucketNodes), tx.Bucket(bucketRels), tx.Bucket(bucketTies), newNumbers(tx)
		for i, n := range p.Nodes {
			if err := nb.Put([]byte(n.Base().ID), nodeBodies[i]); err != nil {
				return err
			}
			if err := nums.assign(n.Base().ID); err != nil {
				return err
			}
		}
		for i := range p.Rels {
			if err := rb.Put(relKeyBytes(p.Rels[i].Key()), relBodies[i]); err != nil {
				return err
			}
			if err := nums.putTie(tb, &p.Rels[i]); err != nil {
				return err
			}
		}
		return nums.flush()
	}, func() {
		for _, n := range p.Nodes {
			s.index.releaseExtOf(n.Base().ID) // every release before any claim (see putExtIDs)
		}
		for _, n := range p.Nodes {
			s.nodes[n.Base().ID] = n
			s.index.put(n)
		}
	}, importChange(p.Nodes, p.Rels))
	if err != nil {
		return kg.ImportResult{}, err
	}
	return p.Result, nil
}

// importChange is the change record of an import.
func importChange(nodes []kg.Node, rels []kg.Rel) kg.Change {
	ch := kg.Change{Nodes: make([]kg.ChangedNode, len(nodes)), Rels: make([]kg.ChangedRel, len(rels))}
	for i, n := range nodes {
		ch.Nodes[i] = kg.ChangedNodeOf(n)
	}
	for i, r := range rels {
		ch.Rels[i] = kg.ChangedRelOf(r)
	}
	return ch
}

// memLookup is the kg.Lookup of the write path over memory; writers call
// it holding wmu, under which only they change memory. It hands out the
// stored values themselves: kg's write path only reads them.
type memLookup struct{ s *Store }

func (m memLookup) Labels(ids []string) (map[string]kg.Label, error) {
	out := make(map[string]kg.Label, len(ids))
	for _, id := range ids {
		if l := m.s.labelOf(id); l != "" {
			out[id] = l
		}
	}
	return out, nil
}

func (m memLookup) Nodes(ids []string) (map[string]kg.Node, error) {
	out := make(map[string]kg.Node, len(ids))
	for _, id := range ids {
		if n := m.s.nodes[id]; n != nil {
			out[id] = n
		}
	}
	return out, nil
}

// Rels reads the relationships from the file: memory holds only their
// ties. Only the writer changes the file, so what it reads stays true
// until its own commit.
func (m memLookup) Rels(keys []kg.RelKey) (map[kg.RelKey]*kg.Rel, error) {
	out := make(map[kg.RelKey]*kg.Rel, len(keys))
	err := m.s.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketRels)
		for _, k := range keys {
			r, err := readRel(b, k)
			if err != nil {
				return err
			}
			if r != nil {
				out[k] = r
			}
		}
		return nil
	})
	if err != nil {
		return nil, unavailable("the embedded store could not read relationships", err)
	}
	return out, nil
}

// PartOf reads the PART_OF targets from the topology: only writers change
// it, and the caller is the writer.
func (m memLookup) PartOf(ids []string) (map[string][]string, error) {
	snap := m.s.topo.Snapshot()
	partOf := kg.TypeCode(kg.RelPartOf)
	out := map[string][]string{}
	for _, id := range ids {
		v, ok := snap.Lookup(id)
		if !ok {
			continue
		}
		for _, e := range snap.Edges(v) {
			if e.Type == partOf && e.Out {
				out[id] = append(out[id], snap.ID(e.To))
			}
		}
	}
	return out, nil
}

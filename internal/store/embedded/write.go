package embedded

import (
	"context"
	"encoding/json"
	"time"

	"go.etcd.io/bbolt"

	"github.com/samverkan/samverkan/internal/kg"
)

// Every write follows the same steps: take the writer lock, validate against
// memory with the kg.Prepare*/Check* helpers, commit one bbolt transaction
// that also stores the next version, and only then apply the change to
// memory. A refused or failed write therefore changes neither memory, nor
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

// commit runs fn in a bbolt transaction that also stores the next version,
// then applies the change to memory. The caller holds wmu.
func (s *Store) commit(fn func(tx *bbolt.Tx) error, apply func()) error {
	next := s.version + 1
	err := s.db.Update(func(tx *bbolt.Tx) error {
		if err := fn(tx); err != nil {
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
	var c kg.Node
	if !kg.IsNil(n) {
		c = kg.Clone(n)
		kg.Normalize(c) // trims the id, so that the lookup finds the stored node
	}
	var existing kg.Node
	if c != nil {
		existing = s.nodes[c.Base().ID]
	}
	if err := kg.PrepareNode(c, existing, s.clock()); err != nil {
		return nil, err
	}
	body, err := encodeNode(c)
	if err != nil {
		return nil, unavailable("the embedded store could not encode the node", err)
	}
	id := c.Base().ID
	err = s.commit(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketNodes).Put([]byte(id), body)
	}, func() {
		s.nodes[id] = c
	})
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
	if err := kg.CheckDelete(l, id, s.labelOf(id)); err != nil {
		return false, err
	}
	if s.nodes[id] == nil {
		return false, nil
	}
	keys := s.relKeysOf(id)
	err := s.commit(func(tx *bbolt.Tx) error {
		rb := tx.Bucket(bucketRels)
		for _, k := range keys {
			if err := rb.Delete(relKeyBytes(k)); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketNodes).Delete([]byte(id))
	}, func() {
		for _, k := range keys {
			s.dropRel(k)
		}
		delete(s.adj, id)
		delete(s.nodes, id)
	})
	return err == nil, err
}

// SetRel creates or replaces the relationship r.Key() names.
func (s *Store) SetRel(ctx context.Context, r kg.Rel) (kg.Rel, error) {
	if err := s.beginWrite(ctx); err != nil {
		return kg.Rel{}, err
	}
	defer s.wmu.Unlock()
	c := kg.CloneRel(r)
	kg.NormalizeRel(&c) // trims the ids, so that the lookup finds the stored relationship
	var existing *kg.Rel
	if c.Type.Valid() {
		existing = s.rels[c.Key()]
	}
	if err := kg.PrepareRel(&c, s.labelOf, existing, s.clock()); err != nil {
		return kg.Rel{}, err
	}
	body, err := json.Marshal(c)
	if err != nil {
		return kg.Rel{}, unavailable("the embedded store could not encode the relationship", err)
	}
	err = s.commit(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketRels).Put(relKeyBytes(c.Key()), body)
	}, func() {
		s.addRel(c)
	})
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
	if err := kg.CheckRemove(t, from, to, s.labelOf); err != nil {
		return false, err
	}
	k := kg.KeyOf(t, from, to)
	if s.rels[k] == nil {
		return false, nil
	}
	err := s.commit(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketRels).Delete(relKeyBytes(k))
	}, func() {
		s.dropRel(k)
	})
	return err == nil, err
}

// Import writes every node and relationship of g in one bbolt transaction.
func (s *Store) Import(ctx context.Context, g kg.Graph) (kg.ImportResult, error) {
	if err := s.beginWrite(ctx); err != nil {
		return kg.ImportResult{}, err
	}
	defer s.wmu.Unlock()
	existingNode := func(id string) kg.Node {
		if n := s.nodes[id]; n != nil {
			return n
		}
		return nil // never a typed nil inside the interface
	}
	existingRel := func(k kg.RelKey) *kg.Rel { return s.rels[k] }
	p, err := kg.PrepareImport(g, existingNode, existingRel, s.clock())
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
	err = s.commit(func(tx *bbolt.Tx) error {
		nb, rb := tx.Bucket(bucketNodes), tx.Bucket(bucketRels)
		for i, n := range p.Nodes {
			if err := nb.Put([]byte(n.Base().ID), nodeBodies[i]); err != nil {
				return err
			}
		}
		for i, r := range p.Rels {
			if err := rb.Put(relKeyBytes(r.Key()), relBodies[i]); err != nil {
				return err
			}
		}
		return nil
	}, func() {
		for _, n := range p.Nodes {
			s.nodes[n.Base().ID] = n
		}
		for _, r := range p.Rels {
			s.addRel(r)
		}
	})
	if err != nil {
		return kg.ImportResult{}, err
	}
	return p.Result, nil
}

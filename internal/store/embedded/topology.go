package embedded

import (
	"context"

	"go.etcd.io/bbolt"

	"github.com/samverkan/samverkan/internal/engine"
	"github.com/samverkan/samverkan/internal/kg"
)

// The store keeps the analytics topology (internal/engine) beside its
// in-memory indexes: built once when the file is opened, then changed by
// every committed write's kg.Change under the same lock as the indexes, so
// a reader that sees a version sees the topology of that version too.

// Topology returns the snapshot of the latest committed write.
func (s *Store) Topology(ctx context.Context) (*engine.Snapshot, error) {
	if err := s.beginRead(ctx); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	return s.topo.Snapshot(), nil
}

// GetRels returns the stored relationships with the given keys, read from
// the file in one read transaction.
func (s *Store) GetRels(ctx context.Context, keys []kg.RelKey) ([]*kg.Rel, error) {
	if err := s.beginRead(ctx); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	out := make([]*kg.Rel, len(keys))
	err := s.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketRels)
		for i, k := range keys {
			r, err := s.rel(b, kg.KeyOf(k.Type, k.From, k.To))
			if err != nil {
				return err
			}
			out[i] = r
		}
		return nil
	})
	if err != nil {
		return nil, unavailable("the embedded store could not read relationships", err)
	}
	return out, nil
}

// relCacheSize is how many decoded relationships the store keeps, so that
// the relationships of popular nodes (a flagship project's participants)
// are not read and decoded from the file by every request. About 16 MB
// when full.
const relCacheSize = 1 << 16

// rel reads the relationship with key k through the cache; nil when there
// is none. Callers hold mu shared (or wmu): a writer removes what it
// changes from the cache under mu, after its commit, so an entry a reader
// added from before the commit is removed before anyone can read it.
func (s *Store) rel(b *bbolt.Bucket, k kg.RelKey) (*kg.Rel, error) {
	r, ok, err := s.relValue(b, k)
	if !ok || err != nil {
		return nil, err
	}
	return &r, nil
}

// relValue is rel as a value, for a caller that collects relationships in
// a slice of its own; ok is false when there is none.
func (s *Store) relValue(b *bbolt.Bucket, k kg.RelKey) (r kg.Rel, ok bool, err error) {
	if r, ok := s.relCache.Get(k); ok {
		return kg.CloneRel(r), true, nil
	}
	p, err := readRel(b, k)
	if err != nil || p == nil {
		return kg.Rel{}, false, err
	}
	s.relCache.Add(k, kg.CloneRel(*p))
	return *p, true, nil
}

// forget removes from the cache every relationship the change touches;
// the caller holds mu and has not applied ch to the topology yet.
func (s *Store) forget(ch kg.Change) {
	for _, n := range ch.DeletedNodes {
		for _, k := range s.relKeysOf(n.ID) {
			s.relCache.Remove(k)
		}
	}
	for _, k := range ch.RemovedRels {
		s.relCache.Remove(kg.KeyOf(k.Type, k.From, k.To))
	}
	for _, r := range ch.Rels {
		s.relCache.Remove(kg.KeyOf(r.Type, r.From, r.To))
	}
}

// readRel reads the relationship with key k; nil when there is none.
func readRel(b *bbolt.Bucket, k kg.RelKey) (*kg.Rel, error) {
	v := b.Get(relKeyBytes(k))
	if v == nil {
		return nil, nil
	}
	r, err := decodeRel(v)
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// relCount is the number of relationships the snapshot holds.
func relCount(s *engine.Snapshot) int {
	n := 0
	for _, t := range kg.RelTypes {
		n += s.RelCount(kg.TypeCode(t))
	}
	return n
}

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
			r, err := readRel(b, kg.KeyOf(k.Type, k.From, k.To))
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

package embedded

import (
	"context"

	"github.com/samverkan/samverkan/internal/engine"
	"github.com/samverkan/samverkan/internal/kg"
)

// The store keeps the analytics topology (internal/engine) beside its
// in-memory indexes: built once when the file is opened, then changed by
// every committed write's kg.Change under the same lock as the indexes, so
// a reader that sees a version sees the topology of that version too.

// loadTopology builds the topology from memory; the caller holds mu or is
// opening the store.
func (s *Store) loadTopology() {
	s.topo = kg.LoadTopology(s.version, func(yield func(kg.ChangedNode) bool) {
		for _, n := range s.nodes {
			if !yield(kg.ChangedNodeOf(n)) {
				return
			}
		}
	}, func(yield func(kg.ChangedRel) bool) {
		for _, r := range s.rels {
			if !yield(kg.ChangedRelOf(*r)) {
				return
			}
		}
	})
}

// Topology returns the snapshot of the latest committed write.
func (s *Store) Topology(ctx context.Context) (*engine.Snapshot, error) {
	if err := s.beginRead(ctx); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	return s.topo.Snapshot(), nil
}

// GetRels returns the stored relationships with the given keys.
func (s *Store) GetRels(ctx context.Context, keys []kg.RelKey) ([]*kg.Rel, error) {
	if err := s.beginRead(ctx); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	out := make([]*kg.Rel, len(keys))
	for i, k := range keys {
		if r := s.rels[kg.KeyOf(k.Type, k.From, k.To)]; r != nil {
			c := kg.CloneRel(*r)
			out[i] = &c
		}
	}
	return out, nil
}

package embedded

import (
	"context"
	"fmt"

	"go.etcd.io/bbolt"

	"github.com/samverkan/samverkan/internal/kg"
)

// External ids (kg.ExternalID). The file keeps an index of them, bucket
// extids: ExternalID.Key() → the id of the actor that holds it, written
// in the same transaction as the actor's JSON, so that ImportDir checks
// uniqueness against the file without reading every actor. Memory keeps
// the same index (nodeIndex.ext), built from the nodes as they load.

var bucketExtIDs = []byte("extids") // scheme:value -> actor id

// putExtIDs updates the file's index for the nodes written, after the
// ids of old (the nodes they replace, nil where new) are released: every
// release comes before every claim, so that ids moving between the
// actors of one import end where the import puts them.
func putExtIDs(tx *bbolt.Tx, old, written []kg.Node) error {
	b := tx.Bucket(bucketExtIDs)
	for _, n := range old {
		for _, x := range kg.ExternalIDsOf(n) {
			if err := b.Delete([]byte(x.Key())); err != nil {
				return err
			}
		}
	}
	for _, n := range written {
		for _, x := range kg.ExternalIDsOf(n) {
			if err := b.Put([]byte(x.Key()), []byte(n.Base().ID)); err != nil {
				return err
			}
		}
	}
	return nil
}

// rebuildExtIDs writes the file's index anew from the actors' JSON: the
// migration to schema 4, which added it.
func rebuildExtIDs(tx *bbolt.Tx) error {
	if tx.Bucket(bucketExtIDs) != nil {
		if err := tx.DeleteBucket(bucketExtIDs); err != nil {
			return err
		}
	}
	b, err := tx.CreateBucket(bucketExtIDs)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketNodes).ForEach(func(k, v []byte) error {
		n, err := decodeNode(v)
		if err != nil {
			return fmt.Errorf("node %q: %w", k, err)
		}
		for _, x := range kg.ExternalIDsOf(n) {
			if err := b.Put([]byte(x.Key()), k); err != nil {
				return err
			}
		}
		return nil
	})
}

// ActorByExternalID returns a copy of the actor that holds x, nil when
// none does.
func (s *Store) ActorByExternalID(ctx context.Context, x kg.ExternalID) (*kg.Actor, error) {
	x, err := kg.CheckExternalIDQuery(x)
	if err != nil {
		return nil, err
	}
	if err := s.beginRead(ctx); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	if a, ok := s.nodes[s.index.ext[x]].(*kg.Actor); ok {
		return kg.Clone(a).(*kg.Actor), nil
	}
	return nil, nil
}

// ExternalIDOwners reads memory's index: only writers change it, and the
// caller is the writer.
func (m memLookup) ExternalIDOwners(ids []kg.ExternalID) (map[kg.ExternalID]string, error) {
	out := map[kg.ExternalID]string{}
	for _, x := range ids {
		if owner, ok := m.s.index.ext[x]; ok {
			out[x] = owner
		}
	}
	return out, nil
}

package embedded

import (
	"context"
	"encoding/json"
	"fmt"

	"go.etcd.io/bbolt"

	"github.com/samverkan/samverkan/internal/kg"
)

// The change log (DESIGN.md §3, the partners' change feed): every write's
// bbolt transaction also stores its kg.Change, at its version and with its
// time, in bucket changes (schema 3), and deletes the records older than
// the retention. A bulk load (ImportDir) writes no record: its version is
// a gap in the log, which the feed reports as expired to a cursor before
// it.

var bucketChanges = []byte("changes") // uint64 big-endian version -> kg.Change JSON

// WithChangeRetention sets how many versions of change records the store
// keeps (kg.DefaultChangeRetention by default); n < 1 keeps the default.
func WithChangeRetention(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.retention = uint64(n)
		}
	}
}

// pruneBound is how many expired records one write deletes at most, so
// that a smaller retention set on a big log costs every write a little
// rather than one write a lot.
const pruneBound = 100

// putChange stores ch as the record of its version and prunes the records
// older than the retention, in the write's transaction.
func (s *Store) putChange(tx *bbolt.Tx, ch kg.Change) error {
	body, err := json.Marshal(ch)
	if err != nil {
		return fmt.Errorf("encoding the change record: %w", err)
	}
	b := tx.Bucket(bucketChanges)
	if err := b.Put(encodeUint(ch.Version), body); err != nil {
		return err
	}
	if ch.Version <= s.retention {
		return nil
	}
	cutoff := ch.Version - s.retention // records at or below it go
	var old [][]byte
	c := b.Cursor()
	for k, _ := c.First(); k != nil && len(old) < pruneBound; k, _ = c.Next() {
		v, err := decodeUint(k)
		if err != nil || v > cutoff {
			break
		}
		old = append(old, k)
	}
	for _, k := range old {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// Changes reads the graph version and the records after after from one
// read transaction, so that both are of the same commit.
func (s *Store) Changes(ctx context.Context, after uint64, limit int) (kg.ChangeRecords, error) {
	if err := s.beginRead(ctx); err != nil {
		return kg.ChangeRecords{}, err
	}
	defer s.mu.RUnlock()
	var out kg.ChangeRecords
	err := s.db.View(func(tx *bbolt.Tx) error {
		if v := tx.Bucket(bucketMeta).Get(keyVersion); v != nil {
			ver, err := decodeUint(v)
			if err != nil {
				return err
			}
			out.Version = ver
		}
		c := tx.Bucket(bucketChanges).Cursor()
		for k, v := c.Seek(encodeUint(after + 1)); k != nil && len(out.Changes) < limit; k, v = c.Next() {
			var ch kg.Change
			if err := json.Unmarshal(v, &ch); err != nil {
				return fmt.Errorf("change record %x: %w", k, err)
			}
			out.Changes = append(out.Changes, ch)
		}
		return nil
	})
	if err != nil {
		return kg.ChangeRecords{}, unavailable("the embedded store could not read its change log", err)
	}
	return out, nil
}

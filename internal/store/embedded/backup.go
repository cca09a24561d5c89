package embedded

import (
	"io"

	"go.etcd.io/bbolt"
)

// Backup writes a consistent copy of the database file to w while the
// store keeps serving: a bbolt read transaction sees one version, and
// writers go on beside it. The copy opens as a DATA_DIR of its own
// (samverkan.db). It returns the bytes written.
func (s *Store) Backup(w io.Writer) (int64, error) {
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return 0, errClosed()
	}
	// Begin under the lock, so that Close cannot slip in first; Close then
	// waits for this read transaction to end.
	tx, err := s.db.Begin(false)
	s.mu.RUnlock()
	if err != nil {
		return 0, unavailable("the backup could not start", err)
	}
	defer func(tx *bbolt.Tx) { _ = tx.Rollback() }(tx)
	return tx.WriteTo(w)
}

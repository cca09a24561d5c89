//go:build unix

package teststore

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
)

var (
	lockOnce sync.Once
	lockErr  error
)

// lock takes, once per process, an exclusive lock named for the server, and
// keeps it until the process exits (the kernel releases it then), so that
// two test processes never empty the database under each other.
func lock(t testing.TB) {
	t.Helper()
	lockOnce.Do(func() {
		sum := sha256.Sum256([]byte(os.Getenv("NEO4J_URI") + "\x00" + os.Getenv("NEO4J_DATABASE")))
		name := filepath.Join(os.TempDir(), "samverkan-neo4j-"+hex.EncodeToString(sum[:8])+".lock")
		f, err := os.OpenFile(name, os.O_CREATE|os.O_RDWR, 0o600)
		if err != nil {
			lockErr = err
			return
		}
		lockErr = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		// f stays open: closing it would release the lock.
	})
	if lockErr != nil {
		t.Fatalf("locking the Neo4j test database: %v", lockErr)
	}
}

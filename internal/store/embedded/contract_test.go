package embedded_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
	"github.com/samverkan/samverkan/internal/store/embedded"
	"github.com/samverkan/samverkan/internal/store/storetest"
)

// TestContract runs the contract suite every store must pass, with the
// embedded store's optional capability, backup (kg.Backuper).
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) kg.Store {
		s, err := embedded.Open(t.TempDir())
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}, storetest.OpenBackup(openBackup))
}

// openBackup opens a backup file as the DATA_DIR it is meant to be.
func openBackup(t *testing.T, path string) kg.Store {
	dir := t.TempDir()
	if err := os.Rename(path, filepath.Join(dir, embedded.FileName)); err != nil {
		t.Fatalf("placing the backup: %v", err)
	}
	s, err := embedded.Open(dir)
	if err != nil {
		t.Fatalf("opening the backup: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

var _ kg.Backuper = (*embedded.Store)(nil)

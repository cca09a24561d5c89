package embedded_test

import (
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
	"github.com/samverkan/samverkan/internal/store/embedded"
	"github.com/samverkan/samverkan/internal/store/storetest"
)

// TestContract runs the contract suite every store must pass.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) kg.Store {
		s, err := embedded.Open(t.TempDir())
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

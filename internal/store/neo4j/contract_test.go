package neo4j

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/samverkan/samverkan/internal/kg"
	"github.com/samverkan/samverkan/internal/store/storetest"
)

// TestContract runs the store contract suite against the Neo4j server named
// by NEO4J_URI (with NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE). The
// database is emptied before every subtest: use a throwaway one.
func TestContract(t *testing.T) {
	uri := os.Getenv("NEO4J_URI")
	if uri == "" {
		t.Skip("NEO4J_URI not set; see README 'Run on Neo4j'")
	}
	cfg := Config{
		URI:              uri,
		Username:         os.Getenv("NEO4J_USERNAME"),
		Password:         os.Getenv("NEO4J_PASSWORD"),
		Database:         os.Getenv("NEO4J_DATABASE"),
		StatementTimeout: time.Minute,
	}
	storetest.Run(t, func(t *testing.T) kg.Store {
		t.Helper()
		ctx := context.Background()
		s, err := Open(ctx, cfg)
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		t.Cleanup(func() { _ = s.Close() })
		if _, err := s.query(ctx, "clean", stmtCleanDatabase, map[string]any{}, false); err != nil {
			t.Fatalf("cleaning the database: %v", err)
		}
		return s
	})
}

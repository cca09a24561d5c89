package neo4j_test

import (
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
	"github.com/samverkan/samverkan/internal/store/storetest"
	"github.com/samverkan/samverkan/internal/store/teststore"
)

// TestContract runs the store contract suite against the Neo4j server named
// by NEO4J_URI (with NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE). The
// database is emptied before every subtest: use a throw-away server
// (tools/neo4j/run.sh start).
func TestContract(t *testing.T) {
	if !teststore.OnNeo4j() {
		t.Skip("NEO4J_URI not set; see README 'Run on Neo4j'")
	}
	storetest.Run(t, func(t *testing.T) kg.Store { return teststore.Open(t) })
}

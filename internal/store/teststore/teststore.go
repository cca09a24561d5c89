// Package teststore gives tests the store the run is for, so that every
// test that depends on the store runs on both: the embedded store in a
// temporary directory by default, and the Neo4j server named by NEO4J_URI
// (with NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE) when it is set.
//
// Neo4j Community has one database, which Open empties: use a throw-away
// server (tools/neo4j/run.sh start), never one holding data. The test
// processes of `go test ./...` take turns on it through a file lock that
// each holds from its first Open until it exits; run `go test -p 1` so
// that no package waits on another against its own -timeout.
package teststore

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/samverkan/samverkan/internal/kg"
	"github.com/samverkan/samverkan/internal/store/embedded"
	"github.com/samverkan/samverkan/internal/store/neo4j"
)

// Neo4jVars are the settings that select and reach the Neo4j store.
var Neo4jVars = []string{"NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE"}

// OnNeo4j reports whether this run's store is Neo4j.
func OnNeo4j() bool { return os.Getenv("NEO4J_URI") != "" }

// Name is the store this run uses, for messages: "embedded" or "neo4j".
func Name() string {
	if OnNeo4j() {
		return "neo4j"
	}
	return "embedded"
}

// Open returns a fresh, empty store that closes when the test ends.
func Open(t testing.TB) kg.Store {
	t.Helper()
	if !OnNeo4j() {
		s, err := embedded.Open(t.TempDir())
		if err != nil {
			t.Fatalf("opening the embedded store: %v", err)
		}
		t.Cleanup(func() { _ = s.Close() })
		return s
	}
	s := openNeo4j(t)
	if err := s.DeleteAll(context.Background()); err != nil {
		t.Fatalf("emptying the Neo4j database: %v", err)
	}
	return s
}

// Neo4jConfig is the configuration the environment names, with a
// statement timeout that suits tests on a busy machine: two minutes, since
// CI once saw an oracle's 5,000-relationship import batch, which takes
// about a second, pass one minute while the machine was shared. A test
// about timeouts sets its own.
func Neo4jConfig() neo4j.Config {
	return neo4j.Config{
		URI:              os.Getenv("NEO4J_URI"),
		Username:         os.Getenv("NEO4J_USERNAME"),
		Password:         os.Getenv("NEO4J_PASSWORD"),
		Database:         os.Getenv("NEO4J_DATABASE"),
		StatementTimeout: 2 * time.Minute,
	}
}

func openNeo4j(t testing.TB) *neo4j.Store {
	t.Helper()
	lock(t)
	s, err := neo4j.Open(context.Background(), Neo4jConfig())
	if err != nil {
		t.Fatalf("opening the Neo4j store: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// ServerEnv returns the settings a server process under test needs for
// this run's store: on Neo4j the NEO4J_* variables, after emptying the
// database; on the embedded store none (the test sets DATA_DIR).
func ServerEnv(t testing.TB) map[string]string {
	t.Helper()
	if OnNeo4j() {
		if err := openNeo4j(t).DeleteAll(context.Background()); err != nil {
			t.Fatalf("emptying the Neo4j database: %v", err)
		}
	}
	return ServerEnvKeep(t)
}

// ServerEnvKeep is ServerEnv for a restart: the data stays.
func ServerEnvKeep(t testing.TB) map[string]string {
	t.Helper()
	env := map[string]string{}
	if !OnNeo4j() {
		return env
	}
	lock(t)
	for _, k := range Neo4jVars {
		if v := os.Getenv(k); v != "" {
			env[k] = v
		}
	}
	return env
}

// EmbeddedOnly skips the test on the Neo4j run, saying why it cannot run
// there.
func EmbeddedOnly(t testing.TB, why string) {
	t.Helper()
	if OnNeo4j() {
		t.Skipf("embedded store only: %s", why)
	}
}

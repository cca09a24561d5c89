package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/samverkan/samverkan/internal/store/teststore"
)

// On a Neo4j server with authentication on, a wrong password stops the
// start with one line that says so, without the password or the driver's
// text; the right one (the rest of this run) works.
func TestNeo4jWrongPasswordStopsStart(t *testing.T) {
	if !teststore.OnNeo4j() || os.Getenv("NEO4J_PASSWORD") == "" {
		t.Skip("needs NEO4J_URI of a server with authentication on and NEO4J_PASSWORD; .ci/run starts one")
	}
	env := teststore.ServerEnvKeep(t)
	env["NEO4J_USERNAME"] = "neo4j"
	env["NEO4J_PASSWORD"] = "wrong-" + os.Getenv("NEO4J_PASSWORD")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var logs bytes.Buffer
	err := run(ctx, []string{"-data-dir", t.TempDir()}, func(k string) string { return env[k] }, &logs)
	if err == nil {
		t.Fatal("the server started with a wrong Neo4j password")
	}
	msg := err.Error()
	if !strings.Contains(msg, `refused the credentials of user "neo4j"`) || strings.Contains(msg, "\n") ||
		strings.Contains(msg, env["NEO4J_PASSWORD"]) || strings.Contains(msg, "Neo.ClientError") {
		t.Errorf("start error = %q", msg)
	}
	if strings.Contains(logs.String(), env["NEO4J_PASSWORD"]) {
		t.Errorf("the password reached the log:\n%s", logs.String())
	}
}

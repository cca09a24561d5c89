package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/samverkan/samverkan/internal/store/teststore"
)

// Two API processes on one Neo4j database, as replicas behind a load
// balancer: every answer carries extensions.graphVersion; a write
// acknowledged by one process is read by the other, at once and when the
// client asks for at least the write's version (Min-Graph-Version); a
// version the graph has not reached is a TIMEOUT after the wait, a bad
// header is BAD_USER_INPUT.
func TestReplicasReadEachOthersWrites(t *testing.T) {
	a, b := startReplicas(t)

	type answer struct {
		Data       map[string]json.RawMessage `json:"data"`
		Errors     []map[string]any           `json:"errors"`
		Extensions struct {
			GraphVersion *uint64 `json:"graphVersion"`
		} `json:"extensions"`
	}
	post := func(s *crashServer, query string, header map[string]string) answer {
		t.Helper()
		var out answer
		replicaPost(t, s, query, header, &out)
		return out
	}
	code := func(r answer) string {
		if len(r.Errors) == 0 {
			return ""
		}
		ext, _ := r.Errors[0]["extensions"].(map[string]any)
		c, _ := ext["code"].(string)
		return c
	}

	w := post(a, `mutation { upsertActor(input: {id: "replica-write", name: "Replikerad AB", kind: COMPANY, sector: PRIVATE}) { id } }`, nil)
	if len(w.Errors) > 0 || w.Extensions.GraphVersion == nil {
		t.Fatalf("write through A: %+v", w)
	}
	written := *w.Extensions.GraphVersion

	for _, header := range []map[string]string{nil, {"Min-Graph-Version": fmt.Sprint(written)}} {
		r := post(b, `{ actor(id: "replica-write") { name } }`, header)
		if len(r.Errors) > 0 || string(r.Data["actor"]) != `{"name":"Replikerad AB"}` {
			t.Errorf("B read A's write (header %v): %+v", header, r)
		}
		if r.Extensions.GraphVersion == nil || *r.Extensions.GraphVersion < written {
			t.Errorf("B answered at graph version %v, before A's write at %d", r.Extensions.GraphVersion, written)
		}
	}

	began := time.Now()
	r := post(b, `{ actors { totalCount } }`, map[string]string{"Min-Graph-Version": fmt.Sprint(written + 1_000_000)})
	if code(r) != "TIMEOUT" || r.Data["actors"] != nil {
		t.Errorf("a version the graph never reached: %+v", r)
	}
	if waited := time.Since(began); waited < 4*time.Second {
		t.Errorf("gave up after %v, want the 5 s wait", waited)
	}
	if r := post(b, `{ actors { totalCount } }`, map[string]string{"Min-Graph-Version": "latest"}); code(r) != "BAD_USER_INPUT" {
		t.Errorf("a bad Min-Graph-Version header: %+v", r)
	}
}

// startReplicas starts two API processes, A and B, on the test's Neo4j
// database, as replicas behind a load balancer, with the admin key
// crashKey; it skips the test without Neo4j.
func startReplicas(t *testing.T) (a, b *crashServer) {
	t.Helper()
	if !teststore.OnNeo4j() {
		t.Skip("needs NEO4J_URI: several processes share one Neo4j database; the embedded store's file belongs to one process")
	}
	bin := crashBuild(t)
	sum := sha256.Sum256([]byte(crashKey))
	env := func(store map[string]string) []string {
		out := []string{"API_KEYS=replica-admin:admin:" + hex.EncodeToString(sum[:]), "PATH=" + os.Getenv("PATH"),
			"DATA_DIR=" + filepath.Join(t.TempDir(), "unused")}
		for k, v := range store {
			out = append(out, k+"="+v)
		}
		return out
	}
	return crashStart(t, bin, env(teststore.ServerEnv(t))), crashStart(t, bin, env(teststore.ServerEnvKeep(t)))
}

var replicaClient = &http.Client{Timeout: 30 * time.Second}

// replicaPost sends query to s over POST /graphql with the admin key and
// the given headers, and decodes the JSON answer into out.
func replicaPost(t *testing.T, s *crashServer, query string, header map[string]string, out any) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query})
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, s.base+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+crashKey)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := replicaClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		t.Fatalf("%s: the answer is not JSON: %v", query, err)
	}
}

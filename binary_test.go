package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/samverkan/samverkan/internal/store/teststore"
)

// The real server binary on this run's store (embedded, or Neo4j with
// NEO4J_URI): it starts seeded, answers, takes a write, stops cleanly on
// SIGTERM, and after a restart the seed is not loaded again and the write
// is there.
func TestBinaryEndToEnd(t *testing.T) {
	bin := crashBuild(t)
	sum := sha256.Sum256([]byte(crashKey))
	env := []string{
		"DATA_DIR=" + filepath.Join(t.TempDir(), "data"),
		"API_KEYS=e2e-admin:admin:" + hex.EncodeToString(sum[:]),
		"PATH=" + os.Getenv("PATH"),
	}
	envWith := func(store map[string]string) []string {
		out := append([]string(nil), env...)
		for k, v := range store {
			out = append(out, k+"="+v)
		}
		return out
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	query := func(s *crashServer, q string) map[string]json.RawMessage {
		t.Helper()
		reply, _, err := s.post(ctx, q, nil)
		if err != nil || len(reply.Errors) > 0 {
			t.Fatalf("%s: %v %+v\n%s", q, err, reply.Errors, s.out.tail())
		}
		return reply.Data
	}

	s := crashStart(t, bin, envWith(teststore.ServerEnv(t)))
	if got := string(query(s, `{ actors { totalCount } }`)["actors"]); got != `{"totalCount":40}` {
		t.Fatalf("seeded actors: %s", got)
	}
	query(s, `mutation { upsertActor(input: {id: "binary-e2e", name: "Binär AB", kind: COMPANY, sector: PRIVATE, country: "SE"}) { id } }`)
	stopGracefully(t, s)

	s2 := crashStart(t, bin, envWith(teststore.ServerEnvKeep(t)))
	if !strings.Contains(s2.out.tail(), `"loaded":false`) {
		t.Errorf("the seed was loaded again into a non-empty %s store:\n%s", teststore.Name(), s2.out.tail())
	}
	data := query(s2, `{ actor(id: "binary-e2e") { name } actors { totalCount } }`)
	if string(data["actor"]) != `{"name":"Binär AB"}` || string(data["actors"]) != `{"totalCount":41}` {
		t.Errorf("after the restart on the %s store: actor %s, actors %s", teststore.Name(), data["actor"], data["actors"])
	}
	stopGracefully(t, s2)
}

// stopGracefully sends SIGTERM and expects a clean exit with status 0.
func stopGracefully(t *testing.T, s *crashServer) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-s.exited:
		s.exited <- err
		if err != nil {
			t.Fatalf("the server did not exit cleanly on SIGTERM: %v\n%s", err, s.out.tail())
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("the server did not stop on SIGTERM:\n%s", s.out.tail())
	}
	if !strings.Contains(s.out.tail(), `"msg":"stopped"`) {
		t.Errorf("no clean stop in the log:\n%s", s.out.tail())
	}
}

// SIGHUP to the real binary reloads API_KEYS_FILE: a key taken out of the
// file is refused and one put in is accepted, without a restart; a broken
// file keeps the keys in force, and the log says so.
func TestBinaryReloadsKeysOnHangup(t *testing.T) {
	bin := crashBuild(t)
	keyFile := filepath.Join(t.TempDir(), "keys")
	writeKeys := func(s string) {
		t.Helper()
		if err := os.WriteFile(keyFile, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	hash := func(k string) string { sum := sha256.Sum256([]byte(k)); return hex.EncodeToString(sum[:]) }
	const rotated = "rotated-reader-key-91ab"
	writeKeys("old:admin:" + hash(crashKey) + "\n")
	env := []string{"DATA_DIR=" + filepath.Join(t.TempDir(), "data"), "SEED=never", "AUTH_READS=key",
		"API_KEYS_FILE=" + keyFile, "PATH=" + os.Getenv("PATH")}
	s := crashStart(t, bin, env)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// code is the first error code of { __typename } sent with key, "" for none.
	code := func(key string) string {
		t.Helper()
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.base+"/graphql", strings.NewReader(`{"query":"{ __typename }"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var reply crashReply
		if err := json.NewDecoder(resp.Body).Decode(&reply); err != nil {
			t.Fatal(err)
		}
		if len(reply.Errors) > 0 {
			return reply.Errors[0].Extensions.Code
		}
		return ""
	}
	// hangup sends SIGHUP and waits for the log line that says it was handled.
	hangup := func(logged string) {
		t.Helper()
		before := strings.Count(s.out.tail(), logged)
		if err := s.cmd.Process.Signal(syscall.SIGHUP); err != nil {
			t.Fatal(err)
		}
		for strings.Count(s.out.tail(), logged) == before {
			select {
			case err := <-s.exited:
				s.exited <- err
				t.Fatalf("the server exited on SIGHUP (%v):\n%s", err, s.out.tail())
			case <-ctx.Done():
				t.Fatalf("no %q in the log after SIGHUP:\n%s", logged, s.out.tail())
			case <-time.After(20 * time.Millisecond):
			}
		}
	}
	if c := code(crashKey); c != "" {
		t.Fatalf("the configured key: %s", c)
	}
	if c := code(rotated); c != "UNAUTHENTICATED" {
		t.Fatalf("a key not yet configured: %q", c)
	}

	writeKeys("new:reader:" + hash(rotated) + "\n")
	hangup(`"msg":"API keys reloaded"`)
	if c := code(rotated); c != "" {
		t.Errorf("the key put in: %s", c)
	}
	if c := code(crashKey); c != "UNAUTHENTICATED" {
		t.Errorf("the key taken out: %q", c)
	}

	writeKeys("new:reader:" + hash(rotated) + "\nnot a key line\n")
	hangup(`previous keys stay in force`)
	if c := code(rotated); c != "" {
		t.Errorf("after a broken file the key in force was dropped: %s", c)
	}
	if strings.Contains(s.out.tail(), hash(rotated)) {
		t.Errorf("the log holds a key hash:\n%s", s.out.tail())
	}
	stopGracefully(t, s)
}

package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
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

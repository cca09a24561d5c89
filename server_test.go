package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/samverkan/samverkan/examples"
	"github.com/samverkan/samverkan/internal/apitest"
	"github.com/samverkan/samverkan/internal/auth"
	"github.com/samverkan/samverkan/internal/store/teststore"
)

type syncBuffer = apitest.SyncBuffer

type testServer struct {
	base string
	logs *syncBuffer
	stop func() error
}

// start runs the real server through run() on a loopback port, on a fresh
// store of this run's kind: the embedded store in the -data-dir a test
// gives, or the Neo4j server of NEO4J_URI, emptied first (see teststore).
func start(t *testing.T, env map[string]string, args ...string) *testServer {
	t.Helper()
	return startOn(t, teststore.ServerEnv(t), env, args...)
}

// restart runs the server again on the data an earlier start left.
func restart(t *testing.T, env map[string]string, args ...string) *testServer {
	t.Helper()
	return startOn(t, teststore.ServerEnvKeep(t), env, args...)
}

func startOn(t *testing.T, storeEnv, env map[string]string, args ...string) *testServer {
	t.Helper()
	env = maps.Clone(env)
	if env == nil {
		env = map[string]string{}
	}
	for k, v := range storeEnv {
		if _, set := env[k]; !set {
			env[k] = v
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	logs := &syncBuffer{}
	done := make(chan error, 1)
	addr := freeAddr(t)
	host, port, _ := net.SplitHostPort(addr)
	args = append([]string{"-host", host, "-port", port}, args...)
	go func() { done <- run(ctx, args, func(k string) string { return env[k] }, logs) }()
	s := &testServer{base: "http://" + addr, logs: logs}
	var once sync.Once
	var stopErr error
	s.stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case stopErr = <-done:
			case <-time.After(60 * time.Second):
				stopErr = fmt.Errorf("server did not stop")
			}
		})
		return stopErr
	}
	t.Cleanup(func() { _ = s.stop() })
	// Ready when /healthz answers.
	deadline := time.After(60 * time.Second)
	for {
		if resp, err := http.Get(s.base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		select {
		case err := <-done:
			cancel()
			t.Fatalf("server exited before it answered: %v\n%s", err, logs.String())
		case <-deadline:
			cancel()
			t.Fatalf("server did not answer /healthz:\n%s", logs.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// freeAddr returns a loopback address with a port that was free a moment
// ago (the server then listens on it).
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func (s *testServer) gql(t *testing.T, query string, vars map[string]any) apitest.Response {
	t.Helper()
	return apitest.Post(t, s.base, "", query, vars)
}

// gqlAs sends the request with an API key ("" for none).
func (s *testServer) gqlAs(t *testing.T, key, query string, vars map[string]any) apitest.Response {
	t.Helper()
	return apitest.Post(t, s.base, key, query, vars)
}

func (s *testServer) get(t *testing.T, path string, header map[string]string) (*http.Response, string) {
	t.Helper()
	return apitest.Get(t, s.base, path, header)
}

func dig(v any, path ...any) any { return apitest.Dig(v, path...) }

// The whole life of a server: seeded start, reads, acknowledged and refused
// writes, a graceful stop, and a restart on the same DATA_DIR where every
// acknowledged write is there and nothing refused is.
const e2eAdminKey = "e2e-admin-key-4c1d9a"

func TestServerEndToEnd(t *testing.T) {
	dir := t.TempDir()
	s := start(t, map[string]string{"API_KEYS": "e2e-admin:admin:" + auth.HashKey(e2eAdminKey)}, "-data-dir", dir)

	t.Run("probes", func(t *testing.T) {
		for path, want := range map[string]string{"/healthz": `"ok"`, "/readyz": `"ready"`} {
			resp, body := s.get(t, path, nil)
			if resp.StatusCode != 200 || !strings.Contains(body, want) {
				t.Errorf("%s: %d %s", path, resp.StatusCode, body)
			}
		}
	})

	t.Run("GraphiQL opens with the tour", func(t *testing.T) {
		resp, _ := s.get(t, "/", nil)
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusFound || !strings.Contains(loc, "SearchVarmland") {
			t.Fatalf("GET / = %d, Location %q", resp.StatusCode, loc)
		}
		resp, body := s.get(t, loc, nil)
		if resp.StatusCode != 200 || !strings.Contains(strings.ToLower(body), "graphiql") || !strings.Contains(body, "/graphql") {
			t.Fatalf("GraphiQL page: %d %.200s", resp.StatusCode, body)
		}
		if resp, _ := s.get(t, "/nope", nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET /nope = %d", resp.StatusCode)
		}
	})

	t.Run("every tour query runs on the seed", func(t *testing.T) {
		for _, op := range regexp.MustCompile(`(?m)^query (\w+)`).FindAllStringSubmatch(examples.Tour, -1) {
			body, _ := json.Marshal(map[string]any{"query": examples.Tour, "operationName": op[1]})
			resp, err := http.Post(s.base+"/graphql", "application/json", bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			var out apitest.Response
			_ = json.NewDecoder(resp.Body).Decode(&out)
			resp.Body.Close()
			if len(out.Errors) > 0 || len(out.Data) == 0 {
				t.Errorf("%s: %+v", op[1], out)
			}
		}
	})

	t.Run("seed over GET and graphql-response+json", func(t *testing.T) {
		resp, body := s.get(t, `/graphql?query={search(text:"varmland"){node{id}}}`,
			map[string]string{"Accept": "application/graphql-response+json"})
		if resp.StatusCode != 200 || !strings.Contains(body, "landstinget-i-varmland") ||
			!strings.HasPrefix(resp.Header.Get("Content-Type"), "application/graphql-response+json") {
			t.Fatalf("GET /graphql: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		if resp.Header.Get("X-Request-Id") == "" {
			t.Errorf("no X-Request-Id in the response")
		}
	})

	t.Run("request id is echoed and logged", func(t *testing.T) {
		resp, _ := s.get(t, "/healthz", map[string]string{"X-Request-Id": "trace-e2e-42"})
		if resp.Header.Get("X-Request-Id") != "trace-e2e-42" {
			t.Fatalf("X-Request-Id = %q", resp.Header.Get("X-Request-Id"))
		}
		if !strings.Contains(s.logs.String(), `"request_id":"trace-e2e-42"`) {
			t.Errorf("log has no line for the request id")
		}
	})

	t.Run("oversized body is 413", func(t *testing.T) {
		big := `{"query":"{ actors { totalCount } }","variables":{"pad":"` + strings.Repeat("x", 2<<20) + `"}}`
		resp, err := http.Post(s.base+"/graphql", "application/json", strings.NewReader(big))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d", resp.StatusCode)
		}
	})

	// Acknowledged writes.
	for _, q := range []string{
		`mutation { upsertActor(input: {id: "e2e-company", name: "Värmlandsdesign AB", kind: COMPANY, sector: PRIVATE, country: "SE", sources: ["e2e"]}) { id } }`,
		`mutation { setCompetency(actorId: "e2e-company", competencyId: "tjenestedesign", level: 4, evidence: "e2e") { level } }`,
		`mutation { setPartnership(actorId: "e2e-company", partnerId: "karlstads-kommun", since: "2024-01-01") { since } }`,
		`mutation { deleteActor(id: "evry") }`,
	} {
		if r := s.gqlAs(t, e2eAdminKey, q, nil); len(r.Errors) > 0 {
			t.Fatalf("%s: %+v", q, r.Errors)
		}
	}
	// Refused writes.
	for q, code := range map[string]string{
		`mutation { setCompetency(actorId: "e2e-company", competencyId: "ai", level: 9) { level } }`:               "BAD_USER_INPUT",
		`mutation { upsertActor(input: {id: "-ghost", name: "Ghost", kind: COMPANY, sector: PRIVATE}) { id } }`:    "BAD_USER_INPUT",
		`mutation { setParticipation(actorId: "e2e-company", projectId: "no-such-project", role: LEAD) { role } }`: "NOT_FOUND",
		`mutation { importGraph(input: {actors: [{id: "ghost", name: "Ghost", kind: COMPANY, sector: PRIVATE}],
			relationships: [{type: MEMBER_OF, fromId: "ghost", toId: "ghost"}]}) { nodesCreated } }`: "BAD_USER_INPUT",
	} {
		r := s.gqlAs(t, e2eAdminKey, q, nil)
		if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != code {
			t.Fatalf("%s: want %s, got %+v", q, code, r)
		}
	}

	if err := s.stop(); err != nil {
		t.Fatalf("graceful stop: %v", err)
	}
	if !strings.Contains(s.logs.String(), `"msg":"stopped"`) {
		t.Fatalf("no clean stop in the log:\n%s", s.logs.String())
	}

	// Restart on the same data: the seed is not loaded again, acknowledged
	// writes are there, refused ones are not.
	s2 := restart(t, map[string]string{"DATA_DIR": dir})
	if !strings.Contains(s2.logs.String(), `"loaded":false`) {
		t.Errorf("seed loaded again into a non-empty store")
	}
	r := s2.gql(t, `{
		company: actor(id: "e2e-company") { name country sources competencies { level competency { id } } partnerships { since partner { id } } }
		evry: actor(id: "evry") { id }
		ghost: node(id: "ghost") { id }
		actors { totalCount }
		compare: actor(id: "compare") { competencies { competency { id } } }
	}`, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("after restart: %+v", r.Errors)
	}
	if dig(r.Data, "company", "name") != "Värmlandsdesign AB" || dig(r.Data, "company", "country") != "SE" ||
		dig(r.Data, "company", "competencies", 0, "level") != float64(4) ||
		dig(r.Data, "company", "partnerships", 0, "partner", "id") != "karlstads-kommun" ||
		dig(r.Data, "company", "partnerships", 0, "since") != "2024-01-01" {
		t.Errorf("acknowledged writes after restart: %v", r.Data["company"])
	}
	if r.Data["evry"] != nil || r.Data["ghost"] != nil {
		t.Errorf("deleted or refused nodes after restart: evry %v, ghost %v", r.Data["evry"], r.Data["ghost"])
	}
	if dig(r.Data, "actors", "totalCount") != float64(40) { // 40 seeded + 1 created − 1 deleted
		t.Errorf("actor count after restart = %v", dig(r.Data, "actors", "totalCount"))
	}
	for _, c := range dig(r.Data, "compare", "competencies").([]any) {
		if dig(c, "competency", "id") == "ai" {
			t.Errorf("a refused competency is there")
		}
	}
}

// Selecting Neo4j with an unreachable server stops the start with a
// one-line reason that says so.
func TestNeo4jUnreachableStopsStart(t *testing.T) {
	env := map[string]string{"NEO4J_URI": "bolt://127.0.0.1:1", "NEO4J_PASSWORD": "s3cret"}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	err := run(ctx, nil, func(k string) string { return env[k] }, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "unreachable") || strings.Contains(err.Error(), "s3cret") ||
		strings.Contains(err.Error(), "\n") {
		t.Fatalf("run with an unreachable Neo4j = %v", err)
	}
}

// A second server on the data directory of a running one stops its start
// at once with a one-line reason naming the lock, and the first one goes
// on serving.
func TestSecondServerOnSameDataDirFails(t *testing.T) {
	dir := t.TempDir()
	embeddedOnly := map[string]string{} // the lock is the embedded store's, whatever NEO4J_URI says
	first := startOn(t, embeddedOnly, map[string]string{"SEED": "never"}, "-data-dir", dir)
	host, port, _ := net.SplitHostPort(freeAddr(t))
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-host", host, "-port", port, "-data-dir", dir},
			func(k string) string { return map[string]string{"SEED": "never"}[k] }, io.Discard)
	}()
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		t.Fatal("the second server did not stop its start: it waits for the lock")
	}
	if err == nil || !strings.Contains(err.Error(), "the store is locked by another running server") ||
		!strings.Contains(err.Error(), dir) || strings.Contains(err.Error(), "\n") {
		t.Fatalf("second server on the same DATA_DIR: %v", err)
	}
	if r := first.gql(t, `{ actors { totalCount } }`, nil); len(r.Errors) > 0 {
		t.Fatalf("the first server after the second one's try: %+v", r.Errors)
	}
}

// A request in flight when shutdown begins is answered in full before the
// server stops.
func TestShutdownLetsInFlightRequestsFinish(t *testing.T) {
	s := start(t, map[string]string{"SEED": "never"}, "-data-dir", t.TempDir())
	body := `{"query":"{ actors { totalCount } }"}`
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Send the headers and half the body, so the request is in flight.
	fmt.Fprintf(conn, "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
		len(body), body[:10])
	time.Sleep(100 * time.Millisecond)

	stopped := make(chan error, 1)
	go func() { stopped <- s.stop() }()
	select {
	case err := <-stopped:
		t.Fatalf("the server stopped with a request in flight: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	if _, err := io.WriteString(conn, body[10:]); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to the in-flight request: %v", err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"totalCount":0`) {
		t.Fatalf("in-flight answer: %d %s", resp.StatusCode, b)
	}
	if err := <-stopped; err != nil {
		t.Fatalf("stop: %v", err)
	}
}

package httpapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/samverkan/samverkan/internal/auth"
)

// Keys of the tests; the server is given only their hashes.
const (
	testAdminKey  = "adm-5f0c1e2d9a7b4c36"
	testEditorKey = "edt-8e21b7c04f9d3a55"
	testReaderKey = "rdr-1a9d6e3b7c2f8041"
	testWrongKey  = "nope-77c3a1f0e9d2b6"
)

// keyedEnv configures the admin key through API_KEYS and the editor and
// reader keys through an API_KEYS_FILE, plus extra settings.
func keyedEnv(t *testing.T, extra map[string]string) map[string]string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "keys")
	body := "# keys of the test\n\ntest-editor:editor:" + auth.HashKey(testEditorKey) + "\n" +
		"  test-reader : reader : " + auth.HashKey(testReaderKey) + "  \n"
	if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"API_KEYS": "test-admin:admin:" + auth.HashKey(testAdminKey), "API_KEYS_FILE": file}
	for k, v := range extra {
		env[k] = v
	}
	return env
}

type secResponse struct {
	gqlResponse
	status int
	header http.Header
	raw    string
}

func (r secResponse) code() any {
	if len(r.Errors) == 0 {
		return nil
	}
	return r.Errors[0].Extensions["code"]
}

// send posts a GraphQL request with key as a bearer token (none when
// empty) and extensions (for persisted queries).
func (s *testServer) send(t *testing.T, key, query string, vars, extensions map[string]any) secResponse {
	t.Helper()
	payload := map[string]any{"variables": vars}
	if query != "" {
		payload["query"] = query
	}
	if extensions != nil {
		payload["extensions"] = extensions
	}
	body, _ := json.Marshal(payload)
	req, _ := http.NewRequest(http.MethodPost, s.base+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := secResponse{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	if err := json.Unmarshal(raw, &out.gqlResponse); err != nil {
		t.Fatalf("status %d, body %s", resp.StatusCode, raw)
	}
	return out
}

// The whole matrix caller × operation, with reads public and with reads
// needing a key: each refusal has the right code and HTTP status and
// changes nothing; each allowed mutation does what it says.
func TestAuthMatrix(t *testing.T) {
	parallel(t)
	type caller struct{ name, key string }
	callers := []caller{ // refused ones first, while there is still something to change
		{"anonymous", ""}, {"wrong key", testWrongKey}, {"reader", testReaderKey}, {"editor", testEditorKey}, {"admin", testAdminKey},
	}
	ops := []struct {
		name, query string
		need        string // role needed: "" for reads (reader with AUTH_READS=key), editor, admin
	}{
		{"query", `{ actor(id: "compare") { name } }`, ""},
		{"upsert", `mutation { upsertActor(input: {id: "matrix-up", name: "Matrix AB", kind: COMPANY, sector: PRIVATE}) { id } }`, "editor"},
		{"set", `mutation { setPartnership(actorId: "matrix-member", partnerId: "compare") { since } }`, "editor"},
		{"remove", `mutation { removeMembership(memberId: "matrix-member", organisationId: "compare") }`, "editor"},
		{"delete", `mutation { deleteActor(id: "matrix-del") }`, "admin"},
		{"importGraph", `mutation { importGraph(input: {actors: [{id: "matrix-imp", name: "Import AB", kind: COMPANY, sector: PRIVATE}]}) { nodesCreated } }`, "admin"},
	}
	rank := map[string]int{"anonymous": 0, "wrong key": 0, "reader": 1, "editor": 2, "admin": 3}
	need := map[string]int{"": 0, "reader": 1, "editor": 2, "admin": 3}

	const fingerprint = `{ up: actor(id: "matrix-up") { id } imp: actor(id: "matrix-imp") { id } del: actor(id: "matrix-del") { id }
		member: actor(id: "matrix-member") { memberOf { organisation { id } } partnerships { partner { id } } }
		actors { totalCount } }`

	for _, reads := range []string{"public", "key"} {
		t.Run("AUTH_READS="+reads, func(t *testing.T) {
			s := start(t, keyedEnv(t, map[string]string{"AUTH_READS": reads}), "-data-dir", t.TempDir())
			state := func() string {
				t.Helper()
				r := s.send(t, testAdminKey, fingerprint, nil, nil)
				if len(r.Errors) > 0 {
					t.Fatalf("fingerprint: %s", r.raw)
				}
				b, _ := json.Marshal(r.Data)
				return string(b)
			}
			for _, q := range []string{
				`mutation { upsertActor(input: {id: "matrix-del", name: "Doomed AB", kind: COMPANY, sector: PRIVATE}) { id } }`,
				`mutation { upsertActor(input: {id: "matrix-member", name: "Member AB", kind: COMPANY, sector: PRIVATE}) { id } }`,
				`mutation { setMembership(memberId: "matrix-member", organisationId: "compare") { role } }`,
			} {
				if r := s.send(t, testAdminKey, q, nil, nil); len(r.Errors) > 0 {
					t.Fatalf("setup %s: %s", q, r.raw)
				}
			}

			for _, op := range ops {
				required := need[op.need]
				if op.need == "" && reads == "key" {
					required = need["reader"]
				}
				initial := state()
				for _, c := range callers {
					before := state()
					r := s.send(t, c.key, op.query, nil, nil)
					wantCode, wantStatus := "", http.StatusOK
					switch {
					case c.name == "wrong key" || (rank[c.name] < required && c.key == ""):
						wantCode, wantStatus = "UNAUTHENTICATED", http.StatusUnauthorized
					case rank[c.name] < required:
						wantCode, wantStatus = "FORBIDDEN", http.StatusForbidden
					}
					if r.status != wantStatus || (wantCode == "" && len(r.Errors) > 0) || (wantCode != "" && r.code() != wantCode) {
						t.Errorf("%s by %s: status %d code %v, want %d %q: %s", op.name, c.name, r.status, r.code(), wantStatus, wantCode, r.raw)
						continue
					}
					if wantCode == "" {
						continue
					}
					if r.Data != nil {
						t.Errorf("%s by %s: refused with data %v", op.name, c.name, r.Data)
					}
					if wantStatus == http.StatusUnauthorized && !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
						t.Errorf("%s by %s: WWW-Authenticate %q", op.name, c.name, r.header.Get("WWW-Authenticate"))
					}
					if after := state(); after != before {
						t.Errorf("%s by %s was refused but changed the graph:\n%s\n%s", op.name, c.name, before, after)
					}
				}
				if op.need != "" && state() == initial {
					t.Errorf("%s: no allowed caller changed anything (the fingerprint cannot see it)", op.name)
				}
			}
		})
	}
}

// Without any key configured no mutation is accepted, and the refusal
// says why.
func TestNoKeysNoWrites(t *testing.T) {
	parallel(t)
	s := start(t, map[string]string{"SEED": "never"}, "-data-dir", t.TempDir())
	r := s.send(t, "", `mutation { upsertActor(input: {id: "x", name: "X", kind: COMPANY, sector: PRIVATE}) { id } }`, nil, nil)
	if r.status != http.StatusUnauthorized || r.code() != "UNAUTHENTICATED" || !strings.Contains(r.Errors[0].Message, "no keys configured") {
		t.Fatalf("mutation without keys: %d %s", r.status, r.raw)
	}
	if r := s.send(t, testAdminKey, `{ actors { totalCount } }`, nil, nil); r.code() != "UNAUTHENTICATED" {
		t.Errorf("a key the server does not know, on a read: %s", r.raw)
	}
	if r := s.send(t, "", `{ actors { totalCount } }`, nil, nil); len(r.Errors) > 0 || dig(r.Data, "actors", "totalCount") != float64(0) {
		t.Errorf("anonymous read: %s", r.raw)
	}
}

// Keys, and their hashes, never reach the log, whatever happens to the
// request.
func TestKeysNeverLogged(t *testing.T) {
	parallel(t)
	s := start(t, keyedEnv(t, map[string]string{"LOG_LEVEL": "debug"}), "-data-dir", t.TempDir())
	for _, c := range []struct{ key, query string }{
		{testAdminKey, `mutation { upsertActor(input: {id: "log-x", name: "X", kind: COMPANY, sector: PRIVATE}) { id } }`},
		{testAdminKey, `mutation { setCompetency(actorId: "log-x", competencyId: "ai", level: 9) { level } }`},
		{testEditorKey, `mutation { deleteActor(id: "log-x") }`},
		{testWrongKey, `{ actor(id: "compare") { name } }`},
		{testReaderKey, `{ actor(id: "compare") { name nope } }`},
	} {
		s.send(t, c.key, c.query, nil, nil)
	}
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
	logs := s.logs.String()
	if !strings.Contains(logs, "test-admin") {
		t.Errorf("the start-up log does not name the keys:\n%s", logs)
	}
	for _, k := range []string{testAdminKey, testEditorKey, testReaderKey, testWrongKey} {
		if strings.Contains(logs, k) || strings.Contains(logs, auth.HashKey(k)) {
			t.Errorf("the log holds the key %s or its hash", k)
		}
	}
}

// Over the budget: 429 with Retry-After and RATE_LIMITED, nothing run; a
// key has its own budget; rateLimit reports cost and what is left.
func TestRateLimit(t *testing.T) {
	parallel(t)
	s := start(t, keyedEnv(t, map[string]string{"RATE_LIMIT_PER_MINUTE": "30", "MAX_COST": "30"}), "-data-dir", t.TempDir())
	// Cost: rateLimit 1 + actors 1 + edges 1 + 14 nodes = 17; two do not fit in 30.
	const q = `{ rateLimit { cost limit remaining used resetAt } actors(first: 14) { edges { node { id } } } }`
	sent := time.Now()
	r := s.send(t, "", q, nil, nil)
	if r.status != http.StatusOK || len(r.Errors) > 0 {
		t.Fatalf("first request: %d %s", r.status, r.raw)
	}
	rl, _ := r.Data["rateLimit"].(map[string]any)
	if rl["cost"] != float64(17) || rl["limit"] != float64(30) || rl["remaining"] != float64(13) || rl["used"] != float64(17) {
		t.Errorf("rateLimit = %v, want cost 17, limit 30, remaining 13, used 17", rl)
	}
	// The headers say the same.
	checkRateHeaders(t, r.header, 30, 13, sent)
	if reset, err := time.Parse(time.RFC3339, rl["resetAt"].(string)); err != nil || reset.Before(sent) || reset.After(sent.Add(2*time.Minute)) {
		t.Errorf("resetAt = %v (%v)", rl["resetAt"], err)
	}

	r = s.send(t, "", q, nil, nil)
	if r.status != http.StatusTooManyRequests || r.code() != "RATE_LIMITED" || r.Data != nil {
		t.Fatalf("second request: %d %s", r.status, r.raw)
	}
	if secs, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || secs < 1 || secs > 60 {
		t.Errorf("Retry-After %q", r.header.Get("Retry-After"))
	}
	checkRateHeaders(t, r.header, 30, 13, sent) // the refused request spent nothing

	// A key is a budget of its own; a mutation is charged too.
	if r := s.send(t, testReaderKey, q, nil, nil); len(r.Errors) > 0 {
		t.Errorf("the reader key shares the anonymous budget: %s", r.raw)
	}
	m := `mutation { upsertActor(input: {id: "rl-x", name: "X", kind: COMPANY, sector: PRIVATE}) { id } }` // cost 10
	for i, want := range []any{nil, nil, nil, "RATE_LIMITED"} {
		if r := s.send(t, testAdminKey, m, nil, nil); r.code() != want {
			t.Errorf("mutation %d: code %v, want %v", i+1, r.code(), want)
		}
	}
}

// checkRateHeaders checks the x-ratelimit-* headers against a budget of
// limit with remaining left (or more, by what the bucket has refilled since
// sent) after a request sent at sent.
func checkRateHeaders(t *testing.T, h http.Header, limit, remaining int, sent time.Time) {
	t.Helper()
	num := func(name string) int {
		n, err := strconv.Atoi(h.Get(name))
		if err != nil {
			t.Fatalf("%s: %q is not a number (headers %v)", name, h.Get(name), h)
		}
		return n
	}
	gotLimit, gotRemaining, used, reset := num("X-Ratelimit-Limit"), num("X-Ratelimit-Remaining"), num("X-Ratelimit-Used"), num("X-Ratelimit-Reset")
	refilled := int(time.Since(sent).Seconds()*float64(limit)/60) + 1
	if gotLimit != limit || gotRemaining < remaining || gotRemaining > min(remaining+refilled, limit) || used != limit-gotRemaining {
		t.Errorf("x-ratelimit limit %d remaining %d used %d, want %d, %d (+%d refilled), limit−remaining",
			gotLimit, gotRemaining, used, limit, remaining, refilled)
	}
	if at := time.Unix(int64(reset), 0); at.Before(sent.Truncate(time.Second)) || at.After(sent.Add(2*time.Minute)) {
		t.Errorf("x-ratelimit-reset %d is not within two minutes after %v", reset, sent)
	}
}

// Every /graphql response carries the caller's budget, errors before
// GraphQL included, without spending any of it; a CORS client may read the
// headers; without rate limiting there are none.
func TestRateLimitHeaders(t *testing.T) {
	parallel(t)
	s := start(t, keyedEnv(t, map[string]string{"RATE_LIMIT_PER_MINUTE": "600", "MAX_COST": "100"}), "-data-dir", t.TempDir())
	sent := time.Now()
	// A new caller: the whole budget, nothing used.
	resp, _ := s.get(t, "/graphql?query=%7B__typename%7D", nil) // cost 1
	checkRateHeaders(t, resp.Header, 600, 599, sent)
	// A request refused before GraphQL (a method /graphql does not take).
	req, _ := http.NewRequest(http.MethodPut, s.base+"/graphql", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode < 400 {
		t.Fatalf("PUT /graphql answered %d", resp.StatusCode)
	}
	checkRateHeaders(t, resp.Header, 600, 599, sent)
	// A key has its own budget; the headers follow the key.
	r := s.send(t, testReaderKey, `{ rateLimit { used } a: actor(id: "compare") { id } }`, nil, nil) // cost 2
	if dig(r.Data, "rateLimit", "used") != float64(2) {
		t.Errorf("used %v, want 2: %s", dig(r.Data, "rateLimit", "used"), r.raw)
	}
	checkRateHeaders(t, r.header, 600, 598, sent)
	// A browser page of another origin may read them.
	resp, _ = s.get(t, "/graphql?query=%7B__typename%7D", map[string]string{"Origin": "https://partner.example"})
	if exp := strings.ToLower(resp.Header.Get("Access-Control-Expose-Headers")); !strings.Contains(exp, "x-ratelimit-remaining") {
		t.Errorf("Access-Control-Expose-Headers %q does not name x-ratelimit-remaining", exp)
	}

	off := start(t, map[string]string{"RATE_LIMIT_PER_MINUTE": "0", "SEED": "never"}, "-data-dir", t.TempDir())
	if resp, _ := off.get(t, "/graphql?query=%7B__typename%7D", nil); resp.Header.Get("X-Ratelimit-Limit") != "" {
		t.Errorf("rate limiting off, yet x-ratelimit-limit %q", resp.Header.Get("X-Ratelimit-Limit"))
	}
}

// Automatic persisted queries: a hash the server does not know is
// PERSISTED_QUERY_NOT_FOUND; sent with its query it is stored; then the
// hash alone runs it.
func TestPersistedQueries(t *testing.T) {
	parallel(t)
	s := start(t, nil, "-data-dir", t.TempDir())
	const q = `{ actor(id: "compare") { name } }`
	sum := sha256.Sum256([]byte(q))
	ext := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hex.EncodeToString(sum[:])}}

	if r := s.send(t, "", "", nil, ext); r.code() != "PERSISTED_QUERY_NOT_FOUND" {
		t.Fatalf("unknown hash: %s", r.raw)
	}
	if r := s.send(t, "", q, nil, ext); len(r.Errors) > 0 || dig(r.Data, "actor", "name") != "Compare" {
		t.Fatalf("query with its hash: %s", r.raw)
	}
	if r := s.send(t, "", "", nil, ext); len(r.Errors) > 0 || dig(r.Data, "actor", "name") != "Compare" {
		t.Fatalf("hash alone: %s", r.raw)
	}
	bad := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": strings.Repeat("0", 64)}}
	if r := s.send(t, "", q, nil, bad); len(r.Errors) == 0 || r.Data != nil {
		t.Errorf("a query with a wrong hash ran: %s", r.raw)
	}
}

// The limits are on by default and set by flags or environment; refused
// operations answer BAD_USER_INPUT naming the limit.
func TestLimitsThroughServer(t *testing.T) {
	parallel(t)
	s := start(t, map[string]string{"MAX_ALIASES": "1", "MAX_COST": "2500"}, "-data-dir", t.TempDir(), "-max-depth", "3")
	for q, want := range map[string]string{
		`{ actor(id: "compare") { projects { project { id } } } }`:                  "MAX_DEPTH",
		`{ a: actor(id: "compare") { id } b: actor(id: "sol") { id } }`:             "MAX_ALIASES",
		`{ actors(first: 100) { edges { node { projects { project { id } } } } } }`: "MAX_DEPTH",
		// 1000 + 1000 + 800 + 600 + …
		`{ b1: brokers { exact } ecosystemStats { actors } partnershipPaths(from: "a", to: "b", k: 10, maxHops: 8) { length }
		   neighborhood(id: "a", depth: 3, limit: 2000) { truncated } overlap(actorIds: ["a", "b"]) { jaccard { overall } } }`: "MAX_COST",
	} {
		r := s.send(t, "", q, nil, nil)
		if r.code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["limit"] != want {
			t.Errorf("%s: want %s, got %s", q, want, r.raw)
		}
	}
	if r := s.send(t, "", `{ actor(id: "compare") { projects { role } } }`, nil, nil); len(r.Errors) > 0 {
		t.Errorf("within the limits: %s", r.raw)
	}
}

// PRODUCTION=true turns off introspection and "did you mean" suggestions.
func TestProductionMode(t *testing.T) {
	parallel(t)
	const typo = `{ actr(id: "compare") { name } }`
	dev := start(t, map[string]string{"SEED": "never"}, "-data-dir", t.TempDir())
	if r := dev.send(t, "", `{ __schema { queryType { name } } }`, nil, nil); len(r.Errors) > 0 {
		t.Fatalf("introspection off by default: %s", r.raw)
	}
	if r := dev.send(t, "", typo, nil, nil); len(r.Errors) == 0 || !strings.Contains(r.Errors[0].Message, "Did you mean") {
		t.Fatalf("no suggestion by default: %s", r.raw)
	}
	prod := start(t, map[string]string{"SEED": "never", "PRODUCTION": "true"}, "-data-dir", t.TempDir())
	if r := prod.send(t, "", `{ __schema { queryType { name } } }`, nil, nil); len(r.Errors) == 0 || r.Data["__schema"] != nil {
		t.Errorf("introspection in production: %s", r.raw)
	}
	if r := prod.send(t, "", typo, nil, nil); len(r.Errors) == 0 || strings.Contains(r.raw, "Did you mean") {
		t.Errorf("suggestion in production: %s", r.raw)
	}
}

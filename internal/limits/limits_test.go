package limits_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql/introspection"

	"github.com/samverkan/samverkan/graph"
	"github.com/samverkan/samverkan/internal/errcode"
	"github.com/samverkan/samverkan/internal/httpstatus"
	"github.com/samverkan/samverkan/internal/kg"
	"github.com/samverkan/samverkan/internal/limits"
	"github.com/samverkan/samverkan/internal/store/storetest"
	"github.com/samverkan/samverkan/internal/store/teststore"
)

// newCounting counts the calls to a fresh store of this run's kind.
func newCounting(t *testing.T) *storetest.Counting {
	t.Helper()
	return storetest.NewCounting(teststore.Open(t))
}

func handlerFor(store kg.Store, cfg limits.Config) http.Handler {
	return httpstatus.Middleware(graph.NewHandler(store, graph.Options{
		Analytics:        kg.NewAnalytics(store),
		Logger:           slog.New(slog.NewJSONHandler(io.Discard, nil)),
		Introspection:    true,
		ParserTokenLimit: cfg.MaxTokens,
		Extensions:       cfg.Extensions(),
	}))
}

type gqlError struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

type response struct {
	Status     int
	Data       map[string]any
	Errors     []gqlError
	Extensions map[string]any
	Raw        string
}

func post(t *testing.T, h http.Handler, query string, vars map[string]any) response {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	var out response
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
		t.Fatalf("response is not JSON (%d): %s", w.Code, w.Body.String())
	}
	out.Status, out.Raw = w.Code, w.Body.String()
	return out
}

func repeat(format string, n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, format, i)
	}
	return b.String()
}

// Every limit refuses its operation with BAD_USER_INPUT naming the limit
// (or the parser's or validator's reason) before a single store call.
func TestLimitsRefuseBeforeAnyStoreCall(t *testing.T) {
	cases := []struct {
		name, query string
		limit       string // extensions.limit, or
		reason      string // extensions.reason of a parse or validation error
	}{
		{"depth", `{ actor(id: "a") { projects { project { participants { actor { projects { project { participants { actor { projects { role } } } } } } } } } } }`,
			"MAX_DEPTH", ""},
		{"aliases", "{ " + repeat(`a%d: actor(id: "x") { id } `, 16) + "}", "MAX_ALIASES", ""},
		{"aliases inside a field", `{ actor(id: "x") { ` + repeat("n%d: name ", 16) + "} }", "MAX_ALIASES", ""},
		{"root fields", "{ " + repeat(`a%d: node(id: "x") { id } `, 21) + "}", "MAX_ROOT_FIELDS", ""},
		{"query bytes", `{ actor(id: "x") { id } } # ` + strings.Repeat("padding ", 2100), "MAX_QUERY_BYTES", ""},
		{"tokens", `{ actor(id: "x") { ` + strings.Repeat("id ", 1000) + "} }", "", "GRAPHQL_PARSE_FAILED"},
		{"fragment cycle", `{ actor(id: "x") { ...A } } fragment A on Actor { projects { actor { ...B } } } fragment B on Actor { ...A }`,
			"", "GRAPHQL_VALIDATION_FAILED"},
		{"cost of a wide connection", `{ actors(first: 100) { edges { node { projects { project { participants { actor { name } } } } } } } }`,
			"MAX_COST", ""},
		{"cost of first from a variable", `query($n: Int) { actors(first: $n) { edges { node { projects { project { participants { actor { name } } } } } } } }`,
			"MAX_COST", ""},
		{"cost of whole-graph analytics", "{ " + repeat("b%d: brokers { exact } ", 11) + "}", "MAX_COST", ""},
		{"cost of paths", "{ " + repeat(`p%d: partnershipPaths(from: "a", to: "b", k: 10, maxHops: 8) { length } `, 13) + "}", "MAX_COST", ""},
		{"cost through fragments", `{ actors(first: 100) { edges { node { ...P } } } } fragment P on Actor { projects { project { participants { actor { id } } } } }`,
			"MAX_COST", ""},
		// gqlparser's validation bounds list nesting under __schema.
		{"introspection nesting", `{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }`, "", "GRAPHQL_VALIDATION_FAILED"},
		{"mutation depth", `mutation { upsertActor(input: {name: "n", kind: COMPANY, sector: PRIVATE}) { projects { project { participants { actor { projects { project { participants { actor { projects { role } } } } } } } } } } }`,
			"MAX_DEPTH", ""},
	}
	store := newCounting(t)
	h := handlerFor(store, limits.Defaults())
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := store.Calls()
			r := post(t, h, c.query, map[string]any{"n": 100})
			if calls := store.Calls() - before; calls != 0 {
				t.Errorf("%d store calls", calls)
			}
			if len(r.Errors) == 0 || r.Data != nil {
				t.Fatalf("not refused: %s", r.Raw)
			}
			ext := r.Errors[0].Extensions
			if ext["code"] != errcode.BadUserInput {
				t.Errorf("code %v, want BAD_USER_INPUT: %s", ext["code"], r.Raw)
			}
			if c.limit != "" && ext["limit"] != c.limit {
				t.Errorf("limit %v, want %s: %s", ext["limit"], c.limit, r.Raw)
			}
			if c.reason != "" && ext["reason"] != c.reason {
				t.Errorf("reason %v, want %s: %s", ext["reason"], c.reason, r.Raw)
			}
		})
	}

	// The counter does count: a query within the limits reaches the store.
	before := store.Calls()
	if r := post(t, h, `{ actors(first: 5) { edges { node { projects { role } } } } }`, nil); len(r.Errors) > 0 {
		t.Fatalf("a small query is refused: %s", r.Raw)
	}
	if store.Calls() == before {
		t.Fatal("the counting store counts nothing")
	}
}

// Limits are configurable, and zero turns one off.
func TestLimitsConfigurable(t *testing.T) {
	q := `{ actor(id: "x") { projects { project { id } } } }` // depth 4, cost 1+1+10
	for _, c := range []struct {
		cfg     limits.Config
		refused string
	}{
		{limits.Config{MaxDepth: 3}, "MAX_DEPTH"},
		{limits.Config{MaxDepth: 4}, ""},
		{limits.Config{MaxCost: 11}, "MAX_COST"},
		{limits.Config{MaxCost: 12}, ""},
		{limits.Config{}, ""},
	} {
		r := post(t, handlerFor(newCounting(t), c.cfg), q, nil)
		got := ""
		if len(r.Errors) > 0 {
			got, _ = r.Errors[0].Extensions["limit"].(string)
		}
		if got != c.refused {
			t.Errorf("%+v: refused by %q, want %q: %s", c.cfg, got, c.refused, r.Raw)
		}
	}
}

// A request that breaks a rule hundreds of times gets a short answer: the
// token limit stops it first, and without it the error list is capped.
func TestErrorListStaysSmall(t *testing.T) {
	q := "{ __typename " + strings.Repeat("@skip(if: false) ", 500) + "}"
	r := post(t, handlerFor(newCounting(t), limits.Defaults()), q, nil)
	if len(r.Errors) != 1 || r.Errors[0].Extensions["reason"] != "GRAPHQL_PARSE_FAILED" || len(r.Raw) > 1000 {
		t.Errorf("with the token limit: %d errors, %d bytes: %.300s", len(r.Errors), len(r.Raw), r.Raw)
	}

	cfg := limits.Defaults()
	cfg.MaxTokens = 0
	r = post(t, handlerFor(newCounting(t), cfg), q, nil)
	if len(r.Errors) != cfg.MaxErrors || len(r.Raw) > 4000 {
		t.Fatalf("without the token limit: %d errors, %d bytes", len(r.Errors), len(r.Raw))
	}
	if omitted, _ := r.Extensions["omittedErrors"].(float64); omitted < 400 {
		t.Errorf("omittedErrors = %v", r.Extensions["omittedErrors"])
	}
	cfg.MaxErrors = 0 // off: every error is there
	if r := post(t, handlerFor(newCounting(t), cfg), q, nil); len(r.Errors) < 400 {
		t.Errorf("with the cap off: %d errors", len(r.Errors))
	}
}

// The rateLimit field reports the measured cost even without the rate
// limiter (limit 0 then).
func TestRateLimitFieldReportsCost(t *testing.T) {
	h := handlerFor(newCounting(t), limits.Defaults())
	r := post(t, h, `{ rateLimit { cost limit remaining resetAt } actors(first: 3) { edges { node { id } } } }`, nil)
	if len(r.Errors) > 0 {
		t.Fatal(r.Raw)
	}
	rl := r.Data["rateLimit"].(map[string]any)
	if rl["cost"] != float64(1+1+1+3) || rl["limit"] != float64(0) {
		t.Errorf("rateLimit = %v", rl)
	}
}

// A full introspection query, as GraphiQL and code generators send it,
// passes the default limits.
func TestIntrospectionWithinDefaults(t *testing.T) {
	r := post(t, handlerFor(newCounting(t), limits.Defaults()), introspection.Query, nil)
	if len(r.Errors) > 0 || r.Data["__schema"] == nil {
		t.Fatalf("introspection refused: %.500s", r.Raw)
	}
}

// Over the rate limit the operation is refused with 429, Retry-After and
// RATE_LIMITED before any store call.
func TestRateLimitRefusesBeforeAnyStoreCall(t *testing.T) {
	store := newCounting(t)
	cfg := limits.Defaults()
	h := httpstatus.Middleware(graph.NewHandler(store, graph.Options{
		Analytics: kg.NewAnalytics(store),
		Logger:    slog.New(slog.NewJSONHandler(io.Discard, nil)),
		Extensions: append(cfg.Extensions(), limits.RateLimit{
			Limiter: limits.NewRateLimiter(20),
			Key:     func(context.Context) string { return "everyone" },
		}),
	}))
	const q = `{ actors(first: 10) { edges { node { id } } } }` // cost 12
	if r := post(t, h, q, nil); len(r.Errors) > 0 {
		t.Fatalf("first: %s", r.Raw)
	}
	before := store.Calls()
	body, _ := json.Marshal(map[string]any{"query": q})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" ||
		!strings.Contains(w.Body.String(), `"code":"RATE_LIMITED"`) || strings.Contains(w.Body.String(), `"data":{`) {
		t.Errorf("second: %d %v %s", w.Code, w.Header(), w.Body.String())
	}
	if n := store.Calls() - before; n != 0 {
		t.Errorf("%d store calls", n)
	}
}

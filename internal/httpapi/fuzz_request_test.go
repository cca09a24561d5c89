package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/internal/auth"
	"github.com/samverkan/samverkan/internal/config"
	"github.com/samverkan/samverkan/internal/seed"
	"github.com/samverkan/samverkan/internal/store/embedded"
)

const fuzzAdminKey = "fuzz-admin-9c2e4d1b"

// FuzzRequest sends whole request bodies, and queries with variables over
// POST and GET, to the server's handler: no input is answered with a 5xx
// or an INTERNAL error (run it with go test -fuzz=FuzzRequest; the seed
// corpus in testdata/fuzz/FuzzRequest and below runs with every go test).
func FuzzRequest(f *testing.F) {
	for _, s := range []struct {
		body, query, vars string
		key               bool
	}{
		{`{"query":"{ actors { totalCount } }"}`, `{ actors { totalCount } }`, `{}`, false},
		{`{"query":"query($x: Boolean = false) { actors @skip(if: $x) { totalCount } }","variables":{"x":null}}`,
			`query($x: Boolean = false) { actors @include(if: $x) { totalCount } }`, `{"x": null}`, false},
		{`{"query":"query($t: [NodeType!]) { search(text: \"a\", types: $t) { score } }","variables":{"t":["actor"]}}`,
			`query($l: Int!) { setCompetency(actorId: "compare", competencyId: "tjenestedesign", level: $l) { level } }`, `{"l": "3"}`, true},
		{`{"query":"{ actors { totalCount } }"} {"query":"x"}`, `mutation { deleteActor(id: "compare") }`, `null`, true},
		{`[1,2`, `{ __schema { types { name } } }`, `{"a": [`, false},
		{`{"query": 5}`, `query($d: OrderDirection = ASC) { actors(orderBy: {field: NAME, direction: $d}) { totalCount } }`, `{"d": null}`, false},
	} {
		f.Add([]byte(s.body), s.query, []byte(s.vars), s.key)
	}
	dir := f.TempDir()
	store, err := embedded.Open(dir)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = store.Close() })
	if _, err := seed.Load(context.Background(), store); err != nil {
		f.Fatal(err)
	}
	env := map[string]string{"API_KEYS": "fuzz:admin:" + auth.HashKey(fuzzAdminKey), "RATE_LIMIT_PER_MINUTE": "0",
		"LOG_LEVEL": "error"}
	cfg, err := config.Load([]string{"-data-dir", dir}, func(k string) string { return env[k] })
	if err != nil {
		f.Fatal(err)
	}
	h := NewServer(Deps{Config: cfg, Store: store, Log: slog.New(slog.NewJSONHandler(io.Discard, nil))})

	f.Fuzz(func(t *testing.T, body []byte, query string, vars []byte, key bool) {
		check := func(what string, req *http.Request) {
			t.Helper()
			if key {
				req.Header.Set("Authorization", "Bearer "+fuzzAdminKey)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			out := rec.Body.String()
			if rec.Code >= 500 {
				t.Fatalf("%s: status %d: %.500s", what, rec.Code, out)
			}
			if strings.Contains(out, `"INTERNAL"`) {
				t.Fatalf("%s: INTERNAL: %.500s", what, out)
			}
		}
		post := func(b []byte) *http.Request {
			req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(b))
			req.Header.Set("Content-Type", "application/json")
			return req
		}
		check("raw body", post(body))

		payload := map[string]any{"query": query}
		if json.Valid(vars) {
			payload["variables"] = json.RawMessage(vars)
		} else {
			payload["variables"] = string(vars)
		}
		b, err := json.Marshal(payload)
		if err == nil {
			check("query and variables", post(b))
		}
		check("GET", httptest.NewRequest(http.MethodGet, "/graphql?"+url.Values{"query": {query}, "variables": {string(vars)}}.Encode(), nil))
	})
}

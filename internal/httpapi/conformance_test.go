package httpapi

import (
	"context"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/samverkan/samverkan/internal/apitest"
)

const (
	mediaJSON          = "application/json"
	mediaGraphQLResult = "application/graphql-response+json"
)

// Request errors through the real server, under both response media types:
// application/json answers a well-formed request 200 whatever its GraphQL
// errors; application/graphql-response+json answers 400; neither carries a
// data entry for a request that was never executed. (CI also runs
// graphql-http's audits: tools/graphqlhttp.)
func TestGraphQLOverHTTPRequestErrors(t *testing.T) {
	parallel(t)
	s := start(t, map[string]string{"SEED": "never"}, "-data-dir", t.TempDir())
	cases := []struct {
		name     string
		body     string
		accept   string
		status   int
		wantData bool // a data entry (an executed request)
	}{
		{"parse failure, json", `{"query":"{"}`, mediaJSON, 200, false},
		{"parse failure, graphql-response", `{"query":"{"}`, mediaGraphQLResult, 400, false},
		{"validation failure, json", `{"query":"{ noSuchField }"}`, mediaJSON, 200, false},
		{"validation failure, graphql-response", `{"query":"{ noSuchField }"}`, mediaGraphQLResult, 400, false},
		{"variable coercion failure, json",
			`{"query":"query Q($first: Int) { actors(first: $first) { totalCount } }","variables":{"first":"many"}}`, mediaJSON, 200, false},
		{"variable coercion failure, graphql-response",
			`{"query":"query Q($first: Int) { actors(first: $first) { totalCount } }","variables":{"first":"many"}}`, mediaGraphQLResult, 400, false},
		{"missing required variable, json",
			`{"query":"query Q($id: ID!) { actor(id: $id) { id } }"}`, mediaJSON, 200, false},
		{"no query, json", `{"qeury":"{ __typename }"}`, mediaJSON, 400, false},
		{"no query, graphql-response", `{"qeury":"{ __typename }"}`, mediaGraphQLResult, 400, false},
		{"body is not JSON, json", `{"query":`, mediaJSON, 400, false},
		{"body is not JSON, graphql-response", `{"query":`, mediaGraphQLResult, 400, false},
		// Executed requests keep their data, errors or not.
		{"success, json", `{"query":"{ actors { totalCount } }"}`, mediaJSON, 200, true},
		{"success, graphql-response", `{"query":"{ actors { totalCount } }"}`, mediaGraphQLResult, 200, true},
		{"field error, graphql-response", `{"query":"{ actor(id: \"-bad\") { id } }"}`, mediaGraphQLResult, 200, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, s.base+"/graphql", strings.NewReader(c.body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", c.accept)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != c.status {
				t.Errorf("status %d, want %d: %s", resp.StatusCode, c.status, raw)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, c.accept) {
				t.Errorf("Content-Type %q, want %s", ct, c.accept)
			}
			var body map[string]json.RawMessage
			if err := json.Unmarshal(raw, &body); err != nil {
				t.Fatalf("body is not a JSON object: %s", raw)
			}
			if _, has := body["data"]; has != c.wantData {
				t.Errorf("data entry present = %v, want %v: %s", has, c.wantData, raw)
			}
			var errs []map[string]any
			_ = json.Unmarshal(body["errors"], &errs)
			if wantErrs := c.status != 200 || !c.wantData || strings.Contains(c.name, "error"); wantErrs != (len(errs) > 0) {
				t.Errorf("errors %s", body["errors"])
			}
		})
	}

	t.Run("GET parse failure", func(t *testing.T) {
		for accept, status := range map[string]int{mediaJSON: 200, mediaGraphQLResult: 400} {
			resp, body := s.get(t, "/graphql?query=%7B", map[string]string{"Accept": accept})
			if resp.StatusCode != status || strings.Contains(body, `"data"`) || !strings.Contains(body, `"errors"`) {
				t.Errorf("Accept %s: %d %s", accept, resp.StatusCode, body)
			}
		}
	})
}

// The rewrite touches only 4xx GraphQL bodies: other statuses, non-GraphQL
// bodies and statuses chosen on purpose (429, 401) stay as they are.
func TestGraphQLOverHTTPRewrite(t *testing.T) {
	parallel(t)
	cases := []struct {
		name        string
		status      int
		contentType string
		body        string
		wantStatus  int
		wantBody    string
	}{
		{"422 under json becomes 200", 422, mediaJSON, `{"errors":[{"message":"x"}],"data":null}`,
			200, `{"errors":[{"message":"x"}]}`},
		// The message never decides a status (the transport marks a request
		// without a query as 400 before gqlgen answers it).
		{"the message does not decide", 422, mediaJSON, `{"errors":[{"message":"no operation provided"}],"data":null}`,
			200, `{"errors":[{"message":"no operation provided"}]}`},
		{"400 under graphql-response keeps its status", 400, mediaGraphQLResult + "; charset=utf-8",
			`{"errors":[{"message":"x"}],"data":null,"extensions":{"k":1}}`,
			400, `{"errors":[{"message":"x"}],"extensions":{"k":1}}`},
		{"429 keeps its status", 429, mediaJSON, `{"errors":[{"message":"slow down"}],"data":null}`,
			429, `{"errors":[{"message":"slow down"}]}`},
		{"401 under graphql-response keeps its status", 401, mediaGraphQLResult, `{"errors":[{"message":"key"}]}`,
			401, `{"errors":[{"message":"key"}]}`},
		{"200 with null data is an execution result", 200, mediaJSON, `{"errors":[{"message":"x"}],"data":null}`,
			200, `{"errors":[{"message":"x"}],"data":null}`},
		{"partial data stays", 400, mediaGraphQLResult, `{"errors":[{"message":"x"}],"data":{"a":1}}`,
			400, `{"errors":[{"message":"x"}],"data":{"a":1}}`},
		{"not a GraphQL body", 422, mediaJSON, `{"message":"nope"}`, 422, `{"message":"nope"}`},
		{"not JSON", 422, mediaJSON, `nope`, 422, `nope`},
		{"plain text 404", 404, "text/plain", `{"errors":[],"data":null}`, 404, `{"errors":[],"data":null}`},
		{"500 is not rewritten", 500, mediaJSON, `{"errors":[{"message":"x"}],"data":null}`,
			500, `{"errors":[{"message":"x"}],"data":null}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := withGraphQLOverHTTP(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", c.contentType)
				w.WriteHeader(c.status)
				// Two writes: the rewrite must see the whole body.
				_, _ = io.WriteString(w, c.body[:len(c.body)/2])
				_, _ = io.WriteString(w, c.body[len(c.body)/2:])
			}))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/graphql", nil))
			if rec.Code != c.wantStatus || rec.Body.String() != c.wantBody {
				t.Errorf("got %d %s, want %d %s", rec.Code, rec.Body.String(), c.wantStatus, c.wantBody)
			}
		})
	}
}

// A request that names no operation (no query, no persisted one) is not a
// well-formed GraphQL-over-HTTP request: 400 under either media type, over
// POST and GET. A persisted-query hash the server does not know is a
// GraphQL error, not a malformed request.
func TestRequestWithoutQueryIs400(t *testing.T) {
	parallel(t)
	s := start(t, map[string]string{"SEED": "never"}, "-data-dir", t.TempDir())
	for _, accept := range []string{mediaJSON, mediaGraphQLResult} {
		for name, c := range map[string]struct {
			method, body, query string
			want                int
		}{
			"POST {}":           {http.MethodPost, `{}`, "", 400},
			"POST empty query":  {http.MethodPost, `{"query": ""}`, "", 400},
			"GET without query": {http.MethodGet, "", "", 400},
			"GET empty query":   {http.MethodGet, "", "?query=", 400},
			"POST unknown APQ":  {http.MethodPost, `{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "` + strings.Repeat("ab", 32) + `"}}}`, "", 200},
		} {
			var body io.Reader
			if c.body != "" {
				body = strings.NewReader(c.body)
			}
			req, _ := http.NewRequest(c.method, s.base+"/graphql"+c.query, body)
			req.Header.Set("Accept", accept)
			if c.method == http.MethodPost {
				req.Header.Set("Content-Type", mediaJSON)
			}
			resp, b := apitest.Do(t, req)
			if resp.StatusCode != c.want || !strings.Contains(b, `"errors"`) {
				t.Errorf("%s (Accept %s): %d %s, want %d", name, accept, resp.StatusCode, b, c.want)
			}
		}
	}
}

// The streaming transports go through the server's /graphql middleware,
// which wraps the writer: a subscription over server-sent events gets its
// stream, the transport's opening comment flushed at once while the
// subscription stays open (no flush, no bytes until it ends), and @defer
// over multipart/mixed its parts, the deferred one after the first.
func TestStreamingTransportsThroughTheServer(t *testing.T) {
	parallel(t)
	// The operation's deadline far off: it would end the stream, and so
	// flush it, after its 30 s.
	s := start(t, map[string]string{"REQUEST_TIMEOUT": "10m"}, "-data-dir", t.TempDir())
	// Without a flush not even the headers come, so the guard is on the
	// whole request.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.base+"/graphql",
		strings.NewReader(`{"query":"subscription { graphChanged { version } }"}`))
	req.Header.Set("Content-Type", mediaJSON)
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("nothing of the open stream reached the client (the middleware did not flush): %v", err)
	}
	defer func() { cancel(); resp.Body.Close() }() // the request's end ends the stream
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("SSE answered %d %q: %s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	first := make([]byte, 3)
	if _, err := io.ReadFull(resp.Body, first); err != nil || string(first) != ":\n\n" {
		t.Fatalf("the stream opened with %q (%v), want the transport's comment", first, err)
	}

	body := `{"query":"{ actor(id: \"compare\") { name ... @defer(label: \"more\") { projects { role } } } }"}`
	req, _ = http.NewRequest(http.MethodPost, s.base+"/graphql", strings.NewReader(body))
	req.Header.Set("Content-Type", mediaJSON)
	req.Header.Set("Accept", "multipart/mixed;deferSpec=20220824, application/json")
	resp2, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp2.Body)
	resp2.Body.Close()
	mt, _, _ := mime.ParseMediaType(resp2.Header.Get("Content-Type"))
	name, more := strings.Index(string(b), `"name":"Compare"`), strings.Index(string(b), `"label":"more"`)
	if resp2.StatusCode != http.StatusOK || mt != "multipart/mixed" || name < 0 || more < name {
		t.Fatalf("@defer answered %d %q: %s", resp2.StatusCode, resp2.Header.Get("Content-Type"), b)
	}
}

// The access log's line of each request has its method, path, status and
// the bytes the client got: a GraphQL answer, a 404, a request refused
// before GraphQL, a plain route.
func TestAccessLogLines(t *testing.T) {
	parallel(t)
	s := start(t, map[string]string{}, "-data-dir", t.TempDir())
	do := func(method, path, body string) (int, int) {
		req, _ := http.NewRequest(method, s.base+path, strings.NewReader(body))
		if body != "" {
			req.Header.Set("Content-Type", mediaJSON)
		}
		resp, b := apitest.Do(t, req)
		return resp.StatusCode, len(b)
	}
	type line struct {
		Msg, Method, Path string
		Status, Bytes     int
	}
	for _, c := range []struct{ method, path, body string }{
		{http.MethodPost, "/graphql", `{"query":"{ actor(id: \"compare\") { name } }"}`},
		{http.MethodGet, "/no-such-page", ""},
		{http.MethodPut, "/graphql", `{}`},
		{http.MethodGet, "/healthz", ""},
	} {
		mark := len(s.logs.String())
		status, n := do(c.method, c.path, c.body)
		var got *line
		for _, l := range strings.Split(s.logs.String()[mark:], "\n") {
			var x line
			if json.Unmarshal([]byte(l), &x) == nil && x.Msg == "request" {
				got = &x
			}
		}
		if got == nil || got.Method != c.method || got.Path != c.path || got.Status != status || got.Bytes != n {
			t.Errorf("%s %s answered %d with %d bytes; the access log says %+v", c.method, c.path, status, n, got)
		}
	}
}

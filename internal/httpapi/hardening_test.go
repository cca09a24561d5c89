package httpapi

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// Tests of issue 12 ("hardening, second round"), through the real server.

// hardReply is one HTTP answer of the server.
type hardReply struct {
	status int
	header http.Header
	raw    string
	resp   gqlResponse
}

func (r hardReply) code() string {
	if len(r.resp.Errors) == 0 {
		return ""
	}
	c, _ := r.resp.Errors[0].Extensions["code"].(string)
	return c
}

// hardPost posts body as it is (not re-encoded) with an optional key.
func hardPost(t *testing.T, s *testServer, key, body string, header map[string]string) hardReply {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.base+"/graphql", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return hardDo(t, req)
}

func hardGet(t *testing.T, s *testServer, key string, params url.Values) hardReply {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.base+"/graphql?"+params.Encode(), nil)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	return hardDo(t, req)
}

func hardDo(t *testing.T, req *http.Request) hardReply {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	out := hardReply{status: resp.StatusCode, header: resp.Header, raw: string(b)}
	_ = json.Unmarshal(b, &out.resp)
	return out
}

func hardBody(query string, vars map[string]any) string {
	b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	return string(b)
}

// checkNoErrorLog fails when the server logged an ERROR line or a panic
// since mark (an offset into the log).
func checkNoErrorLog(t *testing.T, s *testServer, mark int, what string) {
	t.Helper()
	logs := s.logs.String()[mark:]
	for _, line := range strings.Split(logs, "\n") {
		if strings.Contains(line, `"level":"ERROR"`) || strings.Contains(line, "panic") {
			t.Errorf("%s: logged %.300s", what, line)
		}
	}
}

// wantInputError checks an answer to a request error: a 4xx or 200
// status (never 5xx), a BAD_USER_INPUT error whose message mentions each of
// mention, and no data.
func wantInputError(t *testing.T, what string, r hardReply, mention ...string) {
	t.Helper()
	if r.status >= 500 {
		t.Errorf("%s: status %d: %.500s", what, r.status, r.raw)
		return
	}
	if r.code() != "BAD_USER_INPUT" {
		t.Errorf("%s: want BAD_USER_INPUT, got status %d %.500s", what, r.status, r.raw)
		return
	}
	for _, m := range mention {
		if !strings.Contains(r.resp.Errors[0].Message, m) {
			t.Errorf("%s: message %q does not mention %q", what, r.resp.Errors[0].Message, m)
		}
	}
}

// Item 1: a null variable in @skip/@include's non-null "if", whatever the
// route, is a coded input error, never a 500, a panic or INTERNAL.
func TestNullDirectiveArgument(t *testing.T) {
	parallel(t)
	s := start(t, map[string]string{}, "-data-dir", t.TempDir())
	mark := len(s.logs.String())
	null := map[string]any{"x": nil}
	for name, q := range map[string]string{
		"skip":            `query($x: Boolean = false) { actors @skip(if: $x) { totalCount } }`,
		"include":         `query($x: Boolean = true) { actors @include(if: $x) { totalCount } }`,
		"fragment":        `query($x: Boolean = false) { ...F } fragment F on Query { actors @skip(if: $x) { totalCount } }`,
		"inline":          `query($x: Boolean = false) { ... @include(if: $x) { actors { totalCount } } }`,
		"nested":          `query($x: Boolean = false) { actors { edges @include(if: $x) { cursor } totalCount } }`,
		"nested fragment": `query($x: Boolean = false) { actors { ...C } } fragment C on ActorConnection { totalCount @skip(if: $x) }`,
		"nullable":        `query($x: Boolean) { actors @skip(if: $x) { totalCount } }`,
	} {
		wantInputError(t, "POST "+name, hardPost(t, s, "", hardBody(q, null), nil), "$x")
		vars, _ := json.Marshal(null)
		wantInputError(t, "GET "+name, hardGet(t, s, "", url.Values{"query": {q}, "variables": {string(vars)}}), "$x")
	}
	// A mutation too, with or without a key.
	m := `mutation($x: Boolean = false) { deleteActor(id: "nobody") @skip(if: $x) }`
	wantInputError(t, "mutation", hardPost(t, s, "", hardBody(m, null), nil), "$x")
	checkNoErrorLog(t, s, mark, "null directive argument")

	// Over a websocket: an error message for the operation (`error` alone,
	// or `next` with the error and `complete`: graphql-transport-ws never
	// sends `complete` after `error`), and the connection stays open for the
	// next one.
	conn, _ := wsDial(t, s, "")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	wsWrite(ctx, t, conn, wsMessage{Type: "connection_init"})
	if m := wsRead(ctx, t, conn); m.Type != "connection_ack" {
		t.Fatalf("no ack: %+v", m)
	}
	payload, _ := json.Marshal(map[string]any{"query": `query($x: Boolean = false) { actors @skip(if: $x) { totalCount } }`, "variables": null})
	wsWrite(ctx, t, conn, wsMessage{ID: "1", Type: "subscribe", Payload: payload})
	for refused := false; ; {
		m := wsRead(ctx, t, conn)
		switch m.Type {
		case "ping":
			wsWrite(ctx, t, conn, wsMessage{Type: "pong"})
			continue
		case "error", "next":
			if !strings.Contains(string(m.Payload), "BAD_USER_INPUT") || strings.Contains(string(m.Payload), "INTERNAL") {
				t.Fatalf("websocket: %s %s", m.Type, m.Payload)
			}
			refused = true
			if m.Type == "next" {
				continue
			}
		case "complete":
			if !refused {
				t.Fatal("websocket: completed without an error")
			}
		default:
			t.Fatalf("websocket: want an error, got %s %s", m.Type, m.Payload)
		}
		break
	}
	if r := wsOperation(t, conn, "2", `{ actors { totalCount } }`); len(r.Errors) > 0 {
		t.Fatalf("the connection does not go on: %+v", r.Errors)
	}
	checkNoErrorLog(t, s, mark, "websocket")
}

// Item 3: a body that does not decode is answered with one short coded
// message, not echoed, and without Go's type names.
func TestUndecodableBodyNotEchoed(t *testing.T) {
	parallel(t)
	s := start(t, map[string]string{"SEED": "never"}, "-data-dir", t.TempDir())
	big := `{"query": "{ actors { totalCount } }", "variables": ` + strings.Repeat("[", 1000) + strings.Repeat("x", 1<<20-2000)
	for name, body := range map[string]string{
		"1 MB of garbage":     big,
		"query is a number":   `{"query": 5}`,
		"variables are list":  `{"query": "{ actors { totalCount } }", "variables": [1, 2]}`,
		"extensions a string": `{"query": "{ actors { totalCount } }", "extensions": "x"}`,
		"not an object":       `"hello"`,
		"array":               `[{"query": "{ actors { totalCount } }"}]`,
		"truncated":           `{"query": "{ actors { totalCount } }"`,
		"empty":               ``,
	} {
		r := hardPost(t, s, "", body, nil)
		if r.status != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", name, r.status)
		}
		wantInputError(t, name, r)
		if len(r.raw) > 400 {
			t.Errorf("%s: %d bytes answered", name, len(r.raw))
		}
		for _, leak := range []string{"graphql.RawParams", "interface", "map[", "Go value", "json:", "body:"} {
			if strings.Contains(r.raw, leak) {
				t.Errorf("%s: answer holds %q: %.300s", name, leak, r.raw)
			}
		}
	}
	// GET's variables and extensions likewise.
	for name, p := range map[string]url.Values{
		"GET variables":  {"query": {`{ actors { totalCount } }`}, "variables": {`{"a": `}},
		"GET extensions": {"query": {`{ actors { totalCount } }`}, "extensions": {`[1]`}},
	} {
		r := hardGet(t, s, "", p)
		if r.status != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", name, r.status)
		}
		wantInputError(t, name, r)
	}
}

// Items 4 and 5: variables are coerced as the GraphQL spec says, and a
// wrong one is BAD_USER_INPUT naming the variable, without an ERROR log.
func TestStrictVariableCoercion(t *testing.T) {
	parallel(t)
	s := start(t, keyedEnv(t, nil), "-data-dir", t.TempDir())
	mark := len(s.logs.String())
	setLevel := `mutation($l: Int!) { setCompetency(actorId: "compare", competencyId: "tjenestedesign", level: $l) { level } }`
	setLevelDefault := `mutation($l: Int = 3) { setCompetency(actorId: "compare", competencyId: "tjenestedesign", level: $l) { level } }`
	before := fingerprint(t, s)
	cases := []struct {
		name, key, query string
		vars             map[string]any
		variable         string
	}{
		{"lower-case enum in a list", "", `query($t: [NodeType!]) { search(text: "design", types: $t) { score } }`, map[string]any{"t": []any{"actor"}}, "$t"},
		{"lower-case enum", "", `query($t: NodeType!) { search(text: "design", types: [$t]) { score } }`, map[string]any{"t": "actor"}, "$t"},
		{"number for an enum", "", `query($t: [NodeType!]) { search(text: "design", types: $t) { score } }`, map[string]any{"t": []any{1}}, "$t"},
		{"null for a defaulted enum", "", `query($d: OrderDirection = ASC) { actors(orderBy: {field: NAME, direction: $d}) { totalCount } }`, map[string]any{"d": nil}, "$d"},
		{"null for a defaulted enum in a list", "", `query($t: NodeType = ACTOR) { search(text: "design", types: [$t]) { score } }`, map[string]any{"t": nil}, "$t"},
		{"string for Int!", testEditorKey, setLevel, map[string]any{"l": "3"}, "$l"},
		{"fraction for Int!", testEditorKey, setLevel, map[string]any{"l": 3.5}, "$l"},
		{"Int beyond 32 bits", testEditorKey, setLevel, map[string]any{"l": 1 << 40}, "$l"},
		{"null for a defaulted Int in a non-null position", testEditorKey, setLevelDefault, map[string]any{"l": nil}, "$l"},
		{"string for first", "", `query($f: Int) { actors(first: $f) { totalCount } }`, map[string]any{"f": "2"}, "$f"},
		{"string in an input object", testEditorKey, `mutation($i: ActorInput!) { upsertActor(input: $i) { id } }`,
			map[string]any{"i": map[string]any{"id": "x1", "name": "X", "kind": "agency", "sector": "PUBLIC"}}, "$i"},
		{"number for String", "", `query($s: String!) { search(text: $s) { score } }`, map[string]any{"s": 5}, "$s"},
		{"boolean for ID", "", `query($id: ID!) { actor(id: $id) { name } }`, map[string]any{"id": true}, "$id"},
		{"string for Boolean", "", `query($x: Boolean!) { actors @include(if: $x) { totalCount } }`, map[string]any{"x": "true"}, "$x"},
	}
	for _, c := range cases {
		wantInputError(t, c.name, hardPost(t, s, c.key, hardBody(c.query, c.vars), nil), c.variable)
	}
	if literal := hardPost(t, s, "", hardBody(`{ actors(first: "2") { totalCount } }`, nil), nil); literal.code() != "BAD_USER_INPUT" {
		t.Errorf(`first: "2": %s`, literal.raw)
	}
	if after := fingerprint(t, s); after != before {
		t.Errorf("a refused variable changed the graph")
	}
	checkNoErrorLog(t, s, mark, "coercion")

	// What the spec allows still works: an Int for Float and for ID, an
	// omitted defaulted variable, a single value for a list, null where null
	// may go.
	for _, ok := range []struct {
		query string
		vars  map[string]any
	}{
		{`query($id: ID!) { actor(id: $id) { name } }`, map[string]any{"id": 7}},
		{`query($t: [NodeType!]) { search(text: "design", types: $t) { score } }`, map[string]any{"t": "ACTOR"}},
		{`query($t: [NodeType!]) { search(text: "design", types: $t) { score } }`, map[string]any{"t": nil}},
		{`query($f: Int = 2) { actors(first: $f) { totalCount } }`, nil},
		{`query($f: Int = 2) { actors(first: $f) { totalCount } }`, map[string]any{"f": nil}},
		{`query($x: Boolean = false) { actors @skip(if: $x) { totalCount } }`, nil},
	} {
		if r := hardPost(t, s, "", hardBody(ok.query, ok.vars), nil); len(r.resp.Errors) > 0 || r.status != 200 {
			t.Errorf("%s %v: %s", ok.query, ok.vars, r.raw)
		}
	}
	if r := hardPost(t, s, testEditorKey, hardBody(setLevel, map[string]any{"l": 4}), nil); len(r.resp.Errors) > 0 {
		t.Errorf("a valid level: %s", r.raw)
	}
}

// Item 6: in production, introspection is a client error (not INTERNAL,
// no ERROR line) and no validation error suggests anything.
func TestProductionRefusesQuietly(t *testing.T) {
	parallel(t)
	s := start(t, map[string]string{"SEED": "never", "PRODUCTION": "true"}, "-data-dir", t.TempDir())
	mark := len(s.logs.String())
	for _, q := range []string{
		`{ __schema { queryType { name } } }`,
		`{ __type(name: "Actor") { name } }`,
		`{ ...F } fragment F on Query { __schema { types { name } } }`,
	} {
		r := hardPost(t, s, "", hardBody(q, nil), nil)
		wantInputError(t, q, r)
		if r.resp.Data != nil {
			t.Errorf("%s: data %v", q, r.resp.Data)
		}
	}
	if r := hardPost(t, s, "", hardBody(`{ actors { __typename totalCount } }`, nil), nil); len(r.resp.Errors) > 0 {
		t.Errorf("__typename: %s", r.raw)
	}
	for _, q := range []string{
		`{ actrs { totalCount } }`,                                    // field
		`{ actors(frist: 2) { totalCount } }`,                         // argument
		`{ search(text: "a", types: [ACTR]) { score } }`,              // enum value
		`{ actors(filter: {nmae: "x"}) { totalCount } }`,              // input field
		`{ ...F } fragment F on Querry { actors { totalCount } }`,     // type
		`query($f: ActorFiltr) { actors(filter: $f) { totalCount } }`, // type of a variable
		`{ actors { totalCount { x } } }`,                             // scalar leaf
	} {
		r := hardPost(t, s, "", hardBody(q, nil), nil)
		wantInputError(t, q, r)
		if strings.Contains(strings.ToLower(r.raw), "did you mean") {
			t.Errorf("suggestion in production: %s", r.raw)
		}
	}
	checkNoErrorLog(t, s, mark, "production")
}

// Item 7: every error has a code; a mutation over GET is 405; a chunked
// body over MAX_BODY_BYTES is 413; trailing data after the body is refused.
func TestRequestShape(t *testing.T) {
	parallel(t)
	s := start(t, keyedEnv(t, map[string]string{"MAX_BODY_BYTES": "10000", "CORS_ALLOWED_ORIGINS": "https://app.example"}), "-data-dir", t.TempDir())
	for _, key := range []string{"", testAdminKey} {
		r := hardGet(t, s, key, url.Values{"query": {`mutation { deleteActor(id: "compare") }`}})
		if r.status != http.StatusMethodNotAllowed || r.code() != "BAD_USER_INPUT" || !strings.Contains(r.header.Get("Allow"), "POST") {
			t.Errorf("mutation over GET (key %q): %d %v %s", key, r.status, r.header, r.raw)
		}
	}
	if r := hardGet(t, s, "", url.Values{"query": {`{ actors { totalCount } }`}}); r.status != 200 || len(r.resp.Errors) > 0 {
		t.Errorf("a query over GET: %d %s", r.status, r.raw)
	}

	// A chunked body (no Content-Length) over the limit.
	body := hardBody(`{ search(text: "`+strings.Repeat("x", 20000)+`") { score } }`, nil)
	req, _ := http.NewRequest(http.MethodPost, s.base+"/graphql", io.MultiReader(strings.NewReader(body)))
	req.Header.Set("Content-Type", "application/json")
	req.ContentLength = -1
	if r := hardDo(t, req); r.status != http.StatusRequestEntityTooLarge || r.code() != "BAD_USER_INPUT" {
		t.Errorf("chunked body over the limit: %d %s", r.status, r.raw)
	}

	for name, body := range map[string]string{
		"second object": hardBody(`{ actors { totalCount } }`, nil) + `{"query": "mutation { deleteActor(id: \"compare\") }"}`,
		"garbage":       hardBody(`{ actors { totalCount } }`, nil) + ` xyz`,
	} {
		r := hardPost(t, s, "", body, nil)
		if r.status != http.StatusBadRequest {
			t.Errorf("%s: status %d", name, r.status)
		}
		wantInputError(t, name, r)
	}
	if r := hardPost(t, s, "", hardBody(`{ actors { totalCount } }`, nil)+" \n\t", nil); r.status != 200 || len(r.resp.Errors) > 0 {
		t.Errorf("trailing white space: %d %s", r.status, r.raw)
	}

	// Every error response of the endpoint has a code.
	for name, r := range map[string]hardReply{
		"upgrade not websocket": func() hardReply {
			req, _ := http.NewRequest(http.MethodGet, s.base+"/graphql?query=%7B__typename%7D", nil)
			req.Header.Set("Upgrade", "h2c")
			req.Header.Set("Connection", "Upgrade")
			return hardDo(t, req)
		}(),
		"GET without a query":  hardGet(t, s, "", url.Values{}),
		"GET subscription":     hardGet(t, s, "", url.Values{"query": {`subscription { graphChanged { version } }`}}),
		"bad websocket origin": hardDo(t, wsRequest(s, "https://evil.example")),
		"HEAD":                 hardDo(t, mustRequest(http.MethodHead, s.base+"/graphql")),
		"DELETE":               hardDo(t, mustRequest(http.MethodDelete, s.base+"/graphql")),
	} {
		if r.status < 400 {
			continue
		}
		if name == "HEAD" {
			continue // no body
		}
		if len(r.resp.Errors) == 0 {
			t.Errorf("%s: %d without errors: %q", name, r.status, r.raw)
			continue
		}
		for _, e := range r.resp.Errors {
			if e.Extensions["code"] == nil {
				t.Errorf("%s: %d error without a code: %s", name, r.status, r.raw)
			}
		}
	}
}

func mustRequest(method, u string) *http.Request {
	req, _ := http.NewRequest(method, u, nil)
	return req
}

func wsRequest(s *testServer, origin string) *http.Request {
	req, _ := http.NewRequest(http.MethodGet, s.base+"/graphql", nil)
	req.Header.Set("Origin", origin)
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Sec-WebSocket-Version", "13")
	req.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
	req.Header.Set("Sec-WebSocket-Protocol", "graphql-transport-ws")
	return req
}

// Item 8: graphql-transport-ws close codes: subscribe before
// connection_init is 4401, a second connection_init 4429.
func TestWebsocketCloseCodes(t *testing.T) {
	parallel(t)
	s := start(t, map[string]string{"SEED": "never"}, "-data-dir", t.TempDir())
	closeCode := func(conn *websocket.Conn) websocket.StatusCode {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		for {
			_, b, err := conn.Read(ctx)
			if err != nil {
				return websocket.CloseStatus(err)
			}
			var m wsMessage
			_ = json.Unmarshal(b, &m)
			if m.Type == "ping" {
				wsWrite(ctx, t, conn, wsMessage{Type: "pong"})
			}
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	conn, _ := wsDial(t, s, "")
	payload, _ := json.Marshal(map[string]any{"query": `{ actors { totalCount } }`})
	wsWrite(ctx, t, conn, wsMessage{ID: "1", Type: "subscribe", Payload: payload})
	if code := closeCode(conn); code != 4401 {
		t.Errorf("subscribe before connection_init: close code %d, want 4401", code)
	}

	conn, _ = wsDial(t, s, "")
	wsWrite(ctx, t, conn, wsMessage{Type: "connection_init"})
	if m := wsRead(ctx, t, conn); m.Type != "connection_ack" {
		t.Fatalf("no ack: %+v", m)
	}
	wsWrite(ctx, t, conn, wsMessage{Type: "connection_init"})
	if code := closeCode(conn); code != 4429 {
		t.Errorf("second connection_init: close code %d, want 4429", code)
	}
}

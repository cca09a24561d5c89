package httpapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// hostile is one broken or hostile request and what it must get.
type hostile struct {
	name        string
	method      string // POST when empty
	contentType string // application/json when empty
	body        string // for POST; for GET the query string
	key         string // Bearer key, if any
	header      map[string]string
	status      int    // the HTTP status it must get, or 0 for any 4xx or 200 with errors
	code        string // the extensions.code it must get, or "" for none required
}

// A battery of hostile and broken requests: each gets a 4xx or a GraphQL
// error with the right code, none gets a 5xx, nothing changes, and the
// server keeps answering.
func TestHostileInput(t *testing.T) {
	parallel(t)
	hash := func(k string) string { s := sha256.Sum256([]byte(k)); return hex.EncodeToString(s[:]) }
	env := map[string]string{"API_KEYS": "ro:reader:" + hash("reader-key") + ",ed:editor:" + hash("editor-key") +
		",ad:admin:" + hash("admin-key")}
	s := start(t, env, "-data-dir", t.TempDir())

	q := func(query string) string {
		b, _ := json.Marshal(map[string]any{"query": query})
		return string(b)
	}
	qv := func(query string, vars map[string]any) string {
		b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
		return string(b)
	}
	nest := func(n int) string {
		return strings.Repeat("actors { edges { node { projects { project { participants { actor { ", n) + "name" +
			strings.Repeat(" } } } } } } }", n)
	}
	injections := []string{
		`") MATCH (n) DETACH DELETE n //`,
		`' OR 1=1 --`,
		`}) RETURN n; MATCH (m) DELETE m; //`,
		`$id} CALL dbms.killQueries() //`,
	}
	cases := []hostile{
		{name: "invalid JSON", body: `{"query": "{ actors { totalCount } }"`, status: 400},
		{name: "body is not an object", body: `"hello"`, status: 400},
		{name: "batched array body", body: `[{"query":"{ actors { totalCount } }"}]`, status: 400},
		{name: "query is a number", body: `{"query": 5}`, status: 400},
		{name: "variables not an object", body: `{"query":"{ actors { totalCount } }","variables":[1,2]}`, status: 400},
		{name: "empty body", body: ``, status: 400},
		{name: "wrong content type", contentType: "text/plain", body: q(`{ actors { totalCount } }`), status: 415},
		{name: "10 MB body", body: `{"query":"` + strings.Repeat("a", 10<<20) + `"}`, status: 413},
		{name: "PUT method", method: http.MethodPut, body: q(`{ actors { totalCount } }`), status: 405},
		{name: "mutation over GET", method: http.MethodGet, body: `query=mutation{deleteActor(id:"difi")}`, status: 405},
		{name: "parse error", body: q(`{ actors { `), code: "BAD_USER_INPUT"},
		{name: "invalid UTF-8 in the query", body: "{\"query\":\"{ actor(id: \\\"\xff\xfe\\\") { id } }\"}"},
		{name: "unknown field", body: q(`{ actors { edges { node { password } } } }`), code: "BAD_USER_INPUT"},
		{name: "depth bomb", body: q(`{ ` + nest(6) + ` }`), code: "BAD_USER_INPUT"},
		{name: "alias bomb", body: q(`{ ` + strings.Repeat(`a%d: actors { totalCount } `, 1) + aliasBomb(100) + ` }`), code: "BAD_USER_INPUT"},
		{name: "fragment cycle", body: q(`{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }`), code: "BAD_USER_INPUT"},
		{name: "500 repeated directives", body: q(`{ actors ` + strings.Repeat("@include(if: true) ", 500) + `{ totalCount } }`), code: "BAD_USER_INPUT"},
		{name: "query over the size limit", body: q(`{ search(text: "` + strings.Repeat("x", 20000) + `") { score } }`), code: "BAD_USER_INPUT"},
		{name: "introspection bomb", body: q(`{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }`), code: "BAD_USER_INPUT"},
		{name: "operation name not in the document", body: `{"query":"query A { actors { totalCount } }","operationName":"B"}`, code: "BAD_USER_INPUT"},
		{name: "two operations, no name", body: q(`query A { actors { totalCount } } query B { needs { totalCount } }`), code: "BAD_USER_INPUT"},
		{name: "variable of the wrong type", body: qv(`query($n: Int) { actors(first: $n) { totalCount } }`, map[string]any{"n": "ten"}), code: "BAD_USER_INPUT"},
		{name: "missing required variable", body: q(`query($id: ID!) { actor(id: $id) { name } }`), code: "BAD_USER_INPUT"},
		{name: "invalid id", body: q(`{ actor(id: "Difi DROP") { name } }`), code: "BAD_USER_INPUT"},
		{name: "over-long id", body: q(`{ actor(id: "` + strings.Repeat("a", 129) + `") { name } }`), code: "BAD_USER_INPUT"},
		{name: "null byte in an id", body: qv(`query($id: ID!) { actor(id: $id) { name } }`, map[string]any{"id": "difi\x00"}), code: "BAD_USER_INPUT"},
		{name: "control characters in a name", key: "admin-key", body: qv(`mutation($n: String!) { upsertActor(input: {id: "ctl", name: $n, kind: COMPANY, sector: PRIVATE}) { id } }`, map[string]any{"n": "bad\u0007name\u0000"}), code: "BAD_USER_INPUT"},
		{name: "null byte in search", body: qv(`query($t: String!) { search(text: $t) { score } }`, map[string]any{"t": "\x00\x00"}), code: "BAD_USER_INPUT"},
		{name: "search text over 200 characters", body: q(`{ search(text: "` + strings.Repeat("ab ", 100) + `") { score } }`), code: "BAD_USER_INPUT"},
		{name: "negative first", body: q(`{ actors(first: -1) { totalCount } }`), code: "BAD_USER_INPUT"},
		{name: "huge first", body: q(`{ actors(first: 2147483647) { totalCount } }`), code: "BAD_USER_INPUT"},
		{name: "first over 32 bits", body: q(`{ actors(first: 99999999999) { totalCount } }`), code: "BAD_USER_INPUT"},
		{name: "forged cursor", body: q(`{ actors(after: "eyJmIjoiTkFNRSIsImsiOiJ6IiwiaSI6InoifQ") { totalCount } }`), code: "BAD_USER_INPUT"},
		{name: "cursor from another order", body: q(`{ actors(after: "` + cursorOf(t, s) + `", orderBy: {field: ID}) { totalCount } }`), code: "BAD_USER_INPUT"},
		{name: "wrong enum value", body: q(`{ actors(filter: {kinds: [DRAGON]}) { totalCount } }`), code: "BAD_USER_INPUT"},
		{name: "enum value as a string variable", body: qv(`query($k: [ActorKind!]) { actors(filter: {kinds: $k}) { totalCount } }`, map[string]any{"k": []string{"dragon"}}), code: "BAD_USER_INPUT"},
		{name: "k over the cap", body: q(`{ partnershipPaths(from: "difi", to: "doga", k: 1000) { length } }`), code: "BAD_USER_INPUT"},
		{name: "negative neighbourhood limit", body: q(`{ neighborhood(id: "difi", limit: -1) { truncated } }`), code: "BAD_USER_INPUT"},
		{name: "overlap of too many actors", body: qv(`query($ids: [ID!]!) { overlap(actorIds: $ids) { needs { id } } }`, map[string]any{"ids": manyIDs(11)}), code: "BAD_USER_INPUT"},
		{name: "nodes with too many ids", body: qv(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": manyIDs(1001)}), code: "BAD_USER_INPUT"},
		{name: "mutation without a key", body: q(`mutation { deleteActor(id: "difi") }`), status: 401, code: "UNAUTHENTICATED"},
		{name: "mutation with an unknown key", key: "guess", body: q(`mutation { deleteActor(id: "difi") }`), status: 401, code: "UNAUTHENTICATED"},
		{name: "Basic instead of Bearer", header: map[string]string{"Authorization": "Basic YWRtaW46YWRtaW4="}, body: q(`mutation { deleteActor(id: "difi") }`), status: 401, code: "UNAUTHENTICATED"},
		{name: "mutation with a read-only key", key: "reader-key", body: q(`mutation { upsertNeed(input: {id: "x", name: "x"}) { id } }`), status: 403, code: "FORBIDDEN"},
		{name: "delete with an editor key", key: "editor-key", body: q(`mutation { deleteActor(id: "difi") }`), status: 403, code: "FORBIDDEN"},
		{name: "import with an editor key", key: "editor-key", body: q(`mutation { importGraph(input: {}) { nodesCreated } }`), status: 403, code: "FORBIDDEN"},
		{name: "mutation hidden in a fragment", body: q(`mutation { ...M } fragment M on Mutation { deleteActor(id: "difi") }`), status: 401, code: "UNAUTHENTICATED"},
		{name: "invalid import entry", key: "admin-key", body: q(`mutation { importGraph(input: {actors: [{id: "ok-1", name: "Ok", kind: COMPANY, sector: PRIVATE}], relationships: [{type: MEMBER_OF, fromId: "ok-1", toId: "nobody"}]}) { nodesCreated } }`), code: "NOT_FOUND"},
		{name: "persisted query with a bad hash", body: `{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"not-a-hash"}}}`, code: "PERSISTED_QUERY_NOT_FOUND"},
		{name: "oversized header", header: map[string]string{"X-Junk": strings.Repeat("j", 2<<20)}, body: q(`{ actors { totalCount } }`), status: 431},
	}
	for _, inj := range injections {
		cases = append(cases,
			hostile{name: "injection in search: " + inj, body: qv(`query($t: String!) { search(text: $t) { node { id } } }`, map[string]any{"t": inj})},
			hostile{name: "injection in a filter: " + inj, body: qv(`query($t: String!) { actors(filter: {nameContains: $t, regions: [$t]}) { totalCount } }`, map[string]any{"t": inj})},
			hostile{name: "injection as an id: " + inj, body: qv(`query($t: ID!) { node(id: $t) { id } }`, map[string]any{"t": inj}), code: "BAD_USER_INPUT"},
			hostile{name: "injection in a read-only key's mutation: " + inj, key: "reader-key", body: qv(`mutation($t: String!) { upsertActor(input: {id: "inj", name: $t, kind: COMPANY, sector: PRIVATE}) { id } }`, map[string]any{"t": inj}), status: 403, code: "FORBIDDEN"},
		)
	}
	if len(cases) < 40 {
		t.Fatalf("only %d cases", len(cases))
	}

	before := fingerprint(t, s)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, body := send(t, s, c)
			if status >= 500 {
				t.Fatalf("status %d: %.300s", status, body)
			}
			if c.status != 0 && status != c.status {
				t.Errorf("status %d, want %d: %.300s", status, c.status, body)
			}
			var resp struct {
				Errors []struct {
					Extensions map[string]any `json:"extensions"`
				} `json:"errors"`
			}
			_ = json.Unmarshal([]byte(body), &resp)
			if c.code != "" {
				if len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != c.code {
					t.Errorf("want code %s: %.300s", c.code, body)
				}
			} else if c.status == 0 && status == 200 && len(resp.Errors) > 0 {
				// A plain 200 is fine for a harmless read (an injection string is
				// just text); an error must still carry a code of the scheme.
				if _, ok := resp.Errors[0].Extensions["code"].(string); !ok {
					t.Errorf("error without a code: %.300s", body)
				}
			}
			if len(body) > 64<<10 {
				t.Errorf("response is %d bytes", len(body))
			}
			if resp, _ := s.get(t, "/healthz", nil); resp.StatusCode != 200 {
				t.Fatalf("server stopped answering")
			}
		})
	}
	if after := fingerprint(t, s); after != before {
		t.Fatalf("the graph changed:\nbefore %s\nafter  %s", before, after)
	}
}

func aliasBomb(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "x%d: actors { totalCount } ", i)
	}
	return b.String()
}

func manyIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("id-%d", i)
	}
	return ids
}

// cursorOf returns a real cursor of the default (NAME) order.
func cursorOf(t *testing.T, s *testServer) string {
	r := s.gql(t, `{ actors(first: 1) { pageInfo { endCursor } } }`, nil)
	c, _ := dig(r.Data, "actors", "pageInfo", "endCursor").(string)
	if c == "" {
		t.Fatalf("no cursor: %+v", r)
	}
	return c
}

func send(t *testing.T, s *testServer, c hostile) (int, string) {
	t.Helper()
	method := c.method
	if method == "" {
		method = http.MethodPost
	}
	var req *http.Request
	if method == http.MethodGet {
		req, _ = http.NewRequest(method, s.base+"/graphql?"+c.body, nil)
	} else {
		req, _ = http.NewRequest(method, s.base+"/graphql", bytes.NewReader([]byte(c.body)))
		ct := c.contentType
		if ct == "" {
			ct = "application/json"
		}
		req.Header.Set("Content-Type", ct)
	}
	if c.key != "" {
		req.Header.Set("Authorization", "Bearer "+c.key)
	}
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("request failed: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, string(b)
}

// fingerprint summarises everything a refused request could have changed.
func fingerprint(t *testing.T, s *testServer) string {
	t.Helper()
	r := s.gql(t, `{ ecosystemStats { labels { key count } relationships { key count } }
		a: actors(first: 100) { edges { node { id updatedAt } } }
		p: projects(first: 100) { edges { node { id updatedAt } } }
		n: needs(first: 100) { edges { node { id updatedAt } } }
		c: competencies(first: 100) { edges { node { id updatedAt } } } }`, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("fingerprint: %+v", r.Errors)
	}
	b, _ := json.Marshal(r.Data)
	return string(b)
}

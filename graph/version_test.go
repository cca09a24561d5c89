package graph_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/samverkan/samverkan/graph"
)

// Every answer carries extensions.graphVersion; a mutation's is past the
// version before it; Min-Graph-Version waits for a version and fails with
// TIMEOUT when the graph does not reach it, and a malformed one is
// BAD_USER_INPUT. A refused request makes no store call for it.
func TestGraphVersionOnAnswers(t *testing.T) {
	h := newHandler(seededStore(t), graph.Options{MinVersionWait: 100 * time.Millisecond})
	type answer struct {
		Data       map[string]any `json:"data"`
		Errors     []gqlError     `json:"errors"`
		Extensions struct {
			GraphVersion *uint64 `json:"graphVersion"`
		} `json:"extensions"`
	}
	send := func(query, minVersion string) answer {
		t.Helper()
		body, _ := json.Marshal(map[string]any{"query": query})
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if minVersion != "" {
			req.Header.Set(graph.MinGraphVersionHeader, minVersion)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		var out answer
		if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
			t.Fatalf("not JSON: %s", w.Body.String())
		}
		return out
	}
	code := func(a answer) string {
		if len(a.Errors) == 0 {
			return ""
		}
		c, _ := a.Errors[0].Extensions["code"].(string)
		return c
	}

	read := send(`{ actors { totalCount } }`, "")
	if read.Extensions.GraphVersion == nil || *read.Extensions.GraphVersion == 0 {
		t.Fatalf("a query on the seed has no graph version: %+v", read)
	}
	v := *read.Extensions.GraphVersion
	w := send(`mutation { upsertCompetency(input: {id: "version-probe", name: "Versionsprov", category: OTHER}) { id } }`, "")
	if len(w.Errors) > 0 || w.Extensions.GraphVersion == nil || *w.Extensions.GraphVersion <= v {
		t.Fatalf("a write after version %d answered %+v", v, w)
	}
	after := *w.Extensions.GraphVersion
	if r := send(`{ competency(id: "version-probe") { name } }`, fmt.Sprint(after)); len(r.Errors) > 0 ||
		r.Extensions.GraphVersion == nil || *r.Extensions.GraphVersion < after {
		t.Errorf("a read at least at version %d: %+v", after, r)
	}
	if r := send(`{ actors { totalCount } }`, fmt.Sprint(after+100)); code(r) != "TIMEOUT" || r.Data["actors"] != nil {
		t.Errorf("a version the graph has not reached: %+v", r)
	}
	for _, bad := range []string{"latest", "-1", "1.5"} {
		if r := send(`{ actors { totalCount } }`, bad); code(r) != "BAD_USER_INPUT" {
			t.Errorf("Min-Graph-Version %q: %+v", bad, r)
		}
	}
}

package graph_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql/introspection"

	"github.com/samverkan/samverkan/graph"
	"github.com/samverkan/samverkan/internal/kg"
	"github.com/samverkan/samverkan/internal/store/embedded"
)

var updateIntrospection = flag.Bool("update-introspection", false,
	"write the schema's introspection to testdata/introspection.json")

// introspectionGolden is the API contract as a client sees it: the data of
// the standard introspection query. A schema or gqlgen.yml change that
// shows here must be deliberate: regenerate the file with
//
//	go test ./graph -run TestIntrospectionGolden -update-introspection
//
// and review its diff.
const introspectionGolden = "testdata/introspection.json"

// The introspection answer is byte for byte the one in the golden file
// (indented for review; indenting changes only whitespace).
func TestIntrospectionGolden(t *testing.T) {
	got := introspect(t)
	if *updateIntrospection {
		if err := os.WriteFile(introspectionGolden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(introspectionGolden)
	if err != nil {
		t.Fatalf("%v (write it with -update-introspection)", err)
	}
	if !bytes.Equal(got, want) {
		gotLines, wantLines := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gotLines) || i < len(wantLines); i++ {
			var g, w string
			if i < len(gotLines) {
				g = gotLines[i]
			}
			if i < len(wantLines) {
				w = wantLines[i]
			}
			if g != w {
				t.Fatalf("introspection differs from %s at line %d:\n got: %s\nwant: %s\n"+
					"(a deliberate API change: rerun with -update-introspection and review the diff)",
					introspectionGolden, i+1, g, w)
			}
		}
	}
}

// introspect runs the standard introspection query through the handler
// over an empty embedded store and returns the answer's data, indented.
func introspect(t *testing.T) []byte {
	t.Helper()
	s, err := embedded.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	h := graph.NewHandler(s, graph.Options{Analytics: kg.NewAnalytics(s), Introspection: true})
	body, _ := json.Marshal(map[string]any{"query": introspection.Query})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	var resp struct {
		Data   json.RawMessage `json:"data"`
		Errors json.RawMessage `json:"errors"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil || w.Code != http.StatusOK || resp.Errors != nil {
		t.Fatalf("introspection: %d %v %s", w.Code, err, w.Body.String())
	}
	var out bytes.Buffer
	if err := json.Indent(&out, resp.Data, "", "  "); err != nil {
		t.Fatal(err)
	}
	out.WriteByte('\n')
	return out.Bytes()
}

package httpapi

import (
	"net/http"
	"strings"
	"testing"
)

// The server routes /explore to the explorer page, and the page's own
// queries are ones the API answers (tools/explorer drives it in a browser).
func TestServerServesTheExplorer(t *testing.T) {
	s := start(t, nil, "-data-dir", t.TempDir())
	resp, body := s.get(t, "/explore", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `src="/explore/explorer.js"`) {
		t.Fatalf("GET /explore: %d %.200s", resp.StatusCode, body)
	}
	if resp, _ := s.get(t, "/explore/explorer.js", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /explore/explorer.js: %d", resp.StatusCode)
	}
	if r := s.gql(t, `query ExplorerCapabilities { __schema { queryType { fields { name args { name } } } } }`, nil); len(r.Errors) > 0 {
		t.Fatalf("the explorer's capability query: %+v", r.Errors)
	}
}

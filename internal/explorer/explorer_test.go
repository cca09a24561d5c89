package explorer_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/internal/explorer"
)

func get(t *testing.T, srv *httptest.Server, path string) (*http.Response, string) {
	t.Helper()
	res, err := srv.Client().Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

// The page and its assets come from the binary, under a policy that lets
// the page reach its own origin only.
func TestExplorerServesThePageAndItsAssetsFromTheBinary(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("GET /explore", explorer.Handler())
	mux.Handle("GET /explore/", explorer.Handler())
	srv := httptest.NewServer(mux)
	defer srv.Close()

	res, page := get(t, srv, "/explore")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /explore: %d %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	csp := res.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self'", "connect-src 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
		}
	}
	refs := regexp.MustCompile(`(?:src|href)="([^"]+)"`).FindAllStringSubmatch(page, -1)
	if len(refs) < 3 {
		t.Fatalf("the page refers to %d files; want its script, its style and the link to GraphiQL", len(refs))
	}
	for _, ref := range refs {
		u := ref[1]
		if strings.Contains(u, "//") {
			t.Errorf("the page refers to another origin: %s", u)
			continue
		}
		if !strings.HasPrefix(u, "/explore/") {
			continue // a link to another page of the server, e.g. GraphiQL
		}
		res, body := get(t, srv, u)
		if res.StatusCode != http.StatusOK || len(body) == 0 {
			t.Errorf("GET %s: %d, %d bytes", u, res.StatusCode, len(body))
		}
	}

	for path, want := range map[string]int{
		"/explore/explorer.js":  http.StatusOK,
		"/explore/explorer.css": http.StatusOK,
		"/explore/nothing.js":   http.StatusNotFound,
		"/explore/index.html":   http.StatusOK, // redirected to /explore
	} {
		if res, _ := get(t, srv, path); res.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", path, res.StatusCode, want)
		}
	}
	if res, js := get(t, srv, "/explore/explorer.js"); !strings.Contains(res.Header.Get("Content-Type"), "javascript") ||
		!strings.Contains(js, "explorerDebug") {
		t.Errorf("explorer.js: %q, %d bytes: not the built explorer", res.Header.Get("Content-Type"), len(js))
	}
}

package httpapi

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"html"
	"io"
	"io/fs"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
)

// graphiqlManifest is vendor/manifest.json, written by tools/graphiql/update.sh.
type graphiqlManifest struct {
	Files []struct {
		File    string `json:"file"`
		Package string `json:"package"`
		Version string `json:"version"`
		Path    string `json:"path"`
		SHA256  string `json:"sha256"`
	} `json:"files"`
}

// Every vendored GraphiQL file is the one tools/graphiql/update.sh wrote:
// listed in the manifest with its SHA-256, from the package version
// tools/graphiql/package.json pins, and nothing unlisted is embedded.
func TestGraphiQLVendoredFilesMatchManifest(t *testing.T) {
	b, err := graphiqlFiles.ReadFile("graphiql/vendor/manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	var m graphiqlManifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	pb, err := os.ReadFile("../../tools/graphiql/package.json")
	if err != nil {
		t.Fatal(err)
	}
	var pkg struct{ Dependencies map[string]string }
	if err := json.Unmarshal(pb, &pkg); err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{"manifest.json": true}
	for _, f := range m.Files {
		listed[f.File] = true
		body, err := graphiqlFiles.ReadFile("graphiql/vendor/" + f.File)
		if err != nil {
			t.Errorf("%s is in the manifest but not embedded: %v", f.File, err)
			continue
		}
		if sum := sha256.Sum256(body); hex.EncodeToString(sum[:]) != f.SHA256 {
			t.Errorf("%s has SHA-256 %x, the manifest says %s: run tools/graphiql/update.sh", f.File, sum, f.SHA256)
		}
		if want := pkg.Dependencies[f.Package]; want != f.Version {
			t.Errorf("%s comes from %s@%s but tools/graphiql/package.json pins %q", f.File, f.Package, f.Version, want)
		}
	}
	entries, err := fs.ReadDir(graphiqlFiles, "graphiql/vendor")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !listed[e.Name()] {
			t.Errorf("vendor/%s is embedded but not in the manifest", e.Name())
		}
	}
	if len(m.Files) < 6 {
		t.Errorf("the manifest lists %d files; GraphiQL needs React, ReactDOM, GraphiQL's script and styles and the explorer's", len(m.Files))
	}
}

// The GraphiQL page names no other origin: every script and stylesheet is a
// path of this server, with an integrity hash that the file it serves
// matches, and the page's CSP allows scripts from the server only.
func TestGraphiQLPageServesEverythingItself(t *testing.T) {
	parallel(t)
	s := start(t, map[string]string{"SEED": "never"}, "-data-dir", t.TempDir())
	resp, page := s.get(t, "/?query=%7B%20actors%20%7B%20totalCount%20%7D%20%7D", nil)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self';", "default-src 'none'", "connect-src 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "http") {
		t.Errorf("CSP %q allows more than the server's own scripts", csp)
	}
	if u := regexp.MustCompile(`(?i)(https?:)?//[a-z0-9.-]+\.[a-z]`).FindString(page); u != "" {
		t.Errorf("the page names another origin: %s", u)
	}
	if !strings.Contains(page, `href="/explore"`) {
		t.Error("the GraphiQL page does not link to the explorer at /explore")
	}
	if strings.Contains(page, "<script>") {
		t.Error("the page has an inline script, which its CSP refuses")
	}
	refs := regexp.MustCompile(`<(?:script src|link rel="stylesheet" href)="([^"]+)" integrity="([^"]+)"`).FindAllStringSubmatch(page, -1)
	if len(refs) != 8 {
		t.Fatalf("want 5 scripts and 3 stylesheets with integrity, found %d in\n%s", len(refs), page)
	}
	for _, ref := range refs {
		href, integrity := html.UnescapeString(ref[1]), html.UnescapeString(ref[2])
		if !strings.HasPrefix(href, "/graphiql/") {
			t.Errorf("%s is not one of the server's files", href)
			continue
		}
		r, err := http.Get(s.base + href)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(r.Body)
		r.Body.Close()
		if r.StatusCode != http.StatusOK || r.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: %d, nosniff %q", href, r.StatusCode, r.Header.Get("X-Content-Type-Options"))
		}
		sum := sha256.Sum256(body)
		if got := "sha256-" + base64.StdEncoding.EncodeToString(sum[:]); got != integrity {
			t.Errorf("%s: the page says %s, the file is %s", href, integrity, got)
		}
		wantType := "text/javascript"
		if strings.HasSuffix(href, ".css") {
			wantType = "text/css"
		}
		if !strings.HasPrefix(r.Header.Get("Content-Type"), wantType) {
			t.Errorf("%s: Content-Type %q", href, r.Header.Get("Content-Type"))
		}
		// Unchanged files are not sent again.
		req, _ := http.NewRequest(http.MethodGet, s.base+href, nil)
		req.Header.Set("If-None-Match", r.Header.Get("ETag"))
		if r2, err := http.DefaultClient.Do(req); err != nil || r2.StatusCode != http.StatusNotModified {
			t.Errorf("%s with its ETag: %v %v", href, r2.StatusCode, err)
		} else {
			r2.Body.Close()
		}
	}
	if r, _ := s.get(t, "/graphiql/vendor/manifest.json", nil); r.StatusCode != http.StatusNotFound {
		t.Errorf("the manifest is served: %d", r.StatusCode)
	}
}

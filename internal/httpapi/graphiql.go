package httpapi

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"path"
	"strings"
)

// The GraphiQL page's files, all served by the server itself, so that `/`
// works with no network: graphiql/vendor holds the built files of the npm
// packages tools/graphiql pins (its update.sh copies them and writes
// vendor/manifest.json), graphiql/app.js and app.css are the page's own.
//
//go:embed graphiql/app.js graphiql/app.css graphiql/vendor
var graphiqlFiles embed.FS

// graphiqlAsset is one file under /graphiql/ with its SRI hash.
type graphiqlAsset struct {
	body        []byte
	contentType string
	etag        string
	integrity   string // sha256-<base64>, for the page's integrity attributes
}

// graphiqlAssets are the files the page loads, by URL path.
var graphiqlAssets = func() map[string]graphiqlAsset {
	out := map[string]graphiqlAsset{}
	for _, name := range []string{
		"app.js", "app.css",
		"vendor/react.production.min.js", "vendor/react-dom.production.min.js",
		"vendor/graphiql.min.js", "vendor/graphiql.min.css",
		"vendor/plugin-explorer.umd.js", "vendor/plugin-explorer.css",
	} {
		b, err := graphiqlFiles.ReadFile("graphiql/" + name)
		if err != nil {
			panic(fmt.Sprintf("graphiql: %s is not embedded: %v (run tools/graphiql/update.sh)", name, err))
		}
		sum := sha256.Sum256(b)
		ct := "text/javascript; charset=utf-8"
		if path.Ext(name) == ".css" {
			ct = "text/css; charset=utf-8"
		}
		out["/graphiql/"+name] = graphiqlAsset{
			body:        b,
			contentType: ct,
			etag:        `"` + hex.EncodeToString(sum[:16]) + `"`,
			integrity:   "sha256-" + base64.StdEncoding.EncodeToString(sum[:]),
		}
	}
	return out
}()

// graphiqlCSP is the page's Content-Security-Policy: scripts only from the
// server's own files (no inline script, no eval), no other origin at all.
// GraphiQL and React set style attributes, hence 'unsafe-inline' for styles.
const graphiqlCSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; " +
	"frame-ancestors 'none'"

var graphiqlPage = template.Must(template.New("graphiql").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Samverkan — GraphiQL</title>
{{range .Styles}}<link rel="stylesheet" href="{{.Href}}" integrity="{{.Integrity}}">
{{end}}</head>
<body>
<a class="explorer-link" href="/explore">Explorer: the graph, paths and needs</a>
<div id="graphiql" data-endpoint="{{.Endpoint}}" data-storage-prefix="samverkan:">
<div class="loading">Loading GraphiQL…</div>
<noscript>GraphiQL needs JavaScript. The API itself is at {{.Endpoint}}.</noscript>
</div>
{{range .Scripts}}<script src="{{.Href}}" integrity="{{.Integrity}}"></script>
{{end}}</body>
</html>
`))

type pageAsset struct {
	Href      string
	Integrity string
}

// graphiql serves GraphiQL for the endpoint at / and its files under
// /graphiql/. A visit without a query opens the tour of example queries
// (examples.Tour); GraphiQL keeps later edits in the URL.
func graphiql(endpoint, tour string) (page, files http.Handler) {
	asset := func(p string) pageAsset { return pageAsset{p, graphiqlAssets[p].integrity} }
	var buf bytes.Buffer
	err := graphiqlPage.Execute(&buf, map[string]any{
		"Endpoint": endpoint,
		"Styles": []pageAsset{
			asset("/graphiql/vendor/graphiql.min.css"), asset("/graphiql/vendor/plugin-explorer.css"), asset("/graphiql/app.css"),
		},
		"Scripts": []pageAsset{
			asset("/graphiql/vendor/react.production.min.js"), asset("/graphiql/vendor/react-dom.production.min.js"),
			asset("/graphiql/vendor/graphiql.min.js"), asset("/graphiql/vendor/plugin-explorer.umd.js"),
			asset("/graphiql/app.js"),
		},
	})
	if err != nil {
		panic("graphiql page: " + err.Error())
	}
	html := buf.Bytes()
	page = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !r.URL.Query().Has("query") {
			http.Redirect(w, r, "/?"+url.Values{"query": {tour}}.Encode(), http.StatusFound)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Content-Security-Policy", graphiqlCSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-cache")
		_, _ = w.Write(html)
	})
	files = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, ok := graphiqlAssets[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", a.contentType)
		h.Set("X-Content-Type-Options", "nosniff")
		// Revalidated each time (the names carry no version); unchanged
		// files answer 304.
		h.Set("Cache-Control", "no-cache")
		h.Set("ETag", a.etag)
		if strings.Contains(r.Header.Get("If-None-Match"), a.etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		_, _ = w.Write(a.body)
	})
	return page, files
}

// Package explorer serves the explorer page at /explore: a static page over
// the GraphQL API, built from tools/explorer with npm at development time
// and embedded in the binary, so that it needs nothing from another origin.
package explorer

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed dist
var dist embed.FS

// contentSecurityPolicy lets the page load its own script and style and
// talk to its own origin only; images are the canvas exports (blob:, data:).
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; " +
	"connect-src 'self'; img-src 'self' data: blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// Handler serves GET /explore (the page) and GET /explore/<asset>.
func Handler() http.Handler {
	files, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	assets := http.StripPrefix("/explore/", http.FileServerFS(files))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		switch r.URL.Path {
		case "/explore", "/explore/":
			h.Set("Cache-Control", "no-cache")
			http.ServeFileFS(w, r, files, "index.html")
		case "/explore/index.html":
			http.Redirect(w, r, "/explore", http.StatusMovedPermanently)
		default:
			h.Set("Cache-Control", "no-cache")
			assets.ServeHTTP(w, r)
		}
	})
}

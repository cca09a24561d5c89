package httpapi

import (
	"net/http"
	"net/url"

	"github.com/99designs/gqlgen/graphql/playground"
)

// graphiql serves GraphiQL for the endpoint. A visit without a query opens
// the tour of example queries (examples.Tour); GraphiQL keeps later edits
// in the URL.
func graphiql(endpoint, tour string) http.Handler {
	page := playground.Handler("Samverkan — GraphiQL", endpoint,
		playground.WithGraphiqlPersistStateInURL(true),
		playground.WithGraphiqlEnablePluginExplorer(true),
		playground.WithStoragePrefix("samverkan:"))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !r.URL.Query().Has("query") {
			http.Redirect(w, r, "/?"+url.Values{"query": {tour}}.Encode(), http.StatusFound)
			return
		}
		page(w, r)
	})
}

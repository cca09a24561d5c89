package httpapi

import (
	"fmt"
	"mime"
	"net/http"
)

// limitBody refuses bodies over max bytes: 413 at once when the declared
// length is too large, and a read error (which the GraphQL transport
// reports) when a chunked body grows past it.
func limitBody(max int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > max {
			writeJSON(w, http.StatusRequestEntityTooLarge,
				gqlErrors(fmt.Sprintf("the request body is %d bytes; the limit is %d", r.ContentLength, max), "BAD_USER_INPUT"))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, max)
		next.ServeHTTP(w, r)
	})
}

// withMethodAndType answers requests the GraphQL transports do not take with
// the statuses HTTP has for them, rather than a bare 400: 405 (with Allow)
// for another method, 415 for a POST body that is not JSON.
func withMethodAndType(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodOptions:
		case http.MethodPost:
			if !isJSONBody(r.Header.Get("Content-Type")) {
				writeJSON(w, http.StatusUnsupportedMediaType,
					gqlErrors("a POST body must be JSON (Content-Type: application/json)", "BAD_USER_INPUT"))
				return
			}
		default:
			w.Header().Set("Allow", "GET, POST, OPTIONS")
			writeJSON(w, http.StatusMethodNotAllowed, gqlErrors("use GET or POST", "BAD_USER_INPUT"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// isJSONBody reports whether a Content-Type's media type is
// application/json; the plain header most clients send is told without
// parsing (mime.ParseMediaType allocates).
func isJSONBody(contentType string) bool {
	if contentType == "application/json" {
		return true
	}
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/json"
}

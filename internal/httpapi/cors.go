package httpapi

import (
	"net/http"

	"github.com/rs/cors"
)

// withCORS applies the allow-list: any origin by default, never credentials.
func withCORS(origins []string, next http.Handler) http.Handler {
	return corsPolicy(origins).Handler(next)
}

// corsPolicy is the server's one origin rule: withCORS applies it to HTTP
// requests and websocketOriginAllowed to websocket handshakes.
func corsPolicy(origins []string) *cors.Cors {
	return cors.New(cors.Options{
		AllowedOrigins: origins,
		AllowedMethods: []string{http.MethodGet, http.MethodPost, http.MethodOptions},
		AllowedHeaders: []string{"Content-Type", "Accept", "Authorization", "X-Request-Id"},
		ExposedHeaders: []string{"X-Request-Id", "X-Ratelimit-Limit", "X-Ratelimit-Remaining", "X-Ratelimit-Used",
			"X-Ratelimit-Reset", "Retry-After"},
		AllowCredentials: false,
		MaxAge:           600,
	})
}

// websocketOriginAllowed decides websocket handshakes by the CORS
// allow-list. Browsers do not apply CORS to websockets, so the server must:
// a handshake from a page of a disallowed origin is refused. One without an
// Origin header comes from a non-browser client, which CORS never limits.
func websocketOriginAllowed(origins []string) func(*http.Request) bool {
	policy := corsPolicy(origins)
	return func(r *http.Request) bool {
		return r.Header.Get("Origin") == "" || policy.OriginAllowed(r)
	}
}

package httpapi

import (
	"io"
	"net/http"
	"sync"

	"github.com/felixge/httpsnoop"

	"github.com/samverkan/samverkan/internal/config"
	"github.com/samverkan/samverkan/internal/limits"
)

// withRateLimitHeaders puts the caller's budget, as it stands when the
// response starts, into the x-ratelimit-limit, -remaining, -used and
// -reset headers of every response (GitHub's convention): after the
// operation has been charged, so a client sees what its request left. It is
// the outermost layer of /graphql, so refusals before GraphQL (a wrong
// method, a body too large, a CORS preflight) carry them too. It finds the
// caller the way the rate limiter does (key, or client address), without
// spending anything. A nil limiter (rate limiting off) adds nothing.
func withRateLimitHeaders(l *limits.RateLimiter, s config.Security, next http.Handler) http.Handler {
	if l == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var once sync.Once
		set := func() {
			once.Do(func() {
				id := s.Keys.Identify(r.Header.Values("Authorization"), s.Proxies.ClientIP(r))
				limits.SetHeaders(w.Header(), l.Peek(id.RateKey()))
			})
		}
		hooked := httpsnoop.Wrap(w, httpsnoop.Hooks{
			WriteHeader: func(next httpsnoop.WriteHeaderFunc) httpsnoop.WriteHeaderFunc {
				return func(code int) { set(); next(code) }
			},
			Write: func(next httpsnoop.WriteFunc) httpsnoop.WriteFunc {
				return func(b []byte) (int, error) { set(); return next(b) }
			},
			ReadFrom: func(next httpsnoop.ReadFromFunc) httpsnoop.ReadFromFunc {
				return func(src io.Reader) (int64, error) { set(); return next(src) }
			},
			Flush: func(next httpsnoop.FlushFunc) httpsnoop.FlushFunc {
				return func() { set(); next() }
			},
		})
		next.ServeHTTP(hooked, r)
		set() // a handler that wrote nothing: net/http sends the headers now
	})
}

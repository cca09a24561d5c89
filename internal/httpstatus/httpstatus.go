// Package httpstatus lets code deep inside the GraphQL executor (an
// operation-context mutator that refuses a request for authentication or
// rate limits) choose the HTTP status and headers of the response, which
// gqlgen's transports otherwise pick on their own.
package httpstatus

import (
	"context"
	"net/http"
	"sync"

	"github.com/felixge/httpsnoop"
)

// Status is what Set asked for on one request. Middleware keeps one per
// request; a middleware that wraps the writer anyway can keep it itself
// (NewContext, Apply) rather than have the writer wrapped twice. The zero
// value is ready.
type Status struct {
	mu     sync.Mutex
	status int
	header http.Header
}

type key struct{}

// Set asks for status (and extra headers) on the response of the request
// ctx belongs to. It does nothing outside Middleware (or NewContext). The
// first call wins.
func Set(ctx context.Context, status int, header http.Header) {
	h, ok := ctx.Value(key{}).(*Status)
	if !ok {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.status == 0 {
		h.status, h.header = status, header
	}
}

// NewContext returns ctx carrying s, which Set fills for the request
// served with it.
func NewContext(ctx context.Context, s *Status) context.Context {
	return context.WithValue(ctx, key{}, s)
}

// Apply returns the status a response about to be sent with code gets:
// the one Set asked for, whose headers it adds to h, or else code.
func (s *Status) Apply(h http.Header, code int) int {
	s.mu.Lock()
	status, header := s.status, s.header
	s.mu.Unlock()
	if status == 0 {
		return code
	}
	for k, v := range header {
		h[k] = v
	}
	return status
}

// Middleware makes Set work for the requests it serves. The writer is
// wrapped with httpsnoop, so it keeps every interface the server's writer
// has (http.Flusher for the SSE transport, http.Hijacker for websockets).
func Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := &Status{}
		ctx := NewContext(r.Context(), h)
		var wrote bool
		writeHeader := func(write httpsnoop.WriteHeaderFunc, code int) {
			if wrote {
				return
			}
			wrote = true
			write(h.Apply(w.Header(), code))
		}
		hooked := httpsnoop.Wrap(w, httpsnoop.Hooks{
			WriteHeader: func(next httpsnoop.WriteHeaderFunc) httpsnoop.WriteHeaderFunc {
				return func(code int) { writeHeader(next, code) }
			},
			Write: func(next httpsnoop.WriteFunc) httpsnoop.WriteFunc {
				return func(b []byte) (int, error) {
					if !wrote {
						writeHeader(w.WriteHeader, http.StatusOK)
					}
					return next(b)
				}
			},
			Flush: func(next httpsnoop.FlushFunc) httpsnoop.FlushFunc {
				return func() {
					if !wrote {
						writeHeader(w.WriteHeader, http.StatusOK)
					}
					next()
				}
			},
		})
		next.ServeHTTP(hooked, r.WithContext(ctx))
	})
}

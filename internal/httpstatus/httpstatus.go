// Package httpstatus lets code deep inside the GraphQL executor (an
// operation-context mutator that refuses a request for authentication or
// rate limits) choose the HTTP status and headers of the response, which
// gqlgen's transports otherwise pick on their own.
package httpstatus

import (
	"context"
	"net/http"
	"sync"
)

type holder struct {
	mu     sync.Mutex
	status int
	header http.Header
}

type key struct{}

// Set asks for status (and extra headers) on the response of the request
// ctx belongs to. It does nothing outside Middleware. The first call wins.
func Set(ctx context.Context, status int, header http.Header) {
	h, ok := ctx.Value(key{}).(*holder)
	if !ok {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.status == 0 {
		h.status, h.header = status, header
	}
}

// Middleware makes Set work for the requests it serves.
func Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := &holder{}
		next.ServeHTTP(&writer{ResponseWriter: w, h: h}, r.WithContext(context.WithValue(r.Context(), key{}, h)))
	})
}

type writer struct {
	http.ResponseWriter
	h     *holder
	wrote bool
}

func (w *writer) WriteHeader(code int) {
	if w.wrote {
		return
	}
	w.wrote = true
	w.h.mu.Lock()
	status, header := w.h.status, w.h.header
	w.h.mu.Unlock()
	if status != 0 {
		code = status
		for k, v := range header {
			w.ResponseWriter.Header()[k] = v
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *writer) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

func (w *writer) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush passes through, for streaming transports.
func (w *writer) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		if !w.wrote {
			w.WriteHeader(http.StatusOK)
		}
		f.Flush()
	}
}

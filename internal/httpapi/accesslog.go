package httpapi

import (
	"bufio"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/felixge/httpsnoop"

	"github.com/samverkan/samverkan/internal/metrics"
)

// withAccessLog logs one line per request: method, path, status, size and
// duration. Query strings and bodies are not logged (they may hold data).
// It also counts and times the request for the metrics (as
// metrics.InstrumentHTTP does, routes giving the path label), from the same
// capture of the response: one wrapper of the writer, not two. The capture
// does not hide the writer's other interfaces (http.Flusher for SSE,
// http.Hijacker for websockets): the writer of net/http's HTTP/1 server gets
// a wrapper of this package with exactly its interfaces, any other
// httpsnoop's, which has every combination.
func withAccessLog(log *slog.Logger, m *metrics.Metrics, routes *http.ServeMux, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req := m.StartHTTP(routes, r)
		defer m.EndHTTP()
		c := captureMetrics(next, w, r)
		m.ObserveHTTP(req, c.Code, c.Duration)
		log.LogAttrs(r.Context(), slog.LevelInfo, "request", slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", c.Code), slog.Int64("bytes", c.Written), slog.Float64("duration_ms", float64(c.Duration.Microseconds())/1000))
	})
}

// captureMetrics is httpsnoop.CaptureMetrics, the same figures, with one
// allocation for the usual writer instead of httpsnoop's wrapper, hooks and
// the closures of every call.
func captureMetrics(next http.Handler, w http.ResponseWriter, r *http.Request) httpsnoop.Metrics {
	if !isHTTP1Writer(w) {
		return httpsnoop.CaptureMetrics(next, w, r)
	}
	start := time.Now()
	c := &http1Capture{capture{w: w, m: httpsnoop.Metrics{Code: http.StatusOK}}}
	next.ServeHTTP(c, r)
	c.m.Duration = time.Since(start)
	return c.m
}

// isHTTP1Writer reports whether w has the interfaces of net/http's HTTP/1
// writer, and no others that httpsnoop.Wrap keeps.
func isHTTP1Writer(w http.ResponseWriter) bool {
	_, f := w.(http.Flusher)
	_, cn := w.(http.CloseNotifier)
	_, h := w.(http.Hijacker)
	_, rf := w.(io.ReaderFrom)
	_, p := w.(http.Pusher)
	return f && cn && h && rf && !p
}

// capture counts as httpsnoop.CaptureMetrics does: the first status that
// is not informational (200 when the handler writes without one), the
// bytes written.
type capture struct {
	w             http.ResponseWriter
	m             httpsnoop.Metrics
	headerWritten bool
}

func (c *capture) Header() http.Header         { return c.w.Header() }
func (c *capture) Unwrap() http.ResponseWriter { return c.w }

func (c *capture) WriteHeader(code int) {
	c.w.WriteHeader(code)
	if !(code >= 100 && code <= 199) && !c.headerWritten {
		c.m.Code = code
		c.headerWritten = true
	}
}

func (c *capture) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.m.Written += int64(n)
	c.headerWritten = true
	return n, err
}

// http1Capture is capture with the HTTP/1 writer's other interfaces.
type http1Capture struct{ capture }

func (c *http1Capture) Flush() { c.w.(http.Flusher).Flush() }

func (c *http1Capture) CloseNotify() <-chan bool { return c.w.(http.CloseNotifier).CloseNotify() }

func (c *http1Capture) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return c.w.(http.Hijacker).Hijack()
}

func (c *http1Capture) ReadFrom(src io.Reader) (int64, error) {
	n, err := c.w.(io.ReaderFrom).ReadFrom(src)
	c.headerWritten = true
	c.m.Written += n
	return n, err
}

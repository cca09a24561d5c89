package metrics

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// knownMethods are the methods that get their own label value.
var knownMethods = map[string]bool{
	http.MethodGet: true, http.MethodHead: true, http.MethodPost: true, http.MethodPut: true,
	http.MethodPatch: true, http.MethodDelete: true, http.MethodOptions: true,
}

// InstrumentHTTP counts and times the requests that next serves. The path
// label is the pattern that routes picks for the request (without its
// method), or Other when no route matches, so that a scan of random URLs
// adds no series.
func (m *Metrics) InstrumentHTTP(routes *http.ServeMux, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path := routeLabel(routes, r)
		method := r.Method
		if !knownMethods[method] {
			method = Other
		}
		m.httpInFlight.Inc()
		defer m.httpInFlight.Dec()
		start := time.Now()
		rec := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		status := rec.status
		if status == 0 {
			status = http.StatusOK // nothing written: net/http answers 200
		}
		m.httpRequests.WithLabelValues(method, path, strconv.Itoa(status)).Inc()
		m.httpDuration.WithLabelValues(method, path).Observe(time.Since(start).Seconds())
	})
}

func routeLabel(routes *http.ServeMux, r *http.Request) string {
	_, pattern := routes.Handler(r)
	if pattern == "" {
		return Other
	}
	// "GET /healthz" → "/healthz"; "GET /{$}" → "/".
	if i := strings.IndexByte(pattern, ' '); i >= 0 {
		pattern = strings.TrimSpace(pattern[i+1:])
	}
	return strings.TrimSuffix(pattern, "{$}")
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's writer
// (flushing, deadlines).
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

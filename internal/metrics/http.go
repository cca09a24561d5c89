package metrics

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/felixge/httpsnoop"
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
		// httpsnoop keeps the writer's other interfaces (Flusher, Hijacker).
		c := httpsnoop.CaptureMetrics(next, w, r)
		m.observeHTTP(method, path, c.Code, c.Duration)
	})
}

// HTTPRequest is a request StartHTTP counts as in flight, with its labels.
type HTTPRequest struct {
	method string
	r      *http.Request
	routes *http.ServeMux
}

// StartHTTP is InstrumentHTTP for a middleware that captures the response
// itself (the access log, which shares its capture): it counts r as in
// flight until EndHTTP (deferred, so that a panic ends it too);
// ObserveHTTP counts and times the answer.
//
// r must be the request routes serves, unchanged: the path label is read
// after serving from the pattern routes matched (r.Pattern, which the
// ServeMux sets on r), rather than looked up twice.
func (m *Metrics) StartHTTP(routes *http.ServeMux, r *http.Request) HTTPRequest {
	req := HTTPRequest{method: r.Method, r: r, routes: routes}
	if !knownMethods[req.method] {
		req.method = Other
	}
	m.httpInFlight.Inc()
	return req
}

// EndHTTP ends a request of StartHTTP.
func (m *Metrics) EndHTTP() { m.httpInFlight.Dec() }

// ObserveHTTP counts and times a request of StartHTTP answered with code
// after d.
func (m *Metrics) ObserveHTTP(req HTTPRequest, code int, d time.Duration) {
	var path string
	if req.r.Pattern != "" {
		path = patternLabel(req.r.Pattern)
	} else {
		path = routeLabel(req.routes, req.r) // no route matched (or r was not routes')
	}
	m.observeHTTP(req.method, path, code, d)
}

func (m *Metrics) observeHTTP(method, path string, code int, d time.Duration) {
	m.httpRequests.WithLabelValues(method, path, statusLabel(code)).Inc()
	m.httpDuration.WithLabelValues(method, path).Observe(d.Seconds())
}

// statusLabel is strconv.Itoa(code), without allocating for the usual
// codes.
func statusLabel(code int) string {
	switch code {
	case http.StatusOK:
		return "200"
	case http.StatusNoContent:
		return "204"
	case http.StatusBadRequest:
		return "400"
	case http.StatusUnauthorized:
		return "401"
	case http.StatusForbidden:
		return "403"
	case http.StatusNotFound:
		return "404"
	case http.StatusTooManyRequests:
		return "429"
	}
	return strconv.Itoa(code)
}

func routeLabel(routes *http.ServeMux, r *http.Request) string {
	_, pattern := routes.Handler(r)
	if pattern == "" {
		return Other
	}
	return patternLabel(pattern)
}

// patternLabel is the path label of a route's pattern.
func patternLabel(pattern string) string {
	// "GET /healthz" → "/healthz"; "GET /{$}" → "/".
	if i := strings.IndexByte(pattern, ' '); i >= 0 {
		pattern = strings.TrimSpace(pattern[i+1:])
	}
	return strings.TrimSuffix(pattern, "{$}")
}

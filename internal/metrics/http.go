package metrics

import (
	"net/http"
	"strconv"
	"strings"

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
		m.httpRequests.WithLabelValues(method, path, strconv.Itoa(c.Code)).Inc()
		m.httpDuration.WithLabelValues(method, path).Observe(c.Duration.Seconds())
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

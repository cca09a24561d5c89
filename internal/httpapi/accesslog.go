package httpapi

import (
	"log/slog"
	"net/http"

	"github.com/felixge/httpsnoop"
)

// withAccessLog logs one line per request: method, path, status, size and
// duration. Query strings and bodies are not logged (they may hold data).
// httpsnoop observes the response without hiding the writer's other
// interfaces (http.Flusher for SSE, http.Hijacker for websockets).
func withAccessLog(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m := httpsnoop.CaptureMetrics(next, w, r)
		log.InfoContext(r.Context(), "request", "method", r.Method, "path", r.URL.Path, "status", m.Code,
			"bytes", m.Written, "duration_ms", float64(m.Duration.Microseconds())/1000)
	})
}

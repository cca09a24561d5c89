package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"regexp"
	"runtime/debug"
	"time"

	"github.com/rs/cors"
)

type requestIDKey struct{}

var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// withRequestID gives every request an id: the client's X-Request-Id when
// it is a short plain token, otherwise a new one. It is echoed in the
// response and carried by every log line of the request.
func withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !validRequestID.MatchString(id) {
			var b [8]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id)))
	})
}

// requestIDHandler adds the request id of the context to every log record.
type requestIDHandler struct{ slog.Handler }

func (h requestIDHandler) Handle(ctx context.Context, r slog.Record) error {
	if id, ok := ctx.Value(requestIDKey{}).(string); ok {
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h requestIDHandler) WithAttrs(a []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(a)}
}

func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// withAccessLog logs one line per request: method, path, status, size and
// duration. Query strings and bodies are not logged (they may hold data).
func withAccessLog(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		log.InfoContext(r.Context(), "request", "method", r.Method, "path", r.URL.Path, "status", rec.status,
			"bytes", rec.bytes, "duration_ms", float64(time.Since(start).Microseconds())/1000)
	})
}

// withRecover answers a panic outside the GraphQL executor with a bare 500.
func withRecover(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				log.ErrorContext(r.Context(), "panic in handler", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				writeJSON(w, http.StatusInternalServerError, gqlErrors("internal error", "INTERNAL"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

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

// withCORS applies the allow-list: any origin by default, never credentials.
func withCORS(cfg config, next http.Handler) http.Handler {
	return corsPolicy(cfg).Handler(next)
}

// corsPolicy is the server's one origin rule: withCORS applies it to HTTP
// requests and websocketOriginAllowed to websocket handshakes.
func corsPolicy(cfg config) *cors.Cors {
	return cors.New(cors.Options{
		AllowedOrigins:   cfg.CORSAllowedOrigins,
		AllowedMethods:   []string{http.MethodGet, http.MethodPost, http.MethodOptions},
		AllowedHeaders:   []string{"Content-Type", "Accept", "Authorization", "X-Request-Id"},
		ExposedHeaders:   []string{"X-Request-Id"},
		AllowCredentials: false,
		MaxAge:           600,
	})
}

// websocketOriginAllowed decides websocket handshakes by the CORS
// allow-list. Browsers do not apply CORS to websockets, so the server must:
// a handshake from a page of a disallowed origin is refused. One without an
// Origin header comes from a non-browser client, which CORS never limits.
func websocketOriginAllowed(cfg config) func(*http.Request) bool {
	policy := corsPolicy(cfg)
	return func(r *http.Request) bool {
		return r.Header.Get("Origin") == "" || policy.OriginAllowed(r)
	}
}

func gqlErrors(msg, code string) map[string]any {
	return map[string]any{"errors": []map[string]any{{"message": msg, "extensions": map[string]string{"code": code}}}}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// withMethodAndType answers requests the GraphQL transports do not take with
// the statuses HTTP has for them, rather than a bare 400: 405 (with Allow)
// for another method, 415 for a POST body that is not JSON.
func withMethodAndType(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodOptions:
		case http.MethodPost:
			mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
			if err != nil || mt != "application/json" {
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

package httpstatus

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestSetOverridesStatusAndHeaders(t *testing.T) {
	cases := []struct {
		name       string
		set        bool
		wantStatus int
	}{
		{"override", true, http.StatusTooManyRequests},
		{"untouched", false, http.StatusUnprocessableEntity},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if c.set {
					Set(r.Context(), http.StatusTooManyRequests, http.Header{"Retry-After": {"7"}})
					Set(r.Context(), http.StatusTeapot, nil) // the first call wins
				}
				w.WriteHeader(http.StatusUnprocessableEntity)
				_, _ = w.Write([]byte("{}"))
			}))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
			if rec.Code != c.wantStatus {
				t.Fatalf("status %d, want %d", rec.Code, c.wantStatus)
			}
			if got := rec.Header().Get("Retry-After"); (got == "7") != c.set {
				t.Fatalf("Retry-After = %q", got)
			}
		})
	}
}

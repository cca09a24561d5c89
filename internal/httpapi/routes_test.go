package httpapi

import (
	"net/http"
	"strings"
	"testing"
)

func TestCORSAllowList(t *testing.T) {
	parallel(t)
	s := start(t, map[string]string{"SEED": "never", "CORS_ALLOWED_ORIGINS": "https://app.example, https://admin.example"},
		"-data-dir", t.TempDir())
	for _, c := range []struct {
		origin  string
		allowed bool
	}{{"https://app.example", true}, {"https://admin.example", true}, {"https://evil.example", false}} {
		// Preflight.
		req, _ := http.NewRequest(http.MethodOptions, s.base+"/graphql", nil)
		req.Header.Set("Origin", c.origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "content-type")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Access-Control-Allow-Origin") == c.origin; got != c.allowed {
			t.Errorf("preflight from %s: Allow-Origin %q", c.origin, resp.Header.Get("Access-Control-Allow-Origin"))
		}
		if resp.Header.Get("Access-Control-Allow-Credentials") != "" {
			t.Errorf("credentials allowed for %s", c.origin)
		}
		// Actual request.
		req, _ = http.NewRequest(http.MethodPost, s.base+"/graphql", strings.NewReader(`{"query":"{ actors { totalCount } }"}`))
		req.Header.Set("Origin", c.origin)
		req.Header.Set("Content-Type", "application/json")
		resp, err = http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Access-Control-Allow-Origin") == c.origin; got != c.allowed {
			t.Errorf("POST from %s: Allow-Origin %q", c.origin, resp.Header.Get("Access-Control-Allow-Origin"))
		}
	}
	// SEED=never: the store stays empty.
	if r := s.gql(t, `{ actors { totalCount } }`, nil); dig(r.Data, "actors", "totalCount") != float64(0) {
		t.Errorf("SEED=never loaded data: %+v", r)
	}
}

// REQUEST_TIMEOUT bounds every operation: past it the answer is a TIMEOUT
// error (not an empty body), and the server goes on serving.
func TestRequestTimeout(t *testing.T) {
	parallel(t)
	s := start(t, map[string]string{"REQUEST_TIMEOUT": "1ns"}, "-data-dir", t.TempDir())
	r := s.gql(t, `{ brokers { exact } partnershipPaths(from: "difi", to: "doga") { length } }`, nil)
	if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "TIMEOUT" {
		t.Fatalf("want TIMEOUT, got %+v", r)
	}
	if resp, _ := s.get(t, "/healthz", nil); resp.StatusCode != 200 {
		t.Fatalf("healthz after a timeout: %d", resp.StatusCode)
	}
}

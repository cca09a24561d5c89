// Package apitest is what tests of the HTTP API share: a client for the
// GraphQL endpoint and the probes of a server on loopback, a log buffer
// safe to read while the server writes, and a walker for decoded JSON.
// Only tests import it.
package apitest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"testing"
)

// SyncBuffer collects a server's log lines while the test reads them.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Response is a decoded GraphQL response.
type Response struct {
	Data   map[string]any `json:"data"`
	Errors []Error        `json:"errors"`
}

// Error is one entry of a response's errors.
type Error struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

// Post sends a GraphQL request to base's /graphql with an API key ("" for
// none) and decodes the answer whatever its status.
func Post(t testing.TB, base, key, query string, vars map[string]any) Response {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, base+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out Response
	raw, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("status %d, body %s", resp.StatusCode, raw)
	}
	return out
}

// Get sends a GET to base+path, not following redirects, and returns the
// response and its body.
func Get(t testing.TB, base, path string, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+path, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return send(t, c, req)
}

// Do sends req with http.DefaultClient and returns the response and its
// body.
func Do(t testing.TB, req *http.Request) (*http.Response, string) {
	t.Helper()
	return send(t, http.DefaultClient, req)
}

func send(t testing.TB, c *http.Client, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// Dig walks decoded JSON by map keys and list indexes; nil where the path
// leads nowhere.
func Dig(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

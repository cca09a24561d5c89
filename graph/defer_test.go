package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/samverkan/samverkan/graph"
)

const deferQuery = `query Deferred($on: Boolean! = true) {
  actor(id: "compare") { name ... @defer(if: $on, label: "more") { projects { project { id } } } }
}`

// deferServer is the handler with websockets over the seed dataset.
func deferServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(newHandler(seededStore(t), graph.Options{
		RequestTimeout: time.Minute,
		Websocket:      &graph.WebsocketOptions{CheckOrigin: func(*http.Request) bool { return true }},
	}))
	t.Cleanup(srv.Close)
	return srv
}

func postDefer(t *testing.T, srv *httptest.Server, accept string, vars map[string]any) (*http.Response, []byte) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": deferQuery, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", accept)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// @defer over plain JSON would answer the first part only, the deferred
// fields missing: it is refused with a coded reason instead, and runs when
// switched off.
func TestDeferOverPlainJSONIsRefused(t *testing.T) {
	srv := deferServer(t)
	for _, accept := range []string{"application/json", "application/graphql-response+json", ""} {
		_, b := postDefer(t, srv, accept, nil)
		var r struct {
			Data   map[string]any
			Errors []gqlError
		}
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatalf("Accept %q: %v: %s", accept, err, b)
		}
		if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "BAD_USER_INPUT" ||
			r.Errors[0].Extensions["reason"] != "DEFER_NOT_DELIVERABLE" || r.Data["actor"] != nil {
			t.Fatalf("Accept %q: @defer over plain JSON answered %s", accept, b)
		}
	}
	_, b := postDefer(t, srv, "application/json", map[string]any{"on": false})
	if !strings.Contains(string(b), `"projects":[{"project":{"id":`) || strings.Contains(string(b), "errors") {
		t.Fatalf("@defer(if: false) over plain JSON: %s", b)
	}
}

// compareProjects is the JSON of Compare's projects, as the deferred part
// holds them.
func compareProjects(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	_, b := postDefer(t, srv, "application/json", map[string]any{"on": false})
	var r struct {
		Data struct {
			Actor struct {
				Projects json.RawMessage
			}
		}
	}
	if err := json.Unmarshal(b, &r); err != nil || !strings.Contains(string(r.Data.Actor.Projects), `"id"`) {
		t.Fatalf("Compare's projects: %v: %s", err, b)
	}
	return string(r.Data.Actor.Projects)
}

// With Accept: multipart/mixed the response comes in parts: the actor's
// name first, then its deferred projects under the label, as the incremental
// delivery RFC (2022-08-24 format, the one Apollo Client reads) has it.
func TestDeferOverMultipart(t *testing.T) {
	srv := deferServer(t)
	projects := compareProjects(t, srv)
	resp, b := postDefer(t, srv, "multipart/mixed;deferSpec=20220824, application/json", nil)
	mt, params, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/mixed" || params["boundary"] == "" {
		t.Fatalf("Content-Type %q (%v): %s", resp.Header.Get("Content-Type"), err, b)
	}
	mr := multipart.NewReader(bytes.NewReader(b), params["boundary"])
	var parts []map[string]any
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("part %d: %v in %s", len(parts), err, b)
		}
		pb, _ := io.ReadAll(p)
		var m map[string]any
		if err := json.Unmarshal(pb, &m); err != nil {
			t.Fatalf("part %d: %v: %s", len(parts), err, pb)
		}
		parts = append(parts, m)
	}
	if len(parts) != 2 {
		t.Fatalf("want 2 parts, got %d: %s", len(parts), b)
	}
	wantDeferredParts(t, "multipart", parts, projects)
}

// wantDeferredParts checks the two parts of deferQuery's response: the
// actor's name (the deferred projects not yet there), then the projects
// under the label and the actor's path, nothing after them.
func wantDeferredParts(t *testing.T, via string, parts []map[string]any, projects string) {
	t.Helper()
	if len(parts) != 2 {
		t.Fatalf("%s: want 2 parts, got %d: %v", via, len(parts), parts)
	}
	first, _ := json.Marshal(map[string]any{"data": parts[0]["data"], "hasNext": parts[0]["hasNext"]})
	// gqlgen leaves a null where the deferred field goes (clients merge the
	// later part over it).
	if string(first) != `{"data":{"actor":{"name":"Compare","projects":null}},"hasNext":true}` {
		t.Errorf("%s: first part %s", via, first)
	}
	inc, _ := parts[1]["incremental"].([]any)
	if len(inc) != 1 || parts[1]["hasNext"] != false || parts[1]["data"] != nil {
		t.Fatalf("%s: second part %v", via, parts[1])
	}
	item, _ := inc[0].(map[string]any)
	got, _ := json.Marshal(map[string]any{"data": item["data"], "label": item["label"], "path": item["path"]})
	if string(got) != `{"data":{"projects":`+projects+`},"label":"more","path":["actor"]}` {
		t.Errorf("%s: deferred part %s", via, got)
	}
}

// Over the websocket each part is its own `next`, then `complete`.
func TestDeferOverWebsocket(t *testing.T) {
	srv := deferServer(t)
	projects := compareProjects(t, srv)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"),
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	send := func(v any) {
		b, _ := json.Marshal(v)
		if err := conn.Write(ctx, websocket.MessageText, b); err != nil {
			t.Fatal(err)
		}
	}
	send(map[string]any{"type": "connection_init"})
	send(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": deferQuery}})
	var parts []map[string]any
	for {
		_, b, err := conn.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var m struct {
			Type    string         `json:"type"`
			ID      string         `json:"id"`
			Payload map[string]any `json:"payload"`
		}
		_ = json.Unmarshal(b, &m)
		if m.Type == "connection_ack" {
			continue
		}
		if m.Type == "complete" && m.ID == "1" {
			break
		}
		if m.Type != "next" || m.ID != "1" {
			t.Fatalf("unexpected message %s", b)
		}
		parts = append(parts, m.Payload)
	}
	wantDeferredParts(t, "websocket", parts, projects)
}

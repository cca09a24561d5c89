package graph_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/coder/websocket"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/samverkan/samverkan/graph"
)

// authRecorder is an operation-context mutator that notes the
// Authorization header each operation sees, as the auth extension would.
type authRecorder struct {
	mu   sync.Mutex
	seen []string
}

func (*authRecorder) ExtensionName() string                   { return "authRecorder" }
func (*authRecorder) Validate(graphql.ExecutableSchema) error { return nil }
func (a *authRecorder) MutateOperationContext(_ context.Context, rc *graphql.OperationContext) *gqlerror.Error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.seen = append(a.seen, rc.Headers.Get("Authorization"))
	return nil
}

// A browser cannot set headers on a websocket handshake, so the key may
// come in the connection_init payload; a header on the handshake wins.
func TestWebsocketAuthorizationFromInitPayload(t *testing.T) {
	cases := []struct {
		name    string
		header  string
		payload map[string]any
		want    string
	}{
		{"payload only", "", map[string]any{"Authorization": "Bearer from-payload"}, "Bearer from-payload"},
		{"payload key in any case", "", map[string]any{"authorization": "Bearer lower"}, "Bearer lower"},
		{"header wins", "Bearer from-header", map[string]any{"Authorization": "Bearer from-payload"}, "Bearer from-header"},
		{"neither", "", nil, ""},
		{"non-string payload value is ignored", "", map[string]any{"Authorization": 42}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := &authRecorder{}
			h := newHandler(newStore(t), graph.Options{
				Extensions: []graphql.HandlerExtension{rec},
				Websocket:  &graph.WebsocketOptions{CheckOrigin: func(*http.Request) bool { return true }},
			})
			srv := httptest.NewServer(h)
			defer srv.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			hdr := http.Header{}
			if c.header != "" {
				hdr.Set("Authorization", c.header)
			}
			conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"),
				&websocket.DialOptions{HTTPHeader: hdr, Subprotocols: []string{"graphql-transport-ws"}})
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
			next := func() map[string]any {
				_, b, err := conn.Read(ctx)
				if err != nil {
					t.Fatal(err)
				}
				var m map[string]any
				_ = json.Unmarshal(b, &m)
				return m
			}
			send(map[string]any{"type": "connection_init", "payload": c.payload})
			if m := next(); m["type"] != "connection_ack" {
				t.Fatalf("after init: %v", m)
			}
			send(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": "{ actors { totalCount } }"}})
			for m := next(); m["type"] != "complete"; m = next() {
				if m["type"] != "next" {
					t.Fatalf("unexpected %v", m)
				}
			}
			rec.mu.Lock()
			defer rec.mu.Unlock()
			if len(rec.seen) != 1 || rec.seen[0] != c.want {
				t.Fatalf("operations saw Authorization %q, want [%q]", rec.seen, c.want)
			}
		})
	}
}

// Without an origin rule every handshake is refused: websockets are never
// open by accident.
func TestWebsocketWithoutCheckOriginRefuses(t *testing.T) {
	h := newHandler(newStore(t), graph.Options{Websocket: &graph.WebsocketOptions{}})
	srv := httptest.NewServer(h)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, resp, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("handshake without CheckOrigin: %v, %v", resp, err)
	}
}

// graphql-transport-ws ends an operation with `error` or with `complete`,
// never both. A query that fails validation gets its `error` alone, and the
// operation the client starts right after it, under a new id or the same
// one, runs and completes with its result.
func TestWebsocketNoCompleteAfterError(t *testing.T) {
	h := newHandler(newStore(t), graph.Options{
		Websocket: &graph.WebsocketOptions{CheckOrigin: func(*http.Request) bool { return true }},
	})
	srv := httptest.NewServer(h)
	defer srv.Close()
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
	next := func() (string, string, string) {
		_, b, err := conn.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var m struct {
			Type    string          `json:"type"`
			ID      string          `json:"id"`
			Payload json.RawMessage `json:"payload"`
		}
		_ = json.Unmarshal(b, &m)
		return m.Type, m.ID, string(m.Payload)
	}
	send(map[string]any{"type": "connection_init"})
	if typ, _, _ := next(); typ != "connection_ack" {
		t.Fatalf("after init: %s", typ)
	}
	type msg struct{ typ, id string }
	steps := []struct {
		name string
		id   string
		want []msg
	}{
		{"a failing query", "1", []msg{{"error", "1"}}},
		{"then a good one", "2", []msg{{"next", "2"}, {"complete", "2"}}},
		{"a failing query again", "3", []msg{{"error", "3"}}},
		{"then a good one under the failed id", "3", []msg{{"next", "3"}, {"complete", "3"}}},
	}
	for _, s := range steps {
		query := "{ actors { totalCount } }"
		if s.want[0].typ == "error" {
			query = "{ actors { noSuchField } }"
		}
		send(map[string]any{"id": s.id, "type": "subscribe", "payload": map[string]any{"query": query}})
		for _, w := range s.want {
			typ, id, payload := next()
			if typ != w.typ || id != w.id {
				t.Fatalf("%s: got %s for id %q (%s), want %s for id %q", s.name, typ, id, payload, w.typ, w.id)
			}
			if typ == "next" && !strings.Contains(payload, `"totalCount"`) {
				t.Fatalf("%s: next without the result: %s", s.name, payload)
			}
		}
	}
	// Nothing else is on its way: a ping is answered by the very next message.
	send(map[string]any{"type": "ping"})
	if typ, id, _ := next(); typ != "pong" {
		t.Fatalf("after the operations: %s for id %q, want pong", typ, id)
	}
}

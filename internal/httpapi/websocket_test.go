package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// wsDial opens a graphql-transport-ws connection to s with the given Origin
// ("" sends none). It returns the handshake response, and the connection
// when the handshake succeeded.
func wsDial(t *testing.T, s *testServer, origin string) (*websocket.Conn, *http.Response) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	h := http.Header{}
	if origin != "" {
		h.Set("Origin", origin)
	}
	conn, resp, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(s.base, "http")+"/graphql",
		&websocket.DialOptions{HTTPHeader: h, Subprotocols: []string{"graphql-transport-ws"}})
	if resp == nil {
		t.Fatalf("websocket handshake from %q: no response: %v", origin, err)
	}
	if err != nil {
		return nil, resp
	}
	t.Cleanup(func() { _ = conn.CloseNow() })
	return conn, resp
}

type wsMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// wsOperation runs one operation over an open connection (after
// connection_init) and returns the payload of its "next" message.
func wsOperation(t *testing.T, conn *websocket.Conn, id, query string) gqlResponse {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	payload, _ := json.Marshal(map[string]any{"query": query})
	wsWrite(ctx, t, conn, wsMessage{ID: id, Type: "subscribe", Payload: payload})
	var out gqlResponse
	for got := false; ; {
		m := wsRead(ctx, t, conn)
		switch {
		case m.Type == "ping":
			wsWrite(ctx, t, conn, wsMessage{Type: "pong"})
		case m.ID != id:
			t.Fatalf("message of another operation: %+v", m)
		case m.Type == "next":
			if err := json.Unmarshal(m.Payload, &out); err != nil {
				t.Fatalf("next payload %s: %v", m.Payload, err)
			}
			got = true
		case m.Type == "complete":
			if !got {
				t.Fatalf("operation %s completed without a result", id)
			}
			return out
		default:
			t.Fatalf("operation %s: unexpected %s %s", id, m.Type, m.Payload)
		}
	}
}

func wsWrite(ctx context.Context, t *testing.T, conn *websocket.Conn, m wsMessage) {
	t.Helper()
	b, _ := json.Marshal(m)
	if err := conn.Write(ctx, websocket.MessageText, b); err != nil {
		t.Fatalf("websocket write: %v", err)
	}
}

func wsRead(ctx context.Context, t *testing.T, conn *websocket.Conn) wsMessage {
	t.Helper()
	_, b, err := conn.Read(ctx)
	if err != nil {
		t.Fatalf("websocket read: %v", err)
	}
	var m wsMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("websocket message %s: %v", b, err)
	}
	return m
}

// Websocket handshakes obey the same origin allow-list as CORS: an allowed
// origin (or a non-browser client without one) connects and runs
// operations; any other origin is refused with 403 and gets no CORS
// headers.
func TestWebsocketOriginAllowList(t *testing.T) {
	parallel(t)
	s := start(t, map[string]string{"CORS_ALLOWED_ORIGINS": "https://app.example"}, "-data-dir", t.TempDir())
	cases := []struct {
		origin  string
		allowed bool
	}{
		{"https://app.example", true},
		{"", true},
		{"https://evil.example", false},
		{"http://app.example", false}, // another scheme is another origin
		{"https://app.example.evil", false},
		{"null", false},
	}
	for _, c := range cases {
		t.Run("origin "+c.origin, func(t *testing.T) {
			conn, resp := wsDial(t, s, c.origin)
			if !c.allowed {
				if conn != nil || resp.StatusCode != http.StatusForbidden {
					t.Fatalf("handshake from %q: status %d, want 403", c.origin, resp.StatusCode)
				}
				if v := resp.Header.Get("Access-Control-Allow-Origin"); v != "" {
					t.Errorf("refused origin %q got Access-Control-Allow-Origin %q", c.origin, v)
				}
				return
			}
			if conn == nil {
				t.Fatalf("handshake from %q refused: %d", c.origin, resp.StatusCode)
			}
			if resp.StatusCode != http.StatusSwitchingProtocols || conn.Subprotocol() != "graphql-transport-ws" {
				t.Fatalf("handshake: %d, subprotocol %q", resp.StatusCode, conn.Subprotocol())
			}
			if c.origin != "" && resp.Header.Get("Access-Control-Allow-Origin") != c.origin {
				t.Errorf("allowed origin: Access-Control-Allow-Origin %q", resp.Header.Get("Access-Control-Allow-Origin"))
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			wsWrite(ctx, t, conn, wsMessage{Type: "connection_init"})
			if m := wsRead(ctx, t, conn); m.Type != "connection_ack" {
				t.Fatalf("after connection_init: %+v", m)
			}
			r := wsOperation(t, conn, "1", `{ actors { totalCount } actor(id: "karlstads-kommun") { name } }`)
			if len(r.Errors) > 0 || dig(r.Data, "actors", "totalCount").(float64) < 1 || dig(r.Data, "actor", "name") == nil {
				t.Fatalf("query over websocket: %+v", r)
			}
			// A second operation on the same connection, with an error.
			r = wsOperation(t, conn, "2", `{ actor(id: "-bad") { id } }`)
			if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "BAD_USER_INPUT" {
				t.Fatalf("bad id over websocket: %+v", r)
			}
			if err := conn.Close(websocket.StatusNormalClosure, ""); err != nil {
				t.Logf("close: %v", err)
			}
		})
	}
}

// With the default allow-list (any origin) every origin may connect.
func TestWebsocketAnyOriginByDefault(t *testing.T) {
	parallel(t)
	s := start(t, map[string]string{"SEED": "never"}, "-data-dir", t.TempDir())
	conn, resp := wsDial(t, s, "https://anywhere.example")
	if conn == nil {
		t.Fatalf("handshake refused: %d", resp.StatusCode)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	wsWrite(ctx, t, conn, wsMessage{Type: "connection_init"})
	if m := wsRead(ctx, t, conn); m.Type != "connection_ack" {
		t.Fatalf("after connection_init: %+v", m)
	}
	if r := wsOperation(t, conn, "a", `{ actors { totalCount } }`); dig(r.Data, "actors", "totalCount") != float64(0) {
		t.Fatalf("query over websocket: %+v", r)
	}
}

// A server stopping closes its websocket connections with a normal close
// instead of leaving them to a store that is being closed.
func TestWebsocketClosedAtShutdown(t *testing.T) {
	parallel(t)
	s := start(t, map[string]string{"SEED": "never"}, "-data-dir", t.TempDir())
	conn, resp := wsDial(t, s, "")
	if conn == nil {
		t.Fatalf("handshake refused: %d", resp.StatusCode)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	wsWrite(ctx, t, conn, wsMessage{Type: "connection_init"})
	if m := wsRead(ctx, t, conn); m.Type != "connection_ack" {
		t.Fatalf("after connection_init: %+v", m)
	}
	if err := s.stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	for {
		_, b, err := conn.Read(ctx)
		if err == nil {
			continue // a ping, say
		}
		if websocket.CloseStatus(err) != websocket.StatusNormalClosure {
			t.Fatalf("connection ended with %v (message %s), want a normal close", err, b)
		}
		return
	}
}

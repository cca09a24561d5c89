package apitest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/coder/websocket"
)

// Message is one graphql-transport-ws message, or one SSE event (Type is
// the event's name, Payload its data).
type Message struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// WS is a graphql-transport-ws client connection, acknowledged.
type WS struct {
	t    testing.TB
	ctx  context.Context
	conn *websocket.Conn
}

// DialWS connects to base (http://host:port) at /graphql and initialises
// the connection with payload (nil: none).
func DialWS(ctx context.Context, t testing.TB, base string, payload map[string]any) *WS {
	t.Helper()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(base, "http")+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatalf("websocket dial: %v", err)
	}
	conn.SetReadLimit(1 << 20)
	t.Cleanup(func() { conn.CloseNow() })
	w := &WS{t: t, ctx: ctx, conn: conn}
	w.Send(map[string]any{"type": "connection_init", "payload": payload})
	if m := w.Next(); m.Type != "connection_ack" {
		t.Fatalf("connection_init answered %+v", m)
	}
	return w
}

// Send writes one message.
func (w *WS) Send(v any) {
	w.t.Helper()
	b, _ := json.Marshal(v)
	if err := w.conn.Write(w.ctx, websocket.MessageText, b); err != nil {
		w.t.Fatalf("websocket write: %v", err)
	}
}

// Subscribe starts operation id.
func (w *WS) Subscribe(id, query string) {
	w.Send(map[string]any{"id": id, "type": "subscribe", "payload": map[string]any{"query": query}})
}

// Next reads the next message other than a ping (answered with a pong).
func (w *WS) Next() Message {
	w.t.Helper()
	m, err := w.TryNext()
	if err != nil {
		w.t.Fatalf("websocket read: %v", err)
	}
	return m
}

// TryNext is Next for a reader goroutine: it returns the error.
func (w *WS) TryNext() (Message, error) {
	for {
		_, b, err := w.conn.Read(w.ctx)
		if err != nil {
			return Message{}, err
		}
		var m Message
		if err := json.Unmarshal(b, &m); err != nil {
			return Message{}, fmt.Errorf("websocket message %s: %w", b, err)
		}
		if m.Type == "ping" {
			b, _ := json.Marshal(map[string]any{"type": "pong"})
			if err := w.conn.Write(w.ctx, websocket.MessageText, b); err != nil {
				return Message{}, err
			}
			continue
		}
		return m, nil
	}
}

// SSE is a subscription over server-sent events.
type SSE struct {
	t    testing.TB
	resp *http.Response
	sc   *bufio.Scanner
}

// DialSSE posts the subscription to base/graphql asking for an event stream.
func DialSSE(ctx context.Context, t testing.TB, base, query string) *SSE {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("SSE request: %v", err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("SSE answered %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	return &SSE{t: t, resp: resp, sc: bufio.NewScanner(resp.Body)}
}

// Next reads the next event; Type "" when the stream ended.
func (s *SSE) Next() Message {
	s.t.Helper()
	var m Message
	for s.sc.Scan() {
		line := s.sc.Text()
		switch {
		case line == "" && m.Type != "":
			return m
		case strings.HasPrefix(line, "event:"):
			m.Type = strings.TrimSpace(strings.TrimPrefix(line, "event:"))
		case strings.HasPrefix(line, "data:"):
			m.Payload = append(m.Payload, strings.TrimSpace(strings.TrimPrefix(line, "data:"))...)
		}
	}
	if err := s.sc.Err(); err != nil {
		s.t.Fatalf("SSE read: %v", err)
	}
	return m
}

// ChangeOf is the graphChanged entry of a next payload, as "KIND id" or
// "KIND type from→to", or the payload's errors as "error: …".
func ChangeOf(payload json.RawMessage) string {
	var p struct {
		Data struct {
			GraphChanged *struct{ Kind, ID, Type, From, To string }
		}
		Errors []struct {
			Message    string
			Extensions map[string]any
		}
	}
	if err := json.Unmarshal(payload, &p); err != nil {
		return "undecodable: " + string(payload)
	}
	if len(p.Errors) > 0 {
		return fmt.Sprintf("error: %v %v", p.Errors[0].Extensions["code"], p.Errors[0].Extensions["reason"])
	}
	c := p.Data.GraphChanged
	if c == nil {
		return "no change: " + string(payload)
	}
	if c.ID != "" {
		return c.Kind + " " + c.ID
	}
	return c.Kind + " " + c.Type + " " + c.From + "→" + c.To
}

package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"
)

// DefaultWebsocketKeepAlive is the ping interval of websocket connections
// when WebsocketOptions.KeepAlive is zero: short enough for the usual
// proxies' idle timeouts (often 60 s).
const DefaultWebsocketKeepAlive = 25 * time.Second

// WebsocketOptions configure GraphQL over websockets (the
// graphql-transport-ws subprotocol, and the older graphql-ws).
type WebsocketOptions struct {
	// CheckOrigin decides whether a handshake may go on; a refused one is
	// answered 403. The server passes its CORS allow-list here so that one
	// rule governs both. Required: nil refuses every handshake.
	CheckOrigin func(r *http.Request) bool
	// KeepAlive is the ping interval (DefaultWebsocketKeepAlive when zero).
	// A graphql-transport-ws client that leaves two pings unanswered is
	// disconnected.
	KeepAlive time.Duration
	// ReadLimit bounds one message from the client in bytes (gqlgen's 1 MB
	// when zero).
	ReadLimit int64
	// Closing, when closed, ends every open connection with a normal close:
	// http.Server.Shutdown leaves hijacked connections alone.
	Closing <-chan struct{}
}

// websocketTransport is gqlgen's websocket transport behind an origin check
// made before the upgrade, so that a refusal is a plain 403.
type websocketTransport struct {
	transport.Websocket
	checkOrigin func(*http.Request) bool
	closing     <-chan struct{}
}

func newWebsocketTransport(o WebsocketOptions) websocketTransport {
	keepAlive := o.KeepAlive
	if keepAlive <= 0 {
		keepAlive = DefaultWebsocketKeepAlive
	}
	ws := transport.Websocket{
		// The origin is decided by checkOrigin; coder/websocket's own
		// same-host check would refuse every cross-origin client the
		// allow-list admits.
		Implementation: protocolCloses{transport.CoderWebsocketImplementation{
			AcceptOptions: websocket.AcceptOptions{InsecureSkipVerify: true},
		}},
		InitTimeout:           10 * time.Second,
		KeepAlivePingInterval: keepAlive, // graphql-ws "ka" messages
		PingPongInterval:      keepAlive, // graphql-transport-ws ping/pong
	}
	if o.ReadLimit > 0 {
		limit := o.ReadLimit
		ws.PayloadReadLimit = &limit
	}
	return websocketTransport{Websocket: ws, checkOrigin: o.CheckOrigin, closing: o.Closing}
}

func (t websocketTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	if t.checkOrigin == nil || !t.checkOrigin(r) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"errors":[{"message":"websocket connections from this origin are not allowed","extensions":{"code":"FORBIDDEN"}}]}`))
		return
	}
	// Every part of a deferred response goes out as its own `next`; the
	// connection counts its subscriptions (subscriptions.go).
	ctx, cancel := context.WithCancel(withConnSubscriptions(withIncremental(r.Context())))
	defer cancel()
	if t.closing != nil {
		go func() {
			select {
			case <-t.closing:
				cancel()
			case <-ctx.Done():
			}
		}()
	}
	ws := t.Websocket
	// Browsers cannot set headers on a websocket handshake, so a client may
	// send its key in the connection_init payload instead; it then counts
	// as the handshake's Authorization header for every operation of the
	// connection. A header sent with the handshake wins.
	header := r.Header
	ws.InitFunc = func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
		if header.Get("Authorization") == "" {
			if auth := initAuthorization(p); auth != "" {
				header.Set("Authorization", auth)
			}
		}
		return ctx, nil, nil
	}
	ws.Do(w, r.WithContext(ctx), exec)
}

// initAuthorization finds an Authorization entry in a connection_init
// payload, whatever its case.
func initAuthorization(p transport.InitPayload) string {
	for k, v := range p {
		if s, ok := v.(string); ok && strings.EqualFold(k, "Authorization") {
			return s
		}
	}
	return ""
}

// graphql-transport-ws close codes that gqlgen does not send itself (it
// closes every protocol violation with 1002).
const (
	closeUnauthorized       = 4401 // an operation before connection_init
	closeTooManyInitRequest = 4429 // a second connection_init
)

// protocolCloses accepts connections whose graphql-transport-ws messages
// are looked at before gqlgen reads them, to close the connection with the
// codes the protocol gives: 4401 for a subscribe before connection_init
// (the connection is not acknowledged, so the client is not authorised
// yet) and 4429 for a second connection_init.
//
// Its messages to the client are looked at too: graphql-transport-ws ends
// an operation with either `error` or `complete`, never both, but gqlgen
// follows the `error` of a query that fails validation with a `complete`
// for the same id. A client (graphql-ws) that takes the id as released
// after the error then sees a `complete` it cannot place, and the
// operation it started next is lost. So a `complete` after an `error` for
// the same id is dropped, until the client subscribes with that id again.
type protocolCloses struct {
	transport.WebsocketImplementation
}

func (p protocolCloses) Accept(w http.ResponseWriter, r *http.Request, o transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	conn, err := p.WebsocketImplementation.Accept(w, r, o)
	if err != nil {
		return conn, err
	}
	return &protocolConn{WebsocketConn: conn}, nil
}

type protocolConn struct {
	transport.WebsocketConn
	mu     sync.Mutex
	inited bool
	closed bool // closed here: gqlgen's own close that follows is dropped
	// errored holds the ids whose operation ended with an `error`
	// message: their `complete` is not sent.
	errored map[string]bool
}

// WriteJSON sends v, a graphql-transport-ws message, unless it is the
// `complete` of an operation that already ended with `error`. A later part
// of a deferred response goes out in the form multipart/mixed uses and
// Apollo Client reads ({"incremental": [part], "hasNext": …}).
func (c *protocolConn) WriteJSON(v any) error {
	if c.Subprotocol() != "graphql-transport-ws" {
		return c.WebsocketConn.WriteJSON(v)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	var m struct {
		Type    string          `json:"type"`
		ID      string          `json:"id"`
		Payload json.RawMessage `json:"payload"`
	}
	if json.Unmarshal(b, &m) == nil && m.Type == "next" {
		if p, ok := incrementalPayload(m.Payload); ok {
			b, _ = json.Marshal(map[string]any{"id": m.ID, "type": m.Type, "payload": p})
		}
	}
	if m.ID != "" {
		c.mu.Lock()
		switch m.Type {
		case "error":
			if c.errored == nil {
				c.errored = map[string]bool{}
			}
			c.errored[m.ID] = true
		case "complete":
			if c.errored[m.ID] {
				delete(c.errored, m.ID)
				c.mu.Unlock()
				return nil
			}
		}
		c.mu.Unlock()
	}
	return c.WebsocketConn.WriteJSON(json.RawMessage(b))
}

func (c *protocolConn) NextReader() (int, io.Reader, error) {
	mt, r, err := c.WebsocketConn.NextReader()
	if err != nil || c.Subprotocol() != "graphql-transport-ws" {
		return mt, r, err
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return mt, nil, err
	}
	var m struct {
		Type string `json:"type"`
		ID   string `json:"id"`
	}
	_ = json.Unmarshal(b, &m) // gqlgen answers messages that are not JSON
	switch m.Type {
	case "connection_init":
		c.mu.Lock()
		again := c.inited
		c.inited = true
		c.mu.Unlock()
		if again {
			return mt, nil, c.closeWith(closeTooManyInitRequest, "Too many initialisation requests")
		}
	case "subscribe":
		c.mu.Lock()
		inited := c.inited
		delete(c.errored, m.ID) // a new operation under that id
		c.mu.Unlock()
		if !inited {
			return mt, nil, c.closeWith(closeUnauthorized, "Unauthorized")
		}
	}
	return mt, bytes.NewReader(b), nil
}

// closeWith closes the connection with code and returns the error that
// makes gqlgen's read loop end quietly.
func (c *protocolConn) closeWith(code int, reason string) error {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	_ = c.WebsocketConn.WriteClose(code, reason)
	_ = c.WebsocketConn.Close()
	return transport.ErrWebsocketClosed
}

func (c *protocolConn) WriteClose(code int, message string) error {
	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	if closed {
		return nil
	}
	return c.WebsocketConn.WriteClose(code, message)
}

func (c *protocolConn) Close() error {
	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	if closed {
		return nil
	}
	return c.WebsocketConn.Close()
}

// incrementalPayload turns gqlgen's later part of a deferred response
// ({"data", "label", "path", "hasNext", …}) into the incremental form; ok
// is false for any other payload (a first part or a whole response).
func incrementalPayload(raw json.RawMessage) (json.RawMessage, bool) {
	var part map[string]json.RawMessage
	if json.Unmarshal(raw, &part) != nil || part["path"] == nil || part["incremental"] != nil {
		return nil, false
	}
	out := map[string]json.RawMessage{"hasNext": part["hasNext"]}
	if out["hasNext"] == nil {
		out["hasNext"] = json.RawMessage("false")
	}
	if ext, ok := part["extensions"]; ok {
		out["extensions"] = ext
	}
	delete(part, "hasNext")
	delete(part, "extensions")
	inc, err := json.Marshal([]map[string]json.RawMessage{part})
	if err != nil {
		return nil, false
	}
	out["incremental"] = inc
	b, err := json.Marshal(out)
	return b, err == nil
}

// SetReadLimit and SetReadDeadline pass on the optional interfaces gqlgen
// uses for PayloadReadLimit and the ping timeout.
func (c *protocolConn) SetReadLimit(limit int64) {
	if l, ok := c.WebsocketConn.(transport.WebsocketReadLimiter); ok {
		l.SetReadLimit(limit)
	}
}

func (c *protocolConn) SetReadDeadline(t time.Time) error {
	if d, ok := c.WebsocketConn.(transport.WebsocketReadDeadliner); ok {
		return d.SetReadDeadline(t)
	}
	return nil
}

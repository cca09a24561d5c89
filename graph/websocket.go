package graph

import (
	"context"
	"net/http"
	"strings"
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
		Implementation: transport.CoderWebsocketImplementation{
			AcceptOptions: websocket.AcceptOptions{InsecureSkipVerify: true},
		},
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
	ctx, cancel := context.WithCancel(r.Context())
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

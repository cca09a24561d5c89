package embedded

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/samverkan/samverkan/internal/kg"
)

// nodeEnvelope is a node as stored: the label says which Go type to decode
// the body into.
type nodeEnvelope struct {
	Label kg.Label        `json:"label"`
	Node  json.RawMessage `json:"node"`
}

func encodeNode(n kg.Node) ([]byte, error) {
	body, err := json.Marshal(n)
	if err != nil {
		return nil, err
	}
	return json.Marshal(nodeEnvelope{Label: n.NodeLabel(), Node: body})
}

func decodeNode(b []byte) (kg.Node, error) {
	env, ok := splitEnvelope(b)
	if !ok {
		if err := json.Unmarshal(b, &env); err != nil {
			return nil, err
		}
	}
	n := kg.NewNode(env.Label)
	if n == nil {
		return nil, fmt.Errorf("unknown label %q", env.Label)
	}
	if err := json.Unmarshal(env.Node, n); err != nil {
		return nil, err
	}
	return n, nil
}

// splitEnvelope reads the envelope as encodeNode writes it,
// {"label":"…","node":{…}}, without decoding it (the body is then decoded
// once, not twice); false when b has another form.
func splitEnvelope(b []byte) (nodeEnvelope, bool) {
	const head, mid = `{"label":"`, `","node":`
	if !bytes.HasPrefix(b, []byte(head)) || len(b) < len(head)+len(mid)+3 || b[len(b)-1] != '}' {
		return nodeEnvelope{}, false
	}
	rest := b[len(head):]
	end := bytes.IndexByte(rest, '"')
	if end < 0 || bytes.IndexByte(rest[:end], '\\') >= 0 || !bytes.HasPrefix(rest[end:], []byte(mid)) {
		return nodeEnvelope{}, false
	}
	body := rest[end+len(mid) : len(rest)-1]
	if len(body) < 2 || body[0] != '{' {
		return nodeEnvelope{}, false
	}
	return nodeEnvelope{Label: kg.Label(rest[:end]), Node: body}, true
}

func decodeRel(b []byte) (kg.Rel, error) {
	var r kg.Rel
	if err := json.Unmarshal(b, &r); err != nil {
		return r, err
	}
	if !r.Type.Valid() {
		return r, fmt.Errorf("unknown relationship type %q", r.Type)
	}
	return r, nil
}

// tieFields are the fields of a stored relationship that the topology
// reads. Decoding only them (no sources, no timestamps) is what makes
// opening a big file fast.
type tieFields struct {
	Type       kg.RelType `json:"type"`
	From       string     `json:"from"`
	To         string     `json:"to"`
	Role       string     `json:"role"`
	Start      kg.Date    `json:"start"`
	End        kg.Date    `json:"end"`
	Level      int        `json:"level"`
	Importance int        `json:"importance"`
	Since      kg.Date    `json:"since"`
}

// decodeTie decodes the topology's part of a stored relationship.
func decodeTie(b []byte) (kg.Rel, error) {
	var f tieFields
	if err := json.Unmarshal(b, &f); err != nil {
		return kg.Rel{}, err
	}
	if !f.Type.Valid() {
		return kg.Rel{}, fmt.Errorf("unknown relationship type %q", f.Type)
	}
	return kg.Rel{Type: f.Type, From: f.From, To: f.To, Role: f.Role, Start: f.Start, End: f.End, Level: f.Level,
		Importance: f.Importance, Since: f.Since}, nil
}

// relKeyBytes is the bbolt key of a relationship. NUL cannot occur in a
// type or a valid id, so the key is unambiguous; keys of one type sort
// together.
func relKeyBytes(k kg.RelKey) []byte {
	return []byte(string(k.Type) + "\x00" + k.From + "\x00" + k.To)
}

func encodeUint(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

func decodeUint(b []byte) (uint64, error) {
	if len(b) != 8 {
		return 0, fmt.Errorf("%d bytes where 8 were expected", len(b))
	}
	return binary.BigEndian.Uint64(b), nil
}

// storeError carries a message that is safe to show API clients together
// with the cause, which stays reachable through errors.Is and errors.As
// (for logs) but never appears in the message.
type storeError struct {
	safe  *kg.Error
	cause error
}

func (e *storeError) Error() string { return e.safe.Error() }

func (e *storeError) Unwrap() []error {
	if e.cause == nil {
		return []error{e.safe}
	}
	return []error{e.safe, e.cause}
}

// unavailable wraps a bbolt failure as kg.ErrUnavailable with msg, which
// must not hold paths or driver text.
func unavailable(msg string, cause error) error {
	return &storeError{safe: &kg.Error{Kind: kg.ErrUnavailable, Msg: msg}, cause: cause}
}

func errClosed() error {
	return &kg.Error{Kind: kg.ErrUnavailable, Msg: "the embedded store is closed"}
}

// ctxErr returns nil while ctx is live, else an error that matches both
// kg.ErrTimeout and ctx.Err().
func ctxErr(ctx context.Context) error {
	err := ctx.Err()
	if err == nil {
		return nil
	}
	msg := "the request was cancelled before the store could answer"
	if errors.Is(err, context.DeadlineExceeded) {
		msg = "the request ran out of time before the store could answer"
	}
	return &storeError{safe: &kg.Error{Kind: kg.ErrTimeout, Msg: msg}, cause: err}
}

package kg

import (
	"errors"
	"fmt"
)

// Sentinel errors. Stores wrap or map their driver's errors to these; the
// API turns them into extensions.code values.
var (
	ErrInvalid     = errors.New("invalid input")     // BAD_USER_INPUT
	ErrNotFound    = errors.New("not found")         // NOT_FOUND
	ErrConflict    = errors.New("conflict")          // CONFLICT
	ErrTimeout     = errors.New("timeout")           // TIMEOUT
	ErrUnavailable = errors.New("store unavailable") // UNAVAILABLE, with a safe message
)

// Error is a domain error that says what was wrong, with which field or id.
// Its message is written for API clients: it never holds driver text.
type Error struct {
	Kind  error  // one of the sentinels above
	Field string // the input field at fault, e.g. "level" or "input.name"; may be empty
	ID    string // the node id at fault; may be empty
	// Reason refines Kind for clients that act on it (extensions.reason,
	// e.g. ReasonChangesExpired); may be empty.
	Reason string
	Msg    string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return e.Field + ": " + e.Msg
	}
	return e.Msg
}

// Unwrap lets errors.Is match the sentinel.
func (e *Error) Unwrap() error { return e.Kind }

// Invalid returns an ErrInvalid error about field.
func Invalid(field, format string, args ...any) error {
	return &Error{Kind: ErrInvalid, Field: field, Msg: fmt.Sprintf(format, args...)}
}

// NotFound returns an ErrNotFound error about id.
func NotFound(id string) error {
	return &Error{Kind: ErrNotFound, ID: id, Msg: fmt.Sprintf("no node with id %q", id)}
}

// NotFoundf returns an ErrNotFound error with its own message.
func NotFoundf(id, format string, args ...any) error {
	return &Error{Kind: ErrNotFound, ID: id, Msg: fmt.Sprintf(format, args...)}
}

// Conflict returns an ErrConflict error about id.
func Conflict(id, format string, args ...any) error {
	return &Error{Kind: ErrConflict, ID: id, Msg: fmt.Sprintf(format, args...)}
}

// WithField returns err with its field set to field (prefixing any field
// it already had), so that nested input can say where the fault is.
func WithField(err error, field string) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	c := *e
	switch {
	case c.Field == "":
		c.Field = field
	case field != "":
		c.Field = field + "." + c.Field
	}
	return &c
}

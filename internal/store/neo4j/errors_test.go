package neo4j

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/samverkan/samverkan/internal/kg"
)

// driverDetail stands for what a server or driver says; it must never
// reach a client.
const driverDetail = "secret driver detail: node(42) at 10.0.0.7"

func TestMapErrorToKgSentinels(t *testing.T) {
	deadline, cancel := context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer cancel()
	cancelled, cancel2 := context.WithCancel(context.Background())
	cancel2()

	domain := kg.Invalid("level", "7 is outside 1–5")
	tests := []struct {
		name string
		ctx  context.Context
		err  error
		want error
		msg  string
	}{
		{"constraint violation", nil, &neo4j.Neo4jError{Code: "Neo.ClientError.Schema.ConstraintValidationFailed", Msg: driverDetail}, kg.ErrConflict, msgConflict},
		{"server transaction timeout", nil, &neo4j.Neo4jError{Code: "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration", Msg: driverDetail}, kg.ErrTimeout, msgTimeout},
		{"context deadline from the driver", nil, fmt.Errorf("run: %w", context.DeadlineExceeded), kg.ErrTimeout, msgTimeout},
		{"call deadline passed, whatever the driver said", deadline, &neo4j.ConnectivityError{Inner: errors.New(driverDetail)}, kg.ErrTimeout, msgTimeout},
		{"connectivity", nil, &neo4j.ConnectivityError{Inner: errors.New(driverDetail)}, kg.ErrUnavailable, msgUnreachable},
		{"connection read timeout", nil, &neo4j.ConnectivityError{Inner: context.DeadlineExceeded}, kg.ErrTimeout, msgTimeout},
		{"network error", nil, &net.OpError{Op: "dial", Err: errors.New(driverDetail)}, kg.ErrUnavailable, msgUnreachable},
		{"bad credentials", nil, &neo4j.Neo4jError{Code: "Neo.ClientError.Security.Unauthorized", Msg: driverDetail}, kg.ErrUnavailable, msgAuth},
		{"stopped while waiting for a lock", nil, &neo4j.Neo4jError{Code: "Neo.ClientError.Transaction.LockClientStopped", Msg: driverDetail}, kg.ErrTimeout, msgTimeout},
		{"stopped while waiting for a lock, 4.x code", nil, &neo4j.Neo4jError{Code: "Neo.TransientError.Transaction.LockClientStopped", Msg: driverDetail}, kg.ErrTimeout, msgTimeout},
		{"terminated on the server", nil, &neo4j.Neo4jError{Code: "Neo.ClientError.Transaction.Terminated", Msg: driverDetail}, kg.ErrUnavailable, msgBusy},
		{"user lacks a privilege", nil, &neo4j.Neo4jError{Code: "Neo.ClientError.Security.Forbidden", Msg: driverDetail}, kg.ErrUnavailable, msgForbidden},
		{"missing database", nil, &neo4j.Neo4jError{Code: "Neo.ClientError.Database.DatabaseNotFound", Msg: driverDetail}, kg.ErrUnavailable, msgNoDatabase},
		{"transient after retries", nil, &neo4j.Neo4jError{Code: "Neo.TransientError.Transaction.DeadlockDetected", Msg: driverDetail}, kg.ErrUnavailable, msgBusy},
		{"syntax error is ours, not the client's", nil, &neo4j.Neo4jError{Code: "Neo.ClientError.Statement.SyntaxError", Msg: driverDetail}, kg.ErrUnavailable, msgInternal},
		{"retries exhausted: the last error decides", nil, &neo4j.TransactionExecutionLimit{Cause: driverDetail, Errors: []error{
			&neo4j.Neo4jError{Code: "Neo.TransientError.General.DatabaseUnavailable"},
			&neo4j.Neo4jError{Code: "Neo.ClientError.Schema.ConstraintValidationFailed", Msg: driverDetail}}}, kg.ErrConflict, msgConflict},
		{"retries exhausted without errors", nil, &neo4j.TransactionExecutionLimit{Cause: driverDetail}, kg.ErrUnavailable, msgBusy},
		{"usage error", nil, &neo4j.UsageError{Message: driverDetail}, kg.ErrUnavailable, msgInternal},
		{"unknown error", nil, io.ErrUnexpectedEOF, kg.ErrUnavailable, msgInternal},
		{"domain errors pass through", nil, domain, kg.ErrInvalid, domain.Error()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := tt.ctx
			if ctx == nil {
				ctx = context.Background()
			}
			got := mapError(ctx, tt.err)
			if !errors.Is(got, tt.want) {
				t.Fatalf("mapError(%v) = %v, want an error matching %v", tt.err, got, tt.want)
			}
			if got.Error() != tt.msg {
				t.Errorf("message %q, want %q", got.Error(), tt.msg)
			}
			if strings.Contains(got.Error(), "secret") {
				t.Errorf("driver text leaked: %q", got.Error())
			}
		})
	}
	if got := mapError(cancelled, errors.New(driverDetail)); !errors.Is(got, kg.ErrTimeout) || strings.Contains(got.Error(), "secret") {
		t.Errorf("cancelled call: %v", got)
	}
	if mapError(context.Background(), nil) != nil {
		t.Error("nil error mapped to an error")
	}
}

func TestFailLogsDriverTextButReturnsSafeError(t *testing.T) {
	var buf bytes.Buffer
	s := &Store{log: slog.New(slog.NewTextHandler(&buf, nil))}
	err := s.fail(context.Background(), "upsertNode", &neo4j.Neo4jError{Code: "Neo.ClientError.Schema.ConstraintValidationFailed", Msg: driverDetail})
	if !errors.Is(err, kg.ErrConflict) || strings.Contains(err.Error(), "secret") {
		t.Errorf("returned %v", err)
	}
	logged := buf.String()
	for _, want := range []string{"secret driver detail", "ConstraintValidationFailed", "op=upsertNode"} {
		if !strings.Contains(logged, want) {
			t.Errorf("log %q lacks %q", logged, want)
		}
	}

	buf.Reset()
	if err := s.fail(context.Background(), "setRel", kg.NotFound("x")); !errors.Is(err, kg.ErrNotFound) {
		t.Errorf("domain error became %v", err)
	}
	if buf.Len() != 0 {
		t.Errorf("a client's mistake was logged as a store failure: %s", buf.String())
	}
}

func TestOpenErrorSaysWhichProblemInOneLine(t *testing.T) {
	cfg := Config{URI: "neo4j://admin:hunter2@db.example:7687", Username: "neo4j", Password: "hunter2", Database: "graph", StatementTimeout: time.Second}
	tests := []struct {
		err  error
		want string
		is   error
	}{
		{&neo4j.ConnectivityError{Inner: errors.New(driverDetail)}, "is unreachable", kg.ErrUnavailable},
		{&neo4j.Neo4jError{Code: "Neo.ClientError.Security.Unauthorized", Msg: driverDetail}, `refused the credentials of user "neo4j"`, kg.ErrUnavailable},
		{&neo4j.Neo4jError{Code: "Neo.ClientError.Database.DatabaseNotFound", Msg: driverDetail}, `has no database "graph"`, kg.ErrUnavailable},
		{context.DeadlineExceeded, "did not answer within 1s", kg.ErrTimeout},
		{&neo4j.Neo4jError{Code: "Neo.ClientError.Security.Forbidden", Msg: driverDetail}, `does not let user "neo4j" use database "graph"`, kg.ErrUnavailable},
	}
	for _, tt := range tests {
		err := openError(cfg, tt.err)
		msg := err.Error()
		if !strings.Contains(msg, tt.want) || !errors.Is(err, tt.is) {
			t.Errorf("openError(%v) = %q, want it to say %q", tt.err, msg, tt.want)
		}
		if strings.Contains(msg, "hunter2") || strings.Contains(msg, "secret") || strings.Contains(msg, "\n") {
			t.Errorf("message leaks a secret or driver text, or spans lines: %q", msg)
		}
		if !strings.Contains(msg, "neo4j://db.example:7687") {
			t.Errorf("message does not name the server: %q", msg)
		}
	}
}

func TestOpenUnreachableServer(t *testing.T) {
	// A port that was just free: nothing listens there.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()

	s, err := Open(context.Background(), Config{URI: "bolt://" + addr, Username: "neo4j", Password: "pw", StatementTimeout: 5 * time.Second},
		WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	if err == nil {
		s.Close()
		t.Fatal("Open succeeded without a server")
	}
	if !errors.Is(err, kg.ErrUnavailable) || !strings.Contains(err.Error(), "unreachable") {
		t.Errorf("err = %v, want an unreachable-server error", err)
	}
}

func TestOpenRefusesAMissingOrBadURI(t *testing.T) {
	quiet := WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))
	if _, err := Open(context.Background(), Config{}, quiet); err == nil || !strings.Contains(err.Error(), "NEO4J_URI") {
		t.Errorf("empty URI: %v", err)
	}
	if _, err := Open(context.Background(), Config{URI: "http://localhost:7474"}, quiet); err == nil || !errors.Is(err, kg.ErrUnavailable) {
		t.Errorf("http URI: %v", err)
	}
}

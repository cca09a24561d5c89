package neo4j

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/samverkan/samverkan/internal/kg"
)

// Messages returned for driver failures. They are written for API clients:
// the driver's own text goes to the log only.
const (
	msgTimeout     = "the graph database did not answer in time; try again or ask for less"
	msgCancelled   = "the request was cancelled before the store could answer"
	msgUnreachable = "the graph database cannot be reached"
	msgAuth        = "the graph database refused the store's credentials"
	msgForbidden   = "the graph database does not allow the store's user this operation"
	msgNoDatabase  = "the configured graph database does not exist"
	msgBusy        = "the graph database is busy; try again"
	msgConflict    = "the change conflicts with a concurrent change (an id or an external id is already taken); try again"
	msgInternal    = "the graph store failed"
)

// Neo4j status codes the store tells apart.
const (
	codeConstraintFailed = "Neo.ClientError.Schema.ConstraintValidationFailed"
	codeTxTimedOut       = "Neo.ClientError.Transaction.TransactionTimedOut" // also ...ClientConfiguration
	codeDatabaseNotFound = "Neo.ClientError.Database.DatabaseNotFound"
	codeEntityNotFound   = "Neo.ClientError.Statement.EntityNotFound"
	codeForbidden        = "Neo.ClientError.Security.Forbidden"
	codeSecurityPrefix   = "Neo.ClientError.Security."
	// A transaction stopped while it waited for a lock, mostly because its
	// timeout passed; and one terminated on the server (an administrator,
	// a leader switch). The driver reclassifies the 4.x TransientError
	// forms of both as ClientError, so either may arrive.
	codeLockClientStopped = ".Transaction.LockClientStopped"
	codeTerminated        = ".Transaction.Terminated"
	codeTransientPrefix   = "Neo.TransientError."
)

func failure(kind error, msg string) error { return &kg.Error{Kind: kind, Msg: msg} }

// mapError turns a driver error into a kg error with a safe message. Domain
// errors (*kg.Error) raised inside a transaction pass through unchanged.
// ctx is the call's context: a call whose deadline passed is a timeout
// whatever the driver made of it.
func mapError(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	var ke *kg.Error
	if errors.As(err, &ke) {
		return err
	}
	if ctx != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return failure(kg.ErrTimeout, msgTimeout)
	}
	if ctx != nil && errors.Is(ctx.Err(), context.Canceled) {
		return failure(kg.ErrTimeout, msgCancelled)
	}
	return classify(err)
}

func classify(err error) error {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return failure(kg.ErrTimeout, msgTimeout)
	case errors.Is(err, context.Canceled):
		// As the embedded store: a cancelled call is a timeout to the caller.
		return failure(kg.ErrTimeout, msgCancelled)
	}
	var limit *neo4j.TransactionExecutionLimit
	if errors.As(err, &limit) {
		// Retries ran out: what failed last says why.
		if n := len(limit.Errors); n > 0 && limit.Errors[n-1] != nil {
			return classify(limit.Errors[n-1])
		}
		return failure(kg.ErrUnavailable, msgBusy)
	}
	var auth *neo4j.InvalidAuthenticationError
	if errors.As(err, &auth) {
		return failure(kg.ErrUnavailable, msgAuth)
	}
	var expired *neo4j.TokenExpiredError
	if errors.As(err, &expired) {
		return failure(kg.ErrUnavailable, msgAuth)
	}
	var ne *neo4j.Neo4jError
	if errors.As(err, &ne) {
		return classifyCode(ne.Code)
	}
	var ce *neo4j.ConnectivityError
	if errors.As(err, &ce) {
		if ce.Inner != nil && errors.Is(ce.Inner, context.DeadlineExceeded) {
			return failure(kg.ErrTimeout, msgTimeout)
		}
		return failure(kg.ErrUnavailable, msgUnreachable)
	}
	var nerr net.Error
	if errors.As(err, &nerr) {
		if nerr.Timeout() {
			return failure(kg.ErrTimeout, msgTimeout)
		}
		return failure(kg.ErrUnavailable, msgUnreachable)
	}
	return failure(kg.ErrUnavailable, msgInternal)
}

func classifyCode(code string) error {
	switch {
	case code == codeConstraintFailed:
		return failure(kg.ErrConflict, msgConflict)
	case strings.HasPrefix(code, codeTxTimedOut):
		return failure(kg.ErrTimeout, msgTimeout)
	case strings.HasSuffix(code, codeLockClientStopped):
		return failure(kg.ErrTimeout, msgTimeout)
	case strings.HasSuffix(code, codeTerminated):
		return failure(kg.ErrUnavailable, msgBusy)
	case code == codeDatabaseNotFound:
		return failure(kg.ErrUnavailable, msgNoDatabase)
	case code == codeForbidden:
		return failure(kg.ErrUnavailable, msgForbidden)
	case strings.HasPrefix(code, codeSecurityPrefix):
		return failure(kg.ErrUnavailable, msgAuth)
	case strings.HasPrefix(code, codeTransientPrefix):
		return failure(kg.ErrUnavailable, msgBusy)
	}
	return failure(kg.ErrUnavailable, msgInternal)
}

// driverCode returns the Neo4j status code inside err, for logs.
func driverCode(err error) string {
	var ne *neo4j.Neo4jError
	if errors.As(err, &ne) {
		return ne.Code
	}
	var limit *neo4j.TransactionExecutionLimit
	if errors.As(err, &limit) && len(limit.Errors) > 0 {
		return driverCode(limit.Errors[len(limit.Errors)-1])
	}
	return ""
}

// fail logs what the driver said and returns the mapped error. Domain
// errors are the client's business and are not logged.
func (s *Store) fail(ctx context.Context, op string, err error) error {
	mapped := mapError(ctx, err)
	var ke *kg.Error
	if errors.As(err, &ke) {
		return mapped
	}
	level := slog.LevelError
	if errors.Is(mapped, kg.ErrTimeout) || errors.Is(mapped, kg.ErrConflict) {
		level = slog.LevelWarn
	}
	s.log.Log(context.WithoutCancel(ctx), level, "neo4j store call failed",
		"op", op, "code", driverCode(err), "error", err.Error(), "returned", mapped.Error())
	return mapped
}

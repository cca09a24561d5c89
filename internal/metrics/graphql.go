package metrics

import (
	"context"
	"log/slog"
	"regexp"
	"time"

	"github.com/99designs/gqlgen/graphql"
)

// GraphQL returns the gqlgen extension that counts and times every
// operation by name and outcome code and, when log is not nil, logs one
// line per operation: name, type, outcome code, error count and duration.
// Variables, the query text and headers are never logged (they may hold
// personal data and keys). Install it first, so that it sees the refusals
// of every later extension.
func (m *Metrics) GraphQL(log *slog.Logger) graphql.HandlerExtension {
	return &gqlExtension{m: m, log: log}
}

type gqlExtension struct {
	m   *Metrics
	log *slog.Logger
}

var (
	_ graphql.HandlerExtension     = (*gqlExtension)(nil)
	_ graphql.OperationInterceptor = (*gqlExtension)(nil)
	_ graphql.ResponseInterceptor  = (*gqlExtension)(nil)
)

func (*gqlExtension) ExtensionName() string                   { return "Metrics" }
func (*gqlExtension) Validate(graphql.ExecutableSchema) error { return nil }

// observedKey marks the context of a dispatched operation, whose responses
// InterceptOperation records.
type observedKey struct{}

func markObserved(ctx context.Context) context.Context {
	return context.WithValue(ctx, observedKey{}, true)
}

func observed(ctx context.Context) bool {
	v, _ := ctx.Value(observedKey{}).(bool)
	return v
}

// InterceptOperation records every response of a dispatched operation,
// including one that a later extension answers without executing.
func (e *gqlExtension) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	responses := next(markObserved(ctx))
	return func(ctx context.Context) *graphql.Response {
		resp := responses(ctx)
		if resp != nil {
			e.record(ctx, resp, time.Time{})
		}
		return resp
	}
}

// InterceptResponse records the responses of requests refused before an
// operation was dispatched (unreadable body, parse and validation errors,
// refusals of operation-context mutators); dispatched ones are recorded by
// InterceptOperation.
func (e *gqlExtension) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	start := time.Now()
	resp := next(ctx)
	if resp != nil && !observed(ctx) {
		e.record(ctx, resp, start)
	}
	return resp
}

// leadingOperation matches the first operation of a document that starts
// with one (after comments): its type and name.
var leadingOperation = regexp.MustCompile(`^(?:\s|,|#[^\n]*)*(query|mutation|subscription)\s+([A-Za-z_][A-Za-z0-9_]*)`)

func head(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// record counts resp; start is used when the operation context has no
// start time of its own.
func (e *gqlExtension) record(ctx context.Context, resp *graphql.Response, start time.Time) {
	now := time.Now()
	name, typ := "", "unknown"
	var took time.Duration
	if graphql.HasOperationContext(ctx) {
		opCtx := graphql.GetOperationContext(ctx)
		name = opCtx.OperationName
		switch {
		case opCtx.Operation != nil:
			name = opCtx.Operation.Name
			typ = string(opCtx.Operation.Operation)
		case name == "":
			// Parse or validation failed: a client's outdated query should
			// still show under its name, so read it off the text.
			if m := leadingOperation.FindStringSubmatch(head(opCtx.RawQuery, 1024)); m != nil {
				typ, name = m[1], m[2]
			}
		}
		if !opCtx.Stats.OperationStart.IsZero() {
			took = now.Sub(opCtx.Stats.OperationStart)
		}
	}
	if took == 0 && !start.IsZero() {
		took = now.Sub(start)
	}
	code := OK
	if len(resp.Errors) > 0 {
		c, _ := resp.Errors[0].Extensions["code"].(string)
		code = codeLabel(c)
	}
	op := e.m.operationLabel(name)
	e.m.gqlOperations.WithLabelValues(op, typ, code).Inc()
	e.m.gqlDuration.WithLabelValues(op).Observe(took.Seconds())
	if e.log == nil {
		return
	}
	level := slog.LevelInfo
	if code == "INTERNAL" || code == "TIMEOUT" {
		level = slog.LevelWarn
	}
	e.log.LogAttrs(ctx, level, "graphql operation",
		slog.String("operation", op), slog.String("type", typ), slog.String("code", code),
		slog.Int("errors", len(resp.Errors)), slog.Float64("duration_ms", float64(took.Microseconds())/1000))
}

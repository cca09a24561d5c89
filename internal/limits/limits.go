package limits

import (
	"context"
	"fmt"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/samverkan/samverkan/internal/errcode"
)

// Config holds the limits of one operation; zero turns a limit off.
type Config struct {
	MaxDepth      int // fields on the longest path, leaf included
	MaxAliases    int // aliased fields
	MaxRootFields int // distinct root fields
	MaxTokens     int // lexical tokens of the query document (the parser stops past it)
	MaxQueryBytes int // bytes of the query document
	MaxCost       int // estimated cost, see the cost model in measure.go
	MaxErrors     int // errors in one response; the rest are left out
}

// Defaults are the limits the server starts with. graphql-armor's are the
// reference (aliases 15, tokens 1000); depth is 10 rather than its 6
// because a connection adds two levels (edges, node): the tour's nested
// queries and the README's actors → edges → node → projects → project →
// participants → actor → name (8) must run.
func Defaults() Config {
	return Config{
		MaxDepth:      10,
		MaxAliases:    15,
		MaxRootFields: 20,
		MaxTokens:     1000,
		MaxQueryBytes: 16 << 10,
		MaxCost:       10_000,
		MaxErrors:     10,
	}
}

// Extensions returns the gqlgen extensions that enforce c, in the order
// they must be installed: the query-size check (before parsing and before
// the persisted-query cache stores a query), the operation checks, and the
// error cap. The token limit is the parser's own (graph.Options).
func (c Config) Extensions() []graphql.HandlerExtension {
	return []graphql.HandlerExtension{QuerySize{Max: c.MaxQueryBytes}, &Checker{Config: c}, ErrorCap{Max: c.MaxErrors}}
}

const costStats = "samverkan.cost"

// CostOf returns the cost the Checker measured for the operation, measuring
// it now when no Checker ran.
func CostOf(opCtx *graphql.OperationContext) int {
	if c, ok := opCtx.Stats.GetExtension(costStats).(int); ok {
		return c
	}
	return MeasureOperation(opCtx.Doc, opCtx.Operation, opCtx.Variables).Cost
}

func limitError(limit string, max, actual int, format string, args ...any) *gqlerror.Error {
	return &gqlerror.Error{
		Message: fmt.Sprintf(format, args...),
		Extensions: map[string]any{
			"code": errcode.BadUserInput, "limit": limit, "max": max, "actual": actual,
		},
	}
}

// QuerySize refuses query documents over Max bytes before they are parsed
// (and so before they reach the parsed-query or persisted-query caches).
type QuerySize struct{ Max int }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = QuerySize{}

func (QuerySize) ExtensionName() string                   { return "SamverkanQuerySize" }
func (QuerySize) Validate(graphql.ExecutableSchema) error { return nil }

func (q QuerySize) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	if q.Max > 0 && len(p.Query) > q.Max {
		return limitError("MAX_QUERY_BYTES", q.Max, len(p.Query),
			"the query document is %d bytes; the limit is %d (send large inputs as variables)", len(p.Query), q.Max)
	}
	return nil
}

// Checker refuses operations over the depth, alias, root-field and cost
// limits after validation and before execution, and records the cost for
// the rate limiter and the rateLimit field.
type Checker struct{ Config Config }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = &Checker{}

func (*Checker) ExtensionName() string                   { return "SamverkanLimits" }
func (*Checker) Validate(graphql.ExecutableSchema) error { return nil }

func (ch *Checker) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	m := MeasureOperation(opCtx.Doc, opCtx.Operation, opCtx.Variables)
	c := ch.Config
	switch {
	case c.MaxRootFields > 0 && m.RootFields > c.MaxRootFields:
		return limitError("MAX_ROOT_FIELDS", c.MaxRootFields, m.RootFields,
			"the operation has %d root fields; the limit is %d", m.RootFields, c.MaxRootFields)
	case c.MaxAliases > 0 && m.Aliases > c.MaxAliases:
		return limitError("MAX_ALIASES", c.MaxAliases, m.Aliases,
			"the operation has %d aliases; the limit is %d", m.Aliases, c.MaxAliases)
	case c.MaxDepth > 0 && m.Depth > c.MaxDepth:
		return limitError("MAX_DEPTH", c.MaxDepth, m.Depth,
			"the operation is %d fields deep; the limit is %d", m.Depth, c.MaxDepth)
	case c.MaxCost > 0 && m.Cost > c.MaxCost:
		return limitError("MAX_COST", c.MaxCost, m.Cost,
			"the operation's estimated cost is %d; the limit is %d (ask for fewer items with first, or split the operation)",
			m.Cost, c.MaxCost)
	}
	opCtx.Stats.SetExtension(costStats, m.Cost)
	SetUsage(opCtx, Usage{Cost: m.Cost, ResetAt: time.Now().UTC()})
	return nil
}

// ErrorCap keeps at most Max errors in a response, so that a request that
// breaks a rule many times (500 repeated directives) gets a small answer;
// extensions.omittedErrors says how many were left out.
type ErrorCap struct{ Max int }

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = ErrorCap{}

func (ErrorCap) ExtensionName() string                   { return "SamverkanErrorCap" }
func (ErrorCap) Validate(graphql.ExecutableSchema) error { return nil }

func (e ErrorCap) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp == nil || e.Max <= 0 || len(resp.Errors) <= e.Max {
		return resp
	}
	omitted := len(resp.Errors) - e.Max
	resp.Errors = resp.Errors[:e.Max:e.Max]
	if resp.Extensions == nil {
		resp.Extensions = map[string]any{}
	}
	resp.Extensions["omittedErrors"] = omitted
	return resp
}

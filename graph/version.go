package graph

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/samverkan/samverkan/internal/kg"
)

// MinGraphVersionHeader asks a server to answer at least at this graph
// version: a client that wrote through one API process (and was told the
// version in the answer's extensions.graphVersion) reads its write through
// any other.
const MinGraphVersionHeader = "Min-Graph-Version"

// DefaultMinVersionWait is how long a request waits for the store to reach
// the version it asked for before it fails with TIMEOUT.
const DefaultMinVersionWait = 5 * time.Second

// graphVersion puts the store's graph version on every answer, as
// extensions.graphVersion: for a query the version read before it ran (the
// answer holds every write up to it), for a mutation the version read
// after (at least the write's own). A request with the Min-Graph-Version
// header waits, up to maxWait, until the store has reached that version.
type graphVersion struct {
	store   kg.Store
	maxWait time.Duration
}

var (
	_ graphql.HandlerExtension    = graphVersion{}
	_ graphql.ResponseInterceptor = graphVersion{}
)

func (graphVersion) ExtensionName() string                   { return "GraphVersion" }
func (graphVersion) Validate(graphql.ExecutableSchema) error { return nil }
func (g graphVersion) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	if !graphql.HasOperationContext(ctx) {
		return next(ctx)
	}
	oc := graphql.GetOperationContext(ctx)
	if oc.Operation == nil || oc.Operation.Operation == ast.Subscription || len(graphql.GetErrors(ctx)) > 0 {
		// Nothing to version, or a request refused before it ran (limits,
		// roles, bad variables): a refusal makes no store call.
		return next(ctx)
	}
	if raw := strings.TrimSpace(oc.Headers.Get(MinGraphVersionHeader)); raw != "" {
		want, err := strconv.ParseUint(raw, 10, 64)
		if err != nil {
			return g.refuse(ctx, kg.Invalid(MinGraphVersionHeader, "the %s header must be a graph version (a whole number), not %q", MinGraphVersionHeader, raw))
		}
		if err := g.await(ctx, want); err != nil {
			return g.refuse(ctx, err)
		}
	}
	var before uint64
	if oc.Operation.Operation != ast.Mutation {
		v, err := g.store.Version(ctx)
		if err != nil {
			return g.refuse(ctx, err)
		}
		before = v
	}
	resp := next(ctx)
	if resp == nil {
		return nil
	}
	v := before
	if oc.Operation.Operation == ast.Mutation {
		after, err := g.store.Version(ctx)
		if err != nil {
			return resp // the write's own answer stands; only the version is missing
		}
		v = after
	}
	if resp.Extensions == nil {
		resp.Extensions = map[string]any{}
	}
	resp.Extensions["graphVersion"] = v
	return resp
}

// await polls the store's version until it reaches want, the wait is over,
// or the request ends.
func (g graphVersion) await(ctx context.Context, want uint64) error {
	deadline := time.Now().Add(g.maxWait)
	pause := 5 * time.Millisecond
	for {
		v, err := g.store.Version(ctx)
		if err != nil {
			return err
		}
		if v >= want {
			return nil
		}
		if time.Now().Add(pause).After(deadline) {
			return &kg.Error{Kind: kg.ErrTimeout, Msg: fmt.Sprintf(
				"this server has reached graph version %d, not yet %d (the %s header), within %s; try again", v, want, MinGraphVersionHeader, g.maxWait)}
		}
		select {
		case <-ctx.Done():
			return &kg.Error{Kind: kg.ErrTimeout, Msg: fmt.Sprintf(
				"the request ended before this server reached graph version %d (at %d)", want, v)}
		case <-time.After(pause):
		}
		pause = min(2*pause, 200*time.Millisecond)
	}
}

func (graphVersion) refuse(ctx context.Context, err error) *graphql.Response {
	graphql.AddError(ctx, err)
	return &graphql.Response{Errors: graphql.GetErrors(ctx)}
}

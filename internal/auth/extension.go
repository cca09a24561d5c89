package auth

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/samverkan/samverkan/internal/errcode"
	"github.com/samverkan/samverkan/internal/httpstatus"
)

// Extension is the gqlgen extension that refuses an operation whose root
// fields the caller's role does not allow, before any resolver runs, so
// that a refused operation changes nothing and reads nothing. It needs
// Middleware in front of the handler (without it every caller is
// anonymous), and httpstatus.Middleware for the 401 and 403 statuses.
type Extension struct {
	// ReadsNeedKey makes queries and subscriptions need a reader key
	// (AUTH_READS=key); by default they are open to anyone.
	ReadsNeedKey bool
	// Keys authenticate an Authorization entry that reaches the operation
	// through its headers rather than through Middleware: a websocket
	// client's key sent in its connection_init payload (Middleware removes
	// the header from HTTP requests, so a handshake header wins). Nil or
	// empty: no key is configured, and the refusal says so.
	Keys *Keys

	// roots are the root type of each kind of operation, as the type
	// conditions CollectFields takes.
	roots map[ast.Operation][]string
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = &Extension{}

func (e *Extension) ExtensionName() string { return "SamverkanAuth" }

func (e *Extension) Validate(schema graphql.ExecutableSchema) error {
	s := schema.Schema()
	e.roots = map[ast.Operation][]string{}
	for op, def := range map[ast.Operation]*ast.Definition{ast.Query: s.Query, ast.Mutation: s.Mutation, ast.Subscription: s.Subscription} {
		if def != nil {
			e.roots[op] = []string{def.Name}
		}
	}
	return nil
}

// RequiredRole is the role a root field of an operation of kind op needs:
// reads need nothing, or a reader key when readsNeedKey; delete… and
// importGraph need admin; every other mutation (upsert…, set…, remove…)
// editor. A mutation the rules do not name needs admin, so that a new one
// is safe until someone decides otherwise.
func RequiredRole(op ast.Operation, field string, readsNeedKey bool) Role {
	if op != ast.Mutation {
		if readsNeedKey {
			return RoleReader
		}
		return RoleNone
	}
	switch {
	case strings.HasPrefix(field, "delete"), field == "importGraph":
		return RoleAdmin
	case strings.HasPrefix(field, "upsert"), strings.HasPrefix(field, "set"), strings.HasPrefix(field, "remove"),
		field == "__typename":
		return RoleEditor
	}
	return RoleAdmin
}

func (e *Extension) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	id := FromContext(ctx)
	if id.Anonymous() && !id.InvalidKey {
		if vals := opCtx.Headers.Values("Authorization"); len(vals) > 0 {
			id = e.Keys.Identify(vals, id.ClientIP)
			// Kept for IdentityOf, which otherwise reads the request's.
			opCtx.Stats.SetExtension(identityStats, id)
		}
	}
	if id.InvalidKey {
		return unauthenticated(ctx, "the API key is not valid; send a configured key as Authorization: Bearer <key>", true)
	}
	op := opCtx.Operation
	// The root fields as the executor will see them: fragments expanded,
	// @skip and @include applied.
	fields := graphql.CollectFields(opCtx, op.SelectionSet, e.roots[op.Operation])
	need, field := RoleNone, ""
	for _, f := range fields {
		if r := RequiredRole(op.Operation, f.Name, e.ReadsNeedKey); r > need {
			need, field = r, f.Name
		}
	}
	if op.Operation == ast.Mutation && need < RoleEditor {
		need = RoleEditor // a mutation operation is never anonymous
	}
	if need <= id.Role {
		return nil
	}
	if id.Anonymous() {
		msg := fmt.Sprintf("%s needs an API key with the %s role; send it as Authorization: Bearer <key>", what(field), need)
		if e.Keys.Len() == 0 {
			msg += " (this server has no keys configured, so it accepts no writes)"
		}
		return unauthenticated(ctx, msg, false)
	}
	httpstatus.Set(ctx, http.StatusForbidden, nil)
	return &gqlerror.Error{
		Message: fmt.Sprintf("%s needs the %s role; the key %q has the %s role", what(field), need, id.Name, id.Role),
		Extensions: map[string]any{
			"code": errcode.Forbidden, "requiredRole": need.String(), "role": id.Role.String(),
		},
	}
}

const identityStats = "samverkan.identity"

// IdentityOf returns the identity an operation runs as: the one Extension
// settled on (which may come from a websocket's connection_init key), or
// the request's (FromContext) before or without Extension.
func IdentityOf(ctx context.Context) Identity {
	if graphql.HasOperationContext(ctx) {
		if id, ok := graphql.GetOperationContext(ctx).Stats.GetExtension(identityStats).(Identity); ok {
			return id
		}
	}
	return FromContext(ctx)
}

func what(field string) string {
	if field == "" {
		return "this operation"
	}
	return field
}

func unauthenticated(ctx context.Context, msg string, invalid bool) *gqlerror.Error {
	challenge := `Bearer realm="samverkan"`
	if invalid {
		challenge += `, error="invalid_token"`
	}
	httpstatus.Set(ctx, http.StatusUnauthorized, http.Header{"Www-Authenticate": {challenge}})
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": errcode.Unauthenticated}}
}

package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"syscall"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/samverkan/samverkan/internal/errcode"
	"github.com/samverkan/samverkan/internal/kg"
)

// The extensions.code values of DESIGN.md §4 (package errcode holds them
// for the layers that must not import this one).
const (
	CodeBadUserInput    = errcode.BadUserInput
	CodeNotFound        = errcode.NotFound
	CodeConflict        = errcode.Conflict
	CodeUnauthenticated = errcode.Unauthenticated
	CodeForbidden       = errcode.Forbidden
	CodeRateLimited     = errcode.RateLimited
	CodeTimeout         = errcode.Timeout
	CodeInternal        = errcode.Internal
	CodeUnavailable     = errcode.Unavailable
)

// internalMessage is all a client learns of an unexpected error; the cause
// is logged with the request id.
const internalMessage = "internal error; the server log has the details under this request's id"

// ErrorPresenter maps every error to one of the codes above. Domain errors
// keep their message (written for clients, naming the field or id); parse,
// validation and argument-coercion errors become BAD_USER_INPUT with the
// original kind in extensions.reason; anything else is INTERNAL with a
// fixed message, so that no driver text or stack reaches a client.
func ErrorPresenter(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		var gqlErr *gqlerror.Error
		if errors.As(err, &gqlErr) && gqlErr.Err == nil {
			// Produced by the GraphQL layer itself (parse, validation,
			// coercion): its message is safe and about the request.
			out := *gqlErr
			if out.Path == nil {
				out.Path = graphql.GetPath(ctx)
			}
			code, reason := codeOfGraphQLError(gqlErr)
			out.Extensions = withCode(out.Extensions, code)
			if reason != "" {
				out.Extensions["reason"] = reason
			}
			nameVariable(&out)
			return &out
		}
		out := graphql.DefaultErrorPresenter(ctx, err)
		var kgErr *kg.Error
		switch {
		case errors.Is(err, syscall.ENOSPC), errors.As(err, &kgErr) && kgErr.Kind == kg.ErrUnavailable:
			unavailableError(ctx, log, err, out)
		case errors.As(err, &kgErr):
			if kgErr.Field == "" && errors.As(err, &gqlErr) {
				// A scalar that refused an argument's value (a Date) does
				// not know the argument: its path does.
				if name := argumentOf(gqlErr.Path, graphql.GetPath(ctx)); name != "" {
					named := *kgErr
					named.Field = name
					kgErr = &named
				}
			}
			out.Message = kgErr.Error()
			ext := withCode(out.Extensions, codeOf(kgErr.Kind))
			if kgErr.Field != "" {
				ext["field"] = kgErr.Field
			}
			if kgErr.ID != "" {
				ext["id"] = kgErr.ID
			}
			if kgErr.Reason != "" {
				ext["reason"] = kgErr.Reason
			}
			out.Extensions = ext
		case errors.Is(err, context.DeadlineExceeded), errors.Is(err, kg.ErrTimeout):
			out.Message = "the request took longer than its deadline"
			out.Extensions = withCode(nil, CodeTimeout)
		case errors.Is(err, context.Canceled):
			out.Message = "the request was cancelled"
			out.Extensions = withCode(nil, CodeTimeout)
		default:
			log.ErrorContext(ctx, "internal error", "err", err.Error(), "path", out.Path.String())
			out.Message = internalMessage
			out.Extensions = withCode(nil, CodeInternal)
		}
		return out
	}
}

// unavailableError fills in out for a store that cannot serve: a full disk
// or another unavailability. The input is not at fault, so the message
// does not name a field; the cause is logged for the operators.
func unavailableError(ctx context.Context, log *slog.Logger, err error, out *gqlerror.Error) {
	log.ErrorContext(ctx, "store unavailable", "err", err.Error(), "disk_full", errors.Is(err, syscall.ENOSPC),
		"path", out.Path.String())
	var kgErr *kg.Error
	switch {
	case errors.Is(err, syscall.ENOSPC):
		out.Message = "the server's disk is full, so the change was not saved; nothing was changed. Try again later"
	case errors.As(err, &kgErr):
		out.Message = kgErr.Msg
	default:
		out.Message = "the store is unavailable; try again later"
	}
	out.Extensions = withCode(nil, CodeUnavailable)
	if kgErr != nil && kgErr.Reason != "" {
		out.Extensions["reason"] = kgErr.Reason
	}
}

// nameVariable makes an error about a variable's value (gqlparser's
// VariableValues puts the variable first in the path) say which variable,
// in its message and in extensions.variable.
func nameVariable(e *gqlerror.Error) {
	if len(e.Path) < 2 || e.Path[0] != ast.PathName("variable") {
		return
	}
	name, ok := e.Path[1].(ast.PathName)
	if !ok {
		return
	}
	if _, done := e.Extensions["variable"]; done {
		return
	}
	e.Extensions["variable"] = string(name)
	where := "$" + string(name)
	for _, p := range e.Path[2:] {
		switch p := p.(type) {
		case ast.PathIndex:
			where += fmt.Sprintf("[%d]", int(p))
		case ast.PathName:
			where += "." + string(p)
		}
	}
	e.Message = "variable " + where + ": " + e.Message
}

func codeOf(kind error) string {
	switch kind {
	case kg.ErrInvalid:
		return CodeBadUserInput
	case kg.ErrNotFound:
		return CodeNotFound
	case kg.ErrConflict:
		return CodeConflict
	case kg.ErrTimeout:
		return CodeTimeout
	case kg.ErrUnavailable:
		return CodeUnavailable
	}
	return CodeInternal
}

// codeOfGraphQLError maps the GraphQL layer's own codes into the scheme,
// keeping the original as a reason. The persisted-query codes stay as they
// are: APQ clients resend the full query when they see them.
func codeOfGraphQLError(e *gqlerror.Error) (code, reason string) {
	c, _ := e.Extensions["code"].(string)
	switch c {
	case CodeBadUserInput, CodeNotFound, CodeConflict, CodeUnauthenticated, CodeForbidden,
		CodeRateLimited, CodeTimeout, CodeInternal, "PERSISTED_QUERY_NOT_FOUND", "PERSISTED_QUERY_NOT_SUPPORTED":
		return c, ""
	case "":
		return CodeBadUserInput, ""
	}
	return CodeBadUserInput, c
}
func withCode(ext map[string]any, code string) map[string]any {
	out := make(map[string]any, len(ext)+1)
	for k, v := range ext {
		out[k] = v
	}
	out["code"] = code
	return out
}

// Recover turns a panic in a resolver into an INTERNAL error, logging the
// panic value and stack for the operators only.
func Recover(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "panic in resolver", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		return errPanic
	}
}

var errPanic = errors.New("panic")

// argumentOf names the argument (with the path inside it: input.rels[0].from)
// that an argument-coercion error's path points into below the field's
// own path; "" when the error is not about an argument.
func argumentOf(errPath, fieldPath ast.Path) string {
	if len(errPath) <= len(fieldPath) {
		return ""
	}
	for i, p := range fieldPath {
		if errPath[i] != p {
			return ""
		}
	}
	name := ""
	for _, p := range errPath[len(fieldPath):] {
		switch p := p.(type) {
		case ast.PathName:
			if name != "" {
				name += "."
			}
			name += string(p)
		case ast.PathIndex:
			name += fmt.Sprintf("[%d]", int(p))
		}
	}
	return name
}

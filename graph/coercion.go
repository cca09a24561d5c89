package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"reflect"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/samverkan/samverkan/internal/httpstatus"
)

// strictVariables coerces variable values as the GraphQL spec's input
// coercion does, which gqlparser's VariableValues is more lenient than: a
// string is not an Int, Float or Boolean, a number is not a String or an
// enum value, an enum value is spelled exactly, an Int fits in 32 bits, an
// ID is a string or an integer. A refusal is BAD_USER_INPUT naming the
// variable, made before anything runs.
//
// It is an operation-parameter mutator (it needs the raw variables, which
// VariableValues would coerce first) installed after the persisted-query
// extension, so that it sees the query that runs. It parses the document
// itself (with the handler's token limit, through a small cache); anything
// it cannot make sense of is left to gqlgen's parse and validation.
type strictVariables struct {
	schema     *ast.Schema
	tokenLimit int
	cache      *lru.LRU[*ast.QueryDocument]
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = &strictVariables{}

func (*strictVariables) ExtensionName() string { return "SamverkanStrictVariables" }

func (s *strictVariables) Validate(schema graphql.ExecutableSchema) error {
	s.schema = schema.Schema()
	return nil
}

func (s *strictVariables) MutateOperationParameters(ctx context.Context, params *graphql.RawParams) *gqlerror.Error {
	if params.Query == "" || len(params.Variables) == 0 && !hasVariables(params.Query) {
		return nil
	}
	doc, ok := s.cache.Get(ctx, params.Query)
	if !ok {
		var err error
		doc, err = parser.ParseQueryWithTokenLimit(&ast.Source{Input: params.Query}, s.tokenLimit)
		if err != nil {
			return nil // gqlgen reports it
		}
		s.cache.Add(ctx, params.Query, doc)
	}
	op := doc.Operations.ForName(params.OperationName)
	if op == nil {
		return nil
	}
	for _, v := range op.VariableDefinitions {
		val, given := params.Variables[v.Variable]
		if !given || val == nil {
			continue // defaults and nulls: VariableValues and nonNullVariables
		}
		if msg := s.check(v.Type, val, 0); msg != "" {
			return variableError(v.Variable, msg)
		}
	}
	return nil
}

// hasVariables is a cheap test for a "$" in the document: without one no
// variable is declared, and an empty variables map has nothing to check.
func hasVariables(q string) bool {
	for i := 0; i < len(q); i++ {
		if q[i] == '$' {
			return true
		}
	}
	return false
}

// maxInputDepth bounds the nesting of a variable's value that is checked;
// the JSON decoder's own limit is far above any input of the schema.
const maxInputDepth = 64

// check returns what is wrong with val as a value of typ ("" when nothing
// is). val is not nil.
func (s *strictVariables) check(typ *ast.Type, val any, depth int) string {
	if depth > maxInputDepth {
		return "is nested too deeply"
	}
	if typ.Elem != nil {
		rv := reflect.ValueOf(val)
		if rv.Kind() != reflect.Slice {
			// A single value stands for a list of one (input coercion).
			return s.check(typ.Elem, val, depth+1)
		}
		for i := 0; i < rv.Len(); i++ {
			item := rv.Index(i).Interface()
			if item == nil {
				if typ.Elem.NonNull {
					return fmt.Sprintf("item %d is null, but the list takes no nulls", i)
				}
				continue
			}
			if msg := s.check(typ.Elem, item, depth+1); msg != "" {
				return fmt.Sprintf("item %d %s", i, msg)
			}
		}
		return ""
	}
	def := s.schema.Types[typ.NamedType]
	if def == nil {
		return "" // an unknown type: validation reports it
	}
	switch def.Kind {
	case ast.Scalar:
		return checkScalar(def.Name, val)
	case ast.Enum:
		str, ok := val.(string)
		if !ok {
			return fmt.Sprintf("is not a %s value (a string)", def.Name)
		}
		if def.EnumValues.ForName(str) == nil {
			return fmt.Sprintf("%s is not a %s value", quote(str), def.Name)
		}
		return ""
	case ast.InputObject:
		obj, ok := val.(map[string]any)
		if !ok {
			return fmt.Sprintf("is not a %s object", def.Name)
		}
		for _, f := range def.Fields {
			fv, present := obj[f.Name]
			if !present || fv == nil {
				continue // missing and null fields: VariableValues
			}
			if msg := s.check(f.Type, fv, depth+1); msg != "" {
				return fmt.Sprintf("field %s %s", f.Name, msg)
			}
		}
		return ""
	}
	return ""
}

// checkScalar checks the built-in scalars; the schema's own (Date, Time)
// have unmarshalers that check their values, and must be strings.
func checkScalar(name string, val any) string {
	switch name {
	case "Int":
		if n, ok := integer(val); !ok {
			return "is not an Int (a whole number)"
		} else if n < math.MinInt32 || n > math.MaxInt32 {
			return "is outside the 32-bit range of Int"
		}
	case "Float":
		if !isNumber(val) {
			return "is not a Float (a number)"
		}
	case "String":
		if _, ok := val.(string); !ok {
			return "is not a String"
		}
	case "Boolean":
		if _, ok := val.(bool); !ok {
			return "is not a Boolean (true or false)"
		}
	case "ID":
		if _, ok := val.(string); ok {
			return ""
		}
		if _, ok := integer(val); !ok {
			return "is not an ID (a string or a whole number)"
		}
	default:
		if _, ok := val.(string); !ok {
			return fmt.Sprintf("is not a %s (a string)", name)
		}
	}
	return ""
}

// integer returns the value of a JSON number that is a whole number (the
// transports decode numbers as json.Number; a transport that does not gives
// float64).
func integer(val any) (int64, bool) {
	switch n := val.(type) {
	case json.Number:
		i, err := strconv.ParseInt(string(n), 10, 64)
		if err == nil {
			return i, true
		}
		f, err := strconv.ParseFloat(string(n), 64)
		if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
			return 0, false
		}
		return int64(f), true
	case float64:
		if n != math.Trunc(n) || math.IsInf(n, 0) || math.Abs(n) > 1<<53 {
			return 0, false
		}
		return int64(n), true
	case int64:
		return n, true
	case int:
		return int64(n), true
	case int32:
		return int64(n), true
	}
	return 0, false
}

func isNumber(val any) bool {
	switch n := val.(type) {
	case json.Number:
		f, err := strconv.ParseFloat(string(n), 64)
		return err == nil && !math.IsInf(f, 0)
	case float64, int64, int, int32, float32:
		return true
	}
	return false
}

func quote(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return strconv.Quote(s)
}

// variableError is a variable-coercion refusal: BAD_USER_INPUT (through
// the presenter) with the variable in extensions.variable, and the status
// of a request error (gqlgen's validation code).
func variableError(name, msg string) *gqlerror.Error {
	err := &gqlerror.Error{
		Message:    fmt.Sprintf("variable $%s %s", name, msg),
		Path:       ast.Path{ast.PathName("variable"), ast.PathName(name)},
		Extensions: map[string]any{"variable": name},
	}
	errcode.Set(err, errcode.ValidationFailed)
	return err
}

// requestChecks runs after validation and variable coercion and before the
// operation-context mutators of Options.Extensions (authorisation among
// them; only the introspection switch, which just turns introspection on,
// runs before it), so that nothing later meets a request it cannot handle:
//
//   - An operation other than a query over GET is refused with 405, as the
//     GraphQL-over-HTTP spec asks (before authorisation: the method is
//     wrong whoever asks).
//   - A null variable in a non-null position (an argument, a directive's
//     `if`, a list item or an input field) is refused, also when the
//     variable's type is nullable because it has a default: the spec makes
//     such a null a field error, and gqlgen's field collection would panic
//     on it.
//   - With introspection off, an operation selecting __schema or __type is
//     refused as a request error.
type requestChecks struct {
	introspection bool
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = requestChecks{}

func (requestChecks) ExtensionName() string                   { return "SamverkanRequestChecks" }
func (requestChecks) Validate(graphql.ExecutableSchema) error { return nil }

func (c requestChecks) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	op := opCtx.Operation
	if viaGET(ctx) && op.Operation != ast.Query {
		httpstatus.Set(ctx, http.StatusMethodNotAllowed, http.Header{"Allow": {"POST"}})
		return &gqlerror.Error{
			Message:    fmt.Sprintf("a %s must be sent with POST; GET runs only queries", op.Operation),
			Extensions: map[string]any{"code": CodeBadUserInput, "reason": "METHOD_NOT_ALLOWED"},
		}
	}
	w := walker{doc: opCtx.Doc, vars: opCtx.Variables, seen: map[string]bool{}}
	w.directives(op.Directives)
	w.selections(op.SelectionSet)
	if w.nullVar != "" {
		err := &gqlerror.Error{
			Message: fmt.Sprintf("variable $%s is null where a value is required (%s); a default does not replace an explicit null",
				w.nullVar, w.nullAt),
			Path:       ast.Path{ast.PathName("variable"), ast.PathName(w.nullVar)},
			Extensions: map[string]any{"variable": w.nullVar},
		}
		errcode.Set(err, errcode.ValidationFailed)
		return err
	}
	if w.defers && !incremental(ctx) {
		return &gqlerror.Error{
			Message: "@defer needs incremental delivery, which this request cannot receive: send it with POST and " +
				"Accept: multipart/mixed, or over the websocket",
			Extensions: map[string]any{"code": CodeBadUserInput, "reason": "DEFER_NOT_DELIVERABLE"},
		}
	}
	if !c.introspection && w.introspects {
		err := &gqlerror.Error{Message: "introspection is disabled on this server"}
		errcode.Set(err, errcode.ValidationFailed)
		return err
	}
	return nil
}

// walker looks through an operation, its fragments included, for null
// variables in non-null positions and for introspection fields.
type walker struct {
	doc         *ast.QueryDocument
	vars        map[string]any
	seen        map[string]bool
	nullVar     string
	nullAt      string
	introspects bool
	defers      bool // a @defer that is not switched off (if: false)
}

func (w *walker) selections(set ast.SelectionSet) {
	for _, sel := range set {
		if w.nullVar != "" {
			return
		}
		switch s := sel.(type) {
		case *ast.Field:
			if s.Name == "__schema" || s.Name == "__type" {
				w.introspects = true
			}
			w.directives(s.Directives)
			for _, a := range s.Arguments {
				w.value(a.Value, "argument "+a.Name+" of "+s.Name)
			}
			w.selections(s.SelectionSet)
		case *ast.InlineFragment:
			w.directives(s.Directives)
			w.selections(s.SelectionSet)
		case *ast.FragmentSpread:
			w.directives(s.Directives)
			if w.seen[s.Name] {
				continue
			}
			w.seen[s.Name] = true
			if f := w.doc.Fragments.ForName(s.Name); f != nil {
				w.directives(f.Directives)
				w.selections(f.SelectionSet)
			}
		}
	}
}

func (w *walker) directives(ds ast.DirectiveList) {
	for _, d := range ds {
		if d.Name == "defer" {
			if on, ok := d.ArgumentMap(w.vars)["if"].(bool); !ok || on {
				w.defers = true
			}
		}
		for _, a := range d.Arguments {
			w.value(a.Value, "argument "+a.Name+" of @"+d.Name)
		}
	}
}

func (w *walker) value(v *ast.Value, at string) {
	if v == nil || w.nullVar != "" {
		return
	}
	switch v.Kind {
	case ast.Variable:
		if v.ExpectedType != nil && v.ExpectedType.NonNull && w.vars[v.Raw] == nil {
			w.nullVar, w.nullAt = v.Raw, at
		}
	case ast.ListValue, ast.ObjectValue:
		for _, c := range v.Children {
			where := at
			if v.Kind == ast.ObjectValue {
				where = "field " + c.Name + " of " + at
			}
			w.value(c.Value, where)
		}
	}
}

type incrementalKey struct{}

// withIncremental marks a request whose transport delivers the later
// parts of a deferred response (multipart/mixed, websockets).
func withIncremental(ctx context.Context) context.Context {
	return context.WithValue(ctx, incrementalKey{}, true)
}

// incremental reports whether the operation's transport delivers the later
// parts of a @defer; over plain JSON only the first part would arrive, with
// the deferred fields missing, so such an operation is refused instead.
func incremental(ctx context.Context) bool {
	v, _ := ctx.Value(incrementalKey{}).(bool)
	return v
}

type getKey struct{}

// viaGET reports whether the operation came in a GET request.
func viaGET(ctx context.Context) bool {
	v, _ := ctx.Value(getKey{}).(bool)
	return v
}

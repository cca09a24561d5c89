package graph

import (
	"context"
	"log/slog"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/validator/core"
	"github.com/vektah/gqlparser/v2/validator/rules"

	"github.com/samverkan/samverkan/internal/kg"
)

// Options configure the GraphQL handler.
type Options struct {
	// Analytics is the analytics service the analytics queries use
	// (required). The caller builds it, kg.NewAnalytics(store), so that one
	// service, and the whole-graph view it caches, can serve several
	// handlers over the same store.
	Analytics *kg.Analytics
	// MinVersionWait bounds how long a request with the Min-Graph-Version
	// header waits for the store to reach that version (default
	// DefaultMinVersionWait).
	MinVersionWait time.Duration
	Logger         *slog.Logger
	// LoaderWait is the loaders' safety net: a batch normally goes to the
	// store as soon as nothing else can join it (loaders.go), and at the
	// latest once the operation has made no progress for LoaderWait
	// (DefaultLoaderWait when zero). For subscriptions it is the batch
	// window (DefaultLoaderWindow when zero).
	LoaderWait time.Duration
	// QueryCacheSize bounds the parsed-query LRU cache (1000 when zero).
	QueryCacheSize int
	// APQCacheSize bounds the automatic-persisted-query cache (1000 when zero).
	APQCacheSize int
	// RequestTimeout is the deadline of one operation's execution (none
	// when zero). It is set around the execution, not on the HTTP request,
	// so that a slow operation answers TIMEOUT errors instead of an empty
	// response.
	RequestTimeout time.Duration
	// Extensions are installed in order after the request checks
	// (coercion.go) and before the handler's persisted-query,
	// strict-variables and graph-version extensions. So their
	// operation-context mutators see only requests the checks let through,
	// their parameter mutators run before a persisted query is filled in,
	// and their operation and response interceptors wrap graph versioning,
	// the batch loaders and the RequestTimeout deadline. The server adds
	// authentication, query limits and rate limits here.
	Extensions []graphql.HandlerExtension
	// Introspection turns on __schema and __type (the server's
	// PRODUCTION=true turns it off).
	Introspection bool
	// DisableSuggestions leaves "did you mean" hints out of validation
	// errors.
	DisableSuggestions bool
	// ParserTokenLimit stops parsing a query document past this many
	// lexical tokens (no limit when zero).
	ParserTokenLimit int
	// Websocket, when set, also serves operations over websockets.
	Websocket *WebsocketOptions
	// Feed is the source of graphChanged: one per process, so that the
	// process's subscription limit holds across handlers (a new one over
	// the store when nil).
	Feed *kg.Feed
}

// NewHandler returns the GraphQL-over-HTTP handler for the store: explicit
// transports (GET, POST, OPTIONS), an LRU query cache, automatic persisted
// queries, the error scheme of DESIGN.md §4 and per-operation batch loaders.
// It panics when opts.Analytics is nil.
func NewHandler(store kg.Store, opts Options) *handler.Server {
	if opts.Analytics == nil {
		panic("graph.NewHandler: Options.Analytics is nil; build it with kg.NewAnalytics(store)")
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.QueryCacheSize <= 0 {
		opts.QueryCacheSize = 1000
	}
	if opts.APQCacheSize <= 0 {
		opts.APQCacheSize = 1000
	}
	if opts.Feed == nil {
		opts.Feed = kg.NewFeed(store, kg.FeedOptions{Logger: opts.Logger})
	}
	es := NewExecutableSchema(Config{Resolvers: &Resolver{Store: store, Analytics: opts.Analytics, Feed: opts.Feed}})
	srv := handler.New(es)
	// The loaders' field count comes before every other extension, so that
	// it sees every field that starts, even one another middleware refuses
	// (loaders.go).
	counter := newLoaderCounter(es.Schema())
	srv.Use(counter)
	srv.AddTransport(transport.Options{})
	srv.AddTransport(getTransport{})
	// Before POST: gqlgen takes the first transport that supports a request,
	// and this one supports only those that accept multipart/mixed.
	srv.AddTransport(multipartTransport{transport.MultipartMixed{Boundary: "graphql", DeliveryTimeout: 5 * time.Millisecond}})
	srv.AddTransport(transport.SSE{}) // subscriptions over server-sent events; before POST, which would take them
	srv.AddTransport(postTransport{})
	if opts.Websocket != nil {
		srv.AddTransport(newWebsocketTransport(*opts.Websocket))
	}
	srv.SetQueryCache(lru.New[*ast.QueryDocument](opts.QueryCacheSize))
	if opts.Introspection {
		srv.Use(extension.Introspection{})
	}
	if opts.DisableSuggestions {
		srv.SetDisableSuggestion(true) // fields and scalar leaves
		srv.SetValidationRulesFn(rulesWithoutSuggestions)
	}
	if opts.ParserTokenLimit > 0 {
		srv.SetParserTokenLimit(opts.ParserTokenLimit)
	}
	// Before the operation-context mutators of opts.Extensions (only the
	// introspection switch above comes first): a request none of them could
	// handle is refused here (coercion.go).
	srv.Use(requestChecks{introspection: opts.Introspection})
	for _, ext := range opts.Extensions {
		srv.Use(ext)
	}
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](opts.APQCacheSize)})
	// After the persisted-query extension, which may fill in the query.
	srv.Use(&strictVariables{tokenLimit: opts.ParserTokenLimit, cache: lru.New[*ast.QueryDocument](opts.QueryCacheSize)})
	if opts.MinVersionWait <= 0 {
		opts.MinVersionWait = DefaultMinVersionWait
	}
	srv.Use(graphVersion{store: store, maxWait: opts.MinVersionWait})
	srv.Use(subscriptionEnds{})
	srv.SetErrorPresenter(ErrorPresenter(opts.Logger))
	srv.SetRecoverFunc(Recover(opts.Logger))
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		// Queries and mutations are counted (loaders.go): a query's root
		// fields all start at once, a mutation's one after another.
		var l *Loaders
		switch oc := graphql.GetOperationContext(ctx); oc.Operation.Operation {
		case ast.Query:
			l = newLoaders(store, opts.LoaderWait, opts.Logger, true, counter.rootFields(oc))
		case ast.Mutation:
			l = newLoaders(store, opts.LoaderWait, opts.Logger, true, 0)
		default:
			l = newLoaders(store, opts.LoaderWait, opts.Logger, false, 0)
		}
		return next(WithLoaders(ctx, l))
	})
	if opts.RequestTimeout > 0 {
		// The deadline starts with the first response and ends with the
		// last: the parts of a @defer are resolved under the first one's
		// context after it has been sent, so it stays open until the last
		// part is out (or the deadline passes). It is kept with the
		// operation's loaders, which every operation has.
		srv.AroundResponses(func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
			var d *operationDeadline
			if l := loadersOf(ctx); l != nil {
				d = &l.deadline
			}
			if d == nil {
				ctx, cancel := context.WithTimeout(ctx, opts.RequestTimeout)
				defer cancel()
				return next(ctx)
			}
			if d.cancel == nil {
				ctx, d.cancel = context.WithTimeout(ctx, opts.RequestTimeout)
			}
			resp := next(ctx)
			if resp == nil || resp.HasNext == nil || !*resp.HasNext {
				d.cancel()
			}
			return resp
		})
	}
	return srv
}

// operationDeadline is the RequestTimeout context's cancel of one
// operation, made at its first response; the transport asks for an
// operation's responses one after another, never at once.
type operationDeadline struct{ cancel context.CancelFunc }

// rulesWithoutSuggestions are gqlparser's validation rules with every rule
// that can add a "Did you mean" hint swapped for its variant without one
// (argument names, type names, enum values and input fields; the executor
// swaps field names and scalar leaves itself).
func rulesWithoutSuggestions() *rules.Rules {
	r := rules.NewDefaultRules()
	for _, swap := range []struct {
		name string
		rule core.Rule
	}{
		{"KnownArgumentNames", rules.KnownArgumentNamesRuleWithoutSuggestions},
		{"KnownTypeNames", rules.KnownTypeNamesRuleWithoutSuggestions},
		{"ValuesOfCorrectType", rules.ValuesOfCorrectTypeRuleWithoutSuggestions},
	} {
		r.RemoveRule(swap.name)
		r.AddRule(swap.rule.Name, swap.rule.RuleFunc)
	}
	return r
}

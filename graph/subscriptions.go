package graph

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/samverkan/samverkan/graph/model"
	"github.com/samverkan/samverkan/internal/kg"
)

// The subscription graphChanged: the resolver subscribes to the process's
// kg.Feed and turns its entries into Changes. A subscription the feed ends
// (a slow subscriber, missed records) answers one last response with the
// error, then completes: subscriptionEnd puts the error there, because a
// gqlgen subscription resolver can only close its channel.

type connSubsKey struct{}

// withConnSubscriptions gives a websocket connection its count of open
// subscriptions (kg.DefaultMaxConnSubscriptions at most).
func withConnSubscriptions(ctx context.Context) context.Context {
	return context.WithValue(ctx, connSubsKey{}, new(atomic.Int64))
}

type endKey struct{}

// subscriptionEnd holds why a subscription ended, for its last response.
type subscriptionEnd struct {
	mu       sync.Mutex
	err      error
	reported bool
}

func (e *subscriptionEnd) set(err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.err = err
}

// take returns the error once.
func (e *subscriptionEnd) take() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.reported || e.err == nil {
		return nil
	}
	e.reported = true
	return e.err
}

// subscriptionEnds is the handler extension that reports the end.
type subscriptionEnds struct{}

var (
	_ graphql.HandlerExtension     = subscriptionEnds{}
	_ graphql.OperationInterceptor = subscriptionEnds{}
	_ graphql.ResponseInterceptor  = subscriptionEnds{}
)

func (subscriptionEnds) ExtensionName() string                   { return "SubscriptionEnds" }
func (subscriptionEnds) Validate(graphql.ExecutableSchema) error { return nil }

func (subscriptionEnds) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	if oc := graphql.GetOperationContext(ctx); oc.Operation != nil && oc.Operation.Operation == ast.Subscription {
		ctx = context.WithValue(ctx, endKey{}, &subscriptionEnd{})
	}
	return next(ctx)
}

func (subscriptionEnds) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp != nil {
		return resp
	}
	end, _ := ctx.Value(endKey{}).(*subscriptionEnd)
	if end == nil {
		return nil
	}
	if err := end.take(); err != nil {
		graphql.AddError(ctx, err)
		return &graphql.Response{Errors: graphql.GetErrors(ctx)}
	}
	return nil
}

// graphChanged subscribes to the feed.
func (r *Resolver) graphChanged(ctx context.Context, types []model.NodeType, ids []string) (<-chan *model.Change, error) {
	if len(ids) > kg.MaxSubscriptionIDs {
		return nil, kg.Invalid("ids", "%d ids; at most %d", len(ids), kg.MaxSubscriptionIDs)
	}
	if n, _ := ctx.Value(connSubsKey{}).(*atomic.Int64); n != nil {
		if n.Add(1) > kg.DefaultMaxConnSubscriptions {
			n.Add(-1)
			return nil, &kg.Error{Kind: kg.ErrInvalid, Reason: kg.ReasonTooManySubs,
				Msg: "this connection has as many subscriptions as it may (20); complete one first"}
		}
		go func() { <-ctx.Done(); n.Add(-1) }()
	}
	labels := make([]kg.Label, len(types))
	for i, t := range types {
		labels[i] = labelOf(t)
	}
	sub, err := r.Feed.Subscribe(ctx, labels, ids)
	if err != nil {
		return nil, err
	}
	end, _ := ctx.Value(endKey{}).(*subscriptionEnd)
	out := make(chan *model.Change)
	go func() {
		defer close(out)
		defer sub.Close()
		for {
			select {
			case <-ctx.Done():
				return
			case e, ok := <-sub.C:
				if !ok {
					if end != nil {
						end.set(sub.Err())
					}
					return
				}
				select {
				case out <- changeOf(e):
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out, nil
}

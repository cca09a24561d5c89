package graph

import (
	"context"
	"sync"
	"time"

	"github.com/graph-gophers/dataloader/v7"

	"github.com/samverkan/samverkan/internal/kg"
)

// Loaders batch the store calls of one GraphQL operation: every node and
// relationship list a nested field asks for within the batch window goes to
// the store in one call, so the number of store calls grows with the
// query's depth, not with the number of results.
type Loaders struct {
	store kg.Store
	wait  time.Duration
	nodes *dataloader.Loader[string, kg.Node]

	mu   sync.Mutex
	rels map[relSelector]*dataloader.Loader[string, []kg.Rel]
}

type relSelector struct {
	t   kg.RelType
	dir kg.Direction
}

// DefaultLoaderWait is how long a loader collects keys before it calls the
// store: long enough for gqlgen's concurrent field resolvers of one list
// to join the batch, short next to a store round trip.
const DefaultLoaderWait = 2 * time.Millisecond

// NewLoaders returns the loaders for one operation.
func NewLoaders(store kg.Store, wait time.Duration) *Loaders {
	if wait <= 0 {
		wait = DefaultLoaderWait
	}
	l := &Loaders{store: store, wait: wait, rels: map[relSelector]*dataloader.Loader[string, []kg.Rel]{}}
	l.nodes = dataloader.NewBatchedLoader(l.batchNodes, dataloader.WithWait[string, kg.Node](wait))
	return l
}

func (l *Loaders) batchNodes(ctx context.Context, ids []string) []*dataloader.Result[kg.Node] {
	out := make([]*dataloader.Result[kg.Node], len(ids))
	nodes, err := l.store.GetNodes(ctx, ids)
	for i := range ids {
		switch {
		case err != nil:
			out[i] = &dataloader.Result[kg.Node]{Error: err}
		case i < len(nodes):
			out[i] = &dataloader.Result[kg.Node]{Data: nodes[i]}
		default:
			out[i] = &dataloader.Result[kg.Node]{}
		}
	}
	return out
}

// Node loads one node; nil when there is none.
func (l *Loaders) Node(ctx context.Context, id string) (kg.Node, error) {
	return l.nodes.Load(ctx, id)()
}

// Nodes loads several nodes in one batch (nil where there is none), rather
// than waiting one batch window per id.
func (l *Loaders) Nodes(ctx context.Context, ids []string) ([]kg.Node, error) {
	nodes, errs := l.nodes.LoadMany(ctx, ids)()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return nodes, nil
}

// Rels loads the relationships of type t that node id has in direction dir.
func (l *Loaders) Rels(ctx context.Context, t kg.RelType, dir kg.Direction, id string) ([]kg.Rel, error) {
	sel := relSelector{t, dir}
	l.mu.Lock()
	ld, ok := l.rels[sel]
	if !ok {
		ld = dataloader.NewBatchedLoader(func(ctx context.Context, ids []string) []*dataloader.Result[[]kg.Rel] {
			out := make([]*dataloader.Result[[]kg.Rel], len(ids))
			byID, err := l.store.RelsOf(ctx, sel.t, sel.dir, ids)
			for i, id := range ids {
				out[i] = &dataloader.Result[[]kg.Rel]{Data: byID[id], Error: err}
			}
			return out
		}, dataloader.WithWait[string, []kg.Rel](l.wait))
		l.rels[sel] = ld
	}
	l.mu.Unlock()
	return ld.Load(ctx, id)()
}

type loadersKey struct{}

// WithLoaders returns ctx carrying l.
func WithLoaders(ctx context.Context, l *Loaders) context.Context {
	return context.WithValue(ctx, loadersKey{}, l)
}

// loaders returns the operation's loaders, which NewHandler puts in the
// context of every operation. A resolver run without them (the executable
// schema served by a handler other than NewHandler's) gets fresh loaders
// of its own, which batch nothing with other fields.
func (r *Resolver) loaders(ctx context.Context) *Loaders {
	if l, ok := ctx.Value(loadersKey{}).(*Loaders); ok {
		return l
	}
	return NewLoaders(r.Store, 0)
}

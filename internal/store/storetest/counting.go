package storetest

import (
	"context"
	"sync/atomic"

	"github.com/samverkan/samverkan/internal/engine"
	"github.com/samverkan/samverkan/internal/kg"
)

// Counting wraps a store and counts every call that reaches it, so that
// tests can show a refused request made no store call, or that nested
// fields are batched.
type Counting struct {
	kg.Store
	calls atomic.Int64
}

var _ kg.Store = (*Counting)(nil)

// NewCounting wraps s.
func NewCounting(s kg.Store) *Counting { return &Counting{Store: s} }

// Calls returns the number of calls so far.
func (c *Counting) Calls() int64 { return c.calls.Load() }

func (c *Counting) count() { c.calls.Add(1) }

func (c *Counting) GetNodes(ctx context.Context, ids []string) ([]kg.Node, error) {
	c.count()
	return c.Store.GetNodes(ctx, ids)
}

func (c *Counting) ActorByExternalID(ctx context.Context, x kg.ExternalID) (*kg.Actor, error) {
	c.count()
	return c.Store.ActorByExternalID(ctx, x)
}

func (c *Counting) UpsertNode(ctx context.Context, n kg.Node) (kg.Node, error) {
	c.count()
	return c.Store.UpsertNode(ctx, n)
}

func (c *Counting) DeleteNode(ctx context.Context, l kg.Label, id string) (bool, error) {
	c.count()
	return c.Store.DeleteNode(ctx, l, id)
}

func (c *Counting) SetRel(ctx context.Context, r kg.Rel) (kg.Rel, error) {
	c.count()
	return c.Store.SetRel(ctx, r)
}

func (c *Counting) RemoveRel(ctx context.Context, t kg.RelType, from, to string) (bool, error) {
	c.count()
	return c.Store.RemoveRel(ctx, t, from, to)
}

func (c *Counting) RelsOf(ctx context.Context, t kg.RelType, dir kg.Direction, ids []string) (map[string][]kg.Rel, error) {
	c.count()
	return c.Store.RelsOf(ctx, t, dir, ids)
}

func (c *Counting) List(ctx context.Context, q kg.ListQuery) (kg.Page, error) {
	c.count()
	return c.Store.List(ctx, q)
}

func (c *Counting) Aggregate(ctx context.Context, q kg.AggregateQuery) (kg.Aggregate, error) {
	c.count()
	return c.Store.Aggregate(ctx, q)
}

func (c *Counting) Search(ctx context.Context, q kg.SearchQuery) ([]kg.SearchHit, error) {
	c.count()
	return c.Store.Search(ctx, q)
}

func (c *Counting) Import(ctx context.Context, g kg.Graph) (kg.ImportResult, error) {
	c.count()
	return c.Store.Import(ctx, g)
}

func (c *Counting) GetRels(ctx context.Context, keys []kg.RelKey) ([]*kg.Rel, error) {
	c.count()
	return c.Store.GetRels(ctx, keys)
}

func (c *Counting) Topology(ctx context.Context) (*engine.Snapshot, error) {
	c.count()
	return c.Store.Topology(ctx)
}

func (c *Counting) Changes(ctx context.Context, after uint64, limit int) (kg.ChangeRecords, error) {
	c.count()
	return c.Store.Changes(ctx, after, limit)
}

func (c *Counting) Version(ctx context.Context) (uint64, error) {
	c.count()
	return c.Store.Version(ctx)
}

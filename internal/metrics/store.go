package metrics

import (
	"context"
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/samverkan/samverkan/internal/engine"
	"github.com/samverkan/samverkan/internal/kg"
)

// storeOperations are the operation label values: the kg.Store methods.
var storeOperations = []string{
	"GetNodes", "ActorByExternalID", "UpsertNode", "DeleteNode", "SetRel", "RemoveRel", "RelsOf", "List", "Aggregate", "Search",
	"Import", "GetRels", "Topology", "Changes", "Version", "Ping", "Close",
}

// InstrumentStore returns s with every call timed by operation, and errors
// counted by operation and kind. It changes no answer.
func InstrumentStore(s kg.Store, m *Metrics) kg.Store {
	i := &instrumentedStore{s: s, m: m, durations: make(map[string]prometheus.Observer, len(storeOperations))}
	for _, op := range storeOperations {
		i.durations[op] = m.storeDuration.WithLabelValues(op)
	}
	return i
}

type instrumentedStore struct {
	s kg.Store
	m *Metrics
	// durations are the duration series of storeOperations, looked up once
	// (a call is timed without hashing its label).
	durations map[string]prometheus.Observer
}

var _ kg.Store = (*instrumentedStore)(nil)

// begin starts timing op; the call's end (with its error) ends it.
func (i *instrumentedStore) begin(op string) storeCall {
	return storeCall{i: i, op: op, start: time.Now()}
}

// storeCall is one timed call of the store.
type storeCall struct {
	i     *instrumentedStore
	op    string
	start time.Time
}

func (c storeCall) end(err error) {
	obs, ok := c.i.durations[c.op]
	if !ok {
		obs = c.i.m.storeDuration.WithLabelValues(c.op)
	}
	obs.Observe(time.Since(c.start).Seconds())
	if err != nil {
		c.i.m.storeErrors.WithLabelValues(c.op, errorKind(err)).Inc()
	}
}

// errorKind names the kind of a store error with a fixed set of values.
func errorKind(err error) string {
	switch {
	case errors.Is(err, kg.ErrInvalid):
		return "invalid"
	case errors.Is(err, kg.ErrNotFound):
		return "not_found"
	case errors.Is(err, kg.ErrConflict):
		return "conflict"
	case errors.Is(err, kg.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, kg.ErrUnavailable):
		return "unavailable"
	}
	return Other
}

func (i *instrumentedStore) GetNodes(ctx context.Context, ids []string) ([]kg.Node, error) {
	done := i.begin("GetNodes")
	out, err := i.s.GetNodes(ctx, ids)
	done.end(err)
	return out, err
}

func (i *instrumentedStore) ActorByExternalID(ctx context.Context, x kg.ExternalID) (*kg.Actor, error) {
	done := i.begin("ActorByExternalID")
	out, err := i.s.ActorByExternalID(ctx, x)
	done.end(err)
	return out, err
}

func (i *instrumentedStore) UpsertNode(ctx context.Context, n kg.Node) (kg.Node, error) {
	done := i.begin("UpsertNode")
	out, err := i.s.UpsertNode(ctx, n)
	done.end(err)
	return out, err
}

func (i *instrumentedStore) DeleteNode(ctx context.Context, l kg.Label, id string) (bool, error) {
	done := i.begin("DeleteNode")
	out, err := i.s.DeleteNode(ctx, l, id)
	done.end(err)
	return out, err
}

func (i *instrumentedStore) SetRel(ctx context.Context, r kg.Rel) (kg.Rel, error) {
	done := i.begin("SetRel")
	out, err := i.s.SetRel(ctx, r)
	done.end(err)
	return out, err
}

func (i *instrumentedStore) RemoveRel(ctx context.Context, t kg.RelType, from, to string) (bool, error) {
	done := i.begin("RemoveRel")
	out, err := i.s.RemoveRel(ctx, t, from, to)
	done.end(err)
	return out, err
}

func (i *instrumentedStore) RelsOf(ctx context.Context, t kg.RelType, dir kg.Direction, ids []string) (map[string][]kg.Rel, error) {
	done := i.begin("RelsOf")
	out, err := i.s.RelsOf(ctx, t, dir, ids)
	done.end(err)
	return out, err
}

func (i *instrumentedStore) List(ctx context.Context, q kg.ListQuery) (kg.Page, error) {
	done := i.begin("List")
	out, err := i.s.List(ctx, q)
	done.end(err)
	return out, err
}

func (i *instrumentedStore) Aggregate(ctx context.Context, q kg.AggregateQuery) (kg.Aggregate, error) {
	done := i.begin("Aggregate")
	out, err := i.s.Aggregate(ctx, q)
	done.end(err)
	return out, err
}

func (i *instrumentedStore) Search(ctx context.Context, q kg.SearchQuery) ([]kg.SearchHit, error) {
	done := i.begin("Search")
	out, err := i.s.Search(ctx, q)
	done.end(err)
	return out, err
}

func (i *instrumentedStore) Import(ctx context.Context, g kg.Graph) (kg.ImportResult, error) {
	done := i.begin("Import")
	out, err := i.s.Import(ctx, g)
	done.end(err)
	return out, err
}

func (i *instrumentedStore) GetRels(ctx context.Context, keys []kg.RelKey) ([]*kg.Rel, error) {
	done := i.begin("GetRels")
	out, err := i.s.GetRels(ctx, keys)
	done.end(err)
	return out, err
}

func (i *instrumentedStore) Topology(ctx context.Context) (*engine.Snapshot, error) {
	done := i.begin("Topology")
	out, err := i.s.Topology(ctx)
	done.end(err)
	return out, err
}

func (i *instrumentedStore) Changes(ctx context.Context, after uint64, limit int) (kg.ChangeRecords, error) {
	done := i.begin("Changes")
	out, err := i.s.Changes(ctx, after, limit)
	done.end(err)
	return out, err
}

func (i *instrumentedStore) Version(ctx context.Context) (uint64, error) {
	done := i.begin("Version")
	out, err := i.s.Version(ctx)
	done.end(err)
	return out, err
}

func (i *instrumentedStore) Ping(ctx context.Context) error {
	done := i.begin("Ping")
	err := i.s.Ping(ctx)
	done.end(err)
	return err
}

func (i *instrumentedStore) Close() error {
	done := i.begin("Close")
	err := i.s.Close()
	done.end(err)
	return err
}

// StoreSize is what the size gauges show: the embedded store's Stats, or
// any store that can say them cheaply.
type StoreSize struct {
	Nodes, Rels int
	FileBytes   int64
}

// ObserveSize registers a store's size as gauges read at each scrape:
// nodes, relationships and database file bytes.
func (m *Metrics) ObserveSize(size func() StoreSize) {
	gauge := func(name, help string, value func(StoreSize) float64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Namespace: namespace, Subsystem: "store", Name: name, Help: help,
		}, func() float64 { return value(size()) })
	}
	m.reg.MustRegister(
		gauge("nodes", "Nodes of every label in the store.",
			func(st StoreSize) float64 { return float64(st.Nodes) }),
		gauge("relationships", "Relationships of every type in the store.",
			func(st StoreSize) float64 { return float64(st.Rels) }),
		gauge("file_bytes", "Size of the store's database file in bytes.",
			func(st StoreSize) float64 { return float64(st.FileBytes) }),
	)
}

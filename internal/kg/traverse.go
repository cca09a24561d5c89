package kg

import (
	"context"
	"sort"
	"sync"
)

// Analytics answers the analytic questions of DESIGN.md §2 over a Store.
// Per-request traversals expand the graph hop by hop with Store.Incident;
// whole-graph answers (brokers, statistics) are computed from
// Store.Projection and cached until the graph version changes.
type Analytics struct {
	store Store

	mu     sync.Mutex
	cached *wholeGraph // for cached.version; nil until first use
}

// NewAnalytics returns the analytics over s.
func NewAnalytics(s Store) *Analytics { return &Analytics{store: s} }

// wholeGraph is what whole-graph analytics derive from one projection: the
// projection and, in typed single-flight cells, the values computed from it
// on first use, kept as long as the version is current.
type wholeGraph struct {
	version     uint64
	proj        *Projection
	collab      cell[*collabGraph]
	stats       cell[Stats]
	betweenness cell[*betweennessResult]
}

// projection returns the cached whole-graph view, refreshed when the
// store's version moved on.
func (a *Analytics) projection(ctx context.Context) (*wholeGraph, error) {
	v, err := a.store.Version(ctx)
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	if c := a.cached; c != nil && c.version == v {
		a.mu.Unlock()
		return c, nil
	}
	a.mu.Unlock()
	p, err := a.store.Projection(ctx)
	if err != nil {
		return nil, err
	}
	w := &wholeGraph{version: p.Version, proj: p}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.cached == nil || a.cached.version <= w.version {
		a.cached = w
	}
	return w, nil
}

// expander loads the graph around some nodes one hop at a time through
// Store.Incident, keeping what it loaded, and refuses to load more than
// MaxExpandedRels relationships.
type expander struct {
	store    Store
	types    []RelType
	expanded map[string]bool
	adj      map[string][]Rel // by node id, each relationship under both endpoints
	seen     map[RelKey]bool
	loaded   int
}

func newExpander(s Store, types []RelType) *expander {
	return &expander{store: s, types: types, expanded: map[string]bool{}, adj: map[string][]Rel{},
		seen: map[RelKey]bool{}}
}

// expand loads the relationships of the ids not expanded yet.
func (e *expander) expand(ctx context.Context, ids []string) error {
	var todo []string
	for _, id := range ids {
		if !e.expanded[id] {
			e.expanded[id] = true
			todo = append(todo, id)
		}
	}
	if len(todo) == 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return timeoutErr(err)
	}
	sort.Strings(todo)
	rels, err := e.store.Incident(ctx, e.types, todo)
	if err != nil {
		return err
	}
	for _, r := range rels {
		k := r.Key()
		if e.seen[k] {
			continue
		}
		e.seen[k] = true
		e.loaded++
		e.adj[r.From] = append(e.adj[r.From], r)
		e.adj[r.To] = append(e.adj[r.To], r)
	}
	if e.loaded > MaxExpandedRels {
		return TooManyRels()
	}
	return nil
}

// TooManyRels is the refusal of a traversal that needs more than
// MaxExpandedRels relationships; a store whose Incident stops reading at
// that bound answers it too.
func TooManyRels() error {
	return Invalid("maxHops", "the traversal needs more than %d relationships; lower maxHops or depth, narrow via, or exclude hub nodes", MaxExpandedRels)
}

// rels returns the loaded relationships of an expanded node.
func (e *expander) rels(id string) []Rel { return e.adj[id] }

// bfs returns the hop distance from the nearest source to every node
// within maxDepth, never entering a node in skip (sources included only if
// not skipped). Traversal ignores direction.
func (e *expander) bfs(ctx context.Context, sources []string, maxDepth int, skip map[string]bool) (map[string]int, error) {
	dist := map[string]int{}
	var frontier []string
	for _, s := range sources {
		if _, ok := dist[s]; !ok && !skip[s] {
			dist[s] = 0
			frontier = append(frontier, s)
		}
	}
	for d := 0; d < maxDepth && len(frontier) > 0; d++ {
		if err := e.expand(ctx, frontier); err != nil {
			return nil, err
		}
		var next []string
		for _, id := range frontier {
			for _, r := range e.adj[id] {
				o := r.Other(id)
				if _, ok := dist[o]; ok || skip[o] {
					continue
				}
				dist[o] = d + 1
				next = append(next, o)
			}
		}
		sort.Strings(next)
		frontier = next
	}
	return dist, nil
}

// timeoutErr maps a context error to ErrTimeout, keeping the cause.
func timeoutErr(err error) error {
	return &Error{Kind: ErrTimeout, Msg: "the request took longer than its deadline: " + err.Error()}
}

package kg

import (
	"context"
	"sort"
)

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

// timeoutErr maps a context error to ErrTimeout, keeping the cause.
func timeoutErr(err error) error {
	return &Error{Kind: ErrTimeout, Msg: "the request took longer than its deadline: " + err.Error()}
}

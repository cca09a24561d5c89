package kg

import (
	"context"
	"maps"
	"slices"
	"sync"

	"github.com/samverkan/samverkan/internal/engine"
)

// People are personal data: with HIDE_PEOPLE_FROM_ANONYMOUS the server
// reads for callers without an API key as if no PERSON actor existed. The
// decision is the request's (HidingPeople marks its context); the store
// that HidePeople wraps then leaves PERSON actors, and every relationship
// one of them is an endpoint of, out of every read, and its Topology is a
// derived one without them, so every analytic answer (paths,
// neighbourhoods, matches, brokers, overlaps, statistics) is computed as
// if they had been deleted.

type hidingPeopleKey struct{}

// HidingPeople returns ctx marked so that a HidePeople store hides PERSON
// actors from every read made with it.
func HidingPeople(ctx context.Context) context.Context {
	return context.WithValue(ctx, hidingPeopleKey{}, true)
}

// PeopleHidden reports whether ctx was marked by HidingPeople.
func PeopleHidden(ctx context.Context) bool {
	hidden, _ := ctx.Value(hidingPeopleKey{}).(bool)
	return hidden
}

// IsPerson reports whether n is a PERSON actor.
func IsPerson(n Node) bool {
	a, ok := n.(*Actor)
	return ok && a.Kind == KindPerson
}

// HidePeople wraps s so that reads with a context marked by HidingPeople
// leave PERSON actors and their relationships out; other reads, and every
// write, go to s as they are.
func HidePeople(s Store) Store { return &peopleGate{Store: s} }

// peopleGate is the HidePeople store. It embeds the Store it wraps, so a
// read method added to Store passes through unfiltered until it is added
// here: add every new read.
type peopleGate struct {
	Store

	mu              sync.Mutex
	source, derived *engine.Snapshot // the last snapshot and the one without people
}

var personCode = kindCode(KindPerson)
var actorCode = LabelCode(LabelActor)

func isPersonTopo(n engine.Node) bool { return n.Label == actorCode && n.Kind == personCode }

// withoutPeople is the snapshot s as if no PERSON actor existed, derived
// once per snapshot.
func (g *peopleGate) withoutPeople(s *engine.Snapshot) *engine.Snapshot {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.source != s {
		g.source, g.derived = s, s.Without(isPersonTopo)
	}
	return g.derived
}

func (g *peopleGate) Topology(ctx context.Context) (*engine.Snapshot, error) {
	s, err := g.Store.Topology(ctx)
	if err != nil || !PeopleHidden(ctx) {
		return s, err
	}
	return g.withoutPeople(s), nil
}

// visible returns whether the node with id may be shown: it is in the
// derived snapshot taken after the read (a relationship just read has its
// endpoints in it unless they were deleted since, and then they are
// hidden too).
func (g *peopleGate) visible(ctx context.Context) (func(id string) bool, error) {
	s, err := g.Topology(ctx)
	if err != nil {
		return nil, err
	}
	return func(id string) bool { _, ok := s.Lookup(id); return ok }, nil
}

func (g *peopleGate) GetNodes(ctx context.Context, ids []string) ([]Node, error) {
	nodes, err := g.Store.GetNodes(ctx, ids)
	if err != nil || !PeopleHidden(ctx) {
		return nodes, err
	}
	for i, n := range nodes {
		if n != nil && IsPerson(n) {
			nodes[i] = nil
		}
	}
	return nodes, nil
}

// ActorByExternalID finds no PERSON actor for a request that hides people.
func (g *peopleGate) ActorByExternalID(ctx context.Context, x ExternalID) (*Actor, error) {
	a, err := g.Store.ActorByExternalID(ctx, x)
	if err != nil || !PeopleHidden(ctx) || a == nil || !IsPerson(a) {
		return a, err
	}
	return nil, nil
}

func (g *peopleGate) RelsOf(ctx context.Context, t RelType, dir Direction, ids []string) (map[string][]Rel, error) {
	rels, err := g.Store.RelsOf(ctx, t, dir, ids)
	if err != nil || !PeopleHidden(ctx) || len(rels) == 0 {
		return rels, err
	}
	visible, err := g.visible(ctx)
	if err != nil {
		return nil, err
	}
	for id, rs := range rels {
		if !visible(id) {
			delete(rels, id)
			continue
		}
		rs = slices.DeleteFunc(rs, func(r Rel) bool { return !visible(r.From) || !visible(r.To) })
		if len(rs) == 0 {
			delete(rels, id)
		} else {
			rels[id] = rs
		}
	}
	return rels, nil
}

func (g *peopleGate) GetRels(ctx context.Context, keys []RelKey) ([]*Rel, error) {
	rels, err := g.Store.GetRels(ctx, keys)
	if err != nil || !PeopleHidden(ctx) {
		return rels, err
	}
	visible, err := g.visible(ctx)
	if err != nil {
		return nil, err
	}
	for i, r := range rels {
		if r != nil && (!visible(r.From) || !visible(r.To)) {
			rels[i] = nil
		}
	}
	return rels, nil
}

// List leaves PERSON out of the kinds an actor list may have, so that the
// store pages and counts without them, and a where's relationship filters
// blind to people's ties (Where.WithoutPeople).
func (g *peopleGate) List(ctx context.Context, q ListQuery) (Page, error) {
	if PeopleHidden(ctx) {
		q.Where = q.Where.WithoutPeople() // a where's relationship filters see no person's ties
	}
	if !PeopleHidden(ctx) || q.Label != LabelActor {
		return g.Store.List(ctx, q)
	}
	kinds := q.Filter.Kinds
	if len(kinds) == 0 {
		kinds = ActorKinds
	}
	kinds = slices.DeleteFunc(slices.Clone(kinds), func(k ActorKind) bool { return k == KindPerson })
	if len(kinds) == 0 {
		return Page{}, nil
	}
	q.Filter.Kinds = kinds
	return g.Store.List(ctx, q)
}

// Search asks for the most results a search may have, drops PERSON actors
// and keeps the first q.First of the rest: the same ranking, without them
// (a search whose first MaxSearchResults hits are nearly all people may
// answer fewer than it would have).
func (g *peopleGate) Search(ctx context.Context, q SearchQuery) ([]SearchHit, error) {
	if !PeopleHidden(ctx) || (len(q.Labels) > 0 && !slices.Contains(q.Labels, LabelActor)) {
		return g.Store.Search(ctx, q)
	}
	first := q.First
	q.First = MaxSearchResults
	hits, err := g.Store.Search(ctx, q)
	if err != nil {
		return nil, err
	}
	hits = slices.DeleteFunc(hits, func(h SearchHit) bool { return IsPerson(h.Node) })
	if len(hits) > first {
		hits = hits[:first]
	}
	return hits, nil
}

// Changes refuses a request that hides people: a change record names
// deleted actors and removed ties without saying whether they were a
// person's (the server refuses the change feed to such callers before it
// gets here).
func (g *peopleGate) Changes(ctx context.Context, after uint64, limit int) (ChangeRecords, error) {
	if PeopleHidden(ctx) {
		return ChangeRecords{}, Invalid("", "the change feed needs an API key while people are hidden")
	}
	return g.Store.Changes(ctx, after, limit)
}

// Aggregate without people: actors are counted, and the levels of
// competencies read, over the visible nodes and ties only. It pages through
// List and reads RelsOf of this gate, so what is hidden there is hidden
// here; needs and projects have no people to leave out.
func (g *peopleGate) Aggregate(ctx context.Context, q AggregateQuery) (Aggregate, error) {
	if !PeopleHidden(ctx) || (q.Label != LabelActor && q.Label != LabelCompetency) {
		return g.Store.Aggregate(ctx, q)
	}
	if err := CheckAggregateQuery(q); err != nil {
		return Aggregate{}, err
	}
	var nodes []Node
	lq := ListQuery{Label: q.Label, Filter: q.Filter, Order: Order{Field: OrderByID}, First: MaxPageSize}
	for {
		p, err := g.List(ctx, lq)
		if err != nil {
			return Aggregate{}, err
		}
		nodes = append(nodes, p.Nodes...)
		if !p.HasNextPage || len(p.Nodes) == 0 {
			break
		}
		c := CursorOf(p.Nodes[len(p.Nodes)-1], lq.Order)
		lq.After = &c
	}
	return AggregateNodes(q, nodes, func(t RelType, dir Direction, ids []string) (map[string][]Rel, error) {
		out := map[string][]Rel{}
		for start := 0; start < len(ids); start += MaxBatchIDs {
			m, err := g.RelsOf(ctx, t, dir, ids[start:min(start+MaxBatchIDs, len(ids))])
			if err != nil {
				return nil, err
			}
			maps.Copy(out, m)
		}
		return out, nil
	})
}

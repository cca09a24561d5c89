package graph

import (
	"context"
	"log/slog"
	"reflect"
	"slices"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/samverkan/samverkan/internal/kg"
)

// Loaders batch the store calls of one GraphQL operation: the nodes and
// relationship lists that the fields of one level ask for go to the store
// together, one call per kind of load, so the number of store calls grows
// with the query's depth, not with the number of results.
//
// # When a batch goes to the store
//
// A batch is dispatched as soon as nothing else in the operation can join
// it, not after a fixed window. The loaders count the operation's field
// resolutions that are running: those gqlgen has started or is about to
// start, less those blocked on a loader. gqlgen resolves every field (trivial
// ones too) through the field middleware, and starts a field's children only
// after its resolver returned, when it marshals the result; so when a
// resolver returns, the middleware (loaderCounter) adds the children its
// result will start — the fields its selection collects for the object's
// type, once per object in the result — and only then takes the field itself
// off. The count therefore stays above zero until every sibling of a list has
// started and either finished or queued its key. When it reaches zero every
// queued batch goes to the store at once, in the goroutine that brought the
// count to zero.
//
// So a lone request waits for nothing: in { actor(id) { name } } the root
// field is the only one running, and its load goes to the store at once, in
// the resolver's own goroutine. A list of 100 actors with nested fields makes
// one store call per level, sent when the last of the 100 siblings has queued
// its key, whatever the machine's load: the batching no longer depends on the
// timing of goroutines.
//
// The other designs considered: (a) calling the store directly from root
// fields that load one node meets the lone-request target but leaves every
// nested level waiting a window; (c) dataloader v7's WithBatchCapacity needs
// the batch size in advance and v7 cannot end a batch from outside, so its
// window stays. For that reason the loaders no longer use dataloader v7: it
// dispatches only on its timer or at a fixed capacity (and starts two
// goroutines and a timer per batch).
//
// A safety net remains: a queued batch goes to the store, although the
// count is not zero, once the operation has made no progress (no field
// finished or started to wait) for the wait (Options.LoaderWait). That
// happens when a field runs long without the loaders beside fields that wait
// on them (an analytic or a search next to nested fields), and whenever the
// count is off:
// a nested field whose arguments fail to coerce never reaches the middleware,
// so its pre-counted place is never taken off (a root field's is, when the
// root field ends). The count only decides when a batch is sent, never what
// it answers; a dispatch by the safety net is logged at debug level.
// Subscriptions are not counted (their events are marshalled outside the
// field middleware's view): their loaders dispatch after the wait, as every
// loader did before. The count assumes gqlgen starts every element of a list
// at once: a worker limit on list marshalling (gqlgen's worker_limit) would
// leave counted elements unstarted behind waiting ones, and every level to
// the safety net.
//
// # Endpoints come with their relationship list
//
// A relationship list (Project.participants, Actor.projects and every other
// list of Resolver.rels) whose selection asks for its elements' endpoints
// (actor, project, partner ... : endFields in load.go, read from the fields
// gqlgen collects, so fragments, @include and @skip count as it applies
// them) loads those nodes in the dispatch that loads the list. The
// relationship batches of one dispatch that want endpoints form a round
// (endsRound): the last of them back from the store puts the endpoints of
// all of them that are not cached yet into one node batch, marked sent and
// entered in the node cache at once (so a field that asks for one of them
// meanwhile waits for it, counted as running), loads it with one GetNodes
// call, and only then hands every relationship batch of the round out. So
// the endpoint fields below the lists (thousands in a nested query) find
// their nodes in the cache, done, and return without parking; the store
// calls stay bounded by the depth: the level's nodes call just happens
// earlier (where other fields of the next level load nodes of their own,
// those go in a nodes call of their own). A selection without an endpoint
// loads no node.
//
// Within an operation each loaded key is cached; a mutation's root fields run
// one after another and each starts with an empty cache, so a field reads
// what an earlier root field of the same mutation wrote (a round ends before
// the root field that started it does, so it never fills a later field's
// cache). Subscriptions' loaders, sent by the window, load endpoints the
// same way.
type Loaders struct {
	store kg.Store
	wait  time.Duration
	log   *slog.Logger

	mu sync.Mutex
	// counted says running decides dispatch; otherwise only the timer does.
	counted bool
	// running is the number of field resolutions running (see above).
	running int
	queued  []dispatchable
	// The first round's queue, so that a lone request allocates none.
	q0    [2]dispatchable
	qused bool
	timer *time.Timer
	// round is incremented at each dispatch, so that a timer armed for an
	// earlier round dispatches nothing.
	round uint64
	// progress is incremented whenever a field resolution finishes or
	// starts to wait: the safety net waits for a pause in it.
	progress uint64
	nodes    loader[kg.Node]
	rels     map[relSelector]*loader[[]kg.Rel]
	// roots are the root fields whose field middleware has run and that
	// have not ended (endRootField).
	roots []*graphql.RootFieldContext
	r0    [1]*graphql.RootFieldContext
	// deadline is the operation's RequestTimeout (handler.go), which the
	// operation's responses share.
	deadline operationDeadline
}

type relSelector struct {
	t   kg.RelType
	dir kg.Direction
}

// DefaultLoaderWait is the safety net of counted operations: how long an
// operation with queued batches may make no progress before they go to the
// store anyway. It is long next to a pause of the process on a busy machine,
// which would otherwise split a level's batch, and short next to the
// analytics that may run beside nested fields.
const DefaultLoaderWait = 10 * time.Millisecond

// DefaultLoaderWindow is the batch window of loaders that are not counted
// (subscriptions): how long a batch collects keys after its first.
const DefaultLoaderWindow = 2 * time.Millisecond

// NewLoaders returns loaders that are not counted: each batch goes to the
// store wait after its first key (DefaultLoaderWindow when wait is zero). The
// handler gives counted loaders to queries and mutations.
func NewLoaders(store kg.Store, wait time.Duration) *Loaders {
	return newLoaders(store, wait, nil, false, 0)
}

// newLoaders returns the loaders of one operation; counted ones start with
// running field resolutions in flight (a query's root fields).
func newLoaders(store kg.Store, wait time.Duration, log *slog.Logger, counted bool, running int) *Loaders {
	switch {
	case wait > 0:
	case counted:
		wait = DefaultLoaderWait
	default:
		wait = DefaultLoaderWindow
	}
	if log == nil {
		log = slog.Default()
	}
	l := &Loaders{store: store, wait: wait, log: log, counted: counted, running: running}
	l.roots = l.r0[:0]
	l.nodes.fetch = fetchNodes
	return l
}

func fetchNodes(ctx context.Context, store kg.Store, _ relSelector, ids []string) ([]kg.Node, error) {
	return store.GetNodes(ctx, ids)
}

func fetchRels(ctx context.Context, store kg.Store, sel relSelector, ids []string) ([][]kg.Rel, error) {
	byID, err := store.RelsOf(ctx, sel.t, sel.dir, ids)
	if err != nil {
		return nil, err
	}
	out := make([][]kg.Rel, len(ids))
	for i, id := range ids {
		out[i] = byID[id]
	}
	return out, nil
}

// Node loads one node; nil when there is none.
func (l *Loaders) Node(ctx context.Context, id string) (kg.Node, error) {
	e := loadOne(ctx, l, &l.nodes, id)
	return e.val, e.err
}

// Nodes loads several nodes in one batch (nil where there is none), rather
// than one batch round per id.
func (l *Loaders) Nodes(ctx context.Context, ids []string) ([]kg.Node, error) {
	if len(ids) == 0 {
		return []kg.Node{}, nil
	}
	es := load(ctx, l, &l.nodes, ids)
	out := make([]kg.Node, len(es))
	for i, e := range es {
		if e.err != nil {
			return nil, e.err
		}
		out[i] = e.val
	}
	return out, nil
}

// Rels loads the relationships of type t that node id has in direction dir.
func (l *Loaders) Rels(ctx context.Context, t kg.RelType, dir kg.Direction, id string) ([]kg.Rel, error) {
	return l.relsAndEnds(ctx, t, dir, id, 0)
}

// relsAndEnds is Rels that also loads the endpoints ends of the
// relationships, when they go to the store in a batch of its own: in the
// same dispatch, into the node cache (see Loaders).
func (l *Loaders) relsAndEnds(ctx context.Context, t kg.RelType, dir kg.Direction, id string, ends relEnds) ([]kg.Rel, error) {
	sel := relSelector{t, dir}
	l.mu.Lock()
	ld, ok := l.rels[sel]
	if !ok {
		ld = &loader[[]kg.Rel]{sel: sel, fetch: fetchRels}
		if l.rels == nil {
			l.rels = map[relSelector]*loader[[]kg.Rel]{}
		}
		l.rels[sel] = ld
	}
	e, queued := enqueue(ctx, l, ld, id)
	if queued && ends != 0 {
		e.ends |= ends
		e.b.ends |= ends
	}
	l.park(ld, queued)
	e.b.done.Wait()
	return e.val, e.err
}

// relEnds says which endpoints of a list's relationships a query's
// selection asks for: their From, their To (as the resolvers see them, a
// partnership from the actor whose list it is).
type relEnds uint8

const (
	endFrom relEnds = 1 << iota
	endTo
)

// endsRound is the relationship batches of one dispatch that load
// endpoints too: the last of them back loads the endpoints of all in one
// GetNodes call, then hands the relationships out. Under the mutex.
type endsRound struct {
	pending int // batches of the round still at the store
	nodes   *batch[kg.Node]
	back    []*batch[[]kg.Rel]
}

// endpoints queues, in the round's node batch, the endpoints ends of the
// relationships b brought back that are not cached yet, and returns
// whether b was the round's last; under the mutex.
func (r *endsRound) endpoints(l *Loaders, b *batch[[]kg.Rel]) (last bool) {
	symmetric := b.ld.sel.dir == kg.Both && b.ld.sel.t.Symmetric()
	for i, e := range b.entries {
		if e.ends == 0 || e.err != nil {
			continue
		}
		for j := range e.val {
			from, to := e.val[j].From, e.val[j].To
			if symmetric && from != b.ids[i] {
				from, to = to, from
			}
			if e.ends&endFrom != 0 {
				r.add(l, b.ctx, from)
			}
			if e.ends&endTo != 0 {
				r.add(l, b.ctx, to)
			}
		}
	}
	r.back = append(r.back, b)
	r.pending--
	return r.pending == 0
}

// add puts id in the round's node batch unless the node cache has it.
// The batch counts as sent from the start: a field that loads one of its
// nodes meanwhile waits for it without leaving the count.
func (r *endsRound) add(l *Loaders, ctx context.Context, id string) {
	if l.nodes.cached(id) != nil {
		return
	}
	nb := r.nodes
	var e *entry[kg.Node]
	if nb == nil {
		nb = &batch[kg.Node]{l: l, ld: &l.nodes, ctx: ctx, sent: true}
		nb.done.Add(1)
		nb.ids, nb.entries = nb.id0[:0], nb.e0[:0]
		nb.e.b = nb
		e = &nb.e
		r.nodes = nb
	} else {
		e = &entry[kg.Node]{b: nb}
	}
	l.nodes.store(id, e)
	nb.ids = append(nb.ids, id)
	nb.entries = append(nb.entries, e)
}

// loader is one kind of load (nodes, or one type and direction of
// relationships): its cache and the batch it is collecting. Its fields are
// guarded by the Loaders' mutex.
type loader[V any] struct {
	sel relSelector // of a relationship loader
	// fetch returns the values of ids in their order.
	fetch func(ctx context.Context, store kg.Store, sel relSelector, ids []string) ([]V, error)
	cache map[string]*entry[V]
	// The first key cached, before there is a map.
	k0   string
	e0   *entry[V]
	next *batch[V] // queued, not yet sent; nil when none
}

// entry is one key's load, set once its batch is done.
type entry[V any] struct {
	val V
	err error
	b   *batch[V]
	// ends, of a relationship list, are the endpoints to load with it.
	ends relEnds
}

// batch is the keys of one loader that go to the store in one call.
type batch[V any] struct {
	l    *Loaders
	ld   *loader[V]
	ctx  context.Context // the first load's
	done sync.WaitGroup  // done once every entry is set
	sent bool            // went to the store (under the mutex)
	// waiters is the number of loads blocked on the batch, each one field
	// resolution that runs again once the batch is back.
	waiters int
	// ends is the union of the entries' ends; round, once sent, the
	// dispatch whose endpoints it loads.
	ends    relEnds
	round   *endsRound
	ids     []string
	entries []*entry[V]
	// The first key's, so that a batch of one allocates no more.
	id0 [1]string
	e0  [1]*entry[V]
	e   entry[V]
}

// dispatchable is a batch of any loader.
type dispatchable interface {
	// take marks the batch sent and returns its waiters; under the mutex.
	take() int
	// run calls the store and hands the results out; outside the mutex.
	run()
}

func (b *batch[V]) take() int {
	b.sent = true
	b.ld.next = nil
	return b.waiters
}

func (b *batch[V]) run() {
	vals, err := b.fetch()
	for i, e := range b.entries {
		switch {
		case err != nil:
			e.err = err
		case i < len(vals):
			e.val = vals[i]
		}
	}
	if b.round != nil {
		b.l.endpointsBack(any(b).(*batch[[]kg.Rel]))
		return
	}
	b.done.Done()
}

// endpointsBack hands b's relationships out once the endpoints of its
// round are loaded: b's last in the round loads them, in one store call,
// then hands out every batch of the round. So the endpoint fields below
// the relationships find their nodes in the cache, done, and do not wait.
func (l *Loaders) endpointsBack(b *batch[[]kg.Rel]) {
	l.mu.Lock()
	r := b.round
	last := r.endpoints(l, b)
	l.mu.Unlock()
	if !last {
		return
	}
	if r.nodes != nil {
		r.nodes.run()
	}
	for _, b := range r.back {
		b.done.Done()
	}
}

func (b *batch[V]) fetch() (vals []V, err error) {
	defer func() {
		if p := recover(); p != nil {
			vals, err = nil, Recover(b.l.log)(b.ctx, p)
		}
	}()
	return b.ld.fetch(b.ctx, b.l.store, b.ld.sel, b.ids)
}

// loadOne is load for one key.
func loadOne[V any](ctx context.Context, l *Loaders, ld *loader[V], id string) *entry[V] {
	l.mu.Lock()
	e, queued := enqueue(ctx, l, ld, id)
	l.park(ld, queued)
	e.b.done.Wait()
	return e
}

// load returns the entries of ids, loaded: from the cache, or queued in
// ld's next batch, which the caller then waits for.
func load[V any](ctx context.Context, l *Loaders, ld *loader[V], ids []string) []*entry[V] {
	es := make([]*entry[V], len(ids))
	l.mu.Lock()
	queued := false
	for i, id := range ids {
		var q bool
		es[i], q = enqueue(ctx, l, ld, id)
		queued = queued || q
	}
	l.park(ld, queued)
	for _, e := range es {
		e.b.done.Wait()
	}
	return es
}

// enqueue returns id's entry: cached, or new in ld's next batch. queued
// says whether it is in that batch, not yet sent. Under the mutex.
func enqueue[V any](ctx context.Context, l *Loaders, ld *loader[V], id string) (e *entry[V], queued bool) {
	if e = ld.cached(id); e != nil {
		return e, !e.b.sent // an unsent entry is in ld.next
	}
	b := ld.next
	if b == nil {
		b = &batch[V]{l: l, ld: ld, ctx: ctx}
		b.done.Add(1)
		b.ids, b.entries = b.id0[:0], b.e0[:0]
		b.e.b = b
		e = &b.e
		ld.next = b
		if l.queued == nil && !l.qused {
			l.queued, l.qused = l.q0[:0], true
		}
		l.queued = append(l.queued, b)
	} else {
		e = &entry[V]{b: b}
	}
	ld.store(id, e)
	b.ids = append(b.ids, id)
	b.entries = append(b.entries, e)
	return e, true
}

// clear empties the cache.
func (ld *loader[V]) clear() { ld.cache, ld.k0, ld.e0 = nil, "", nil }

// cached returns id's entry, nil when there is none.
func (ld *loader[V]) cached(id string) *entry[V] {
	if ld.cache != nil {
		return ld.cache[id]
	}
	if ld.e0 != nil && ld.k0 == id {
		return ld.e0
	}
	return nil
}

// store caches e as id's entry: the first in k0 and e0, then in a map.
func (ld *loader[V]) store(id string, e *entry[V]) {
	switch {
	case ld.cache != nil:
		ld.cache[id] = e
	case ld.e0 == nil:
		ld.k0, ld.e0 = id, e
	default:
		ld.cache = map[string]*entry[V]{ld.k0: ld.e0, id: e}
		ld.k0, ld.e0 = "", nil
	}
}

// park is called with the mutex held once the caller's keys are entered,
// and releases it. When one of them waits in ld's next batch, the caller's
// field resolution no longer runs: the count drops, which may send every
// queued batch (some in this goroutine, before it returns). An entry
// already sent is on its way whatever the count, so waiting for it alone
// keeps the caller counted as running.
func (l *Loaders) park(ld interface{ addWaiter() }, queued bool) {
	var send []dispatchable
	if queued {
		ld.addWaiter()
		l.running--
		l.progress++
		send = l.dispatchIfIdle()
		if send == nil && l.timer == nil {
			l.armSafetyNet()
		}
	}
	l.mu.Unlock()
	sendAll(send)
}

func (ld *loader[V]) addWaiter() { ld.next.waiters++ }

// dispatchIfIdle takes every queued batch when no field resolution is
// running; under the mutex.
func (l *Loaders) dispatchIfIdle() []dispatchable {
	if !l.counted || l.running > 0 || len(l.queued) == 0 {
		return nil
	}
	return l.takeAll()
}

// takeAll takes every queued batch for sending; under the mutex. Their
// waiters count as running from now on: each resumes once its batch is back,
// and the fields of the level it is about to load may still join it.
func (l *Loaders) takeAll() []dispatchable {
	send := l.queued
	l.queued = nil
	var r *endsRound
	for _, b := range send {
		l.running += b.take()
		if rb, ok := b.(*batch[[]kg.Rel]); ok && rb.ends != 0 {
			if r == nil {
				r = &endsRound{}
			}
			rb.round = r
			r.pending++
		}
	}
	l.round++
	if l.timer != nil {
		l.timer.Stop()
		l.timer = nil
	}
	return send
}

// armSafetyNet starts the timer of the batches queued in this round; under
// the mutex.
func (l *Loaders) armSafetyNet() {
	round, progress := l.round, l.progress
	l.timer = time.AfterFunc(l.wait, func() { l.safetyNet(round, progress) })
}

// safetyNet sends the batches queued in round when the count has not. In a
// counted operation it waits for a pause: while fields keep finishing or
// starting to wait (progress moved since the timer was armed), a big level
// is still coming together on a busy machine, and the timer starts again.
func (l *Loaders) safetyNet(round, progress uint64) {
	l.mu.Lock()
	if l.round != round || len(l.queued) == 0 {
		l.mu.Unlock()
		return
	}
	if l.counted && l.progress != progress {
		l.armSafetyNet()
		l.mu.Unlock()
		return
	}
	running, batches := l.running, len(l.queued)
	l.timer = nil // fired
	send := l.takeAll()
	l.mu.Unlock()
	if l.counted {
		l.log.Debug("loader batches sent by the safety net", "wait", l.wait, "running", running, "batches", batches)
	}
	sendAll(send)
}

// sendAll runs the batches, the first in this goroutine.
func sendAll(send []dispatchable) {
	if len(send) == 0 {
		return
	}
	for _, b := range send[1:] {
		go b.run()
	}
	send[0].run()
}

// finishField takes a field resolution off the count and adds the children
// it will start.
func (l *Loaders) finishField(children int) {
	l.mu.Lock()
	l.running += children - 1
	l.progress++
	if l.running < 0 && l.counted {
		// A field ran that was never counted: the count can no longer tell
		// when the operation is idle, so leave the rest to the timer.
		l.counted = false
		l.log.Debug("loader count went negative; the operation's batches wait for the safety net")
		if len(l.queued) > 0 && l.timer == nil {
			l.armSafetyNet()
		}
	}
	send := l.dispatchIfIdle()
	l.mu.Unlock()
	sendAll(send)
}

// startRootField counts a mutation's root field, which starts when the one
// before it has finished, and empties the cache: the fields before it may
// have written.
func (l *Loaders) startRootField() {
	l.mu.Lock()
	l.running++
	l.nodes.clear()
	for _, ld := range l.rels {
		ld.clear()
	}
	l.mu.Unlock()
}

// startedRootField notes that the field middleware runs for root field rf.
func (l *Loaders) startedRootField(rf *graphql.RootFieldContext) {
	l.mu.Lock()
	l.roots = append(l.roots, rf)
	l.mu.Unlock()
}

// endRootField takes root field rf off the count when its field middleware
// never ran.
func (l *Loaders) endRootField(rf *graphql.RootFieldContext) {
	l.mu.Lock()
	if i := slices.Index(l.roots, rf); i >= 0 {
		l.roots = slices.Delete(l.roots, i, i+1)
		l.mu.Unlock()
		return
	}
	l.mu.Unlock()
	l.finishField(0)
}

type loadersKey struct{}

// WithLoaders returns ctx carrying l.
func WithLoaders(ctx context.Context, l *Loaders) context.Context {
	return context.WithValue(ctx, loadersKey{}, l)
}

func loadersOf(ctx context.Context) *Loaders {
	l, _ := ctx.Value(loadersKey{}).(*Loaders)
	return l
}

// loaders returns the operation's loaders, which NewHandler puts in the
// context of every operation. A resolver run without them (the executable
// schema served by a handler other than NewHandler's) gets fresh loaders of
// its own, which batch nothing with other fields and so send at once.
func (r *Resolver) loaders(ctx context.Context) *Loaders {
	if l := loadersOf(ctx); l != nil {
		return l
	}
	return newLoaders(r.Store, 0, nil, true, 1)
}

// loaderCounter is the field middleware that keeps the loaders' count (see
// Loaders), and the root-field middleware that counts a mutation's root
// fields. NewHandler installs it before every other extension, so that it
// sees every field that starts.
type loaderCounter struct {
	schema *ast.Schema
	// satisfies lists, per object type, the type conditions it meets: its
	// name, its interfaces and its unions (as gqlgen's generated code does).
	satisfies map[string][]string
}

var (
	_ graphql.HandlerExtension     = loaderCounter{}
	_ graphql.FieldInterceptor     = loaderCounter{}
	_ graphql.RootFieldInterceptor = loaderCounter{}
)

func newLoaderCounter(schema *ast.Schema) loaderCounter {
	c := loaderCounter{schema: schema, satisfies: map[string][]string{}}
	for name, def := range schema.Types {
		if def.Kind != ast.Object {
			continue
		}
		s := append([]string{name}, def.Interfaces...)
		for _, u := range schema.Types {
			if u.Kind == ast.Union && slices.Contains(u.Types, name) {
				s = append(s, u.Name)
			}
		}
		c.satisfies[name] = s
	}
	return c
}

func (loaderCounter) ExtensionName() string                   { return "LoaderCounter" }
func (loaderCounter) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptRootField counts a mutation's root field as it starts. When a
// root field is done, so is everything below it (gqlgen resolves a field's
// children before the field returns); if its own field middleware never ran
// — its arguments failed to coerce — its place is taken off the count then.
func (c loaderCounter) InterceptRootField(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	l := loadersOf(ctx)
	if l == nil || !l.counted {
		return next(ctx)
	}
	if graphql.GetOperationContext(ctx).Operation.Operation == ast.Mutation {
		l.startRootField()
	}
	m := next(ctx)
	l.endRootField(graphql.GetRootFieldContext(ctx))
	return m
}

func (c loaderCounter) InterceptField(ctx context.Context, next graphql.Resolver) (res any, err error) {
	l := loadersOf(ctx)
	if l == nil || !l.counted {
		return next(ctx)
	}
	if fc := graphql.GetFieldContext(ctx); fc != nil && fc.Parent != nil && fc.Parent.Parent == nil {
		l.startedRootField(graphql.GetRootFieldContext(ctx)) // a root field
	}
	children := 0
	// Deferred, so that a panicking resolver is taken off the count too.
	defer func() { l.finishField(children) }()
	res, err = next(ctx)
	if err == nil && res != nil {
		if fc := graphql.GetFieldContext(ctx); fc != nil && len(fc.Field.Selections) > 0 && fc.Field.Definition != nil {
			children = c.children(graphql.GetOperationContext(ctx), fc.Field.Selections, fc.Field.Definition.Type, reflect.ValueOf(res))
		}
	}
	return res, err
}

// rootFields is the number of root fields of a query that go through the
// field middleware: the fields gqlgen collects, less __typename.
func (c loaderCounter) rootFields(oc *graphql.OperationContext) int {
	root := c.schema.Query
	if root == nil {
		return 0
	}
	return c.fieldsOf(oc, oc.Operation.SelectionSet, root.Name)
}

// children is the number of fields that marshalling v, a value of type t,
// starts through the field middleware: for each object in v, the fields of
// sel collected for its type.
func (c loaderCounter) children(oc *graphql.OperationContext, sel ast.SelectionSet, t *ast.Type, v reflect.Value) int {
	for v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return 0
		}
		v = v.Elem()
	}
	if !v.IsValid() {
		return 0
	}
	if t.Elem != nil {
		if v.Kind() != reflect.Slice && v.Kind() != reflect.Array {
			return 0
		}
		n := 0
		for i := range v.Len() {
			n += c.children(oc, sel, t.Elem, v.Index(i))
		}
		return n
	}
	def := c.schema.Types[t.NamedType]
	if def == nil {
		return 0
	}
	switch def.Kind {
	case ast.Object:
		return c.fieldsOf(oc, sel, def.Name)
	case ast.Interface, ast.Union:
		// gqlgen binds this schema's object types to Go types of the same
		// name (kg.Actor is Actor).
		name := v.Type().Name()
		possible := c.schema.GetPossibleTypes(def)
		for _, p := range possible {
			if p.Name == name {
				return c.fieldsOf(oc, sel, name)
			}
		}
		// Unknown: counting too many only leaves the batch to the
		// safety net; too few would send batches early.
		most := 0
		for _, p := range possible {
			most = max(most, c.fieldsOf(oc, sel, p.Name))
		}
		return most
	}
	return 0
}

// fieldsOf is the number of fields of sel collected for the object type
// named typ that go through the field middleware.
func (c loaderCounter) fieldsOf(oc *graphql.OperationContext, sel ast.SelectionSet, typ string) int {
	if n, ok := plainFields(sel); ok {
		return n
	}
	satisfies, ok := c.satisfies[typ]
	if !ok {
		satisfies = []string{typ}
	}
	n := 0
	for _, f := range graphql.CollectFields(oc, sel, satisfies) {
		if f.Name != "__typename" {
			n++
		}
	}
	return n
}

// plainFields counts the fields of sel without collecting them when sel is
// plain: fields only, no fragment, no directive, no response key twice.
// Collecting gives the same count for every type then.
func plainFields(sel ast.SelectionSet) (int, bool) {
	if len(sel) > 16 {
		return 0, false
	}
	n := 0
	for i, s := range sel {
		f, ok := s.(*ast.Field)
		if !ok || len(f.Directives) > 0 {
			return 0, false
		}
		for _, p := range sel[:i] {
			if p.(*ast.Field).Alias == f.Alias {
				return 0, false
			}
		}
		if f.Name != "__typename" {
			n++
		}
	}
	return n, true
}

// Package engine holds the compact in-memory topology that every analytic
// runs on (DESIGN.md §3): dense integer node ids, each node's ties in one
// array with their type, direction, weight and dates, and the few node
// fields analytics read. It knows nothing of the domain's names: callers
// give relationship types, labels, kinds and sectors as small codes.
//
// A Topology is changed in batches by one writer at a time and read through
// immutable Snapshots: a reader keeps the snapshot it took for its whole
// computation while later batches publish new ones. A batch copies only
// what it touches (the chunk of 1024 node records around each changed node
// and the tie arrays it edits), so a write costs microseconds, not a copy
// of the graph, and no per-request copy of relationships is ever made.
package engine

import (
	"slices"
	"sync"
	"sync/atomic"
)

const (
	chunkBits = 10
	chunkSize = 1 << chunkBits
	chunkMask = chunkSize - 1
)

// Codes are small: at most MaxCodes labels and relationship types.
const MaxCodes = 32

// Edge is one tie of a node. A relationship appears twice, once in the tie
// array of each endpoint, with Out true on its From side.
type Edge struct {
	To    int32 // the other endpoint
	Type  uint8 // relationship type code
	Out   bool  // this node is the relationship's From
	W     uint8 // weight: competency level, importance, role code (the caller's meaning)
	_     uint8
	Start int32 // tie dates in days since 1970-01-01; 0: open
	End   int32
}

// Node holds the fields of a node that analytics read.
type Node struct {
	Label   uint8
	Kind    uint8
	Sector  uint8
	Alive   bool
	Country string
	// A project's own dates, in days as Edge.Start and End; 0: open. A
	// participation without dates of its own takes them (DESIGN.md §1.1).
	Start, End int32
}

type record struct {
	Node
	edges []Edge
}

type chunk [chunkSize]record

// names maps string ids to dense ids. It only grows: a deleted node keeps
// its dense id (dead in later snapshots), and a node created again with the
// same id gets it back. Snapshots share it; ids are visible to a snapshot
// only below its slot count.
type names struct {
	mu    sync.RWMutex
	index map[string]int32
	ids   []string
}

func (n *names) lookup(id string) (int32, bool) {
	n.mu.RLock()
	v, ok := n.index[id]
	n.mu.RUnlock()
	return v, ok
}

// Snapshot is the topology at one version. It is immutable.
type Snapshot struct {
	version uint64
	slots   int32
	chunks  []*chunk
	ids     []string // ids[:slots], shared and append-only
	names   *names
	labels  [MaxCodes]int // alive nodes per label code
	types   [MaxCodes]int // relationships per type code
}

// Version is the graph version the snapshot shows.
func (s *Snapshot) Version() uint64 { return s.version }

// Slots is the number of dense ids in use; ids 0..Slots-1, dead ones
// included (check Node(v).Alive).
func (s *Snapshot) Slots() int32 { return s.slots }

// Lookup returns the dense id of a node alive in the snapshot.
func (s *Snapshot) Lookup(id string) (int32, bool) {
	v, ok := s.names.lookup(id)
	if !ok || v >= s.slots || !s.rec(v).Alive {
		return -1, false
	}
	return v, true
}

// ID returns the string id of dense id v.
func (s *Snapshot) ID(v int32) string { return s.ids[v] }

// Node returns the analytics fields of v.
func (s *Snapshot) Node(v int32) Node { return s.rec(v).Node }

// Alive reports whether v is a node of the snapshot.
func (s *Snapshot) Alive(v int32) bool { return v >= 0 && v < s.slots && s.rec(v).Alive }

// Edges returns v's ties, in no particular order. The slice is shared:
// callers must not change it.
func (s *Snapshot) Edges(v int32) []Edge { return s.rec(v).edges }

// Count returns the number of alive nodes with the label code.
func (s *Snapshot) Count(label uint8) int { return s.labels[label] }

// RelCount returns the number of relationships of the type code.
func (s *Snapshot) RelCount(typ uint8) int { return s.types[typ] }

func (s *Snapshot) rec(v int32) *record { return &s.chunks[v>>chunkBits][v&chunkMask] }

// Topology is a graph kept current by batches of changes.
type Topology struct {
	mu    sync.Mutex // one batch at a time
	cur   atomic.Pointer[Snapshot]
	names *names
}

// New returns an empty topology at version 0.
func New() *Topology {
	t := &Topology{names: &names{index: map[string]int32{}}}
	t.cur.Store(&Snapshot{names: t.names})
	return t
}

// Snapshot returns the latest published snapshot.
func (t *Topology) Snapshot() *Snapshot { return t.cur.Load() }

// Begin starts a batch; it holds the topology's writer lock until Commit
// or Abort.
func (t *Topology) Begin() *Batch {
	t.mu.Lock()
	old := t.cur.Load()
	s := *old
	s.chunks = slices.Clone(old.chunks)
	return &Batch{t: t, s: &s, chunks: make([]bool, len(s.chunks)), owned: map[int32]bool{}}
}

// Batch is a set of changes published at once by Commit.
type Batch struct {
	t      *Topology
	s      *Snapshot
	chunks []bool         // chunks copied (or made) by this batch
	owned  map[int32]bool // tie arrays copied by this batch
	done   bool
}

// Commit publishes the batch as the snapshot of version.
func (b *Batch) Commit(version uint64) *Snapshot {
	b.finish()
	b.s.version = version
	b.t.cur.Store(b.s)
	b.t.mu.Unlock()
	return b.s
}

// Abort drops the batch.
func (b *Batch) Abort() {
	if b.done {
		return
	}
	b.finish()
	b.t.mu.Unlock()
}

func (b *Batch) finish() {
	if b.done {
		panic("engine: batch used after Commit or Abort")
	}
	b.done = true
}

// slot returns the dense id of id, allocating one when create is set.
func (b *Batch) slot(id string, create bool) (int32, bool) {
	n := b.t.names
	if v, ok := n.lookup(id); ok {
		if v >= b.s.slots { // allocated by an aborted batch
			b.grow(v + 1)
		}
		return v, true
	}
	if !create {
		return -1, false
	}
	n.mu.Lock()
	v := int32(len(n.ids))
	n.ids = append(n.ids, id)
	n.index[id] = v
	n.mu.Unlock()
	b.grow(v + 1)
	return v, true
}

// grow makes room for slots dense ids.
func (b *Batch) grow(slots int32) {
	s := b.s
	for int32(len(s.chunks))<<chunkBits < slots {
		s.chunks = append(s.chunks, new(chunk))
		b.chunks = append(b.chunks, true)
	}
	if slots > s.slots {
		s.slots = slots
		n := b.t.names
		n.mu.RLock()
		s.ids = n.ids[:slots:slots]
		n.mu.RUnlock()
	}
}

// edit returns v's record for writing, copying its chunk once per batch.
func (b *Batch) edit(v int32) *record {
	c := v >> chunkBits
	if !b.chunks[c] {
		cp := *b.s.chunks[c]
		b.s.chunks[c] = &cp
		b.chunks[c] = true
	}
	return &b.s.chunks[c][v&chunkMask]
}

// editEdges returns v's record with a tie array this batch may change in
// place.
func (b *Batch) editEdges(v int32) *record {
	r := b.edit(v)
	if !b.owned[v] {
		r.edges = slices.Clone(r.edges)
		b.owned[v] = true
	}
	return r
}

// PutNode creates the node or replaces its fields, keeping its ties.
func (b *Batch) PutNode(id string, n Node) { b.putNode(id, n) }

func (b *Batch) putNode(id string, n Node) int32 {
	v, _ := b.slot(id, true)
	r := b.edit(v)
	if !r.Alive {
		b.s.labels[n.Label]++
	} else if r.Label != n.Label {
		b.s.labels[r.Label]--
		b.s.labels[n.Label]++
	}
	n.Alive = true
	r.Node = n
	return v
}

// DeleteNode removes the node and every tie it has; an unknown id is a
// no-op.
func (b *Batch) DeleteNode(id string) {
	v, ok := b.slot(id, false)
	if !ok || !b.s.rec(v).Alive {
		return
	}
	r := b.edit(v)
	for _, e := range r.edges {
		if e.To == v {
			continue
		}
		o := b.editEdges(e.To)
		o.edges = slices.DeleteFunc(o.edges, func(x Edge) bool { return x.To == v })
		b.s.types[e.Type]--
	}
	b.s.labels[r.Label]--
	r.Node = Node{}
	r.edges = nil
	b.owned[v] = true
}

// Tie is a relationship as a batch takes it.
type Tie struct {
	Type     uint8
	From, To string
	W        uint8
	Start    int32
	End      int32
}

// PutEdge creates the relationship or replaces its weight and dates. The
// relationship is identified by (type, from, to); with either set, the
// one of type and endpoints in either direction is the same relationship
// (for symmetric types). Ties whose endpoints are not alive are ignored
// and reported false.
func (b *Batch) PutEdge(t Tie, either bool) bool {
	from, ok1 := b.slot(t.From, false)
	to, ok2 := b.slot(t.To, false)
	if !ok1 || !ok2 || !b.s.rec(from).Alive || !b.s.rec(to).Alive || from == to {
		return false
	}
	out := Edge{To: to, Type: t.Type, Out: true, W: t.W, Start: t.Start, End: t.End}
	in := Edge{To: from, Type: t.Type, Out: false, W: t.W, Start: t.Start, End: t.End}
	if i := find(b.s.rec(from).edges, to, t.Type, true, either); i >= 0 {
		rf := b.editEdges(from)
		out.Out = rf.edges[i].Out // a symmetric tie keeps its first direction
		in.Out = !out.Out
		rf.edges[i] = out
		rt := b.editEdges(to)
		if j := find(rt.edges, from, t.Type, in.Out, false); j >= 0 {
			rt.edges[j] = in
		}
		return true
	}
	// Appending never changes what older snapshots see (they read only up
	// to their own length), so a new tie is added in place.
	rf := b.edit(from)
	rf.edges = append(rf.edges, out)
	rt := b.edit(to)
	rt.edges = append(rt.edges, in)
	b.s.types[t.Type]++
	return true
}

// AddEdge adds a relationship the caller knows is new (a bulk load from a
// store, whose keys are unique), without looking for an existing one.
func (b *Batch) AddEdge(t Tie) bool {
	from, ok1 := b.slot(t.From, false)
	to, ok2 := b.slot(t.To, false)
	if !ok1 || !ok2 || !b.s.rec(from).Alive || !b.s.rec(to).Alive || from == to {
		return false
	}
	rf := b.edit(from)
	rf.edges = append(rf.edges, Edge{To: to, Type: t.Type, Out: true, W: t.W, Start: t.Start, End: t.End})
	rt := b.edit(to)
	rt.edges = append(rt.edges, Edge{To: from, Type: t.Type, Out: false, W: t.W, Start: t.Start, End: t.End})
	b.s.types[t.Type]++
	return true
}

// RemoveEdge removes the relationship of type typ from → to (or, with
// either, in either direction) and reports whether there was one.
func (b *Batch) RemoveEdge(typ uint8, fromID, toID string, either bool) bool {
	from, ok1 := b.slot(fromID, false)
	to, ok2 := b.slot(toID, false)
	if !ok1 || !ok2 {
		return false
	}
	i := find(b.s.rec(from).edges, to, typ, true, either)
	if i < 0 {
		return false
	}
	rf := b.editEdges(from)
	dir := rf.edges[i].Out
	rf.edges = slices.Delete(rf.edges, i, i+1)
	rt := b.editEdges(to)
	if j := find(rt.edges, from, typ, !dir, false); j >= 0 {
		rt.edges = slices.Delete(rt.edges, j, j+1)
	}
	b.s.types[typ]--
	return true
}

func find(edges []Edge, to int32, typ uint8, out, either bool) int {
	for i, e := range edges {
		if e.To == to && e.Type == typ && (either || e.Out == out) {
			return i
		}
	}
	return -1
}

// The methods below load a whole graph into a new topology at start: the
// caller has the nodes and ties of a consistent store, so no tie is
// looked up by id and no tie array grows twice.

// ReserveNodes makes room for n more node ids.
func (b *Batch) ReserveNodes(n int) {
	names := b.t.names
	names.mu.Lock()
	if len(names.index) == 0 {
		names.index = make(map[string]int32, n)
	}
	names.ids = slices.Grow(names.ids, n)
	names.mu.Unlock()
}

// LoadNode is PutNode that returns the node's dense id, by which LoadEdge
// takes the node's ties.
func (b *Batch) LoadNode(id string, n Node) int32 { return b.putNode(id, n) }

// ReserveEdges makes room for n more ties in v's tie array.
func (b *Batch) ReserveEdges(v int32, n int) {
	r := b.edit(v)
	r.edges = slices.Grow(r.edges, n)
}

// LoadEdge adds the relationship of type typ from → to (dense ids of alive
// nodes) that the caller knows is new, like AddEdge; false when an
// endpoint is not alive or the two are the same.
func (b *Batch) LoadEdge(from, to int32, typ, w uint8, start, end int32) bool {
	if !b.s.Alive(from) || !b.s.Alive(to) || from == to {
		return false
	}
	rf := b.edit(from)
	rf.edges = append(rf.edges, Edge{To: to, Type: typ, Out: true, W: w, Start: start, End: end})
	rt := b.edit(to)
	rt.edges = append(rt.edges, Edge{To: from, Type: typ, Out: false, W: w, Start: start, End: end})
	b.s.types[typ]++
	return true
}

package engine_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/samverkan/samverkan/internal/engine"
)

// model is the obvious implementation the topology must agree with.
type model struct {
	nodes map[string]engine.Node
	ties  map[[3]string]engine.Tie // type, from, to
}

func (m *model) dump() []string {
	var out []string
	for id, n := range m.nodes {
		out = append(out, fmt.Sprintf("node %s %d %d %d %s", id, n.Label, n.Kind, n.Sector, n.Country))
	}
	for _, t := range m.ties {
		out = append(out, fmt.Sprintf("tie %d %s %s %d %d %d", t.Type, t.From, t.To, t.W, t.Start, t.End))
	}
	slices.Sort(out)
	return out
}

func dump(s *engine.Snapshot) []string {
	var out []string
	in := map[string]int{}
	for x := range s.Slots() {
		n := s.Node(x)
		if !n.Alive {
			if len(s.Edges(x)) > 0 {
				out = append(out, "dead node with ties "+s.ID(x))
			}
			continue
		}
		out = append(out, fmt.Sprintf("node %s %d %d %d %s", s.ID(x), n.Label, n.Kind, n.Sector, n.Country))
		for _, e := range s.Edges(x) {
			if !s.Alive(e.To) {
				out = append(out, "tie to a dead node")
			}
			key := fmt.Sprintf("tie %d %s %s %d %d %d", e.Type, s.ID(x), s.ID(e.To), e.W, e.Start, e.End)
			if e.Out {
				out = append(out, key)
				in[key]++
			} else {
				in[fmt.Sprintf("tie %d %s %s %d %d %d", e.Type, s.ID(e.To), s.ID(x), e.W, e.Start, e.End)]--
			}
		}
	}
	for k, c := range in {
		if c != 0 {
			out = append(out, "one-sided "+k)
		}
	}
	slices.Sort(out)
	return out
}

// TestTopologyAgreesWithModel applies random batches (with symmetric and
// directed ties, rewrites, removals, deletions, re-creations and aborted
// batches) and checks every snapshot against the model, and that every
// earlier snapshot still shows what it showed.
func TestTopologyAgreesWithModel(t *testing.T) {
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 7))
		top := engine.New()
		m := &model{nodes: map[string]engine.Node{}, ties: map[[3]string]engine.Tie{}}
		type kept struct {
			s    *engine.Snapshot
			want []string
		}
		var history []kept
		id := func() string { return fmt.Sprintf("n%d", rng.IntN(30)) }
		for step := range 200 {
			b := top.Begin()
			abort := rng.IntN(10) == 0
			saved := &model{nodes: maps(m.nodes), ties: maps(m.ties)}
			for range 1 + rng.IntN(6) {
				switch op := rng.IntN(10); {
				case op < 3:
					n := engine.Node{Label: uint8(rng.IntN(4)), Kind: uint8(rng.IntN(3)), Sector: uint8(rng.IntN(3)), Country: []string{"", "SE", "NO"}[rng.IntN(3)]}
					x := id()
					b.PutNode(x, n)
					n.Alive = true
					m.nodes[x] = n
				case op < 7:
					tie := engine.Tie{Type: uint8(rng.IntN(3)), From: id(), To: id(), W: uint8(rng.IntN(5)), Start: int32(rng.IntN(3)), End: int32(rng.IntN(3))}
					symmetric := tie.Type == 2
					_, okF := m.nodes[tie.From]
					_, okT := m.nodes[tie.To]
					ok := b.PutEdge(tie, symmetric)
					if want := okF && okT && tie.From != tie.To; ok != want {
						t.Fatalf("seed %d step %d: PutEdge = %v, want %v", seed, step, ok, want)
					}
					if !ok {
						continue
					}
					k := [3]string{fmt.Sprint(tie.Type), tie.From, tie.To}
					if symmetric {
						if old, ok := m.ties[[3]string{k[0], tie.To, tie.From}]; ok {
							tie.From, tie.To = old.From, old.To // the first direction stays
							k = [3]string{k[0], tie.From, tie.To}
						}
					}
					m.ties[k] = tie
				case op < 8:
					typ, from, to := uint8(rng.IntN(3)), id(), id()
					symmetric := typ == 2
					k := [3]string{fmt.Sprint(typ), from, to}
					_, had := m.ties[k]
					if !had && symmetric {
						k = [3]string{k[0], to, from}
						_, had = m.ties[k]
					}
					if got := b.RemoveEdge(typ, from, to, symmetric); got != had {
						t.Fatalf("seed %d step %d: RemoveEdge = %v, want %v", seed, step, got, had)
					}
					delete(m.ties, k)
				default:
					x := id()
					b.DeleteNode(x)
					delete(m.nodes, x)
					for k := range m.ties {
						if k[1] == x || k[2] == x {
							delete(m.ties, k)
						}
					}
				}
			}
			if abort {
				b.Abort()
				m = saved
			} else {
				b.Commit(uint64(step + 1))
			}
			s := top.Snapshot()
			want := m.dump()
			if got := dump(s); !slices.Equal(got, want) {
				t.Fatalf("seed %d step %d:\n got %v\nwant %v", seed, step, got, want)
			}
			for x := range s.Slots() {
				if got, ok := s.Lookup(s.ID(x)); ok != s.Node(x).Alive || ok && got != x {
					t.Fatalf("seed %d: Lookup(%s) = %d, %v", seed, s.ID(x), got, ok)
				}
			}
			history = append(history, kept{s, want})
		}
		for i, h := range history {
			if got := dump(h.s); !slices.Equal(got, h.want) {
				t.Fatalf("seed %d: the snapshot of step %d changed after later batches", seed, i)
			}
		}
	}
}

func TestCounts(t *testing.T) {
	top := engine.New()
	b := top.Begin()
	b.PutNode("a", engine.Node{Label: 0})
	b.PutNode("b", engine.Node{Label: 0})
	b.PutNode("p", engine.Node{Label: 1})
	b.AddEdge(engine.Tie{Type: 0, From: "a", To: "p"})
	b.AddEdge(engine.Tie{Type: 0, From: "b", To: "p"})
	b.PutEdge(engine.Tie{Type: 3, From: "a", To: "b"}, true)
	b.PutEdge(engine.Tie{Type: 3, From: "b", To: "a", W: 2}, true) // the same tie
	s := b.Commit(1)
	if s.Count(0) != 2 || s.Count(1) != 1 || s.RelCount(0) != 2 || s.RelCount(3) != 1 {
		t.Fatalf("counts: labels %d %d, types %d %d", s.Count(0), s.Count(1), s.RelCount(0), s.RelCount(3))
	}
	b = top.Begin()
	b.DeleteNode("a")
	b.PutNode("b", engine.Node{Label: 1}) // relabelled
	s = b.Commit(2)
	if s.Count(0) != 0 || s.Count(1) != 2 || s.RelCount(0) != 1 || s.RelCount(3) != 0 || s.Version() != 2 {
		t.Fatalf("after delete: labels %d %d, types %d %d, version %d", s.Count(0), s.Count(1), s.RelCount(0), s.RelCount(3), s.Version())
	}
	if _, ok := s.Lookup("a"); ok {
		t.Error("a deleted node is still found")
	}
}

func maps[K comparable, V any](m map[K]V) map[K]V {
	out := make(map[K]V, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// TestBulkLoad loads a random graph with LoadNode, ReserveEdges and
// LoadEdge and checks it against the same graph built with PutNode and
// AddEdge, and that later batches change it as they change that one.
func TestBulkLoad(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	const n = 300
	var ties []engine.Tie
	seen := map[[3]int]bool{}
	for len(ties) < 2000 {
		typ, f, to := rng.IntN(3), rng.IntN(n), rng.IntN(n)
		if seen[[3]int{typ, f, to}] || (typ == 2 && seen[[3]int{typ, to, f}]) {
			continue
		}
		seen[[3]int{typ, f, to}] = true
		ties = append(ties, engine.Tie{Type: uint8(typ), From: fmt.Sprint("n", f), To: fmt.Sprint("n", to),
			W: uint8(rng.IntN(5)), Start: int32(rng.IntN(9)), End: int32(rng.IntN(9))})
	}
	node := func(i int) engine.Node { return engine.Node{Label: uint8(i % 4), Kind: uint8(i % 3), Country: "SE"} }

	want := engine.New()
	b := want.Begin()
	for i := range n {
		b.PutNode(fmt.Sprint("n", i), node(i))
	}
	for _, tie := range ties {
		b.AddEdge(tie)
	}
	b.Commit(1)

	got := engine.New()
	b = got.Begin()
	b.ReserveNodes(n)
	dense := map[string]int32{}
	for i := n - 1; i >= 0; i-- { // another order of dense ids
		id := fmt.Sprint("n", i)
		dense[id] = b.LoadNode(id, node(i))
	}
	deg := map[string]int{}
	for _, tie := range ties {
		deg[tie.From]++
		deg[tie.To]++
	}
	for id, d := range deg {
		b.ReserveEdges(dense[id], d)
	}
	loaded := 0
	for _, tie := range ties {
		if b.LoadEdge(dense[tie.From], dense[tie.To], tie.Type, tie.W, tie.Start, tie.End) {
			loaded++
		}
	}
	if b.LoadEdge(dense["n1"], dense["n1"], 0, 0, 0, 0) {
		t.Error("LoadEdge took a tie from a node to itself")
	}
	b.Commit(1)
	if w, g := dump(want.Snapshot()), dump(got.Snapshot()); !slices.Equal(w, g) {
		t.Fatalf("bulk load differs (%d ties loaded):\n got %v\nwant %v", loaded, g, w)
	}
	if w, g := want.Snapshot().RelCount(1), got.Snapshot().RelCount(1); w != g {
		t.Fatalf("RelCount(1) = %d, want %d", g, w)
	}
	for _, top := range []*engine.Topology{want, got} {
		b := top.Begin()
		b.DeleteNode("n7")
		b.RemoveEdge(ties[0].Type, ties[0].From, ties[0].To, ties[0].Type == 2)
		b.PutEdge(engine.Tie{Type: 1, From: "n3", To: "n4", W: 4}, false)
		b.Commit(2)
	}
	if w, g := dump(want.Snapshot()), dump(got.Snapshot()); !slices.Equal(w, g) {
		t.Fatalf("after a batch the bulk-loaded topology differs:\n got %v\nwant %v", g, w)
	}
}

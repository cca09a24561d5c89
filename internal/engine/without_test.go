package engine_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/samverkan/samverkan/internal/engine"
)

// A snapshot Without some nodes is the snapshot those nodes' deletion
// would publish (nodes, ties, counts), and the snapshot it came from still
// shows them.
func TestWithoutIsDeletion(t *testing.T) {
	for seed := range uint64(4) {
		rng := rand.New(rand.NewPCG(seed, 11))
		top := engine.New()
		b := top.Begin()
		const n = 1500 // more than two chunks
		ids := make([]string, n)
		for i := range n {
			ids[i] = fmt.Sprintf("n%04d", i)
			b.PutNode(ids[i], engine.Node{Label: uint8(rng.IntN(3)), Kind: uint8(rng.IntN(4))})
		}
		for range 6 * n {
			b.AddEdge(engine.Tie{Type: uint8(rng.IntN(5)), From: ids[rng.IntN(n)], To: ids[rng.IntN(n)], W: uint8(rng.IntN(6))})
		}
		s := b.Commit(1)
		before := dump(s)

		drop := func(x engine.Node) bool { return x.Label == 0 && x.Kind == 3 }
		got := s.Without(drop)

		b = top.Begin()
		for x := range s.Slots() {
			if s.Alive(x) && drop(s.Node(x)) {
				b.DeleteNode(s.ID(x))
			}
		}
		want := b.Commit(1)
		if g, w := dump(got), dump(want); !slices.Equal(g, w) {
			t.Fatalf("seed %d: Without differs from deletion: %d lines, want %d", seed, len(g), len(w))
		}
		for c := range uint8(5) {
			if got.RelCount(c) != want.RelCount(c) || got.Count(c) != want.Count(c) {
				t.Errorf("seed %d code %d: counts %d/%d, want %d/%d", seed, c, got.Count(c), got.RelCount(c), want.Count(c), want.RelCount(c))
			}
		}
		for x := range s.Slots() {
			if _, ok := got.Lookup(s.ID(x)); ok != want.Alive(x) {
				t.Fatalf("seed %d: Lookup(%s) = %v", seed, s.ID(x), ok)
			}
		}
		if !slices.Equal(dump(s), before) {
			t.Fatalf("seed %d: Without changed the snapshot it came from", seed)
		}
	}
}

package kg

import (
	"context"
	"testing"
)

// A version keeps at most maxDatedGraphs dated entries, dropping the least
// recently used and stopping its background work; the undated entries stay.
func TestDatedGraphsAreBounded(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := &wholeGraph{ctx: ctx}
	all := w.of(collabKey{scope: ScopeAll})
	first := w.of(collabKey{scope: ScopeAll, day: 1})
	for day := int32(2); day <= 20; day++ {
		w.of(collabKey{scope: ScopeAll, day: 1}) // day 1 stays the most recently used
		w.of(collabKey{scope: ScopeAll, day: day})
	}
	if n := len(w.graphs); n != maxDatedGraphs+1 {
		t.Fatalf("%d entries kept, want %d dated and the undated one", n, maxDatedGraphs)
	}
	if w.of(collabKey{scope: ScopeAll}) != all || all.ctx.Err() != nil {
		t.Error("the undated entry was dropped")
	}
	if w.of(collabKey{scope: ScopeAll, day: 1}) != first || first.ctx.Err() != nil {
		t.Error("the most recently used dated entry was dropped")
	}
	dropped := w.graphs[collabKey{scope: ScopeAll, day: 20}]
	for day := int32(30); day < 30+maxDatedGraphs; day++ {
		w.of(collabKey{scope: ScopeAll, day: day})
	}
	if dropped == nil || dropped.ctx.Err() == nil {
		t.Error("a dropped entry's background work goes on")
	}
}

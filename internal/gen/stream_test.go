package gen_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/samverkan/samverkan/internal/gen"
	"github.com/samverkan/samverkan/internal/kg"
)

// Stream gives Generate's graph, nodes first, in the same order.
func TestStreamIsGenerate(t *testing.T) {
	c, _ := gen.ScaleS.Config(3)
	want := gen.Generate(c)
	var nodes []kg.Node
	var rels []kg.Rel
	err := gen.Stream(c, func(n kg.Node) error { nodes = append(nodes, n); return nil },
		func(r kg.Rel) error { rels = append(rels, r); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(nodes, want.Nodes()) {
		t.Error("Stream's nodes differ from Generate's")
	}
	if !reflect.DeepEqual(rels, want.Rels) {
		t.Errorf("Stream gave %d relationships unlike Generate's %d", len(rels), len(want.Rels))
	}
}

func TestStreamStopsAtTheFirstError(t *testing.T) {
	c, _ := gen.ScaleS.Config(1)
	stop := errors.New("stop")
	n := 0
	err := gen.Stream(c, func(kg.Node) error { return nil }, func(kg.Rel) error {
		if n++; n == 10 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 10 {
		t.Fatalf("Stream = %v after %d relationships; want the callback's error after 10", err, n)
	}
	if err := gen.Stream(gen.Config{Actors: 3}, nil, nil); err == nil {
		t.Fatal("Stream accepted 3 actors")
	}
}

// The big presets are what they say, checked without generating them: the
// actors, and the nodes the defaults derive (projects, needs, competencies,
// plus one project and one competency per island).
func TestBigScales(t *testing.T) {
	for _, tc := range []struct {
		s             gen.Scale
		actors, nodes int
	}{
		{gen.ScaleS, 1_000, 1_416},
		{gen.ScaleM, 10_000, 13_746},
		{gen.ScaleL, 100_000, 137_046},
		{gen.ScaleXL, 1_000_000, 1_370_046},
	} {
		c, err := tc.s.Config(gen.DefaultSeed)
		if err != nil {
			t.Fatal(err)
		}
		if c.Actors != tc.actors || gen.NodeCount(c) != tc.nodes {
			t.Errorf("%s: %d actors, %d nodes; want %d, %d", tc.s, c.Actors, gen.NodeCount(c), tc.actors, tc.nodes)
		}
	}
	if g := gen.MustScale(gen.ScaleS); len(g.Nodes()) != gen.NodeCount(gen.Config{Seed: 1, Actors: 1_000}) {
		t.Errorf("S has %d nodes; NodeCount says %d", len(g.Nodes()), gen.NodeCount(gen.Config{Actors: 1_000}))
	}
	if _, err := gen.Scale("XXL").Config(1); err == nil {
		t.Error("XXL is a scale")
	}
	if len(gen.AllScales) != 4 || len(gen.Scales) != 2 {
		t.Errorf("AllScales %v, Scales %v", gen.AllScales, gen.Scales)
	}
}

package gen_test

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"github.com/samverkan/samverkan/internal/gen"
	"github.com/samverkan/samverkan/internal/kg"
	"github.com/samverkan/samverkan/internal/store/teststore"
)

func TestGenerateIsDeterministic(t *testing.T) {
	c, _ := gen.ScaleS.Config(7)
	a, b := gen.Generate(c), gen.Generate(c)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("Generate gave two different graphs for one Config")
	}
	c.Seed = 8
	if reflect.DeepEqual(a, gen.Generate(c)) {
		t.Fatal("seeds 7 and 8 gave the same graph")
	}
}

// valid checks g as an import would, in memory: every node and
// relationship validates, ids are unique across labels, endpoints exist
// with the labels of the type, and no relationship key repeats.
func valid(t *testing.T, g kg.Graph) {
	t.Helper()
	labels := map[string]kg.Label{}
	for _, n := range g.Nodes() {
		if err := kg.ValidateNode(n); err != nil {
			t.Fatalf("node %s: %v", n.Base().ID, err)
		}
		if _, dup := labels[n.Base().ID]; dup {
			t.Fatalf("id %s is used twice", n.Base().ID)
		}
		labels[n.Base().ID] = n.NodeLabel()
	}
	keys := map[kg.RelKey]bool{}
	for _, r := range g.Rels {
		if err := kg.ValidateRel(r); err != nil {
			t.Fatalf("relationship %v: %v", r.Key(), err)
		}
		if err := kg.CheckEndpoints(r.Type, r.From, r.To, labels[r.From], labels[r.To]); err != nil {
			t.Fatalf("relationship %v: %v", r.Key(), err)
		}
		if keys[r.Key()] {
			t.Fatalf("relationship %v is given twice", r.Key())
		}
		keys[r.Key()] = true
	}
}

// hasEverything checks that g has every label, actor kind, sector and
// relationship type, and the properties each type requires.
func hasEverything(t *testing.T, g kg.Graph) {
	t.Helper()
	s := gen.Count(g)
	for _, l := range kg.Labels {
		if s.Nodes[l] == 0 {
			t.Errorf("no %s", l)
		}
	}
	for _, k := range kg.ActorKinds {
		if s.Kinds[k] == 0 {
			t.Errorf("no actor of kind %s", k)
		}
	}
	for _, sec := range kg.Sectors {
		if s.Sectors[sec] == 0 {
			t.Errorf("no actor of sector %s", sec)
		}
	}
	for _, rt := range kg.RelTypes {
		if s.Rels[rt] == 0 {
			t.Errorf("no %s relationship", rt)
		}
	}
	for _, r := range g.Rels {
		switch r.Type {
		case kg.RelParticipatesIn:
			if !kg.ParticipationRole(r.Role).Valid() {
				t.Fatalf("%v has role %q", r.Key(), r.Role)
			}
		case kg.RelHasCompetency:
			if r.Level < 1 || r.Level > 5 {
				t.Fatalf("%v has level %d", r.Key(), r.Level)
			}
		case kg.RelRequires:
			if r.Importance < 1 || r.Importance > 5 {
				t.Fatalf("%v has importance %d", r.Key(), r.Importance)
			}
		}
	}
}

// shape checks the structure the benchmarks rely on: heavy-tailed project
// sizes, hub actors, several components and isolated actors.
func shape(t *testing.T, g kg.Graph) {
	t.Helper()
	size := map[string]int{}
	degree := map[string]int{}
	parent := map[string]string{}
	var find func(string) string
	find = func(x string) string {
		if p, ok := parent[x]; ok && p != x {
			r := find(p)
			parent[x] = r
			return r
		}
		parent[x] = x
		return x
	}
	for _, r := range g.Rels {
		degree[r.From]++
		degree[r.To]++
		if r.Type == kg.RelParticipatesIn {
			size[r.To]++
		}
		parent[find(r.From)] = find(r.To)
	}
	var sizes []int
	for _, s := range size {
		sizes = append(sizes, s)
	}
	slices.Sort(sizes)
	median, biggest := sizes[len(sizes)/2], sizes[len(sizes)-1]
	if biggest < 10*median {
		t.Errorf("project sizes are not heavy-tailed: median %d, largest %d", median, biggest)
	}
	var degs []int
	for _, a := range g.Actors {
		degs = append(degs, degree[a.ID])
	}
	slices.Sort(degs)
	if top, med := degs[len(degs)-1], degs[len(degs)/2]; top < 10*max(1, med) {
		t.Errorf("no hub actors: median degree %d, largest %d", med, top)
	}
	isolated := 0
	roots := map[string]bool{}
	for _, a := range g.Actors {
		if degree[a.ID] == 0 {
			isolated++
			continue
		}
		roots[find(a.ID)] = true
	}
	if isolated == 0 {
		t.Error("no isolated actors")
	}
	if len(roots) < 3 {
		t.Errorf("%d components with actors; want several", len(roots))
	}
}

func TestScaleS(t *testing.T) {
	g := gen.MustScale(gen.ScaleS)
	valid(t, g)
	hasEverything(t, g)
	shape(t, g)
	s := gen.Count(g)
	if s.Nodes[kg.LabelActor] != 1000 || s.RelsAll < 8_000 || s.RelsAll > 13_000 {
		t.Errorf("S has %d actors and %d relationships; want 1000 and about 10 000", s.Nodes[kg.LabelActor], s.RelsAll)
	}
}

func TestScaleM(t *testing.T) {
	g := gen.MustScale(gen.ScaleM)
	valid(t, g)
	hasEverything(t, g)
	shape(t, g)
	s := gen.Count(g)
	t.Logf("M: %v nodes %v, relationships %v", s.NodesAll, s.Nodes, s.Rels)
	if s.Nodes[kg.LabelActor] != 10_000 || s.RelsAll < 90_000 || s.RelsAll > 115_000 {
		t.Errorf("M has %d actors and %d relationships; want 10 000 and about 100 000", s.Nodes[kg.LabelActor], s.RelsAll)
	}
}

func TestBatches(t *testing.T) {
	g := gen.MustScale(gen.ScaleS)
	bs := gen.Batches(g, 300, 2_000)
	var back kg.Graph
	for _, b := range bs {
		if n := len(b.Nodes()); n > 300 || len(b.Rels) > 2_000 || (n > 0 && len(b.Rels) > 0) {
			t.Fatalf("a batch of %d nodes and %d relationships", n, len(b.Rels))
		}
		back.Actors = append(back.Actors, b.Actors...)
		back.Projects = append(back.Projects, b.Projects...)
		back.Needs = append(back.Needs, b.Needs...)
		back.Competencies = append(back.Competencies, b.Competencies...)
		back.Rels = append(back.Rels, b.Rels...)
	}
	if !reflect.DeepEqual(back, g) {
		t.Fatal("the batches together are not the graph")
	}
}

// importInto imports g into a fresh embedded store in batches within the
// API's limits and checks the counts.
func importInto(t *testing.T, g kg.Graph) {
	t.Setenv("NEO4J_URI", "") // always the embedded store
	s := teststore.Open(t)
	ctx := context.Background()
	var nodes, rels int
	for _, b := range gen.Batches(g, kg.MaxImportNodes, kg.MaxImportRels) {
		res, err := s.Import(ctx, b)
		if err != nil {
			t.Fatalf("Import: %v", err)
		}
		if res.NodesUpdated != 0 || res.RelsUpdated != 0 {
			t.Fatalf("Import updated something: %+v", res)
		}
		nodes += res.NodesCreated
		rels += res.RelsCreated
	}
	st := gen.Count(g)
	if nodes != st.NodesAll || rels != st.RelsAll {
		t.Fatalf("imported %d nodes and %d relationships; the graph has %d and %d", nodes, rels, st.NodesAll, st.RelsAll)
	}
	page, err := s.List(ctx, kg.ListQuery{Label: kg.LabelActor, First: 1})
	if err != nil || page.TotalCount != st.Nodes[kg.LabelActor] {
		t.Fatalf("List(Actor) total = %d, %v; want %d", page.TotalCount, err, st.Nodes[kg.LabelActor])
	}
}

func TestImportS(t *testing.T) { importInto(t, gen.MustScale(gen.ScaleS)) }

func TestImportM(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the M graph's import into the embedded store takes a while")
	}
	importInto(t, gen.MustScale(gen.ScaleM))
}

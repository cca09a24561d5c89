package embedded

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/samverkan/samverkan/internal/gen"
	"github.com/samverkan/samverkan/internal/kg"
)

// Search and List on the generator's graphs (internal/gen), in-process:
//
//	go test ./internal/store/embedded -run '^$' -bench 'Search|List' -benchmem
//	BENCH_SCALES=M,L go test ./internal/store/embedded -run '^$' -bench 'Search|List' -timeout 30m
//
// BENCH_SCALES lists the scales, comma-separated (default M). Each scale's
// graph is imported once per process (ImportDir, then Open, as `samverkan
// import` and a restart do), and the store is shared by the benchmarks.
// BenchmarkSearchScan and BenchmarkListScan run the per-request scans that
// the indexes replaced (the test oracle in index_test.go) on the same
// store and queries; -bench 'Search$|List$' leaves them out.

func benchScales() []gen.Scale {
	v := os.Getenv("BENCH_SCALES")
	if v == "" {
		return []gen.Scale{gen.ScaleM}
	}
	var out []gen.Scale
	for _, s := range strings.Split(v, ",") {
		out = append(out, gen.Scale(strings.TrimSpace(s)))
	}
	return out
}

var (
	benchMu     sync.Mutex
	benchStores = map[gen.Scale]*Store{}
)

// benchStore returns a store holding scale s's graph. Its directory is
// removed as soon as the store is open (the open file lives on until the
// process exits), so that nothing is left behind.
func benchStore(b *testing.B, s gen.Scale) *Store {
	benchMu.Lock()
	defer benchMu.Unlock()
	if st := benchStores[s]; st != nil {
		return st
	}
	c, err := s.Config(gen.DefaultSeed)
	if err != nil {
		b.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "samverkan-bench-")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	_, err = ImportDir(ctx, dir, func(node func(string, kg.Node) error, rel func(string, kg.Rel) error) error {
		return gen.Stream(c, func(n kg.Node) error { return node("nodes", n) }, func(r kg.Rel) error { return rel("relationships", r) })
	}, WithInitialMmapSize(4<<30))
	if err != nil {
		b.Fatalf("importing scale %s: %v", s, err)
	}
	start := time.Now()
	st, err := Open(dir)
	if err != nil {
		b.Fatalf("opening scale %s: %v", s, err)
	}
	opened := time.Now()
	if _, err := st.Search(ctx, kg.SearchQuery{Text: "x", First: 1}); err != nil {
		b.Fatal(err)
	}
	fmt.Printf("scale %s: Open %v, then the first read (building the indexes) %v\n", s,
		opened.Sub(start).Round(time.Millisecond), time.Since(opened).Round(time.Millisecond))
	benchStores[s] = st
	return st
}

// touch records a change of one actor in the index, as a write of it
// does, without the write itself (whose fsync would dominate): the next
// read pays for bringing the indexes up to date.
func touch(s *Store, i int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.index.put(s.nodes[gen.ActorID(i%1000)])
}

var benchSearches = []struct {
	name string
	q    kg.SearchQuery
}{
	{"goteborg-health", kg.SearchQuery{Text: "goteborg health", First: 10}},
	{"karlstad", kg.SearchQuery{Text: "karlstad", First: 10}},
	{"prefix-ma", kg.SearchQuery{Text: "ma", First: 20}},
	{"projects-nordic-digital", kg.SearchQuery{Text: "nordic digital", Labels: []kg.Label{kg.LabelProject}, First: 10}},
	{"no-hit", kg.SearchQuery{Text: "zzyzx", First: 10}},
}

func BenchmarkSearch(b *testing.B)     { benchSearch(b, (*Store).Search) }
func BenchmarkSearchScan(b *testing.B) { benchSearch(b, scanSearch) }

func benchSearch(b *testing.B, search func(*Store, context.Context, kg.SearchQuery) ([]kg.SearchHit, error)) {
	ctx := context.Background()
	for _, scale := range benchScales() {
		b.Run(string(scale), func(b *testing.B) {
			s := benchStore(b, scale)
			for _, tc := range benchSearches {
				b.Run(tc.name, func(b *testing.B) {
					if _, err := search(s, ctx, tc.q); err != nil { // the first call at this version builds
						b.Fatal(err)
					}
					b.ResetTimer()
					for b.Loop() {
						if _, err := search(s, ctx, tc.q); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// BenchmarkSearchAfterWrite and BenchmarkListAfterWrite: the first read
// after one node changed.
func BenchmarkSearchAfterWrite(b *testing.B) {
	ctx := context.Background()
	for _, scale := range benchScales() {
		b.Run(string(scale), func(b *testing.B) {
			s := benchStore(b, scale)
			q := benchSearches[0].q
			i := 0
			for b.Loop() {
				touch(s, i)
				i++
				if _, err := s.Search(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkListAfterWrite(b *testing.B) {
	ctx := context.Background()
	for _, scale := range benchScales() {
		b.Run(string(scale), func(b *testing.B) {
			s := benchStore(b, scale)
			q := benchLists[0].q
			i := 0
			for b.Loop() {
				touch(s, i)
				i++
				if _, err := s.List(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

var benchLists = []struct {
	name  string
	q     kg.ListQuery
	page2 bool // ask for the page after the first one (a keyset cursor)
}{
	{name: "actors-name", q: kg.ListQuery{Label: kg.LabelActor, First: 50}},
	{name: "actors-name-page2", q: kg.ListQuery{Label: kg.LabelActor, First: 50}, page2: true},
	{name: "actors-id-desc", q: kg.ListQuery{Label: kg.LabelActor, Order: kg.Order{Field: kg.OrderByID, Desc: true}, First: 50}},
	{name: "actors-created", q: kg.ListQuery{Label: kg.LabelActor, Order: kg.Order{Field: kg.OrderByCreatedAt}, First: 50}},
	{name: "projects-updated-desc", q: kg.ListQuery{Label: kg.LabelProject, Order: kg.Order{Field: kg.OrderByUpdatedAt, Desc: true}, First: 50}},
	{name: "actors-kind", q: kg.ListQuery{Label: kg.LabelActor, Filter: kg.Filter{Kinds: []kg.ActorKind{kg.KindMunicipality}}, First: 50}},
	{name: "actors-city", q: kg.ListQuery{Label: kg.LabelActor, Filter: kg.Filter{Cities: []string{"goteborg"}}, First: 50}},
	{name: "actors-name-contains", q: kg.ListQuery{Label: kg.LabelActor, Filter: kg.Filter{NameContains: "health"}, First: 50}},
	{name: "actors-ids", q: kg.ListQuery{Label: kg.LabelActor, Filter: kg.Filter{IDs: []string{"a-1", "a-20", "a-300", "a-4000", "a-50000"}}, First: 50}},
}

func BenchmarkList(b *testing.B)     { benchList(b, (*Store).List) }
func BenchmarkListScan(b *testing.B) { benchList(b, scanList) }

func benchList(b *testing.B, list func(*Store, context.Context, kg.ListQuery) (kg.Page, error)) {
	ctx := context.Background()
	for _, scale := range benchScales() {
		b.Run(string(scale), func(b *testing.B) {
			s := benchStore(b, scale)
			for _, tc := range benchLists {
				q := tc.q
				if tc.page2 {
					p, err := s.List(ctx, q)
					if err != nil || len(p.Nodes) == 0 {
						b.Fatalf("first page: %v", err)
					}
					c := kg.CursorOf(p.Nodes[len(p.Nodes)-1], kg.Order{Field: kg.OrderByName})
					q.After = &c
				}
				b.Run(tc.name, func(b *testing.B) {
					if _, err := list(s, ctx, q); err != nil { // the first call at this version builds
						b.Fatal(err)
					}
					b.ResetTimer()
					for b.Loop() {
						if _, err := list(s, ctx, q); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// BenchmarkIndexBuild times building the search and list indexes from
// every loaded node, as the background build after a start does.
//
//	BENCH_SCALES=L go test ./internal/store/embedded -run '^$' -bench IndexBuild -benchtime 3x
func BenchmarkIndexBuild(b *testing.B) {
	for _, scale := range benchScales() {
		b.Run(string(scale), func(b *testing.B) {
			s := benchStore(b, scale)
			s.mu.Lock()
			defer s.mu.Unlock()
			for b.Loop() {
				// What a load leaves: the nodes, nothing indexed yet (no
				// reader runs: mu is held).
				ix := &s.index
				ix.snap, ix.ids, ix.labels, ix.fname, ix.toks = nil, nil, nil, nil, nil
				ix.falias, ix.tokID, ix.tokStr, ix.post, ix.newTok = nil, nil, nil, nil, nil
				ix.stale, ix.sorted, ix.rank, ix.order, ix.runs = 0, nil, nil, [numLabels][numOrders][]int32{}, nil
				ix.pend, ix.all, ix.built = nil, true, false
				ix.dirty.Store(true)
				ix.sync()
			}
		})
	}
}

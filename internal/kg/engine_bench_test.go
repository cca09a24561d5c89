package kg_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/samverkan/samverkan/internal/engine"
	"github.com/samverkan/samverkan/internal/gen"
	"github.com/samverkan/samverkan/internal/kg"
)

// The engine in-process: every analytic over the generator's graphs, with
// a store that holds the graph in memory, so that the figures are the
// engine's own (the HTTP and store figures are in bench/ and bench/ratio).
// BENCH_SCALES picks the scales (default S,M; L needs about 2 GB and a
// minute to generate). The pairs and ids are drawn with a fixed seed, the
// same way bench/ratio draws them for NetworkX.
//
//	BENCH_SCALES=S,M,L go test ./internal/kg -run '^$' -bench Engine -benchtime 200x

// memStore answers GetNodes and GetRels from maps and Topology from one
// snapshot: enough for the analytics.
type memStore struct {
	kg.Store
	nodes map[string]kg.Node
	rels  map[kg.RelKey]*kg.Rel
	snap  *engine.Snapshot
}

func (m *memStore) GetNodes(_ context.Context, ids []string) ([]kg.Node, error) {
	out := make([]kg.Node, len(ids))
	for i, id := range ids {
		out[i] = m.nodes[id]
	}
	return out, nil
}

func (m *memStore) GetRels(_ context.Context, keys []kg.RelKey) ([]*kg.Rel, error) {
	out := make([]*kg.Rel, len(keys))
	for i, k := range keys {
		out[i] = m.rels[kg.KeyOf(k.Type, k.From, k.To)]
	}
	return out, nil
}

func (m *memStore) Topology(context.Context) (*engine.Snapshot, error) { return m.snap, nil }

var benchGraphs sync.Map // scale → *memStore

func benchStore(b *testing.B, sc gen.Scale) *memStore {
	if v, ok := benchGraphs.Load(sc); ok {
		return v.(*memStore)
	}
	g := gen.MustScale(sc)
	m := &memStore{nodes: map[string]kg.Node{}, rels: map[kg.RelKey]*kg.Rel{}}
	for _, n := range g.Nodes() {
		m.nodes[n.Base().ID] = n
	}
	for i := range g.Rels {
		m.rels[g.Rels[i].Key()] = &g.Rels[i]
	}
	m.snap = snapshotOf(g)
	benchGraphs.Store(sc, m)
	return m
}

func benchScales() []gen.Scale {
	v := os.Getenv("BENCH_SCALES")
	if v == "" {
		return gen.Scales
	}
	var out []gen.Scale
	for _, s := range strings.Split(v, ",") {
		out = append(out, gen.Scale(strings.TrimSpace(s)))
	}
	return out
}

func BenchmarkEngine(b *testing.B) {
	for _, sc := range benchScales() {
		b.Run(string(sc), func(b *testing.B) {
			m := benchStore(b, sc)
			a := kg.NewAnalytics(m)
			ctx := context.Background()
			c, _ := sc.Config(gen.DefaultSeed)
			rng := rand.New(rand.NewPCG(42, 42))
			const pairs = 30
			var from, to, actors, needs []string
			for range pairs {
				from = append(from, gen.ActorID(rng.IntN(c.Actors)))
				to = append(to, gen.ActorID(rng.IntN(c.Actors)))
				actors = append(actors, gen.ActorID(rng.IntN(c.Actors)))
			}
			for id, n := range m.nodes {
				if n.NodeLabel() == kg.LabelNeed && len(needs) < pairs {
					needs = append(needs, id)
				}
			}
			for _, k := range []int{1, 3} {
				b.Run(fmt.Sprintf("paths/k=%d", k), func(b *testing.B) {
					for i := range b.N {
						j := i % pairs
						if from[j] == to[j] {
							continue
						}
						if _, err := a.Paths(ctx, kg.PathQuery{From: from[j], To: to[j], K: k, MaxHops: kg.DefaultPathMaxHops}); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
			b.Run("similarActors", func(b *testing.B) {
				for i := range b.N {
					if _, err := a.Similar(ctx, kg.SimilarQuery{ID: actors[i%pairs], First: 10}); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("matchNeed", func(b *testing.B) {
				for i := range b.N {
					if _, err := a.MatchNeed(ctx, kg.MatchQuery{NeedID: needs[i%len(needs)], First: 10, MaxHops: 4, MinLevel: 1}); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("needsFor", func(b *testing.B) {
				for i := range b.N {
					if _, err := a.NeedsFor(ctx, kg.NeedsForQuery{ActorID: actors[i%pairs], First: 10, MaxHops: 4, MinLevel: 1}); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("introductions", func(b *testing.B) {
				for i := range b.N {
					if _, err := a.Introductions(ctx, kg.IntroductionQuery{ActorID: actors[i%pairs], First: 10}); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("neighbourhood", func(b *testing.B) {
				for i := range b.N {
					if _, err := a.Neighbourhood(ctx, kg.NeighbourhoodQuery{ID: actors[i%pairs], Depth: 2, Limit: 500}); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("brokers/cold", func(b *testing.B) {
				start := cpuSeconds()
				for range b.N {
					cold := kg.NewAnalytics(m) // nothing cached
					if _, err := cold.Brokers(ctx, kg.BrokerQuery{First: 10}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric((cpuSeconds()-start)/float64(b.N), "cpu-s/op")
			})
		})
	}
}

// BenchmarkBetweenness times the brokers' betweenness alone, on a
// collaboration graph built once (brokers/cold above also builds it), with
// the process's CPU seconds per operation (cpu-s/op).
//
//	BENCH_SCALES=M,L go test ./internal/kg -run '^$' -bench Betweenness -benchtime 1x
func BenchmarkBetweenness(b *testing.B) {
	for _, sc := range benchScales() {
		b.Run(string(sc), func(b *testing.B) {
			g := kg.CollabOf(benchStore(b, sc).snap)
			b.ResetTimer()
			start := cpuSeconds()
			for range b.N {
				if _, _, err := kg.BetweennessOf(context.Background(), g); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric((cpuSeconds()-start)/float64(b.N), "cpu-s/op")
		})
	}
}

// BenchmarkMeasures times each measure and communities cold (a new
// Analytics: the collaboration graph is built first, then the measure),
// as the first request after a write would; a second request is served
// from the cache. Besides the wall time it reports cpu-s/op, the process's
// CPU seconds per operation (user + system, from getrusage), the figure
// that means something on a machine shared with other builds. A measure
// that has not finished after BENCH_MEASURE_TIMEOUT (default 10m) is
// reported as such and the benchmark moves on.
//
//	BENCH_SCALES=L go test ./internal/kg -run '^$' -bench Measures -benchtime 1x -timeout 120m
func BenchmarkMeasures(b *testing.B) {
	limit := 10 * time.Minute
	if v, err := time.ParseDuration(os.Getenv("BENCH_MEASURE_TIMEOUT")); err == nil {
		limit = v
	}
	for _, sc := range benchScales() {
		b.Run(string(sc), func(b *testing.B) {
			m := benchStore(b, sc)
			run := func(b *testing.B, fn func(ctx context.Context, a *kg.Analytics) error) {
				start := cpuSeconds()
				for range b.N {
					ctx, cancel := context.WithTimeout(context.Background(), limit)
					err := fn(ctx, kg.NewAnalytics(m))
					cancel()
					if errors.Is(err, kg.ErrTimeout) {
						b.Logf("not finished after %v", limit)
						b.ReportMetric(-1, "cpu-s/op")
						return
					}
					if err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric((cpuSeconds()-start)/float64(b.N), "cpu-s/op")
			}
			for _, by := range kg.Measures {
				b.Run(string(by), func(b *testing.B) {
					run(b, func(ctx context.Context, a *kg.Analytics) error {
						_, err := a.Measures(ctx, kg.MeasureQuery{By: by, First: 10})
						return err
					})
				})
			}
			// The local measures at ORGANISATIONS too: there the direct
			// links (people's organisations' wholes) are far more.
			for _, by := range []kg.Measure{kg.MeasureConstraint, kg.MeasureEffectiveSize, kg.MeasureReach} {
				b.Run(string(by)+"_ORGANISATIONS", func(b *testing.B) {
					run(b, func(ctx context.Context, a *kg.Analytics) error {
						_, err := a.Measures(ctx, kg.MeasureQuery{By: by, First: 10, Scope: kg.ScopeOrganisations})
						return err
					})
				})
			}
			b.Run("communities", func(b *testing.B) {
				run(b, func(ctx context.Context, a *kg.Analytics) error {
					_, err := a.Communities(ctx, kg.CommunityQuery{Resolution: 1, Seed: 1})
					return err
				})
			})
		})
	}
}

// cpuSeconds is the CPU time the process has used.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// BenchmarkCommunities times communities at both scopes: "louvain" the
// Louvain method alone on a collaboration graph built once, "cold" the
// whole first request (a new Analytics: the graph is built, partitioned and
// described). Besides the wall time it reports the process's CPU seconds
// per operation and the modularity found.
//
//	BENCH_SCALES=L go test ./internal/kg -run '^$' -bench Communities -benchtime 1x -timeout 60m
func BenchmarkCommunities(b *testing.B) {
	for _, sc := range benchScales() {
		for _, scope := range kg.Scopes {
			b.Run(string(sc)+"/"+string(scope)+"/louvain", func(b *testing.B) {
				g := kg.CollabAt(benchStore(b, sc).snap, scope)
				b.ResetTimer()
				start := cpuSeconds()
				var q float64
				for range b.N {
					var err error
					if _, q, err = kg.LouvainOf(context.Background(), g, 1, 1); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric((cpuSeconds()-start)/float64(b.N), "cpu-s/op")
				b.ReportMetric(q, "modularity")
			})
			b.Run(string(sc)+"/"+string(scope)+"/cold", func(b *testing.B) {
				m := benchStore(b, sc)
				b.ResetTimer()
				start := cpuSeconds()
				var r kg.Communities
				for range b.N {
					var err error
					if r, err = kg.NewAnalytics(m).Communities(context.Background(), kg.CommunityQuery{Scope: scope, Resolution: 1, Seed: 1}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric((cpuSeconds()-start)/float64(b.N), "cpu-s/op")
				b.ReportMetric(r.Modularity, "modularity")
				b.ReportMetric(float64(len(r.Communities)), "communities")
			})
		}
	}
}

// BenchmarkEdgeCount compares the two ways of counting the collaborator
// pairs (ecosystemStats' collaborationEdges) on the same rows, side by
// side: listing every pair with its surplus (withPairs, what the other
// whole-graph analytics use) and counting each actor's collaborators
// around its largest project on every core (edgeCount, ecosystemStats').
//
//	BENCH_SCALES=L go test ./internal/kg -run '^$' -bench EdgeCount -benchtime 3x
func BenchmarkEdgeCount(b *testing.B) {
	for _, sc := range benchScales() {
		for _, scope := range []kg.Scope{kg.ScopeAll, kg.ScopeOrganisations} {
			b.Run(string(sc)+"/"+string(scope), func(b *testing.B) {
				rows := kg.CollabRowsAt(benchStore(b, sc).snap, scope)
				b.Run("listed", func(b *testing.B) {
					for range b.N {
						kg.PairsListed(rows)
					}
				})
				b.Run("counted", func(b *testing.B) {
					for range b.N {
						if _, err := kg.PairsCounted(context.Background(), rows); err != nil {
							b.Fatal(err)
						}
					}
				})
			})
		}
	}
}

// BenchmarkCollabRows times building the rows of the collaboration graph
// (collabRows, linear in the relationships) at both scopes, and reports
// their shape: the groups' incidences, the direct links and the pairs
// joined for several reasons, each at both ends, and the collaborator pairs.
//
//	BENCH_SCALES=L go test ./internal/kg -run '^$' -bench CollabRows -benchtime 3x
func BenchmarkCollabRows(b *testing.B) {
	for _, sc := range benchScales() {
		for _, scope := range []kg.Scope{kg.ScopeAll, kg.ScopeOrganisations} {
			b.Run(string(sc)+"/"+string(scope), func(b *testing.B) {
				snap := benchStore(b, sc).snap
				var rows any
				for range b.N {
					rows = kg.CollabRowsAt(snap, scope)
				}
				b.StopTimer()
				inc, dir, multi, edges := kg.CollabShape(rows)
				b.ReportMetric(float64(inc), "incidences")
				b.ReportMetric(float64(dir), "direct")
				b.ReportMetric(float64(multi), "multi")
				b.ReportMetric(float64(edges), "pairs")
			})
		}
	}
}

// BenchmarkSimilarHub times similarActors for hubs, the actors with the
// most projects and partners (the generator's first actors, in its
// flagship projects), and for an ordinary actor, at both scopes, on fresh
// analytics whose collaboration graph is built first (outside the timer).
// A request still running after 30 s, the server's default timeout,
// counts as a timeout.
//
//	BENCH_SCALES=XL go test ./internal/kg -run '^$' -bench SimilarHub -benchtime 3x -timeout 60m
func BenchmarkSimilarHub(b *testing.B) {
	for _, sc := range benchScales() {
		c, _ := sc.Config(gen.DefaultSeed)
		for _, scope := range []kg.Scope{kg.ScopeAll, kg.ScopeOrganisations} {
			for _, who := range []struct {
				name string
				ids  []string
			}{
				{"hubs", []string{gen.ActorID(0), gen.ActorID(1), gen.ActorID(53 % c.Actors)}},
				{"ordinary", []string{gen.ActorID(c.Actors / 2), gen.ActorID(c.Actors/2 + 1), gen.ActorID(c.Actors/2 + 2)}},
			} {
				b.Run(string(sc)+"/"+string(scope)+"/"+who.name, func(b *testing.B) {
					a := kg.NewAnalytics(benchStore(b, sc))
					// The version's collaboration graph, as a first request builds it.
					for i := c.Actors - 1; ; i-- { // the last organisation
						_, err := a.Similar(context.Background(), kg.SimilarQuery{ID: gen.ActorID(i), Scope: scope, First: 1})
						if err == nil {
							break
						}
						if !errors.Is(err, kg.ErrInvalid) {
							b.Fatal(err)
						}
					}
					b.ResetTimer()
					timeouts := 0
					for i := range b.N {
						ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
						_, err := a.Similar(ctx, kg.SimilarQuery{ID: who.ids[i%len(who.ids)], Scope: scope, First: 10})
						cancel()
						switch {
						case errors.Is(err, kg.ErrTimeout):
							timeouts++
						case errors.Is(err, kg.ErrInvalid): // a person at ORGANISATIONS
						case err != nil:
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(timeouts), "timeouts")
				})
			}
		}
	}
}

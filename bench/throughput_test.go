//go:build unix

package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/samverkan/samverkan/graph"
	"github.com/samverkan/samverkan/internal/config"
	"github.com/samverkan/samverkan/internal/gen"
	"github.com/samverkan/samverkan/internal/httpapi"
	"github.com/samverkan/samverkan/internal/kg"
	"github.com/samverkan/samverkan/internal/store/embedded"
	"github.com/samverkan/samverkan/internal/store/storetest"
)

// Lone-request latency and throughput (issue 10, item 4, last target):
// { actor(id) { name } } over a real HTTP server on loopback, against a bare
// net/http handler that answers the same bytes, both driven by the same load
// generator (loadGen: one keep-alive connection per worker, a request
// written as soon as the answer to the one before is read). See
// docs/BENCHMARKS.md, "Lone-request latency and throughput".

// loneQuery is the request every target gets.
const loneQuery = `query($id: ID!) { actor(id: $id) { name } }`

// loneTargets are the servers of BenchmarkLoneRequest: the bare handler,
// graph.NewHandler alone, and the whole HTTP surface (httpapi.NewServer:
// access log, metrics, request ids, security extensions and query limits;
// rate limiting off), both of the last over the embedded store holding the
// generator's graph.
type loneTargets struct {
	body    []byte // the request
	answer  []byte // what the GraphQL handler answers, which the bare one returns
	bare    *httptest.Server
	graph   *httptest.Server
	server  *httptest.Server
	store   kg.Store
	cleanup func()
}

// newLoneTargets imports the generated graph of c into an embedded store
// and starts the three servers.
func newLoneTargets(tb testing.TB, c gen.Config) *loneTargets {
	tb.Helper()
	dir, err := os.MkdirTemp("", "samverkan-lone-")
	if err != nil {
		tb.Fatal(err)
	}
	st, err := embedded.Open(dir)
	if err != nil {
		tb.Fatal(err)
	}
	g := gen.Generate(c)
	for _, batch := range gen.Batches(g, min(5_000, kg.MaxImportNodes), min(10_000, kg.MaxImportRels)) {
		if _, err := st.Import(context.Background(), batch); err != nil {
			tb.Fatalf("importing the generated graph: %v", err)
		}
	}
	quiet := slog.New(slog.DiscardHandler)
	t := &loneTargets{store: st}
	t.body, _ = json.Marshal(map[string]any{"query": loneQuery, "variables": map[string]any{"id": g.Actors[0].ID}})
	t.graph = httptest.NewServer(graph.NewHandler(st, graph.Options{Analytics: kg.NewAnalytics(st), Logger: quiet}))
	// The server's defaults, but for the rate limit: the load generator is
	// one client, which would spend the default 60 000 a minute in seconds.
	cfg, err := config.Load([]string{"-data-dir", dir}, func(k string) string {
		if k == "RATE_LIMIT_PER_MINUTE" {
			return "0"
		}
		return ""
	})
	if err != nil {
		tb.Fatal(err)
	}
	t.server = httptest.NewServer(httpapi.NewServer(httpapi.Deps{Config: cfg, Store: st, Log: quiet}))

	resp, err := http.Post(t.graph.URL+"/graphql", "application/json", bytes.NewReader(t.body))
	if err != nil {
		tb.Fatal(err)
	}
	t.answer, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Contains(t.answer, []byte(`"name":`)) {
		tb.Fatalf("the GraphQL handler answers %d %s", resp.StatusCode, t.answer)
	}
	t.bare = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/graphql-response+json")
		_, _ = w.Write(t.answer)
	}))
	t.cleanup = func() {
		t.bare.Close()
		t.graph.Close()
		t.server.Close()
		st.Close()
		os.RemoveAll(dir)
	}
	return t
}

// loadResult is one run of the load generator.
type loadResult struct {
	requests int
	elapsed  time.Duration
	lat      []time.Duration // every request's, sorted
	// cpu is the CPU time (user and system) the process spent meanwhile:
	// the load generator's and the server's.
	cpu time.Duration
}

func (r loadResult) perSecond() float64 { return float64(r.requests) / r.elapsed.Seconds() }

// cpuPerRequest is the process's CPU time per request, in microseconds.
func (r loadResult) cpuPerRequest() float64 {
	return float64(r.cpu.Microseconds()) / float64(r.requests)
}

// cpuTime is the CPU time the process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func (r loadResult) median() time.Duration {
	if len(r.lat) == 0 {
		return 0
	}
	return r.lat[len(r.lat)/2]
}

// loadGen sends n POST /graphql requests with body to the server at url
// over conns keep-alive connections, each worker sending its next request
// once it has read the answer to the one before. It checks every answer's
// status and that its body is want.
func loadGen(url string, body, want []byte, conns, n int) (loadResult, error) {
	addr := url[len("http://"):]
	req := fmt.Appendf(nil, "POST /graphql HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nAccept: application/graphql-response+json\r\nContent-Length: %d\r\n\r\n%s",
		addr, len(body), body)
	var next atomic.Int64
	lats := make([][]time.Duration, conns)
	errs := make([]error, conns)
	var ready, wg sync.WaitGroup
	start := make(chan struct{})
	for w := range conns {
		ready.Add(1)
		wg.Go(func() {
			c, err := net.Dial("tcp", addr)
			ready.Done()
			if err != nil {
				errs[w] = err
				return
			}
			defer c.Close()
			br := bufio.NewReader(c)
			buf := make([]byte, 0, 4096)
			lat := make([]time.Duration, 0, n/conns+1)
			<-start
			for next.Add(1) <= int64(n) {
				t0 := time.Now()
				if _, err := c.Write(req); err != nil {
					errs[w] = err
					return
				}
				resp, err := http.ReadResponse(br, nil)
				if err != nil {
					errs[w] = err
					return
				}
				buf = buf[:0]
				b := bytes.NewBuffer(buf)
				_, err = b.ReadFrom(resp.Body)
				resp.Body.Close()
				lat = append(lat, time.Since(t0))
				if err != nil || resp.StatusCode != http.StatusOK || !bytes.Equal(b.Bytes(), want) {
					errs[w] = fmt.Errorf("answer %d %q (%v), want %q", resp.StatusCode, b.Bytes(), err, want)
					return
				}
			}
			lats[w] = lat
		})
	}
	ready.Wait()
	t0, cpu0 := time.Now(), cpuTime()
	close(start)
	wg.Wait()
	res := loadResult{elapsed: time.Since(t0), cpu: cpuTime() - cpu0}
	for w := range conns {
		if errs[w] != nil {
			return res, errs[w]
		}
		res.lat = append(res.lat, lats[w]...)
	}
	res.requests = len(res.lat)
	slices.Sort(res.lat)
	return res, nil
}

// BenchmarkLoneRequest drives the bare handler, graph.NewHandler and
// httpapi.NewServer with { actor(id) { name } } at 2 and 16 connections:
// b.N requests to each, in rounds that alternate between the targets (in
// turn forwards and backwards) so that the shared machine's load falls on
// all three alike. It reports each target's requests per second and median
// latency over all rounds, and the ratios to the bare handler's throughput
// (graph/bare and server/bare), the median of the rounds' ratios. Because
// the machine is shared, it also reports the process's CPU time per request
// of each target (the load generator's and the server's), and the ratio of
// the bare handler's to the target's (graph/bare-cpu): the throughput ratio
// that an otherwise idle machine, CPU-bound, would show.
//
//	go test ./bench -run '^$' -bench LoneRequest -benchtime 40000x
func BenchmarkLoneRequest(b *testing.B) {
	c, err := gen.ScaleS.Config(gen.DefaultSeed)
	if err != nil {
		b.Fatal(err)
	}
	t := newLoneTargets(b, c)
	defer t.cleanup()
	for _, conns := range []int{2, 16} {
		b.Run(fmt.Sprintf("conns=%d", conns), func(b *testing.B) {
			const rounds = 10
			targets := []struct {
				name string
				url  string
			}{{"bare", t.bare.URL}, {"graph", t.graph.URL}, {"server", t.server.URL}}
			total := make([]loadResult, len(targets))
			ratios := make([][]float64, len(targets))
			per := max(20*conns, b.N/rounds)
			for round := range rounds {
				rate := make([]float64, len(targets))
				for k := range targets {
					i := k
					if round%2 == 1 {
						i = len(targets) - 1 - k
					}
					r, err := loadGen(targets[i].url, t.body, t.answer, conns, per)
					if err != nil {
						b.Fatalf("%s: %v", targets[i].name, err)
					}
					rate[i] = r.perSecond()
					total[i].requests += r.requests
					total[i].elapsed += r.elapsed
					total[i].cpu += r.cpu
					total[i].lat = append(total[i].lat, r.lat...)
				}
				for i := range targets {
					ratios[i] = append(ratios[i], rate[i]/rate[0])
				}
			}
			for i, x := range targets {
				slices.Sort(total[i].lat)
				b.ReportMetric(total[i].perSecond(), x.name+"-req/s")
				b.ReportMetric(float64(total[i].median().Microseconds()), x.name+"-p50-µs")
				b.ReportMetric(total[i].cpuPerRequest(), x.name+"-cpu-µs/req")
				if i > 0 {
					slices.Sort(ratios[i])
					b.ReportMetric(ratios[i][rounds/2], x.name+"/bare")
					b.ReportMetric(total[0].cpuPerRequest()/total[i].cpuPerRequest(), x.name+"/bare-cpu")
				}
			}
			b.ReportMetric(0, "ns/op") // not one operation: see the rates
		})
	}
}

// nestedQuery is issue 10's "50 actors with projects and participants".
const nestedQuery = `{ actors(first: 50) { edges { node { name
	projects { role project { name participants { role actor { name } } } } } } } }`

// BenchmarkNestedRequest sends nestedQuery over one connection to
// graph.NewHandler over a counting store: its median latency, and the store
// calls per request (the list, then one per nested level, and the graph
// version), which must not grow with the 50 actors and their hundreds of
// participations.
//
//	go test ./bench -run '^$' -bench NestedRequest -benchtime 500x
func BenchmarkNestedRequest(b *testing.B) {
	c, err := gen.ScaleS.Config(gen.DefaultSeed)
	if err != nil {
		b.Fatal(err)
	}
	t := newLoneTargets(b, c)
	defer t.cleanup()
	counting := storetest.NewCounting(t.store)
	srv := httptest.NewServer(graph.NewHandler(counting, graph.Options{Analytics: kg.NewAnalytics(counting), Logger: slog.New(slog.DiscardHandler)}))
	defer srv.Close()
	body, _ := json.Marshal(map[string]any{"query": nestedQuery})
	resp, err := http.Post(srv.URL+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	want, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || bytes.Contains(want, []byte(`"errors"`)) {
		b.Fatalf("the nested query answers %d %s", resp.StatusCode, want)
	}
	before := counting.Calls()
	r, err := loadGen(srv.URL, body, want, 1, b.N)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(r.median().Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(counting.Calls()-before)/float64(r.requests), "store-calls/req")
	b.ReportMetric(0, "ns/op")
}

// TestLoneRequestLoad runs the load generator against the three targets on
// a small graph: a check of the benchmark's plumbing, not a measurement.
func TestLoneRequestLoad(t *testing.T) {
	lt := newLoneTargets(t, gen.Config{Seed: gen.DefaultSeed, Actors: gen.MinActors})
	defer lt.cleanup()
	for _, url := range []string{lt.bare.URL, lt.graph.URL, lt.server.URL} {
		r, err := loadGen(url, lt.body, lt.answer, 4, 40)
		if err != nil {
			t.Fatalf("%s: %v", url, err)
		}
		if r.requests != 40 || len(r.lat) != 40 {
			t.Fatalf("%s: %d requests, %d latencies; want 40", url, r.requests, len(r.lat))
		}
	}
}

// BenchmarkLoneTarget drives one target of BenchmarkLoneRequest alone at 16
// connections, b.N requests, for a CPU profile of that target:
//
//	go test ./bench -run '^$' -bench 'LoneTarget/graph' -benchtime 40000x -cpuprofile cpu.prof
//
// It reports the process's CPU time per request (load generator and
// server) and the allocations per request (b.ReportAllocs).
func BenchmarkLoneTarget(b *testing.B) {
	c, err := gen.ScaleS.Config(gen.DefaultSeed)
	if err != nil {
		b.Fatal(err)
	}
	t := newLoneTargets(b, c)
	defer t.cleanup()
	for _, x := range []struct {
		name string
		url  string
	}{{"bare", t.bare.URL}, {"graph", t.graph.URL}, {"server", t.server.URL}} {
		b.Run(x.name, func(b *testing.B) {
			b.ReportAllocs()
			b.ResetTimer()
			r, err := loadGen(x.url, t.body, t.answer, 16, b.N)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(r.cpuPerRequest(), "cpu-µs/req")
			b.ReportMetric(r.perSecond(), "req/s")
		})
	}
}

package kg_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/samverkan/samverkan/internal/engine"
	"github.com/samverkan/samverkan/internal/kg"
)

// randomCollabGraph is a random ecosystem whose collaboration graph mixes
// shared projects, memberships and partnerships, with parallel reasons.
func randomCollabGraph(rng *rand.Rand, nA int) kg.Graph {
	var g kg.Graph
	kinds := []kg.ActorKind{kg.KindCompany, kg.KindMunicipality, kg.KindResearch}
	for i := range nA {
		g.Actors = append(g.Actors, mActor(fmt.Sprintf("a%03d", i), kinds[i%3], kg.SectorPrivate))
	}
	nP := 1 + rng.IntN(nA/3+1)
	for i := range nP {
		g.Projects = append(g.Projects, mProject(fmt.Sprintf("p%02d", i)))
	}
	seen := map[kg.RelKey]bool{}
	add := func(r kg.Rel) {
		if r.From != r.To && !seen[r.Key()] {
			seen[r.Key()] = true
			g.Rels = append(g.Rels, r)
		}
	}
	aid := func() string { return g.Actors[rng.IntN(nA)].ID }
	for range rng.IntN(nA + 1) {
		add(mRel(kg.RelParticipatesIn, aid(), g.Projects[rng.IntN(nP)].ID))
	}
	for range rng.IntN(nA + 1) {
		add(mRel(kg.RelPartnersWith, aid(), aid()))
	}
	for range rng.IntN(nA/2 + 1) {
		add(mRel(kg.RelMemberOf, aid(), aid()))
	}
	return g
}

// collabAdjacency reads the collaboration graph off the relationship list.
func collabAdjacency(g kg.Graph) (ids []string, adj map[string]map[string]bool) {
	adj = map[string]map[string]bool{}
	for _, a := range g.Actors {
		ids = append(ids, a.ID)
		adj[a.ID] = map[string]bool{}
	}
	link := func(x, y string) {
		if x != y {
			adj[x][y], adj[y][x] = true, true
		}
	}
	byProject := map[string][]string{}
	for _, r := range g.Rels {
		switch r.Type {
		case kg.RelParticipatesIn:
			byProject[r.To] = append(byProject[r.To], r.From)
		case kg.RelMemberOf, kg.RelPartnersWith:
			link(r.From, r.To)
		}
	}
	for _, ps := range byProject {
		for _, x := range ps {
			for _, y := range ps {
				link(x, y)
			}
		}
	}
	slices.Sort(ids)
	return ids, adj
}

// oracleBetweenness is the definition itself: for every unordered pair
// {s, t}, each v ∉ {s, t} gets σ_sv·σ_vt/σ_st when d(s,v)+d(v,t) = d(s,t).
// It shares nothing with Brandes' back-propagation.
func oracleBetweenness(ids []string, adj map[string]map[string]bool) map[string]float64 {
	dist := map[string]map[string]int{}
	sigma := map[string]map[string]float64{}
	for _, s := range ids {
		d, sg := map[string]int{s: 0}, map[string]float64{s: 1}
		queue := []string{s}
		for len(queue) > 0 {
			v := queue[0]
			queue = queue[1:]
			for w := range adj[v] {
				if _, ok := d[w]; !ok {
					d[w] = d[v] + 1
					queue = append(queue, w)
				}
				if d[w] == d[v]+1 {
					sg[w] += sg[v]
				}
			}
		}
		dist[s], sigma[s] = d, sg
	}
	out := map[string]float64{}
	for i, s := range ids {
		for _, t := range ids[i+1:] {
			dst, ok := dist[s][t]
			if !ok {
				continue
			}
			for _, v := range ids {
				if v == s || v == t {
					continue
				}
				dsv, ok1 := dist[s][v]
				dvt, ok2 := dist[v][t]
				if ok1 && ok2 && dsv+dvt == dst {
					out[v] += sigma[s][v] * sigma[v][t] / sigma[s][t]
				}
			}
		}
	}
	return out
}

// overlappingCollabGraph has a few large projects sharing many
// participants (pairs in two, three or more of them), partnerships and
// memberships between project partners, and actors outside any project.
func overlappingCollabGraph(rng *rand.Rand, nA int) kg.Graph {
	g := randomCollabGraph(rng, nA)
	g.Rels = slices.DeleteFunc(g.Rels, func(r kg.Rel) bool { return r.Type == kg.RelParticipatesIn })
	seen := map[kg.RelKey]bool{}
	for _, r := range g.Rels {
		seen[r.Key()] = true
	}
	for i := range 3 + rng.IntN(4) {
		id := fmt.Sprintf("big%d", i)
		g.Projects = append(g.Projects, mProject(id))
		for range 5 + rng.IntN(nA*2/3) {
			r := mRel(kg.RelParticipatesIn, g.Actors[rng.IntN(nA*3/4)].ID, id)
			if !seen[r.Key()] {
				seen[r.Key()] = true
				g.Rels = append(g.Rels, r)
			}
		}
	}
	return g
}

func TestBrokersAgainstDefinition(t *testing.T) {
	for seed := range uint64(60) {
		rng := rand.New(rand.NewPCG(seed, 3))
		g := randomCollabGraph(rng, 1+rng.IntN(40))
		if seed >= 30 {
			g = overlappingCollabGraph(rng, 12+rng.IntN(30))
		}
		a := kg.NewAnalytics(openAnalyticsStore(t, g))
		r, err := a.Brokers(t.Context(), kg.BrokerQuery{First: kg.MaxBrokersFirst})
		if err != nil {
			t.Fatal(err)
		}
		ids, adj := collabAdjacency(g)
		want := oracleBetweenness(ids, adj)
		n := float64(len(ids))
		if len(r.Brokers) != len(ids) || r.ActorCount != len(ids) || !r.Exact {
			t.Fatalf("seed %d: %d brokers, ActorCount %d, Exact %v; want %d, %d, true", seed, len(r.Brokers), r.ActorCount, r.Exact, len(ids), len(ids))
		}
		for i, b := range r.Brokers {
			if math.Abs(b.Score-want[b.ActorID]) > 1e-6 {
				t.Errorf("seed %d: %s scores %v, want %v", seed, b.ActorID, b.Score, want[b.ActorID])
			}
			wantNorm := 0.0
			if n >= 3 {
				wantNorm = want[b.ActorID] / ((n - 1) * (n - 2) / 2)
			}
			if math.Abs(b.Normalized-wantNorm) > 1e-9 {
				t.Errorf("seed %d: %s normalised %v, want %v", seed, b.ActorID, b.Normalized, wantNorm)
			}
			if i > 0 {
				p := r.Brokers[i-1]
				if p.Score < b.Score || (p.Score == b.Score && p.ActorID > b.ActorID) {
					t.Errorf("seed %d: %s (%v) ranked before %s (%v)", seed, p.ActorID, p.Score, b.ActorID, b.Score)
				}
			}
		}
	}
}

// starGraph is a hub partnered with every one of its leaves.
func starGraph(leaves int) kg.Graph {
	g := kg.Graph{Actors: []*kg.Actor{mActor("hub", kg.KindArena, kg.SectorPublic)}}
	for i := range leaves {
		id := fmt.Sprintf("leaf-%05d", i)
		g.Actors = append(g.Actors, mActor(id, kg.KindCompany, kg.SectorPrivate))
		g.Rels = append(g.Rels, mRel(kg.RelPartnersWith, "hub", id))
	}
	return g
}

// Up to ExactBetweennessMaxActors actors the answer is exact; one more and
// it is the documented estimate: sources drawn by the seeded permutation,
// sums scaled by n/samples.
func TestBrokersExactLimitAndSample(t *testing.T) {
	n := kg.ExactBetweennessMaxActors
	s := openAnalyticsStore(t, starGraph(n-1))
	a := kg.NewAnalytics(s)
	r, err := a.Brokers(t.Context(), kg.BrokerQuery{First: 2})
	if err != nil {
		t.Fatal(err)
	}
	leaves := float64(n - 1)
	if !r.Exact || r.Samples != 0 || r.ActorCount != n {
		t.Errorf("at %d actors: Exact %v Samples %d ActorCount %d, want exact", n, r.Exact, r.Samples, r.ActorCount)
	}
	if got, want := r.Brokers[0], (kg.Broker{ActorID: "hub", Score: leaves * (leaves - 1) / 2, Normalized: 1}); got != want {
		t.Errorf("exact hub: got %+v, want %+v", got, want)
	}

	if _, err := s.Import(t.Context(), kg.Graph{
		Actors: []*kg.Actor{mActor("leaf-extra", kg.KindCompany, kg.SectorPrivate)},
		Rels:   []kg.Rel{mRel(kg.RelPartnersWith, "leaf-extra", "hub")},
	}); err != nil {
		t.Fatal(err)
	}
	n++
	r, err = a.Brokers(t.Context(), kg.BrokerQuery{First: 2})
	if err != nil {
		t.Fatal(err)
	}
	if r.Exact || r.Samples != kg.BetweennessSamples || r.ActorCount != n {
		t.Fatalf("at %d actors: Exact %v Samples %d ActorCount %d, want an estimate from %d samples", n, r.Exact, r.Samples, r.ActorCount, kg.BetweennessSamples)
	}
	// "hub" sorts first (index 0). Every sampled leaf source has n−2 other
	// leaves behind the hub; the hub as a source gives it nothing.
	sources := rand.New(rand.NewPCG(kg.BetweennessSeed, kg.BetweennessSeed)).Perm(n)[:kg.BetweennessSamples]
	leafSources := kg.BetweennessSamples
	if slices.Contains(sources, 0) {
		leafSources--
	}
	wantHub := float64(leafSources) * float64(n-2) / 2 * float64(n) / float64(kg.BetweennessSamples)
	if got := r.Brokers[0]; got.ActorID != "hub" || math.Abs(got.Score-wantHub) > 1e-6 {
		t.Errorf("estimated hub: got %+v, want score %v", got, wantHub)
	}
	if got := r.Brokers[1]; got.ActorID != "leaf-00000" || got.Score != 0 {
		t.Errorf("second: got %+v, want leaf-00000 with 0", got)
	}
	// The estimate is reproducible by a fresh Analytics (no cache).
	r2, err := kg.NewAnalytics(s).Brokers(t.Context(), kg.BrokerQuery{First: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.Brokers, r2.Brokers) {
		t.Errorf("estimate not reproducible: %+v vs %+v", r.Brokers, r2.Brokers)
	}

	// Past betweennessSampleWork, fewer sources (500 × bound / work, the
	// work counting the actors and a share of the broker graph's lists:
	// here the hub's links): the first of the same permutation, the sums
	// scaled by n/k; never fewer than BetweennessMinSamples.
	work, actors := kg.BetweennessWork(s, kg.ScopeAll)
	if actors != n || work <= n {
		t.Fatalf("BetweennessWork: %d for %d actors, want more than the %d actors", work, actors, n)
	}
	for _, c := range []struct {
		bound, want int
	}{
		{2_000, kg.BetweennessSamples * 2_000 / work},
		{100, kg.BetweennessMinSamples},
	} {
		restore := kg.SetBetweennessSampleWork(c.bound)
		r, err := kg.NewAnalytics(s).Brokers(t.Context(), kg.BrokerQuery{First: 1})
		restore()
		if err != nil {
			t.Fatal(err)
		}
		k := r.Samples
		if r.Exact || k != c.want {
			t.Fatalf("bound %d: Exact %v Samples %d, want an estimate from %d sources", c.bound, r.Exact, k, c.want)
		}
		leafSources := k
		if slices.Contains(sources[:k], 0) {
			leafSources--
		}
		want := float64(leafSources) * float64(n-2) / 2 * float64(n) / float64(k)
		if got := r.Brokers[0]; got.ActorID != "hub" || math.Abs(got.Score-want) > 1e-6 {
			t.Errorf("bound %d, %d sources: got %+v, want hub with %v", c.bound, k, got, want)
		}
	}
}

// countingStore counts topology reads and can cancel the request right
// after one, as a deadline passing mid-computation would.
type countingStore struct {
	kg.Store
	topologies atomic.Int32
	cancel     atomic.Pointer[context.CancelFunc]
}

func (c *countingStore) Topology(ctx context.Context) (*engine.Snapshot, error) {
	c.topologies.Add(1)
	p, err := c.Store.Topology(ctx)
	if f := c.cancel.Swap(nil); f != nil {
		(*f)()
	}
	return p, err
}

// Each answer reads the topology once; the scores computed from it are
// kept for the version, and a write makes the next answer see the new graph.
func TestWholeGraphCachePerVersion(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	inner := openAnalyticsStore(t, randomCollabGraph(rng, 20))
	s := &countingStore{Store: inner}
	a := kg.NewAnalytics(s)
	first, err := a.Brokers(t.Context(), kg.BrokerQuery{First: 5})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Stats(t.Context(), kg.ScopeAll); err != nil {
		t.Fatal(err)
	}
	again, err := a.Brokers(t.Context(), kg.BrokerQuery{First: 5})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.topologies.Load(); got != 3 {
		t.Errorf("%d topology reads for three answers, want 3 (one store call each)", got)
	}
	if !slices.Equal(first.Brokers, again.Brokers) || first.Version != again.Version {
		t.Errorf("cached answer differs: %+v vs %+v", first, again)
	}
	if _, err := inner.UpsertNode(t.Context(), mActor("newcomer", kg.KindNGO, kg.SectorCivil)); err != nil {
		t.Fatal(err)
	}
	after, err := a.Brokers(t.Context(), kg.BrokerQuery{First: 5})
	if err != nil {
		t.Fatal(err)
	}
	if after.ActorCount != first.ActorCount+1 || after.Version <= first.Version {
		t.Errorf("after a write: ActorCount %d Version %d, before %d %d", after.ActorCount, after.Version, first.ActorCount, first.Version)
	}
}

// A deadline that passes while betweenness is computed is a timeout, and
// is not remembered: the next request computes the answer.
func TestBrokersDeadline(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	s := &countingStore{Store: openAnalyticsStore(t, randomCollabGraph(rng, 30))}
	a := kg.NewAnalytics(s)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	s.cancel.Store(&cancel)
	_, err := a.Brokers(ctx, kg.BrokerQuery{First: 5})
	if !errors.Is(err, kg.ErrTimeout) {
		t.Fatalf("got %v, want a timeout", err)
	}
	r, err := a.Brokers(t.Context(), kg.BrokerQuery{First: 5})
	if err != nil || r.ActorCount != 30 {
		t.Fatalf("after the timeout: %+v, %v", r, err)
	}
}

// TestOrganisationBrokersAgainstDefinition builds graphs of people,
// organisations and units (PART_OF chains several deep, units with two
// wholes) and compares brokers and statistics at ORGANISATIONS scope with
// DESIGN.md §2.1 read literally: X–Y when some a ∈ A(X), b ∈ A(Y), a ≠ b,
// collaborate, A(X) being X and the people affiliated with X.
func TestOrganisationBrokersAgainstDefinition(t *testing.T) {
	for seed := range uint64(30) {
		rng := rand.New(rand.NewPCG(seed, 11))
		g := randomCollabGraph(rng, 6+rng.IntN(30))
		person := map[string]bool{}
		for i, a := range g.Actors {
			if i%2 == 1 {
				a.Kind, person[a.ID] = kg.KindPerson, true
			}
		}
		// PART_OF among organisations, towards lower ids: no cycles.
		var orgs []string
		for _, a := range g.Actors {
			if !person[a.ID] {
				orgs = append(orgs, a.ID)
			}
		}
		for i := 1; i < len(orgs); i++ {
			for range rng.IntN(3) {
				if j := rng.IntN(i); !slices.ContainsFunc(g.Rels, func(r kg.Rel) bool { return r.Key() == kg.KeyOf(kg.RelPartOf, orgs[i], orgs[j]) }) {
					g.Rels = append(g.Rels, mRel(kg.RelPartOf, orgs[i], orgs[j]))
				}
			}
		}
		// What each actor stands for: a person its organisations (MEMBER_OF
		// a non-person, then PART_OF upwards), an organisation itself.
		up := map[string][]string{}
		for _, r := range g.Rels {
			if r.Type == kg.RelPartOf {
				up[r.From] = append(up[r.From], r.To)
			}
		}
		stands := func(a string) map[string]bool {
			out := map[string]bool{}
			if !person[a] {
				out[a] = true
				return out
			}
			var todo []string
			for _, r := range g.Rels {
				if r.Type == kg.RelMemberOf && r.From == a && !person[r.To] {
					todo = append(todo, r.To)
				}
			}
			for len(todo) > 0 {
				y := todo[0]
				todo = todo[1:]
				if !out[y] {
					out[y] = true
					todo = append(todo, up[y]...)
				}
			}
			return out
		}
		_, adj := collabAdjacency(g)
		for _, r := range g.Rels { // collabAdjacency predates PART_OF
			if r.Type == kg.RelPartOf {
				adj[r.From][r.To], adj[r.To][r.From] = true, true
			}
		}
		oadj := map[string]map[string]bool{}
		for _, o := range orgs {
			oadj[o] = map[string]bool{}
		}
		edges := 0
		for a, bs := range adj {
			for b := range bs {
				for x := range stands(a) {
					for y := range stands(b) {
						if x != y && !oadj[x][y] {
							oadj[x][y], oadj[y][x] = true, true
							edges++
						}
					}
				}
			}
		}
		slices.Sort(orgs)
		want := oracleBetweenness(orgs, oadj)

		a := kg.NewAnalytics(openAnalyticsStore(t, g))
		r, err := a.Brokers(t.Context(), kg.BrokerQuery{First: kg.MaxBrokersFirst, Scope: kg.ScopeOrganisations})
		if err != nil {
			t.Fatal(err)
		}
		if r.ActorCount != len(orgs) || len(r.Brokers) != len(orgs) {
			t.Fatalf("seed %d: ActorCount %d, %d brokers; want %d organisations", seed, r.ActorCount, len(r.Brokers), len(orgs))
		}
		for _, b := range r.Brokers {
			if math.Abs(b.Score-want[b.ActorID]) > 1e-6 {
				t.Errorf("seed %d: %s scores %v, want %v", seed, b.ActorID, b.Score, want[b.ActorID])
			}
		}
		st, err := a.Stats(t.Context(), kg.ScopeOrganisations)
		if err != nil {
			t.Fatal(err)
		}
		if st.CollaborationEdges != edges || st.Actors != len(orgs) {
			t.Errorf("seed %d: %d edges on %d organisations, want %d on %d", seed, st.CollaborationEdges, st.Actors, edges, len(orgs))
		}
	}
}

// TestBrokersSameOnAnyCores: the scores do not depend on how many cores
// computed them, to the last bit (the sources' sums are added in an order
// fixed by the sources alone).
func TestBrokersSameOnAnyCores(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for seed := range uint64(4) {
		rng := rand.New(rand.NewPCG(seed, 21))
		g := overlappingCollabGraph(rng, 300+rng.IntN(300))
		snap := snapshotOf(g)
		var first []float64
		for run, procs := range []int{1, 2, 1, 4, 3} {
			runtime.GOMAXPROCS(procs)
			scores, exact, err := kg.BetweennessOf(t.Context(), kg.CollabOf(snap))
			if err != nil {
				t.Fatal(err)
			}
			if !exact {
				t.Fatalf("seed %d: not exact", seed)
			}
			if run == 0 {
				first = scores
				if !slices.ContainsFunc(scores, func(x float64) bool { return x > 1 }) {
					t.Fatalf("seed %d: no actor scores above 1; the comparison would be vacuous", seed)
				}
				continue
			}
			for i := range scores {
				if math.Float64bits(scores[i]) != math.Float64bits(first[i]) {
					t.Errorf("seed %d: GOMAXPROCS=%d scores actor %d %v, GOMAXPROCS=1 %v", seed, procs, i, scores[i], first[i])
					break
				}
			}
		}
	}
}

// TestWholeGraphAnswersAtItsDeadlineWhileTheGraphIsBuilt: a brokers,
// communities or measures request whose context ends while the version's
// collaboration graph is being built answers ErrTimeout then, not once the
// build is done (at XL the ORGANISATIONS graph takes minutes); the build
// goes on, and the next request gets the answer.
func TestWholeGraphAnswersAtItsDeadlineWhileTheGraphIsBuilt(t *testing.T) {
	for _, c := range []struct {
		name string
		ask  func(context.Context, *kg.Analytics) error
	}{
		{"brokers", func(ctx context.Context, a *kg.Analytics) error {
			_, err := a.Brokers(ctx, kg.BrokerQuery{First: 1})
			return err
		}},
		{"communities", func(ctx context.Context, a *kg.Analytics) error {
			_, err := a.Communities(ctx, kg.CommunityQuery{Resolution: 1, Seed: 1})
			return err
		}},
		{"measures", func(ctx context.Context, a *kg.Analytics) error {
			_, err := a.Measures(ctx, kg.MeasureQuery{By: kg.MeasurePageRank, First: 1})
			return err
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := kg.NewAnalytics(openAnalyticsStore(t, starGraph(20)))
			entered, release := make(chan struct{}), make(chan struct{})
			var once sync.Once
			defer kg.SetCollabBuildHook(func() {
				once.Do(func() { close(entered) })
				<-release
			})()
			var releaseOnce sync.Once
			defer releaseOnce.Do(func() { close(release) })
			ctx, cancel := context.WithCancel(t.Context())
			done := make(chan error, 1)
			go func() { done <- c.ask(ctx, a) }()
			select {
			case <-entered: // the build has started and waits
			case <-time.After(20 * time.Second):
				t.Fatal("the request never built the collaboration graph")
			}
			cancel()
			select {
			case err := <-done:
				if !errors.Is(err, kg.ErrTimeout) {
					t.Fatalf("past its deadline during the build: %v, want ErrTimeout", err)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("no answer past the deadline while the graph was built: the request waits for the build")
			}
			releaseOnce.Do(func() { close(release) })
			if err := c.ask(t.Context(), a); err != nil {
				t.Fatalf("the next request: %v", err)
			}
		})
	}
}

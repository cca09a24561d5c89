package kg

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/samverkan/samverkan/internal/engine"
)

// CollabOf builds the collaboration graph of s, for benchmarks of the
// whole-graph analytics on their own.
func CollabOf(s *engine.Snapshot) any { return buildCollab(view{s: s}, collabKey{scope: ScopeAll}) }

// BetweennessOf runs the brokers' betweenness on g (from CollabOf) and
// returns the raw scores and whether they are exact.
func BetweennessOf(ctx context.Context, g any) ([]float64, bool, error) {
	r, err := betweenness(ctx, g.(*collabGraph))
	if err != nil {
		return nil, false, err
	}
	return r.scores, r.exact, nil
}

// CollabAt builds the collaboration graph of s at scope.
func CollabAt(s *engine.Snapshot, scope Scope) any {
	return buildCollab(view{s: s}, collabKey{scope: scope})
}

// LouvainOf runs communities' Louvain on g (from CollabOf or CollabAt) and
// returns each actor's community and the modularity.
func LouvainOf(ctx context.Context, g any, resolution float64, seed int64) ([]int32, float64, error) {
	return louvain(ctx, g.(*collabGraph), resolution, seed)
}

// SetSimilarWholeGraphWork sets the most collaborator pairs for which
// Similar uses the whole collaboration graph (0: never) and returns the
// function that restores it.
func SetSimilarWholeGraphWork(n int) func() {
	old := similarWholeGraphWork
	similarWholeGraphWork = n
	return func() { similarWholeGraphWork = old }
}

// ReachPaths computes reach on s's collaboration graph both by the
// projects' balls and by searching from every actor.
func ReachPaths(t interface{ Fatal(...any) }, s Store) (bitsets, search []float64) {
	snap, err := s.Topology(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	g := buildCollab(view{s: snap}, collabKey{scope: ScopeAll})
	bitsets, err = reachBitsets(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	search, err = reachSearch(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	return bitsets, search
}

// Level0Of runs communities' first level of local moves alone on g (from
// CollabAt) and returns each actor's community, actors in id order.
func Level0Of(g any, resolution float64, seed int64) ([]string, []int32) {
	c := g.(*collabGraph)
	n := len(c.actors)
	comm := make([]int32, n)
	k, tot := make([]float64, n), make([]float64, n)
	ids := make([]string, n)
	for i := range n {
		comm[i] = int32(i)
		k[i], tot[i] = float64(c.degree[i]), float64(c.degree[i])
		ids[i] = c.actors[i].ID
	}
	if c.edges > 0 {
		rng := rand.New(rand.NewPCG(uint64(seed), uint64(seed)))
		if _, err := moveLevel0(context.Background(), c, comm, k, tot, float64(c.edges), resolution, rng); err != nil {
			panic(err)
		}
	}
	return ids, comm
}

// EdgeCountsAt counts the collaborator pairs of s's graph at scope both
// ways, by listing every pair (withPairs) and by edgeCount, and reports
// whether every actor's degree agrees.
func EdgeCountsAt(s *engine.Snapshot, scope Scope) (listed, counted int, sameDegrees bool, err error) {
	rows := buildCollabRows(view{s: s}, collabKey{scope: scope})
	full := rows.withPairs()
	counted, err = rows.edgeCount(context.Background())
	sameDegrees = true
	for i, d := range full.degree {
		if rows.known[i].Load()-1 != d {
			sameDegrees = false
		}
	}
	return full.edges, counted, sameDegrees, err
}

// PairsAgainstDefinition checks withPairs on s's graph at scope against
// counting every actor's reasons by reading all its projects and links:
// each actor's degree and each pair's surplus. It returns the first
// difference ("" when none), the number of pairs joined more than once and
// how many of them are joined by shared flagships alone (not listed).
func PairsAgainstDefinition(s *engine.Snapshot, scope Scope) (diff string, multi, implicit int) {
	rows := buildCollabRows(view{s: s}, collabKey{scope: scope})
	full := rows.withPairs()
	for i := range len(rows.actors) {
		count := map[int32]int32{}
		for _, w := range rows.dirAct[rows.dirOff[i]:rows.dirOff[i+1]] {
			count[w]++
		}
		for _, p := range rows.actProj[rows.actOff[i]:rows.actOff[i+1]] {
			for _, w := range rows.partAct[rows.partOff[p]:rows.partOff[p+1]] {
				if w != int32(i) {
					count[w]++
				}
			}
		}
		if int(full.degree[i]) != len(count) {
			return fmt.Sprintf("actor %d: degree %d, want %d", i, full.degree[i], len(count)), 0, 0
		}
		got := map[int32]int32{}
		seen := getMarks(int32(len(rows.actors)))
		full.eachSurplus(int32(i), seen, int32(i), func(w, extra int32) {
			if _, twice := got[w]; twice {
				got[w] = -1 << 30 // shows as a wrong surplus
				return
			}
			got[w] = extra
			multi++
		})
		seen.release()
		listed := int(full.multiOff[i+1] - full.multiOff[i])
		implicit += len(got) - listed
		for w, k := range count {
			if k > 1 && got[w] != k-1 {
				return fmt.Sprintf("actor %d with %d: surplus %d, want %d", i, w, got[w], k-1), 0, 0
			}
			delete(got, w)
		}
		for w, e := range got {
			if e != 0 {
				return fmt.Sprintf("actor %d with %d: surplus %d, want none", i, w, e), 0, 0
			}
		}
	}
	return "", multi, implicit
}

// CollabRowsAt builds the rows of s's collaboration graph at scope, without
// the pairs (collabRows).
func CollabRowsAt(s *engine.Snapshot, scope Scope) any {
	return buildCollabRows(view{s: s}, collabKey{scope: scope})
}

// CollabShape returns the sizes of rows (from CollabRowsAt) that the
// whole-graph analytics' costs follow: the groups' incidences, the direct
// links (each counted at both ends), the pairs joined for several reasons
// (both ends) and the collaborator pairs.
func CollabShape(rows any) (incidences, direct, multi, edges int) {
	g := rows.(*collabGraph)
	full := g.withPairs()
	return len(g.partAct), len(g.dirAct), len(full.multiAct), full.edges
}

// PairsListed counts the collaborator pairs of rows (from CollabRowsAt) by
// listing them (withPairs), PairsCounted by edgeCount.
func PairsListed(rows any) int { return rows.(*collabGraph).withPairs().edges }

func PairsCounted(ctx context.Context, rows any) (int, error) {
	return rows.(*collabGraph).edgeCount(ctx)
}

// HolesAgainstReference computes constraint and effective size on s's
// collaboration graph at scope twice: as the measures do (each pair at one
// end) and by the previous implementation (every pair at both ends), which
// is kept as the reference.
func HolesAgainstReference(t interface{ Fatal(...any) }, s Store, scope Scope) (got, ref [2][]float64) {
	snap, err := s.Topology(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	g := buildCollab(view{s: snap}, collabKey{scope: scope})
	a, err := structuralHoles(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	b, err := structuralHolesReference(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	return [2][]float64{a.constraint, a.effectiveSize}, [2][]float64{b.constraint, b.effectiveSize}
}

// HolesWithBlockPairs computes constraint and effective size on s's
// collaboration graph at scope with blocks of actors split once they keep
// limit pairs.
func HolesWithBlockPairs(t interface{ Fatal(...any) }, s Store, scope Scope, limit int) [2][]float64 {
	snap, err := s.Topology(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	old := holesBlockPairs
	holesBlockPairs = limit
	defer func() { holesBlockPairs = old }()
	a, err := structuralHoles(context.Background(), buildCollab(view{s: snap}, collabKey{scope: scope}))
	if err != nil {
		t.Fatal(err)
	}
	return [2][]float64{a.constraint, a.effectiveSize}
}

// CollabPairsAgainstReference returns the collaborator pairs (ids, in
// order) and the degrees of s's collaboration graph at scope, kinds and
// asOf, from buildCollabRows and from the reference it replaced.
func CollabPairsAgainstReference(t interface{ Fatal(...any) }, s Store, scope Scope, kinds []ActorKind, asOf Date) (got, ref map[[2]string]bool, gotEdges, refEdges int) {
	snap, err := s.Topology(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	k, err := graphKey(scope, kinds)
	if err != nil {
		t.Fatal(err)
	}
	if k.day, err = parseAsOf(asOf); err != nil {
		t.Fatal(err)
	}
	v := view{s: snap, day: k.day}
	pairs := func(g *collabGraph) map[[2]string]bool {
		out := map[[2]string]bool{}
		add := func(i, j int32) {
			if a, b := g.actors[i].ID, g.actors[j].ID; a < b {
				out[[2]string{a, b}] = true
			} else if b < a {
				out[[2]string{b, a}] = true
			}
		}
		for p := range len(g.partOff) - 1 {
			m := g.partAct[g.partOff[p]:g.partOff[p+1]]
			for _, i := range m {
				for _, j := range m {
					add(i, j)
				}
			}
		}
		for i := range len(g.actors) {
			for _, j := range g.dirAct[g.dirOff[i]:g.dirOff[i+1]] {
				add(int32(i), j)
			}
		}
		return out
	}
	a, b := buildCollab(v, k), buildCollabRowsReference(v, k).withPairs()
	return pairs(a), pairs(b), a.edges, b.edges
}

// SetBetweennessSampleWork sets the most work for which a sampled
// betweenness pass takes BetweennessSamples sources and returns the
// function that restores it.
func SetBetweennessSampleWork(n int) func() {
	old := betweennessSampleWork
	betweennessSampleWork = n
	return func() { betweennessSampleWork = old }
}

// BetweennessWork is the work of a source's pass over the broker graph of
// the whole collaboration graph of s at scope, in actors, and its actors.
func BetweennessWork(s Store, scope Scope) (work, actors int) {
	a := NewAnalytics(s)
	w, err := a.whole(context.Background())
	if err != nil {
		panic(err)
	}
	b := newBrokerGraph(a.collab(w, collabKey{scope: scope}))
	return b.work(), b.n
}

// SetCollabBuildHook makes every build of a collaboration graph run f
// first and returns the function that restores none.
func SetCollabBuildHook(f func()) func() {
	collabBuildHook = f
	return func() { collabBuildHook = nil }
}

// SetParticipantBitsetMin sets the fewest participants of a project kept as
// a bitset for the participation tests and returns the function that
// restores it.
func SetParticipantBitsetMin(n int) func() {
	old := participantBitsetMin
	participantBitsetMin = n
	return func() { participantBitsetMin = old }
}

// SetOutweighFactor sets how many times the rest of an actor's ties its
// largest project must exceed to be counted in bulk (0: always); it
// returns the restore.
func SetOutweighFactor(n int) func() {
	old := outweighFactor
	outweighFactor = n
	return func() { outweighFactor = old }
}

// PairWorkAt is the work of counting every collaborator pair of s's graph
// at scope (collabGraph.pairWork), which decides whether the structural
// measures are computed.
func PairWorkAt(s *engine.Snapshot, scope Scope) int {
	return buildCollabRows(view{s: s}, collabKey{scope: scope}).pairWork
}

// SetStructuralMaxPairWork sets the most collaborator pairs on which the
// structural measures are computed and returns the restore.
func SetStructuralMaxPairWork(n int) func() {
	old := structuralMaxPairWork
	structuralMaxPairWork = n
	return func() { structuralMaxPairWork = old }
}

// SetRangeWorkMin sets the least work cut into ranges for the cores and
// returns the function that restores it.
func SetRangeWorkMin(n int) func() {
	old := rangeWorkMin
	rangeWorkMin = n
	return func() { rangeWorkMin = old }
}

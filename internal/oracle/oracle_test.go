package oracle

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/samverkan/samverkan/internal/gen"
	"github.com/samverkan/samverkan/internal/kg"
	"github.com/samverkan/samverkan/internal/store/teststore"
)

// tol is how far a floating-point answer may be from NetworkX's, relative
// to its size (betweenness sums thousands of terms in another order).
const tol = 1e-9

func near(a, b float64) bool {
	return math.Abs(a-b) <= tol*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// The oracle's protocol: one JSON request on stdin, one JSON answer on
// stdout (see testdata/oracle.py).

type oNode struct {
	ID     string `json:"id"`
	Label  string `json:"label"`
	Kind   string `json:"kind,omitempty"`
	Sector string `json:"sector,omitempty"`
	Type   string `json:"type,omitempty"` // a project's
}

type oRel struct {
	Type       string `json:"type"`
	From       string `json:"from"`
	To         string `json:"to"`
	Level      int    `json:"level,omitempty"`
	Importance int    `json:"importance,omitempty"`
	Role       string `json:"role,omitempty"`
}

type pathQ struct {
	From    string   `json:"from"`
	To      string   `json:"to"`
	Types   []string `json:"types"`
	Exclude []string `json:"exclude"`
	MaxHops int      `json:"maxHops"`
	K       int      `json:"k"`

	via  []kg.Via // what the Go side is asked with
	note string   // why this pair was chosen, for failure messages
}

type overlapQ struct {
	Actors []string `json:"actors"`
}

type similarQ struct {
	ID    string   `json:"id"`
	Dims  []string `json:"dims"`
	Scope kg.Scope `json:"scope,omitempty"`

	by []kg.Dimension
}

type matchQ struct {
	Need           string `json:"need"`
	MinLevel       int    `json:"minLevel"`
	MaxHops        int    `json:"maxHops"`
	ExcludeEngaged bool   `json:"excludeEngaged,omitempty"`
}

type consortiumQ struct {
	Need    string `json:"need"`
	MaxSize int    `json:"maxSize"`
}

type consortiumA struct {
	Members  []string `json:"members"`
	Coverage float64  `json:"coverage"`
}

// graphQ asks for one collaboration graph of DESIGN.md §2.1: a scope and
// the kinds it keeps (all when empty).
type graphQ struct {
	Scope kg.Scope       `json:"scope"`
	Kinds []kg.ActorKind `json:"kinds"`
}

type request struct {
	Nodes       []oNode       `json:"nodes"`
	Rels        []oRel        `json:"rels"`
	Paths       []pathQ       `json:"paths"`
	Overlap     []overlapQ    `json:"overlap"`
	Similar     []similarQ    `json:"similar"`
	Match       []matchQ      `json:"match"`
	Betweenness bool          `json:"betweenness"`
	Stats       bool          `json:"stats"`
	Graphs      []graphQ      `json:"graphs,omitempty"`
	Consortium  []consortiumQ `json:"consortium,omitempty"`

	// BetweennessSources asks for the sampled betweenness estimate from
	// these source actors (answer.SampledBetweenness).
	BetweennessSources []string `json:"betweennessSources,omitempty"`
	// SimplePathsSeconds bounds the enumeration of the first k paths per
	// question (0: the oracle's default, 30 s); past it First is null.
	SimplePathsSeconds float64 `json:"simplePathsSeconds,omitempty"`
}

type pathA struct {
	Length   int        `json:"length"` // -1: unreachable
	Count    int        `json:"count"`  // number of shortest node-paths, up to the cap
	Capped   bool       `json:"capped"`
	Shortest [][]string `json:"shortest"` // all shortest paths, sorted, when count <= 10
	First    [][]string `json:"first"`    // the first k paths per DESIGN, null when too many to enumerate
}

type overlapA struct {
	Projects      []string   `json:"projects"`
	Competencies  []string   `json:"competencies"`
	Needs         []string   `json:"needs"`
	Collaborators []string   `json:"collaborators"`
	Complementary [][]string `json:"complementary"`
	Jaccard       *struct {
		Projects      float64 `json:"projects"`
		Competencies  float64 `json:"competencies"`
		Needs         float64 `json:"needs"`
		Collaborators float64 `json:"collaborators"`
		Overall       float64 `json:"overall"`
	} `json:"jaccard"`
}

type similarA struct {
	Ranking []struct {
		ID     string   `json:"id"`
		Score  float64  `json:"score"`
		Shared []string `json:"shared"`
	} `json:"ranking"`
}

type matchA struct {
	Ranking []struct {
		ID       string                  `json:"id"`
		Coverage float64                 `json:"coverage"`
		Distance *int                    `json:"distance"`
		LevelSum int                     `json:"levelSum"`
		Covered  []kg.CoveredCompetency  `json:"covered"` // by competency id
		Missing  []kg.RequiredCompetency `json:"missing"` // by competency id
	} `json:"ranking"`
}

// graphMeasures are what the oracle says of a collaboration graph.
type graphMeasures struct {
	Actors        int     `json:"actors"`
	Edges         int     `json:"edges"`
	Components    int     `json:"components"`
	Largest       int     `json:"largest"`
	Density       float64 `json:"density"`
	AverageDegree float64 `json:"averageDegree"`
}

type statsA struct {
	graphMeasures
	Projects         int      `json:"projects"`
	ProjectTypes     []int    `json:"projectTypes"` // in kg.ProjectTypes order
	CrossSector      int      `json:"crossSector"`
	CrossSectorIDs   []string `json:"crossSectorIds"`
	CrossSectorShare float64  `json:"crossSectorShare"`
}

// graphA is the oracle's answer for one graphQ.
type graphA struct {
	betweennessA
	graphMeasures
	// Measures holds, per kg.Measure, NetworkX's value of every actor
	// (null for NaN); a measure left out was not computed (see oracle.py).
	Measures    map[kg.Measure]map[string]*float64 `json:"measures"`
	Communities *struct {
		Modularity float64 `json:"modularity"`
		Count      int     `json:"count"`
	} `json:"communities"`
}

type answer struct {
	Paths       []pathA       `json:"paths"`
	Overlap     []overlapA    `json:"overlap"`
	Similar     []similarA    `json:"similar"`
	Match       []matchA      `json:"match"`
	Betweenness *betweennessA `json:"betweenness"`
	Stats       *statsA       `json:"stats"`
	Graphs      []graphA      `json:"graphs"`
	Consortium  []consortiumA `json:"consortium"`

	SampledBetweenness *betweennessA `json:"sampledBetweenness"`
}

// betweennessA holds every actor's score, raw and normalised.
type betweennessA struct {
	Raw        map[string]float64 `json:"raw"`
	Normalized map[string]float64 `json:"normalized"`
}

var (
	pythonOnce   sync.Once
	pythonPath   string
	pythonReason string // why the oracle cannot run; "" when it can
)

// oraclePython returns the interpreter to run the oracle with. Without
// NetworkX it skips the test, or fails it when SAMVERKAN_REQUIRE_ORACLE=1.
func oraclePython(t *testing.T) string {
	t.Helper()
	pythonOnce.Do(func() {
		pythonPath = os.Getenv("SAMVERKAN_PYTHON")
		if pythonPath == "" {
			pythonPath = "python3"
		}
		pythonReason = oracleUnavailable(pythonPath)
	})
	if pythonReason != "" {
		if os.Getenv("SAMVERKAN_REQUIRE_ORACLE") == "1" {
			t.Fatalf("SAMVERKAN_REQUIRE_ORACLE=1 but %s", pythonReason)
		}
		t.Skip(pythonReason)
	}
	return pythonPath
}

// oracleUnavailable says why python cannot run the oracle, or "" when it
// can import NetworkX and SciPy (eigenvector_centrality_numpy needs it).
func oracleUnavailable(python string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, python, "-c", "import networkx, scipy").CombinedOutput()
	if err == nil {
		return ""
	}
	if msg := strings.TrimSpace(string(out)); msg != "" {
		err = fmt.Errorf("%w: %s", err, msg)
	}
	return fmt.Sprintf("the NetworkX oracle cannot run: %q -c 'import networkx, scipy': %v "+
		"(install NetworkX and SciPy, e.g. Debian's python3-networkx and python3-scipy, or set SAMVERKAN_PYTHON to a Python that has them)",
		python, err)
}

// TestOracleUnavailable checks that a missing interpreter is reported, with
// the way out, rather than passing as if the oracle had agreed.
func TestOracleUnavailable(t *testing.T) {
	reason := oracleUnavailable(filepath.Join(t.TempDir(), "no-such-python"))
	if !strings.Contains(reason, "cannot run") || !strings.Contains(reason, "SAMVERKAN_PYTHON") {
		t.Fatalf("reason %q", reason)
	}
}

// ask runs the oracle on req.
func ask(t *testing.T, python string, req request) answer {
	t.Helper()
	body, err := json.Marshal(req)
	if err != nil {
		t.Fatalf("encode oracle request: %v", err)
	}
	// A safety net, not a budget: exact betweenness of 4,000 actors takes
	// NetworkX minutes on a busy machine.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, "testdata/oracle.py")
	cmd.Stdin = bytes.NewReader(body)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("oracle.py failed: %v\n%s", err, stderr.String())
	}
	var a answer
	if err := json.Unmarshal(stdout.Bytes(), &a); err != nil {
		t.Fatalf("decode oracle answer: %v\n%.2000s", err, stdout.String())
	}
	if len(a.Paths) != len(req.Paths) || len(a.Overlap) != len(req.Overlap) || len(a.Similar) != len(req.Similar) ||
		len(a.Match) != len(req.Match) {
		t.Fatalf("oracle answered %d/%d/%d/%d questions, asked %d/%d/%d/%d", len(a.Paths), len(a.Overlap),
			len(a.Similar), len(a.Match), len(req.Paths), len(req.Overlap), len(req.Similar), len(req.Match))
	}
	if req.Betweenness && a.Betweenness == nil || req.Stats && a.Stats == nil ||
		req.BetweennessSources != nil && a.SampledBetweenness == nil {
		t.Fatal("the oracle left out betweenness or statistics")
	}
	return a
}

// load imports the generated graph into a new store of this run's kind
// (embedded, or Neo4j when NEO4J_URI is set), in batches within the import
// limits: every node first, then the relationships. On Neo4j the
// relationships go in batches of 5,000: a first batch of 20,000 into a
// fresh database takes over the tests' one-minute statement timeout.
func load(t *testing.T, g kg.Graph) kg.Store {
	t.Helper()
	s := teststore.Open(t)
	ctx := context.Background()
	rels := kg.MaxImportRels
	if teststore.OnNeo4j() {
		rels = 5_000
	}
	for i, b := range gen.Batches(g, kg.MaxImportNodes, rels) {
		if _, err := s.Import(ctx, b); err != nil {
			t.Fatalf("import batch %d (%d nodes, %d relationships): %v", i, len(b.Nodes()), len(b.Rels), err)
		}
	}
	return s
}

func describe(g kg.Graph) ([]oNode, []oRel) {
	var nodes []oNode
	for _, n := range g.Nodes() {
		o := oNode{ID: n.Base().ID, Label: string(n.NodeLabel())}
		switch v := n.(type) {
		case *kg.Actor:
			o.Kind, o.Sector = string(v.Kind), string(v.Sector)
		case *kg.Project:
			o.Type = string(v.TypeOrDefault())
		}
		nodes = append(nodes, o)
	}
	var rels []oRel
	for _, r := range g.Rels {
		rels = append(rels, oRel{Type: string(r.Type), From: r.From, To: r.To, Level: r.Level,
			Importance: r.Importance, Role: r.Role})
	}
	return nodes, rels
}

// oracleCase is one generated graph and how many questions of each sort it
// gets. NetworkX's betweenness on 2,000 actors takes a few seconds, the Go
// side well under that even with -race.
type oracleCase struct {
	seed                               uint64
	actors                             int
	paths, overlaps, similars, matches int
}

func TestAgainstNetworkX(t *testing.T) {
	python := oraclePython(t)
	for _, c := range []oracleCase{
		{seed: 1, actors: 50, paths: 40, overlaps: 20, similars: 10, matches: 4},
		{seed: 2, actors: 200, paths: 40, overlaps: 20, similars: 10, matches: 12},
		{seed: 3, actors: 600, paths: 30, overlaps: 15, similars: 8, matches: 12},
		{seed: 4, actors: 2000, paths: 20, overlaps: 10, similars: 6, matches: 8},
	} {
		t.Run(fmt.Sprintf("seed%d_actors%d", c.seed, c.actors), func(t *testing.T) {
			if !teststore.OnNeo4j() { // one Neo4j database: one case at a time
				t.Parallel()
			}
			runCase(t, python, c)
		})
	}
}

func runCase(t *testing.T, python string, c oracleCase) {
	e := generate(c.seed, c.actors)
	store := load(t, e.graph)
	a := kg.NewAnalytics(store)
	r := rand.New(rand.NewPCG(c.seed, 99))

	req := request{Betweenness: true, Stats: true}
	req.Nodes, req.Rels = describe(e.graph)
	req.Paths = pathQuestions(r, e, c.paths)
	req.Overlap = overlapQuestions(r, e, c.overlaps)
	req.Similar = similarQuestions(r, e, c.similars)
	req.Match = matchQuestions(r, e, c.matches)
	req.Graphs = graphQuestions()
	if c.actors <= 600 { // the whole graph too, where NetworkX's measures take seconds
		req.Graphs = append(req.Graphs, graphQ{Scope: kg.ScopeAll})
	}
	for _, q := range req.Match {
		req.Consortium = append(req.Consortium, consortiumQ{Need: q.Need, MaxSize: 1 + r.IntN(kg.MaxConsortiumMaxSize)})
	}
	for _, id := range e.ownNeeds {
		req.Consortium = append(req.Consortium, consortiumQ{Need: id, MaxSize: 3})
	}
	want := ask(t, python, req)
	summarize(t, want)

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	t.Run("paths", func(t *testing.T) { checkPaths(ctx, t, a, e, req.Paths, want.Paths) })
	t.Run("overlap", func(t *testing.T) { checkOverlap(ctx, t, a, req.Overlap, want.Overlap) })
	t.Run("similar", func(t *testing.T) { checkSimilar(ctx, t, a, req.Similar, want.Similar) })
	t.Run("match", func(t *testing.T) { checkMatch(ctx, t, a, req.Match, want.Match) })
	t.Run("brokers", func(t *testing.T) { checkBrokers(ctx, t, a, e.graph.Actors, *want.Betweenness) })
	t.Run("stats", func(t *testing.T) { checkStats(ctx, t, a, *want.Stats) })
	t.Run("consortium", func(t *testing.T) { checkConsortium(ctx, t, a, req.Consortium, want.Consortium) })
	t.Run("graphs", func(t *testing.T) { checkGraphs(ctx, t, a, e.graph.Actors, req.Graphs, want.Graphs) })
}

// Question sampling.

func typesOf(via []kg.Via) []string {
	var out []string
	for _, rt := range kg.RelTypesOf(via) {
		out = append(out, string(rt))
	}
	return out
}

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

func idsOf[N kg.Node](ns []N) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.Base().ID
	}
	return out
}

// pathQuestions samples endpoint pairs: actors under the default via and
// under every via, other labels, single groups (sparse, often
// unreachable), small maxHops (the boundary), excluded nodes, and the
// isolated, island and parallel actors.
func pathQuestions(r *rand.Rand, e ecosystem, n int) []pathQ {
	actors := idsOf(e.graph.Actors)
	all := allIDs(e.graph)
	var qs []pathQ
	q := func(from, to string, via []kg.Via, maxHops int, exclude []string, note string) {
		qs = append(qs, pathQ{From: from, To: to, Types: typesOf(via), Exclude: exclude, MaxHops: maxHops,
			K: kg.MaxPathK, via: via, note: note})
	}
	// Fixed cases first.
	mainland := actors[0]
	q(e.isolated[0], mainland, nil, 8, nil, "isolated actor")
	q(e.island[0], mainland, nil, 8, nil, "island to mainland")
	q(e.island[1], e.island[3], nil, 8, nil, "within the island")
	q(e.island[1], mainland, kg.Vias, 8, nil, "island to mainland over every via")
	for _, p := range e.parallel[:min(3, len(e.parallel))] {
		q(p[0], p[1], nil, 8, nil, "pair joined three times")
	}
	vias := [][]kg.Via{nil, kg.Vias, {kg.ViaPartnership}, {kg.ViaMembership, kg.ViaPartnership},
		{kg.ViaParticipation}, {kg.ViaCompetency, kg.ViaNeed}}
	for len(qs) < n {
		var from, to string
		via := vias[0]
		maxHops := kg.MaxPathMaxHops
		note := "random actors"
		switch k := r.IntN(10); {
		case k < 4:
			from, to = pick(r, actors), pick(r, actors)
		case k < 6:
			from, to, via, note = pick(r, actors), pick(r, actors), pick(r, vias), "random actors, chosen via"
		case k < 7:
			from, to, via, note = pick(r, all), pick(r, all), kg.Vias, "any labels, every via"
		case k < 9:
			from, to, maxHops, note = pick(r, actors), pick(r, actors), 2+r.IntN(4), "random actors, small maxHops"
		default:
			from, to, note = pick(r, actors), pick(r, actors), "random actors, excluded nodes"
		}
		if from == to {
			continue
		}
		var exclude []string
		if note == "random actors, excluded nodes" {
			for len(exclude) < 3 {
				x := pick(r, all)
				if x != from && x != to && !slices.Contains(exclude, x) {
					exclude = append(exclude, x)
				}
			}
			slices.Sort(exclude)
		}
		q(from, to, via, maxHops, exclude, note)
	}
	return qs
}

// collaboratorPairs returns pairs of actors that share a project, which
// have non-trivial overlaps.
func collaboratorPairs(g kg.Graph) [][2]string {
	members := map[string][]string{}
	var order []string
	for _, r := range g.Rels {
		if r.Type == kg.RelParticipatesIn {
			if members[r.To] == nil {
				order = append(order, r.To)
			}
			members[r.To] = append(members[r.To], r.From)
		}
	}
	var out [][2]string
	for _, p := range order {
		ms := members[p]
		out = append(out, [2]string{ms[0], ms[len(ms)-1]})
	}
	return out
}

func overlapQuestions(r *rand.Rand, e ecosystem, n int) []overlapQ {
	actors := idsOf(e.graph.Actors)
	pairs := collaboratorPairs(e.graph)
	qs := []overlapQ{
		{Actors: []string{e.isolated[0], e.isolated[1]}}, // nothing at all: every Jaccard 0
		{Actors: []string{e.parallel[0][0], e.parallel[0][1]}},
		{Actors: []string{e.island[0], e.island[1], e.island[2]}},
	}
	for len(qs) < n {
		var ids []string
		switch k := r.IntN(4); {
		case k < 2:
			p := pick(r, pairs)
			ids = p[:]
		case k < 3:
			ids = []string{pick(r, actors), pick(r, actors)}
		default:
			// Several actors of one project and a few others.
			p := pick(r, pairs)
			ids = []string{p[0], p[1]}
			for m := r.IntN(kg.MaxOverlapActors - 1); m > 0; m-- {
				ids = append(ids, pick(r, actors))
			}
		}
		if len(ids) != len(slices.Compact(slices.Sorted(slices.Values(ids)))) {
			continue
		}
		qs = append(qs, overlapQ{Actors: ids})
	}
	return qs
}

func similarQuestions(r *rand.Rand, e ecosystem, n int) []similarQ {
	actors := idsOf(e.graph.Actors)
	bys := [][]kg.Dimension{nil, nil, {kg.DimNeeds}, {kg.DimCompetencies}, {kg.DimCollaborators},
		{kg.DimProjects, kg.DimCollaborators}, kg.Dimensions}
	qs := []similarQ{{ID: e.isolated[0], Dims: dimNames(kg.DefaultSimilarBy)}, {ID: e.island[0],
		Dims: dimNames(kg.DefaultSimilarBy)}}
	for len(qs) < n {
		by := pick(r, bys)
		d := by
		if len(d) == 0 {
			d = kg.DefaultSimilarBy
		}
		qs = append(qs, similarQ{ID: pick(r, actors), Dims: dimNames(d), by: by})
	}
	// As many again at ORGANISATIONS scope, asked of organisations.
	var orgs []string
	for _, x := range e.graph.Actors {
		if x.Kind != kg.KindPerson {
			orgs = append(orgs, x.ID)
		}
	}
	for range n {
		by := pick(r, bys)
		d := by
		if len(d) == 0 {
			d = kg.DefaultSimilarBy
		}
		qs = append(qs, similarQ{ID: pick(r, orgs), Dims: dimNames(d), Scope: kg.ScopeOrganisations, by: by})
	}
	return qs
}

// matchQuestions samples needs with a minimum level and a distance bound
// (1 to 8 hops, so that some candidates are out of reach).
func matchQuestions(r *rand.Rand, e ecosystem, n int) []matchQ {
	needs := idsOf(e.graph.Needs)
	var qs []matchQ
	for _, i := range r.Perm(len(needs))[:min(n, len(needs))] {
		qs = append(qs, matchQ{Need: needs[i], MinLevel: 1 + r.IntN(3), MaxHops: 1 + r.IntN(kg.MaxMatchMaxHops),
			ExcludeEngaged: r.IntN(2) == 0})
	}
	return qs
}

func dimNames(ds []kg.Dimension) []string {
	var out []string
	for _, d := range ds {
		out = append(out, string(d))
	}
	return out
}

// Checks.

func nodeIDs(p kg.Path) []string {
	out := make([]string, len(p.Nodes))
	for i, n := range p.Nodes {
		out[i] = n.Base().ID
	}
	return out
}

func fmtPaths(ps [][]string) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "\n    %d: %s", len(p)-1, strings.Join(p, " — "))
	}
	return b.String()
}

func checkPaths(ctx context.Context, t *testing.T, a *kg.Analytics, e ecosystem, qs []pathQ, want []pathA) {
	rels := map[kg.RelKey]bool{}
	for _, r := range e.graph.Rels {
		rels[r.Key()] = true
	}
	for i, q := range qs {
		w := want[i]
		name := fmt.Sprintf("paths %s → %s (%s; via %v, maxHops %d, exclude %v)", q.From, q.To, q.note,
			q.via, q.MaxHops, q.Exclude)
		got, err := a.Paths(ctx, kg.PathQuery{From: q.From, To: q.To, K: q.K, MaxHops: q.MaxHops, Via: q.via,
			Exclude: q.Exclude})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(got) > q.K {
			t.Errorf("%s: %d paths for k=%d", name, len(got), q.K)
		}
		var gotIDs [][]string
		for _, p := range got {
			gotIDs = append(gotIDs, nodeIDs(p))
			checkPathShape(t, name, q, p, rels)
		}
		if w.Length < 0 || w.Length > q.MaxHops {
			if len(got) != 0 {
				t.Errorf("%s: NetworkX shortest length %d (-1: unreachable), want no paths within maxHops, got %d:%s",
					name, w.Length, len(got), fmtPaths(gotIDs))
			}
			continue
		}
		if len(got) == 0 {
			t.Errorf("%s: no paths, NetworkX shortest length %d", name, w.Length)
			continue
		}
		if got[0].Length() != w.Length {
			t.Errorf("%s: first path has length %d, NetworkX shortest length %d:%s", name, got[0].Length(),
				w.Length, fmtPaths(gotIDs))
			continue
		}
		shortest := 0
		for _, p := range got {
			if p.Length() == w.Length {
				shortest++
			}
		}
		if wantShortest := min(w.Count, q.K); shortest != wantShortest {
			t.Errorf("%s: %d returned paths of the shortest length %d, NetworkX counts %d shortest node-paths (want %d of k=%d):%s",
				name, shortest, w.Length, w.Count, wantShortest, q.K, fmtPaths(gotIDs))
			continue
		}
		if w.Shortest != nil && !slices.EqualFunc(gotIDs[:shortest], w.Shortest, slices.Equal) {
			t.Errorf("%s: shortest paths differ\n  got:%s\n  NetworkX:%s", name, fmtPaths(gotIDs[:shortest]),
				fmtPaths(w.Shortest))
		}
		if w.First != nil && !slices.EqualFunc(gotIDs, w.First, slices.Equal) {
			t.Errorf("%s: the first k paths differ\n  got:%s\n  NetworkX:%s", name, fmtPaths(gotIDs),
				fmtPaths(w.First))
		}
	}
}

// checkPathShape checks one returned path on its own: a simple path from
// q.From to q.To within maxHops, avoiding excluded nodes, whose steps are
// relationships of the graph of the asked types joining consecutive nodes.
func checkPathShape(t *testing.T, name string, q pathQ, p kg.Path, rels map[kg.RelKey]bool) {
	t.Helper()
	ids := nodeIDs(p)
	switch {
	case len(p.Nodes) != len(p.Steps)+1:
		t.Errorf("%s: %d nodes and %d steps", name, len(p.Nodes), len(p.Steps))
		return
	case ids[0] != q.From || ids[len(ids)-1] != q.To:
		t.Errorf("%s: path runs %s → %s", name, ids[0], ids[len(ids)-1])
	case p.Length() > q.MaxHops:
		t.Errorf("%s: path of length %d", name, p.Length())
	case len(slices.Compact(slices.Sorted(slices.Values(ids)))) != len(ids):
		t.Errorf("%s: path visits a node twice: %s", name, strings.Join(ids, " — "))
	}
	for _, id := range ids {
		if slices.Contains(q.Exclude, id) {
			t.Errorf("%s: path passes excluded %s: %s", name, id, strings.Join(ids, " — "))
		}
	}
	for i, s := range p.Steps {
		a, b := ids[i], ids[i+1]
		if !(s.From == a && s.To == b || s.From == b && s.To == a) || !rels[s.Key()] ||
			!slices.Contains(q.Types, string(s.Type)) {
			t.Errorf("%s: step %d (%s %s → %s) does not join %s and %s by an asked type", name, i, s.Type,
				s.From, s.To, a, b)
		}
	}
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func checkOverlap(ctx context.Context, t *testing.T, a *kg.Analytics, qs []overlapQ, want []overlapA) {
	for i, q := range qs {
		w := want[i]
		name := fmt.Sprintf("overlap %v", q.Actors)
		got, err := a.Overlap(ctx, q.Actors)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		for _, d := range []struct {
			dim       string
			got, want []string
		}{
			{"projects", got.Projects, w.Projects}, {"competencies", got.Competencies, w.Competencies},
			{"needs", got.Needs, w.Needs}, {"collaborators", got.Collaborators, w.Collaborators},
		} {
			if !slices.Equal(orEmpty(d.got), orEmpty(d.want)) {
				t.Errorf("%s: shared %s %v, oracle %v", name, d.dim, d.got, d.want)
			}
		}
		if len(got.Complementary) != len(q.Actors) {
			t.Errorf("%s: %d complementary entries, want %d", name, len(got.Complementary), len(q.Actors))
		} else {
			for j, c := range got.Complementary {
				if c.ActorID != q.Actors[j] || !slices.Equal(orEmpty(c.CompetencyIDs), orEmpty(w.Complementary[j])) {
					t.Errorf("%s: complementary[%d] = %s %v, oracle %s %v", name, j, c.ActorID, c.CompetencyIDs,
						q.Actors[j], w.Complementary[j])
				}
			}
		}
		if w.Jaccard == nil {
			if got.Jaccard != nil {
				t.Errorf("%s: Jaccard given for %d actors", name, len(q.Actors))
			}
			continue
		}
		if got.Jaccard == nil {
			t.Errorf("%s: no Jaccard for two actors", name)
			continue
		}
		for _, d := range []struct {
			dim       string
			got, want float64
		}{
			{"projects", got.Jaccard.Projects, w.Jaccard.Projects},
			{"competencies", got.Jaccard.Competencies, w.Jaccard.Competencies},
			{"needs", got.Jaccard.Needs, w.Jaccard.Needs},
			{"collaborators", got.Jaccard.Collaborators, w.Jaccard.Collaborators},
			{"overall", got.Jaccard.Overall, w.Jaccard.Overall},
		} {
			if !near(d.got, d.want) {
				t.Errorf("%s: Jaccard %s = %v, oracle %v", name, d.dim, d.got, d.want)
			}
		}
	}
}

func checkSimilar(ctx context.Context, t *testing.T, a *kg.Analytics, qs []similarQ, want []similarA) {
	for i, q := range qs {
		w := want[i].Ranking
		name := fmt.Sprintf("similar to %s by %v (scope %q)", q.ID, q.Dims, q.Scope)
		got, err := a.Similar(ctx, kg.SimilarQuery{ID: q.ID, By: q.by, First: kg.MaxSimilarFirst, Scope: q.Scope})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		byID := map[string]int{}
		for j, s := range w {
			byID[s.ID] = j
		}
		// Each result on its own: the pair's Jaccard and shared neighbours.
		for _, s := range got {
			j, ok := byID[s.ActorID]
			if !ok {
				t.Errorf("%s: %s (score %v) shares no neighbour with %s per the oracle", name, s.ActorID, s.Score, q.ID)
				continue
			}
			if !near(s.Score, w[j].Score) || !slices.Equal(orEmpty(s.Shared), orEmpty(w[j].Shared)) {
				t.Errorf("%s: %s scores %v sharing %v, oracle %v sharing %v", name, s.ActorID, s.Score, s.Shared,
					w[j].Score, w[j].Shared)
			}
		}
		// The ranking: score desc, shared count desc, id, cut at first.
		var gotIDs, wantIDs []string
		for _, s := range got {
			gotIDs = append(gotIDs, s.ActorID)
		}
		for _, s := range w[:min(len(w), kg.MaxSimilarFirst)] {
			wantIDs = append(wantIDs, s.ID)
		}
		if !slices.Equal(gotIDs, wantIDs) {
			t.Errorf("%s: ranking\n  got    %v\n  oracle %v", name, gotIDs, wantIDs)
		}
	}
}

func fmtDistance(d *int) string {
	if d == nil {
		return "none"
	}
	return fmt.Sprint(*d)
}

func checkMatch(ctx context.Context, t *testing.T, a *kg.Analytics, qs []matchQ, want []matchA) {
	for i, q := range qs {
		name := fmt.Sprintf("match need %s (minLevel %d, maxHops %d, excludeEngaged %v)", q.Need, q.MinLevel, q.MaxHops, q.ExcludeEngaged)
		got, err := a.MatchNeed(ctx, kg.MatchQuery{NeedID: q.Need, First: kg.MaxMatchFirst, MaxHops: q.MaxHops,
			MinLevel: q.MinLevel, ExcludeEngaged: q.ExcludeEngaged})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		w := want[i].Ranking
		if want := min(len(w), kg.MaxMatchFirst); len(got) != want {
			t.Errorf("%s: %d candidates, oracle %d", name, len(got), want)
		}
		for j := range min(len(got), len(w)) {
			g, o := got[j], w[j]
			if g.ActorID != o.ID || !near(g.Coverage, o.Coverage) || fmtDistance(g.Distance) != fmtDistance(o.Distance) ||
				g.LevelSum != o.LevelSum || !slices.Equal(g.Covered, o.Covered) || !slices.Equal(g.Missing, o.Missing) {
				t.Errorf("%s: #%d is %s (coverage %v, distance %s, level sum %d, covered %v, missing %v),\n"+
					"  oracle %s (coverage %v, distance %s, level sum %d, covered %v, missing %v)", name, j,
					g.ActorID, g.Coverage, fmtDistance(g.Distance), g.LevelSum, g.Covered, g.Missing,
					o.ID, o.Coverage, fmtDistance(o.Distance), o.LevelSum, o.Covered, o.Missing)
			}
		}
	}
}

// checkBrokers compares Brokers over all actors with the oracle's scores
// of every actor (checkRanking) and the top ten. Exact up to
// kg.ExactBetweennessMaxActors actors, else the sampled estimate (want
// then comes from the same sources).
func checkBrokers(ctx context.Context, t *testing.T, a *kg.Analytics, actors []*kg.Actor, want betweennessA) {
	n := len(actors)
	if len(want.Raw) != n {
		t.Fatalf("oracle scored %d actors, the graph has %d", len(want.Raw), n)
	}
	// DESIGN's normalisation, raw ÷ ((n−1)(n−2)/2), is NetworkX's.
	for id, x := range want.Raw {
		if w := x / (float64(n-1) * float64(n-2) / 2); !near(want.Normalized[id], w) {
			t.Fatalf("oracle normalised %s to %v, DESIGN's formula gives %v", id, want.Normalized[id], w)
		}
	}
	checked := checkRanking(ctx, t, a, kg.BrokerQuery{First: kg.MaxBrokersFirst}, want)
	checkTopTen(ctx, t, a, want.Raw)
	t.Logf("brokers: compared the scores of the %d of %d actors ranked", len(checked), n)
}

// checkRanking asks Brokers q and compares it with the oracle's scores of
// every actor of q's graph: the actor count, each returned actor's score,
// the order, and that nobody left out scores above the last one in. It
// returns the actors compared.
func checkRanking(ctx context.Context, t *testing.T, a *kg.Analytics, q kg.BrokerQuery, want betweennessA) map[string]bool {
	raw, norm := want.Raw, want.Normalized
	n := len(raw)
	name := fmt.Sprintf("brokers at scope %q of kinds %v", q.Scope, q.Kinds)
	checked := map[string]bool{}
	got, err := a.Brokers(ctx, q)
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return checked
	}
	exact := n <= kg.ExactBetweennessMaxActors
	if got.ActorCount != n || got.Exact != exact || !exact && got.Samples != kg.BetweennessSamples {
		t.Errorf("%s: ActorCount %d Exact %v Samples %d, want %d, exact %v (else %d samples)", name,
			got.ActorCount, got.Exact, got.Samples, n, exact, kg.BetweennessSamples)
	}
	if want := min(q.First, n); len(got.Brokers) != want {
		t.Errorf("%s: %d brokers, want %d", name, len(got.Brokers), want)
	}
	for i, b := range got.Brokers {
		checked[b.ActorID] = true
		w, ok := raw[b.ActorID]
		switch {
		case !ok:
			t.Errorf("%s: %s is not in that graph", name, b.ActorID)
			continue
		case !near(b.Score, w) || !near(b.Normalized, norm[b.ActorID]):
			t.Errorf("%s: %s betweenness %v (normalised %v), NetworkX %v (normalised %v)", name, b.ActorID,
				b.Score, b.Normalized, w, norm[b.ActorID])
		}
		if i > 0 {
			p := got.Brokers[i-1]
			if p.Score < b.Score || p.Score == b.Score && p.ActorID > b.ActorID {
				t.Errorf("%s: %s (%v) ranked before %s (%v); want score desc, then id", name, p.ActorID,
					p.Score, b.ActorID, b.Score)
			}
		}
	}
	// Nobody left out may score above the last one in.
	if len(got.Brokers) > 0 {
		last := got.Brokers[len(got.Brokers)-1]
		for id, x := range raw {
			if !checked[id] && x > raw[last.ActorID] && !near(x, raw[last.ActorID]) {
				t.Errorf("%s: %s (NetworkX %v) left out while %s (NetworkX %v) is in", name, id, x,
					last.ActorID, raw[last.ActorID])
			}
		}
	}
	return checked
}

// checkConsortium compares suggestConsortium with the oracle's greedy
// cover, own people barred once an actor is chosen (DESIGN.md §2.1).
func checkConsortium(ctx context.Context, t *testing.T, a *kg.Analytics, qs []consortiumQ, want []consortiumA) {
	if len(want) != len(qs) {
		t.Fatalf("oracle answered %d consortia, asked %d", len(want), len(qs))
	}
	members := 0
	for i, q := range qs {
		got, err := a.Consortium(ctx, kg.ConsortiumQuery{NeedID: q.Need, MaxSize: q.MaxSize})
		if err != nil {
			t.Errorf("consortium for %s: %v", q.Need, err)
			continue
		}
		var ids []string
		for _, m := range got.Members {
			ids = append(ids, m.ActorID)
		}
		members += len(ids)
		if !slices.Equal(ids, want[i].Members) || !near(got.Coverage, want[i].Coverage) {
			t.Errorf("consortium for %s (maxSize %d): %v coverage %v, oracle %v coverage %v", q.Need, q.MaxSize, ids, got.Coverage, want[i].Members, want[i].Coverage)
		}
	}
	t.Logf("consortium: %d needs, %d members compared", len(qs), members)
}

// graphQuestions are the collaboration graphs compared with NetworkX: at
// ALL scope each kind on its own (DESIGN.md §2.1: kinds filter the graph
// before ranking) and two kinds together; at ORGANISATIONS the whole graph
// and the public-sector kinds.
func graphQuestions() []graphQ {
	qs := []graphQ{{Scope: kg.ScopeAll, Kinds: []kg.ActorKind{kg.KindCompany, kg.KindMunicipality}},
		{Scope: kg.ScopeOrganisations}, {Scope: kg.ScopeOrganisations, Kinds: []kg.ActorKind{kg.KindMunicipality, kg.KindRegion, kg.KindStateAgency}}}
	for _, k := range kg.ActorKinds {
		qs = append(qs, graphQ{Scope: kg.ScopeAll, Kinds: []kg.ActorKind{k}})
	}
	return qs
}

// checkGraphs compares, per graph, Brokers and (without kinds) Stats with
// NetworkX's answers on the same graph.
func checkGraphs(ctx context.Context, t *testing.T, a *kg.Analytics, actors []*kg.Actor, qs []graphQ, want []graphA) {
	if len(want) != len(qs) {
		t.Fatalf("oracle answered %d graphs, asked %d", len(want), len(qs))
	}
	compared := 0
	for i, q := range qs {
		w := want[i]
		checked := checkRanking(ctx, t, a, kg.BrokerQuery{First: kg.MaxBrokersFirst, Scope: q.Scope, Kinds: q.Kinds}, w.betweennessA)
		compared += len(checked)
		if w.Actors == 0 && len(q.Kinds) == 0 {
			t.Errorf("graph %+v: the oracle's graph is empty; the comparison would be vacuous", q)
		}
		if len(q.Kinds) > 0 {
			continue
		}
		got, err := a.Stats(ctx, q.Scope)
		if err != nil {
			t.Errorf("stats at %s: %v", q.Scope, err)
			continue
		}
		if g, o := fmt.Sprintf("actors=%d edges=%d components=%d largest=%d", got.Actors, got.CollaborationEdges, got.Components, got.LargestComponent),
			fmt.Sprintf("actors=%d edges=%d components=%d largest=%d", w.Actors, w.Edges, w.Components, w.Largest); g != o {
			t.Errorf("stats at %s: %s, NetworkX %s", q.Scope, g, o)
		}
		if !near(got.Density, w.Density) || !near(got.AverageDegree, w.AverageDegree) {
			t.Errorf("stats at %s: density %v average degree %v, NetworkX %v %v", q.Scope, got.Density, got.AverageDegree, w.Density, w.AverageDegree)
		}
	}
	t.Logf("graphs: %d scopes and kinds, %d broker scores compared", len(qs), compared)
	values, louvains := map[kg.Measure]int{}, 0
	for i, q := range qs {
		for m, n := range checkMeasures(ctx, t, a, q, want[i]) {
			values[m] += n
		}
		if c := want[i].Communities; c != nil {
			louvains++
			got, err := a.Communities(ctx, kg.CommunityQuery{Scope: q.Scope, Resolution: 1, Seed: 1})
			switch {
			case err != nil:
				t.Errorf("communities at %s: %v", q.Scope, err)
			case got.Modularity < 0.98*c.Modularity-tol:
				t.Errorf("communities at %s: modularity %v (%d communities), below 98%% of NetworkX's %v (%d)", q.Scope,
					got.Modularity, len(got.Communities), c.Modularity, c.Count)
			default:
				t.Logf("communities at %s: modularity %.6f in %d communities, NetworkX %.6f in %d", q.Scope, got.Modularity,
					len(got.Communities), c.Modularity, c.Count)
			}
			if err == nil {
				n := 0
				for _, k := range got.Communities {
					n += k.Size
				}
				if n != w(want[i]).Actors {
					t.Errorf("communities at %s hold %d actors, the graph %d", q.Scope, n, w(want[i]).Actors)
				}
			}
		}
	}
	for _, m := range kg.Measures {
		if values[m] == 0 {
			t.Errorf("%s: compared on no graph; the comparison would be vacuous", m)
		}
	}
	if louvains == 0 {
		t.Errorf("communities compared on no graph")
	}
	t.Logf("measures: values compared %v; communities on %d graphs", values, louvains)
}

func w(g graphA) graphMeasures { return g.graphMeasures }

// checkMeasures compares every measure the oracle computed for graph q
// with Measures' first MaxMeasuresFirst rows: each value (1e-9; the
// eigenvector 1e-6, either sign), the order, the ranks, and that nobody
// left out ranks above the last row. It returns the values compared per
// measure.
func checkMeasures(ctx context.Context, t *testing.T, a *kg.Analytics, q graphQ, want graphA) map[kg.Measure]int {
	compared := map[kg.Measure]int{}
	for _, m := range kg.Measures {
		vals, ok := want.Measures[m]
		if !ok || vals == nil {
			continue
		}
		name := fmt.Sprintf("%s at scope %q of kinds %v", m, q.Scope, q.Kinds)
		got, err := a.Measures(ctx, kg.MeasureQuery{By: m, First: kg.MaxMeasuresFirst, Scope: q.Scope, Kinds: q.Kinds})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got.ActorCount != len(vals) || len(got.Rows) != min(len(vals), kg.MaxMeasuresFirst) {
			t.Errorf("%s: %d actors, %d rows; NetworkX %d actors", name, got.ActorCount, len(got.Rows), len(vals))
			continue
		}
		tolerance := tol
		sign := 1.0
		if m == kg.MeasureEigenvector {
			tolerance = 1e-6
			if r := got.Rows[0]; r.Value != nil && vals[r.ActorID] != nil && *r.Value*(*vals[r.ActorID]) < 0 {
				sign = -1
			}
		}
		close := func(x, y float64) bool {
			return math.Abs(x-y) <= tolerance*math.Max(1, math.Max(math.Abs(x), math.Abs(y)))
		}
		better := func(x, y float64) bool { // x ranks strictly before y
			if m == kg.MeasureConstraint {
				return x < y && !close(x, y)
			}
			return x > y && !close(x, y)
		}
		in := map[string]bool{}
		for k, r := range got.Rows {
			in[r.ActorID] = true
			wv, ok := vals[r.ActorID]
			switch {
			case !ok:
				t.Errorf("%s: %s is not in that graph", name, r.ActorID)
				continue
			case (wv == nil) != (r.Value == nil):
				t.Errorf("%s: %s value %v, NetworkX %v", name, r.ActorID, r.Value, wv)
				continue
			case wv != nil && !close(*r.Value, sign*(*wv)):
				t.Errorf("%s: %s value %v, NetworkX %v", name, r.ActorID, *r.Value, sign*(*wv))
			}
			compared[m]++
			if !r.Exact || r.Samples != 0 {
				t.Errorf("%s: %s exact %v samples %d", name, r.ActorID, r.Exact, r.Samples)
			}
			if k == 0 {
				continue
			}
			p := got.Rows[k-1]
			switch {
			case p.Value == nil && r.Value != nil:
				t.Errorf("%s: %s without a value before %s", name, p.ActorID, r.ActorID)
			case p.Value != nil && r.Value != nil && better(*r.Value, *p.Value):
				t.Errorf("%s: %s (%v) before %s (%v)", name, p.ActorID, *p.Value, r.ActorID, *r.Value)
			case p.Rank > r.Rank || p.Rank == r.Rank && (p.Value == nil) != (r.Value == nil):
				t.Errorf("%s: ranks %d then %d", name, p.Rank, r.Rank)
			}
		}
		if last := got.Rows[len(got.Rows)-1]; last.Value != nil {
			lv := sign * *vals[last.ActorID]
			for id, x := range vals {
				if !in[id] && x != nil && better(sign**x, lv) {
					t.Errorf("%s: %s (NetworkX %v) left out while %s (NetworkX %v) is in", name, id, sign**x, last.ActorID, lv)
				}
			}
		}
	}
	return compared
}

// checkTopTen compares the first ten brokers with the oracle's first ten
// by score desc, then id. Scores within the tolerance count as a tie, in
// either order: the oracle sums in another order than the Go side.
func checkTopTen(ctx context.Context, t *testing.T, a *kg.Analytics, raw map[string]float64) {
	got, err := a.Brokers(ctx, kg.BrokerQuery{First: 10})
	if err != nil {
		t.Errorf("top ten brokers: %v", err)
		return
	}
	ids := slices.Collect(maps.Keys(raw))
	slices.SortFunc(ids, func(x, y string) int {
		if c := cmp.Compare(raw[y], raw[x]); c != 0 {
			return c
		}
		return cmp.Compare(x, y)
	})
	want := ids[:min(10, len(ids))]
	var gotIDs []string
	for _, b := range got.Brokers {
		gotIDs = append(gotIDs, b.ActorID)
	}
	if len(gotIDs) != len(want) {
		t.Errorf("top ten brokers: %d, want %d", len(gotIDs), len(want))
		return
	}
	for i := range want {
		if gotIDs[i] != want[i] && !near(raw[gotIDs[i]], raw[want[i]]) {
			t.Errorf("top ten brokers differ at #%d\n  got    %v\n  oracle %v", i+1, gotIDs, want)
			return
		}
	}
}

func mapValues[K comparable, V any](m map[K]V) []V {
	var out []V
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func checkStats(ctx context.Context, t *testing.T, a *kg.Analytics, w statsA) {
	got, err := a.Stats(ctx, kg.ScopeAll)
	if err != nil {
		t.Fatalf("stats: %v", err)
	}
	ints := []struct {
		name      string
		got, want int
	}{
		{"actors", got.Actors, w.Actors}, {"collaboration edges", got.CollaborationEdges, w.Edges},
		{"components", got.Components, w.Components}, {"largest component", got.LargestComponent, w.Largest},
		{"projects", got.Projects, w.Projects}, {"cross-sector projects", got.CrossSectorProjects, w.CrossSector},
	}
	for i, c := range got.ProjectTypes {
		if i >= len(w.ProjectTypes) || c.Key != string(kg.ProjectTypes[i]) || c.Count != w.ProjectTypes[i] {
			t.Errorf("stats: project types %v, NetworkX %v (in %v order)", got.ProjectTypes, w.ProjectTypes, kg.ProjectTypes)
			break
		}
	}
	page, err := a.CrossSectorProjects(ctx, kg.MaxPageSize, "")
	if err != nil {
		t.Fatalf("cross-sector projects: %v", err)
	}
	var ids []string
	for _, p := range page.Projects {
		ids = append(ids, p.ProjectID)
	}
	if wantIDs := w.CrossSectorIDs[:min(len(w.CrossSectorIDs), kg.MaxPageSize)]; !slices.Equal(ids, wantIDs) || page.TotalCount != w.CrossSector {
		t.Errorf("cross-sector projects: %v (total %d), NetworkX %v (total %d)", ids, page.TotalCount, wantIDs, w.CrossSector)
	}
	for _, c := range ints {
		if c.got != c.want {
			t.Errorf("stats: %s %d, NetworkX %d", c.name, c.got, c.want)
		}
	}
	floats := []struct {
		name      string
		got, want float64
	}{
		{"density", got.Density, w.Density}, {"average degree", got.AverageDegree, w.AverageDegree},
		{"cross-sector share", got.CrossSectorShare, w.CrossSectorShare},
	}
	for _, c := range floats {
		if !near(c.got, c.want) {
			t.Errorf("stats: %s %v, NetworkX %v", c.name, c.got, c.want)
		}
	}
}

// summarize logs what the oracle's answers cover, so that a run shows the
// comparisons were not vacuous.
func summarize(t *testing.T, w answer) {
	var reachable, many, full, jacc, ranked, central, matched, inReach int
	for _, p := range w.Paths {
		if p.Length >= 0 {
			reachable++
		}
		if p.Count > 1 {
			many++
		}
		if p.First != nil && len(p.First) > 0 {
			full++
		}
	}
	for _, o := range w.Overlap {
		if o.Jaccard != nil && o.Jaccard.Overall > 0 {
			jacc++
		}
	}
	for _, s := range w.Similar {
		ranked += len(s.Ranking)
	}
	for _, m := range w.Match {
		for _, c := range m.Ranking {
			matched++
			if c.Distance != nil {
				inReach++
			}
		}
	}
	if w.Betweenness != nil {
		for _, v := range w.Betweenness.Raw {
			if v > 0 {
				central++
			}
		}
	}
	msg := fmt.Sprintf("oracle: %d path questions (%d reachable, %d with several shortest paths, %d with the full first-k list); "+
		"%d overlaps (%d with a positive overall Jaccard); %d similar actors ranked; %d need candidates (%d within maxHops)",
		len(w.Paths), reachable, many, full, len(w.Overlap), jacc, ranked, matched, inReach)
	if w.Betweenness != nil {
		msg += fmt.Sprintf("; %d actors with positive betweenness", central)
	}
	t.Log(msg)
}

package kg_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/samverkan/samverkan/internal/engine"
	"github.com/samverkan/samverkan/internal/kg"
)

// travGraph is a generated graph together with the plain lists the
// brute-force oracles of these tests read (never the store).
type travGraph struct {
	g      kg.Graph
	rels   []kg.Rel
	labels map[string]kg.Label
	ids    []string // every node id, sorted
	actors []string // sorted
}

// genTravGraph builds a random graph of every label and relationship type;
// density is the chance of each possible relationship.
func genTravGraph(rng *rand.Rand, nActors, nProjects, nNeeds, nComps int, density float64) travGraph {
	tg := travGraph{labels: map[string]kg.Label{}}
	byLabel := map[kg.Label][]string{}
	add := func(l kg.Label, prefix string, n int) {
		for i := range n {
			id := fmt.Sprintf("%s%02d", prefix, i)
			tg.labels[id] = l
			byLabel[l] = append(byLabel[l], id)
			m := kg.Meta{ID: id, Name: strings.ToUpper(id)}
			switch l {
			case kg.LabelActor:
				tg.g.Actors = append(tg.g.Actors, &kg.Actor{Meta: m, Kind: kg.KindCompany, Sector: kg.SectorPrivate})
			case kg.LabelProject:
				tg.g.Projects = append(tg.g.Projects, &kg.Project{Meta: m, Status: kg.ProjectActive})
			case kg.LabelNeed:
				tg.g.Needs = append(tg.g.Needs, &kg.Need{Meta: m, Status: kg.NeedOpen, Priority: 2})
			case kg.LabelCompetency:
				tg.g.Competencies = append(tg.g.Competencies, &kg.Competency{Meta: m, Category: kg.CategoryOther})
			}
		}
	}
	add(kg.LabelActor, "a", nActors)
	add(kg.LabelProject, "p", nProjects)
	add(kg.LabelNeed, "n", nNeeds)
	add(kg.LabelCompetency, "c", nComps)
	for _, t := range kg.RelTypes {
		fl, tl := t.Endpoints()
		for _, f := range byLabel[fl] {
			for _, to := range byLabel[tl] {
				if f == to || (t.Symmetric() && to < f) || rng.Float64() >= density {
					continue
				}
				if t == kg.RelPartOf && to > f {
					continue // PART_OF has no cycles: only towards lower ids
				}
				r := kg.Rel{Type: t, From: f, To: to}
				if t.Symmetric() && rng.IntN(2) == 0 {
					r.From, r.To = to, f // stored in the direction first given
				}
				switch t {
				case kg.RelParticipatesIn:
					r.Role = string(kg.ParticipationRoles[rng.IntN(len(kg.ParticipationRoles))])
				case kg.RelHasCompetency:
					r.Level = 1 + rng.IntN(5)
				case kg.RelRequires:
					r.Importance = 1 + rng.IntN(5)
				}
				tg.rels = append(tg.rels, r)
			}
		}
	}
	tg.g.Rels = tg.rels
	for id := range tg.labels {
		tg.ids = append(tg.ids, id)
	}
	slices.Sort(tg.ids)
	tg.actors = slices.Clone(byLabel[kg.LabelActor])
	return tg
}

func relOrderIndex(r kg.Rel) int { return slices.Index(kg.RelTypes, r.Type) }

func relCmp(a, b kg.Rel) int {
	if d := relOrderIndex(a) - relOrderIndex(b); d != 0 {
		return d
	}
	if c := strings.Compare(a.From, b.From); c != 0 {
		return c
	}
	return strings.Compare(a.To, b.To)
}

func stepString(r kg.Rel) string {
	return fmt.Sprintf("%s %s→%s %s%d%d", r.Type, r.From, r.To, r.Role, r.Level, r.Importance)
}

func fmtPath(p kg.Path) string {
	var parts []string
	for _, n := range p.Nodes {
		parts = append(parts, n.Base().ID)
	}
	s := strings.Join(parts, " ") + " |"
	for _, r := range p.Steps {
		s += " " + stepString(r)
	}
	return s
}

// oraclePaths enumerates every simple path with plain depth-first search
// (no pruning), then sorts and cuts: the definition, not the algorithm.
func oraclePaths(tg travGraph, q kg.PathQuery) []string {
	types := kg.RelTypesOf(q.Via)
	excluded := map[string]bool{}
	for _, id := range q.Exclude {
		excluded[id] = true
	}
	// best[u][v]: the first relationship joining u and v.
	best := map[string]map[string]kg.Rel{}
	put := func(u, v string, r kg.Rel) {
		if best[u] == nil {
			best[u] = map[string]kg.Rel{}
		}
		if b, ok := best[u][v]; !ok || relCmp(r, b) < 0 {
			best[u][v] = r
		}
	}
	for _, r := range tg.rels {
		if slices.Contains(types, r.Type) {
			put(r.From, r.To, r)
			put(r.To, r.From, r)
		}
	}
	type found struct {
		nodes []string
		s     string
	}
	var all []found
	path := []string{q.From}
	var steps []kg.Rel
	var dfs func(u string)
	dfs = func(u string) {
		if u == q.To {
			s := strings.Join(path, " ") + " |"
			for _, r := range steps {
				s += " " + stepString(r)
			}
			all = append(all, found{slices.Clone(path), s})
			return
		}
		if len(steps) == q.MaxHops {
			return
		}
		for v, r := range best[u] {
			if excluded[v] || slices.Contains(path, v) {
				continue
			}
			path = append(path, v)
			steps = append(steps, r)
			dfs(v)
			path = path[:len(path)-1]
			steps = steps[:len(steps)-1]
		}
	}
	dfs(q.From)
	slices.SortFunc(all, func(a, b found) int {
		if d := len(a.nodes) - len(b.nodes); d != 0 {
			return d
		}
		return slices.Compare(a.nodes, b.nodes)
	})
	out := []string{}
	for i := 0; i < len(all) && i < q.K; i++ {
		out = append(out, all[i].s)
	}
	return out
}

func randomVia(rng *rand.Rand) []kg.Via {
	var via []kg.Via
	for _, v := range kg.Vias {
		if rng.IntN(2) == 0 {
			via = append(via, v)
		}
	}
	return via // may be empty: the default groups
}

// TestPathsAgainstOracle compares Paths with the brute-force definition on
// random graphs, queries, via groups and exclusions.
func TestPathsAgainstOracle(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for g := range 12 {
		tg := genTravGraph(rng, 8, 3, 2, 3, 0.12+0.03*float64(g%4))
		s := openAnalyticsStore(t, tg.g)
		an := kg.NewAnalytics(s)
		for range 40 {
			from := tg.ids[rng.IntN(len(tg.ids))]
			to := tg.ids[rng.IntN(len(tg.ids))]
			if from == to {
				continue
			}
			q := kg.PathQuery{From: from, To: to, K: 1 + rng.IntN(kg.MaxPathK), MaxHops: 1 + rng.IntN(kg.MaxPathMaxHops), Via: randomVia(rng)}
			for range rng.IntN(3) {
				if x := tg.ids[rng.IntN(len(tg.ids))]; x != from && x != to {
					q.Exclude = append(q.Exclude, x)
				}
			}
			got, err := an.Paths(t.Context(), q)
			if err != nil {
				t.Fatalf("graph %d: Paths(%+v): %v", g, q, err)
			}
			gs := []string{}
			for _, p := range got {
				gs = append(gs, fmtPath(p))
			}
			if want := oraclePaths(tg, q); !slices.Equal(gs, want) {
				t.Fatalf("graph %d: Paths(%+v)\n got  %q\n want %q", g, q, gs, want)
			}
		}
	}
}

func TestPathSummary(t *testing.T) {
	kb := &kg.Actor{Meta: kg.Meta{ID: "kunnskapsbyen", Name: "Kunnskapsbyen Lillestrøm"}}
	ks := &kg.Actor{Meta: kg.Meta{ID: "karlstad", Name: "Karlstads kommun"}}
	difi := &kg.Actor{Meta: kg.Meta{ID: "difi", Name: "Difi"}}
	sol := &kg.Project{Meta: kg.Meta{ID: "sol", Name: "SOL"}}
	need := &kg.Need{Meta: kg.Meta{ID: "larm", Name: "Trygghetslarm"}}
	comp := &kg.Competency{Meta: kg.Meta{ID: "design", Name: "Tjenestedesign"}}
	noName := &kg.Actor{Meta: kg.Meta{ID: "x-1"}}
	part := func(a, p string, role kg.ParticipationRole) kg.Rel {
		return kg.Rel{Type: kg.RelParticipatesIn, From: a, To: p, Role: string(role)}
	}
	cases := []struct {
		name  string
		nodes []kg.Node
		steps []kg.Rel
		want  string
	}{
		{"into a project and out again", []kg.Node{kb, sol, ks},
			[]kg.Rel{part("kunnskapsbyen", "sol", kg.RolePartner), part("karlstad", "sol", kg.RoleLead)},
			"Kunnskapsbyen Lillestrøm — partner in SOL — with lead Karlstads kommun"},
		{"funder and advisor", []kg.Node{difi, sol, kb},
			[]kg.Rel{part("difi", "sol", kg.RoleFunder), part("kunnskapsbyen", "sol", kg.RoleAdvisor)},
			"Difi — funder of SOL — with advisor Kunnskapsbyen Lillestrøm"},
		{"advisor forward, participant backward", []kg.Node{kb, sol, ks},
			[]kg.Rel{part("kunnskapsbyen", "sol", kg.RoleAdvisor), part("karlstad", "sol", kg.RoleParticipant)},
			"Kunnskapsbyen Lillestrøm — advisor to SOL — with participant Karlstads kommun"},
		{"membership both ways and partnership", []kg.Node{ks, kb, difi, noName},
			[]kg.Rel{{Type: kg.RelMemberOf, From: "karlstad", To: "kunnskapsbyen"},
				{Type: kg.RelMemberOf, From: "difi", To: "kunnskapsbyen"},
				{Type: kg.RelPartnersWith, From: "x-1", To: "difi"}},
			"Karlstads kommun — member of Kunnskapsbyen Lillestrøm — with member Difi — partner of x-1"},
		{"need chain forward", []kg.Node{ks, need, comp},
			[]kg.Rel{{Type: kg.RelHasNeed, From: "karlstad", To: "larm"}, {Type: kg.RelRequires, From: "larm", To: "design", Importance: 4}},
			"Karlstads kommun — has need Trygghetslarm — requires Tjenestedesign"},
		{"need chain backward", []kg.Node{comp, need, sol, kb},
			[]kg.Rel{{Type: kg.RelRequires, From: "larm", To: "design"}, {Type: kg.RelAddresses, From: "sol", To: "larm"},
				part("kunnskapsbyen", "sol", kg.RoleLead)},
			"Tjenestedesign — required by Trygghetslarm — addressed by SOL — with lead Kunnskapsbyen Lillestrøm"},
		{"competency both ways", []kg.Node{kb, comp, ks},
			[]kg.Rel{{Type: kg.RelHasCompetency, From: "kunnskapsbyen", To: "design", Level: 4},
				{Type: kg.RelHasCompetency, From: "karlstad", To: "design", Level: 2}},
			"Kunnskapsbyen Lillestrøm — has competency Tjenestedesign — held by Karlstads kommun"},
		{"project addresses a need of an actor", []kg.Node{sol, need, ks},
			[]kg.Rel{{Type: kg.RelAddresses, From: "sol", To: "larm"}, {Type: kg.RelHasNeed, From: "karlstad", To: "larm"}},
			"SOL — addresses Trygghetslarm — need of Karlstads kommun"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := kg.Path{Nodes: c.nodes, Steps: c.steps}
			if got := p.Summary(); got != c.want {
				t.Errorf("Summary() = %q, want %q", got, c.want)
			}
		})
	}
}

// travSpyStore records what the analytics ask of the store.
type travSpyStore struct {
	kg.Store
	mu         sync.Mutex
	getNodes   int
	topologies int
	getRels    int
	onTopology func()
}

func newTravSpyStore(s kg.Store) *travSpyStore {
	return &travSpyStore{Store: s}
}

func (c *travSpyStore) GetNodes(ctx context.Context, ids []string) ([]kg.Node, error) {
	c.mu.Lock()
	c.getNodes++
	c.mu.Unlock()
	return c.Store.GetNodes(ctx, ids)
}

func (c *travSpyStore) GetRels(ctx context.Context, keys []kg.RelKey) ([]*kg.Rel, error) {
	c.mu.Lock()
	c.getRels++
	c.mu.Unlock()
	return c.Store.GetRels(ctx, keys)
}

func (c *travSpyStore) Topology(ctx context.Context) (*engine.Snapshot, error) {
	c.mu.Lock()
	c.topologies++
	f := c.onTopology
	c.mu.Unlock()
	snap, err := c.Store.Topology(ctx)
	if f != nil {
		f()
	}
	return snap, err
}

// chainGraph is x00 – x01 – … – x(n-1), joined by PARTNERS_WITH.
func chainGraph(n int) kg.Graph {
	var g kg.Graph
	for i := range n {
		g.Actors = append(g.Actors, &kg.Actor{Meta: kg.Meta{ID: fmt.Sprintf("x%02d", i), Name: fmt.Sprintf("X%d", i)},
			Kind: kg.KindCompany, Sector: kg.SectorPrivate})
		if i > 0 {
			g.Rels = append(g.Rels, kg.Rel{Type: kg.RelPartnersWith, From: fmt.Sprintf("x%02d", i-1), To: fmt.Sprintf("x%02d", i)})
		}
	}
	return g
}

// TestPathsLoadsLittle checks that a path answer costs three store calls:
// the topology, then the paths' nodes and their relationships, each in
// one batch.
func TestPathsLoadsLittle(t *testing.T) {
	cs := newTravSpyStore(openAnalyticsStore(t, chainGraph(20)))
	an := kg.NewAnalytics(cs)
	got, err := an.Paths(t.Context(), kg.PathQuery{From: "x05", To: "x07", K: 1, MaxHops: 8})
	if err != nil {
		t.Fatal(err)
	}
	const want = "x05 x06 x07 | PARTNERS_WITH x05→x06 00 PARTNERS_WITH x06→x07 00"
	if len(got) != 1 || fmtPath(got[0]) != want {
		t.Errorf("got %d paths %v, want only %s", len(got), got, want)
	}
	if cs.topologies != 1 || cs.getNodes != 1 || cs.getRels != 1 {
		t.Errorf("store calls: %d Topology, %d GetNodes, %d GetRels; want one each", cs.topologies, cs.getNodes, cs.getRels)
	}
}

func TestAnalyticsTraversalsTimeOut(t *testing.T) {
	tg := genTravGraph(rand.New(rand.NewPCG(1, 2)), 8, 3, 2, 3, 0.3)
	cs := newTravSpyStore(openAnalyticsStore(t, tg.g))
	an := kg.NewAnalytics(cs)
	calls := []struct {
		name string
		run  func(context.Context) error
	}{
		{"paths", func(ctx context.Context) error {
			_, err := an.Paths(ctx, kg.PathQuery{From: "a00", To: "a07", K: 10, MaxHops: 8})
			return err
		}},
		{"neighbourhood", func(ctx context.Context) error {
			_, err := an.Neighbourhood(ctx, kg.NeighbourhoodQuery{ID: "a00", Depth: 3, Limit: 100})
			return err
		}},
		{"overlap", func(ctx context.Context) error {
			_, err := an.Overlap(ctx, []string{"a00", "a01", "a02"})
			return err
		}},
		{"similar", func(ctx context.Context) error {
			_, err := an.Similar(ctx, kg.SimilarQuery{ID: "a00", First: 10})
			return err
		}},
	}
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			// The deadline passes during the traversal, after the
			// arguments were checked against the store.
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			cs.onTopology = cancel
			err := c.run(ctx)
			if !errors.Is(err, kg.ErrTimeout) {
				t.Errorf("err = %v, want ErrTimeout", err)
			}
		})
	}
}

package kg_test

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
	"github.com/samverkan/samverkan/internal/store/teststore"
)

// openAnalyticsStore returns a fresh store of this run's kind (see
// teststore) holding g.
func openAnalyticsStore(t *testing.T, g kg.Graph) kg.Store {
	t.Helper()
	s := teststore.Open(t)
	if len(g.Nodes()) > 0 {
		if _, err := s.Import(t.Context(), g); err != nil {
			t.Fatalf("Import: %v", err)
		}
	}
	return s
}

func mActor(id string, kind kg.ActorKind, sector kg.Sector) *kg.Actor {
	return &kg.Actor{Meta: kg.Meta{ID: id, Name: strings.ToUpper(id)}, Kind: kind, Sector: sector}
}

func mProject(id string) *kg.Project {
	return &kg.Project{Meta: kg.Meta{ID: id, Name: strings.ToUpper(id)}, Status: kg.ProjectActive}
}

func mNeed(id string) *kg.Need {
	return &kg.Need{Meta: kg.Meta{ID: id, Name: strings.ToUpper(id)}, Status: kg.NeedOpen, Priority: 3}
}

func mCompetency(id string) *kg.Competency {
	return &kg.Competency{Meta: kg.Meta{ID: id, Name: strings.ToUpper(id)}, Category: kg.CategoryOther}
}

func mRel(t kg.RelType, from, to string) kg.Rel {
	r := kg.Rel{Type: t, From: from, To: to}
	switch t {
	case kg.RelParticipatesIn:
		r.Role = string(kg.RolePartner)
	case kg.RelHasCompetency:
		r.Level = 3
	case kg.RelRequires:
		r.Importance = 3
	}
	return r
}

func fmtMatch(m kg.Match) string {
	d := "-"
	if m.Distance != nil {
		d = fmt.Sprint(*m.Distance)
	}
	var cov, miss []string
	for _, c := range m.Covered {
		cov = append(cov, fmt.Sprintf("%s:%d@%d", c.CompetencyID, c.Importance, c.Level))
	}
	for _, c := range m.Missing {
		miss = append(miss, fmt.Sprintf("%s:%d", c.CompetencyID, c.Importance))
	}
	return fmt.Sprintf("%s %.9f d=%s ls=%d [%s] [%s]", m.ActorID, m.Coverage, d, m.LevelSum, strings.Join(cov, " "), strings.Join(miss, " "))
}

// A candidate's distance is to the nearest of several owners, over the
// default via only: a path through the need itself does not count.
func TestMatchNeedNearestOwnerDefaultVia(t *testing.T) {
	g := kg.Graph{
		Actors: []*kg.Actor{
			mActor("o1", kg.KindMunicipality, kg.SectorPublic), mActor("o2", kg.KindRegion, kg.SectorPublic),
			mActor("x", kg.KindCompany, kg.SectorPrivate), mActor("m1", kg.KindCompany, kg.SectorPrivate),
			mActor("m2", kg.KindCompany, kg.SectorPrivate), mActor("y", kg.KindCompany, kg.SectorPrivate),
		},
		Projects:     []*kg.Project{mProject("p")},
		Needs:        []*kg.Need{mNeed("n")},
		Competencies: []*kg.Competency{mCompetency("c")},
		Rels: []kg.Rel{
			mRel(kg.RelHasNeed, "o1", "n"), mRel(kg.RelHasNeed, "o2", "n"), mRel(kg.RelRequires, "n", "c"),
			// x is three hops from o1 (o1–m1–m2–x) but one from o2.
			mRel(kg.RelPartnersWith, "o1", "m1"), mRel(kg.RelPartnersWith, "m1", "m2"), mRel(kg.RelPartnersWith, "m2", "x"),
			mRel(kg.RelMemberOf, "x", "o2"),
			// y's project addresses the need, but ADDRESSES is not in the
			// default via: y has no distance.
			mRel(kg.RelParticipatesIn, "y", "p"), mRel(kg.RelAddresses, "p", "n"),
			mRel(kg.RelHasCompetency, "x", "c"), mRel(kg.RelHasCompetency, "y", "c"),
			// Both owners hold the competency; neither is a candidate.
			mRel(kg.RelHasCompetency, "o1", "c"), mRel(kg.RelHasCompetency, "o2", "c"),
		},
	}
	a := kg.NewAnalytics(openAnalyticsStore(t, g))
	got, err := a.MatchNeed(t.Context(), kg.MatchQuery{NeedID: "n", First: 10, MaxHops: 8, MinLevel: 1})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, m := range got {
		lines = append(lines, fmtMatch(m))
	}
	want := []string{"x 1.000000000 d=1 ls=3 [c:3@3] []", "y 1.000000000 d=- ls=3 [c:3@3] []"}
	if !slices.Equal(lines, want) {
		t.Errorf("got %q, want %q", lines, want)
	}
}

// randomNeedGraph is a random ecosystem with needs, for comparing matching
// against a direct reading of the definition.
func randomNeedGraph(rng *rand.Rand) kg.Graph {
	var g kg.Graph
	nA, nP, nC, nN := 8+rng.IntN(25), 1+rng.IntN(6), 1+rng.IntN(5), 1+rng.IntN(3)
	for i := range nA {
		g.Actors = append(g.Actors, mActor(fmt.Sprintf("a%02d", i), kg.KindCompany, kg.SectorPrivate))
	}
	for i := range nP {
		g.Projects = append(g.Projects, mProject(fmt.Sprintf("p%d", i)))
	}
	for i := range nC {
		g.Competencies = append(g.Competencies, mCompetency(fmt.Sprintf("c%d", i)))
	}
	for i := range nN {
		g.Needs = append(g.Needs, mNeed(fmt.Sprintf("n%d", i)))
	}
	seen := map[kg.RelKey]bool{}
	add := func(r kg.Rel) {
		if r.From == r.To || seen[r.Key()] {
			return
		}
		seen[r.Key()] = true
		g.Rels = append(g.Rels, r)
	}
	aid := func() string { return g.Actors[rng.IntN(nA)].ID }
	for range rng.IntN(2 * nA) {
		add(mRel(kg.RelParticipatesIn, aid(), g.Projects[rng.IntN(nP)].ID))
	}
	for range rng.IntN(nA) {
		add(mRel(kg.RelPartnersWith, aid(), aid()))
	}
	for range rng.IntN(nA) {
		add(mRel(kg.RelMemberOf, aid(), aid()))
	}
	for range rng.IntN(3 * nA) {
		r := mRel(kg.RelHasCompetency, aid(), g.Competencies[rng.IntN(nC)].ID)
		r.Level = 1 + rng.IntN(5)
		add(r)
	}
	for _, n := range g.Needs {
		for range rng.IntN(3) {
			add(mRel(kg.RelHasNeed, aid(), n.ID))
		}
		for range rng.IntN(nC + 1) {
			r := mRel(kg.RelRequires, n.ID, g.Competencies[rng.IntN(nC)].ID)
			r.Importance = 1 + rng.IntN(5)
			add(r)
		}
	}
	return g
}

// oracleMatches reads the definition of DESIGN.md §2 directly off the
// relationship list: plain BFS over the whole default-via graph, no
// expansion, no early stop.
func oracleMatches(g kg.Graph, needID string, maxHops, minLevel int) []string {
	adj := map[string][]string{}
	req := map[string]int{}
	total := 0
	owner := map[string]bool{}
	var owners []string
	levels := map[string]map[string]int{}
	for _, r := range g.Rels {
		switch r.Type {
		case kg.RelParticipatesIn, kg.RelMemberOf, kg.RelPartnersWith:
			adj[r.From] = append(adj[r.From], r.To)
			adj[r.To] = append(adj[r.To], r.From)
		case kg.RelRequires:
			if r.From == needID {
				req[r.To] = r.Importance
				total += r.Importance
			}
		case kg.RelHasNeed:
			if r.To == needID {
				owner[r.From] = true
				owners = append(owners, r.From)
			}
		case kg.RelHasCompetency:
			if levels[r.From] == nil {
				levels[r.From] = map[string]int{}
			}
			levels[r.From][r.To] = r.Level
		}
	}
	dist := map[string]int{}
	queue := []string{}
	for _, o := range owners {
		dist[o] = 0
		queue = append(queue, o)
	}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for _, w := range adj[v] {
			if _, ok := dist[w]; !ok {
				dist[w] = dist[v] + 1
				queue = append(queue, w)
			}
		}
	}
	comps := make([]string, 0, len(req))
	for c := range req {
		comps = append(comps, c)
	}
	slices.Sort(comps)
	type cand struct {
		m       kg.Match
		covered int
	}
	var cands []cand
	for _, ac := range g.Actors {
		if owner[ac.ID] {
			continue
		}
		c := cand{m: kg.Match{ActorID: ac.ID}}
		for _, comp := range comps {
			if l, ok := levels[ac.ID][comp]; ok && l >= minLevel {
				c.covered += req[comp]
				c.m.LevelSum += l
				c.m.Covered = append(c.m.Covered, kg.CoveredCompetency{CompetencyID: comp, Importance: req[comp], Level: l})
			} else {
				c.m.Missing = append(c.m.Missing, kg.RequiredCompetency{CompetencyID: comp, Importance: req[comp]})
			}
		}
		if c.covered == 0 {
			continue
		}
		c.m.Coverage = float64(c.covered) / float64(total)
		if d, ok := dist[ac.ID]; ok && d <= maxHops {
			c.m.Distance = &d
		}
		cands = append(cands, c)
	}
	slices.SortFunc(cands, func(x, y cand) int {
		dx, dy := 1<<30, 1<<30
		if x.m.Distance != nil {
			dx = *x.m.Distance
		}
		if y.m.Distance != nil {
			dy = *y.m.Distance
		}
		return cmp.Or(cmp.Compare(y.covered, x.covered), cmp.Compare(dx, dy), cmp.Compare(y.m.LevelSum, x.m.LevelSum),
			cmp.Compare(x.m.ActorID, y.m.ActorID))
	})
	out := []string{}
	for _, c := range cands {
		out = append(out, fmtMatch(c.m))
	}
	return out
}

func TestMatchNeedAgainstDefinition(t *testing.T) {
	for seed := range uint64(25) {
		rng := rand.New(rand.NewPCG(seed, 7))
		g := randomNeedGraph(rng)
		a := kg.NewAnalytics(openAnalyticsStore(t, g))
		for _, n := range g.Needs {
			for _, q := range []kg.MatchQuery{
				{NeedID: n.ID, First: 100, MaxHops: 4, MinLevel: 1},
				{NeedID: n.ID, First: 100, MaxHops: 1, MinLevel: 3},
				{NeedID: n.ID, First: 100, MaxHops: 8, MinLevel: 2},
			} {
				got, err := a.MatchNeed(t.Context(), q)
				if err != nil {
					t.Fatalf("seed %d %+v: %v", seed, q, err)
				}
				lines := []string{}
				for _, m := range got {
					lines = append(lines, fmtMatch(m))
				}
				if want := oracleMatches(g, n.ID, q.MaxHops, q.MinLevel); !slices.Equal(lines, want) {
					t.Errorf("seed %d %+v:\n got %s\nwant %s", seed, q, strings.Join(lines, "\n     "), strings.Join(want, "\n     "))
				}
			}
		}
	}
}

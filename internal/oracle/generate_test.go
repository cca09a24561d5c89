package oracle

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

// ecosystem is a generated graph with the facts about it that the tests
// use to pick interesting questions.
type ecosystem struct {
	seed     uint64
	graph    kg.Graph
	isolated []string   // actors with no relationship at all
	island   []string   // actors that only know each other: a second component
	parallel [][]string // actor pairs joined by more than one relationship
	ownNeeds []string   // needs that an organisation and its own person could cover together
}

// Ids are not zero-padded, so that their order ("act-10" < "act-9") differs
// from the order they were generated in, and ordering bugs show.
func actorID(i int) string      { return fmt.Sprintf("act-%d", i) }
func projectID(i int) string    { return fmt.Sprintf("prj-%d", i) }
func competencyID(i int) string { return fmt.Sprintf("cmp-%d", i) }
func needID(i int) string       { return fmt.Sprintf("need-%d", i) }

// generate builds a random ecosystem of n actors (n ≥ 20) from seed. The
// same (seed, n) always gives the same graph. Actors live in communities
// and mostly work within them, with a few hub actors per community, so that
// betweenness has clear brokers as well as many ties at zero; some actors
// are isolated and a small island forms its own component.
func generate(seed uint64, n int) ecosystem {
	r := rand.New(rand.NewPCG(seed, 0x5a3e_7a11))
	e := ecosystem{seed: seed}
	g := &e.graph
	rels := map[kg.RelKey]bool{}
	add := func(rel kg.Rel) bool {
		k := rel.Key()
		if rel.From == rel.To || rels[k] {
			return false
		}
		rels[k] = true
		g.Rels = append(g.Rels, rel)
		return true
	}

	kinds := kg.ActorKinds
	countries := []string{"SE", "NO", "DK", "FI", "IS", ""}
	for i := 0; i < n; i++ {
		k := kinds[r.IntN(len(kinds))]
		var s kg.Sector
		switch k {
		case kg.KindMunicipality, kg.KindRegion, kg.KindStateAgency:
			s = kg.SectorPublic
		case kg.KindCompany:
			s = kg.SectorPrivate
		case kg.KindResearch:
			s = kg.SectorAcademic
		case kg.KindNGO:
			s = kg.SectorCivil
		default:
			s = kg.Sectors[r.IntN(len(kg.Sectors))]
		}
		g.Actors = append(g.Actors, &kg.Actor{
			Meta: kg.Meta{ID: actorID(i), Name: fmt.Sprintf("Actor %d", i)},
			Kind: k, Sector: s, Country: countries[r.IntN(len(countries))],
		})
	}

	// The last few actors are isolated, the four before them the island;
	// everyone else is active and belongs to one community.
	nIsolated := max(2, n/40)
	island := n - nIsolated - 4
	for i := island + 4; i < n; i++ {
		e.isolated = append(e.isolated, actorID(i))
	}
	for i := island; i < island+4; i++ {
		e.island = append(e.island, actorID(i))
	}
	active := island
	nComm := max(2, active/60)
	community := make([][]int, nComm)
	for i := 0; i < active; i++ {
		community[i%nComm] = append(community[i%nComm], i)
	}
	// Hubs: the first members of each community take part far more often.
	pick := func(c int) int {
		m := community[c]
		if r.IntN(10) < 3 {
			return m[r.IntN(min(3, len(m)))]
		}
		if r.IntN(100) < 12 {
			return r.IntN(active)
		}
		return m[r.IntN(len(m))]
	}

	roles := kg.ParticipationRoles
	statuses := kg.ProjectStatuses
	nProjects := max(4, n/3)
	for p := 0; p < nProjects; p++ {
		g.Projects = append(g.Projects, &kg.Project{
			Meta:   kg.Meta{ID: projectID(p), Name: fmt.Sprintf("Project %d", p)},
			Status: statuses[r.IntN(len(statuses))],
		})
		c := r.IntN(nComm)
		size := 2 + r.IntN(5)
		for added := 0; added < size; {
			rel := kg.Rel{Type: kg.RelParticipatesIn, From: actorID(pick(c)), To: projectID(p),
				Role: string(roles[r.IntN(len(roles))])}
			if add(rel) {
				added++
			}
		}
	}
	// The island's own project, partnership and membership.
	ip := len(g.Projects)
	g.Projects = append(g.Projects, &kg.Project{Meta: kg.Meta{ID: projectID(ip), Name: "Island project"},
		Status: kg.ProjectActive})
	for _, id := range e.island[:3] {
		add(kg.Rel{Type: kg.RelParticipatesIn, From: id, To: projectID(ip), Role: string(kg.RolePartner)})
	}
	add(kg.Rel{Type: kg.RelPartnersWith, From: e.island[3], To: e.island[0]})
	add(kg.Rel{Type: kg.RelMemberOf, From: e.island[2], To: e.island[3]})

	for i := 0; i < max(3, n/6); i++ {
		c := r.IntN(nComm)
		add(kg.Rel{Type: kg.RelMemberOf, From: actorID(pick(c)), To: actorID(pick(c)), Role: "member"})
		c = r.IntN(nComm)
		add(kg.Rel{Type: kg.RelPartnersWith, From: actorID(pick(c)), To: actorID(pick(c))})
	}
	// Units of organisations (PART_OF towards a lower index: never a
	// cycle), projects in programmes, and suppliers (not collaboration).
	for i := 0; i < max(3, n/20); i++ {
		if x, y := r.IntN(active), r.IntN(active); x > y {
			add(kg.Rel{Type: kg.RelPartOf, From: actorID(x), To: actorID(y)})
		}
		if p, q := r.IntN(nProjects), r.IntN(nProjects); p > q {
			add(kg.Rel{Type: kg.RelPartOf, From: projectID(p), To: projectID(q)})
		}
		if x, y := r.IntN(active), r.IntN(active); x != y {
			add(kg.Rel{Type: kg.RelSupplies, From: actorID(x), To: actorID(y)})
		}
	}
	// Pairs joined three times over (membership both ways and a
	// partnership): still one path between them, and one collaborator pair.
	for i := 0; i < max(2, n/100); i++ {
		a, b := actorID(r.IntN(active)), actorID(r.IntN(active))
		if a == b {
			continue
		}
		add(kg.Rel{Type: kg.RelMemberOf, From: a, To: b})
		add(kg.Rel{Type: kg.RelMemberOf, From: b, To: a})
		add(kg.Rel{Type: kg.RelPartnersWith, From: b, To: a})
		e.parallel = append(e.parallel, []string{a, b})
	}

	// Competencies: a few popular ones and a long tail.
	nComp := 8 + n/25
	cats := kg.CompetencyCategories
	for c := 0; c < nComp; c++ {
		g.Competencies = append(g.Competencies, &kg.Competency{
			Meta:     kg.Meta{ID: competencyID(c), Name: fmt.Sprintf("Competency %d", c)},
			Category: cats[r.IntN(len(cats))],
		})
	}
	popular := func() string {
		u := r.Float64()
		return competencyID(int(float64(nComp) * u * u))
	}
	for i := 0; i < island+4; i++ {
		for j := r.IntN(5); j > 0; j-- {
			add(kg.Rel{Type: kg.RelHasCompetency, From: actorID(i), To: popular(), Level: 1 + r.IntN(5)})
		}
	}

	// Needs: owned by one or two actors, requiring one to four competencies,
	// some addressed by projects.
	nNeeds := max(3, n/12)
	for k := 0; k < nNeeds; k++ {
		g.Needs = append(g.Needs, &kg.Need{
			Meta:   kg.Meta{ID: needID(k), Name: fmt.Sprintf("Need %d", k)},
			Status: kg.NeedStatuses[r.IntN(len(kg.NeedStatuses))], Priority: 1 + r.IntN(5),
		})
		for j := 1 + r.IntN(2); j > 0; j-- {
			add(kg.Rel{Type: kg.RelHasNeed, From: actorID(r.IntN(active)), To: needID(k)})
		}
		for j := 1 + r.IntN(4); j > 0; j-- {
			add(kg.Rel{Type: kg.RelRequires, From: needID(k), To: popular(), Importance: 1 + r.IntN(5)})
		}
		if r.IntN(2) == 0 {
			add(kg.Rel{Type: kg.RelAddresses, From: projectID(r.IntN(nProjects)), To: needID(k)})
		}
	}

	// Needs that an organisation and one of its people could cover
	// together, the organisation the larger part: a consortium then meets
	// its own people (DESIGN.md §2.1: never chosen together).
	kind := map[string]kg.ActorKind{}
	for _, a := range g.Actors {
		kind[a.ID] = a.Kind
	}
	for _, m := range slices.Clone(g.Rels) {
		if len(e.ownNeeds) == 6 {
			break
		}
		if m.Type != kg.RelMemberOf || kind[m.From] != kg.KindPerson || kind[m.To] == kg.KindPerson {
			continue
		}
		k := len(g.Needs)
		g.Needs = append(g.Needs, &kg.Need{Meta: kg.Meta{ID: needID(k), Name: fmt.Sprintf("Need %d", k)}, Status: kg.NeedOpen, Priority: 3})
		// Competencies of their own, so that each is the one holder.
		org, own := competencyID(len(g.Competencies)), competencyID(len(g.Competencies)+1)
		for _, c := range []string{org, own} {
			g.Competencies = append(g.Competencies, &kg.Competency{Meta: kg.Meta{ID: c, Name: "Competency " + c}, Category: cats[0]})
		}
		add(kg.Rel{Type: kg.RelHasNeed, From: actorID(r.IntN(active)), To: needID(k)})
		add(kg.Rel{Type: kg.RelRequires, From: needID(k), To: org, Importance: 5})
		add(kg.Rel{Type: kg.RelRequires, From: needID(k), To: own, Importance: 3})
		add(kg.Rel{Type: kg.RelHasCompetency, From: m.To, To: org, Level: 5})
		add(kg.Rel{Type: kg.RelHasCompetency, From: m.From, To: own, Level: 5})
		e.ownNeeds = append(e.ownNeeds, needID(k))
	}
	return e
}

// allIDs returns every node id of g.
func allIDs(g kg.Graph) []string {
	var ids []string
	for _, n := range g.Nodes() {
		ids = append(ids, n.Base().ID)
	}
	return ids
}

func TestGenerateIsDeterministic(t *testing.T) {
	a, b := generate(7, 300), generate(7, 300)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("generate(7, 300) gave two different graphs")
	}
	c := generate(8, 300)
	if reflect.DeepEqual(a.graph.Rels, c.graph.Rels) {
		t.Fatal("seeds 7 and 8 gave the same relationships")
	}
}

// TestGenerateShape checks that the generated graphs have what the oracle
// tests rely on: valid input, every relationship type, isolated actors, an
// island, parallel relationships and projects of 2–6 participants.
func TestGenerateShape(t *testing.T) {
	for _, tc := range []struct {
		seed uint64
		n    int
	}{{1, 50}, {2, 200}, {4, 2000}} {
		t.Run(fmt.Sprintf("seed%d_n%d", tc.seed, tc.n), func(t *testing.T) {
			e := generate(tc.seed, tc.n)
			g := e.graph
			if len(g.Actors) != tc.n {
				t.Fatalf("%d actors, want %d", len(g.Actors), tc.n)
			}
			ids := allIDs(g)
			seen := map[string]bool{}
			for _, n := range g.Nodes() {
				if err := kg.ValidateNode(n); err != nil {
					t.Fatalf("node %s: %v", n.Base().ID, err)
				}
				seen[n.Base().ID] = true
			}
			if len(seen) != len(ids) {
				t.Fatalf("%d distinct ids among %d nodes", len(seen), len(ids))
			}
			types := map[kg.RelType]int{}
			touched := map[string]bool{}
			participants := map[string]int{}
			keys := map[kg.RelKey]bool{}
			for _, r := range g.Rels {
				if err := kg.ValidateRel(r); err != nil {
					t.Fatalf("relationship %v: %v", r.Key(), err)
				}
				if !seen[r.From] || !seen[r.To] {
					t.Fatalf("relationship %v has an unknown endpoint", r.Key())
				}
				if keys[r.Key()] {
					t.Fatalf("relationship %v twice", r.Key())
				}
				keys[r.Key()] = true
				types[r.Type]++
				touched[r.From], touched[r.To] = true, true
				if r.Type == kg.RelParticipatesIn {
					participants[r.To]++
				}
			}
			for _, rt := range kg.RelTypes {
				if types[rt] == 0 {
					t.Errorf("no %s relationship", rt)
				}
			}
			for p, c := range participants {
				if c < 2 || c > 6 {
					t.Errorf("project %s has %d participants, want 2–6", p, c)
				}
			}
			if len(participants) != len(g.Projects) {
				t.Errorf("%d of %d projects have participants", len(participants), len(g.Projects))
			}
			if len(e.isolated) == 0 || len(e.island) != 4 || len(e.parallel) == 0 {
				t.Fatalf("isolated %v, island %v, parallel %v", e.isolated, e.island, e.parallel)
			}
			for _, id := range e.isolated {
				if touched[id] {
					t.Errorf("isolated actor %s has a relationship", id)
				}
			}
			for _, p := range e.parallel {
				a, b := p[0], p[1]
				for _, k := range []kg.RelKey{kg.KeyOf(kg.RelMemberOf, a, b), kg.KeyOf(kg.RelMemberOf, b, a),
					kg.KeyOf(kg.RelPartnersWith, a, b)} {
					if !keys[k] {
						t.Errorf("parallel pair %s–%s lacks %v", a, b, k)
					}
				}
			}
		})
	}
}

package seed

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/samverkan/samverkan/internal/kg"
)

func mustGraph(t *testing.T) kg.Graph {
	t.Helper()
	g, err := Graph()
	if err != nil {
		t.Fatalf("Graph: %v", err)
	}
	return g
}

func nodeByID(g kg.Graph) map[string]kg.Node {
	m := map[string]kg.Node{}
	for _, n := range g.Nodes() {
		m[n.Base().ID] = n
	}
	return m
}

// participants maps a project id to the actors taking part in it.
func participants(g kg.Graph) map[string][]string {
	m := map[string][]string{}
	for _, r := range g.Rels {
		if r.Type == kg.RelParticipatesIn {
			m[r.To] = append(m[r.To], r.From)
		}
	}
	return m
}

// hops returns the breadth-first distance from one node to every node it
// reaches over relationships of the given types, ignoring direction.
func hops(g kg.Graph, from string, types ...kg.RelType) map[string]int {
	adj := map[string][]string{}
	for _, r := range g.Rels {
		if slices.Contains(types, r.Type) {
			adj[r.From] = append(adj[r.From], r.To)
			adj[r.To] = append(adj[r.To], r.From)
		}
	}
	dist := map[string]int{from: 0}
	queue := []string{from}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, next := range adj[cur] {
			if _, seen := dist[next]; !seen {
				dist[next] = dist[cur] + 1
				queue = append(queue, next)
			}
		}
	}
	return dist
}

var defaultVia = []kg.RelType{kg.RelParticipatesIn, kg.RelMemberOf, kg.RelPartnersWith}

func TestDecodeIsStrict(t *testing.T) {
	tests := []struct {
		name string
		data string
		ok   bool
	}{
		{"valid", `{"actors":[{"id":"a","name":"A","kind":"COMPANY","sector":"PRIVATE"}]}`, true},
		{"unknown top-level field", `{"actor":[]}`, false},
		{"unknown node field", `{"actors":[{"id":"a","name":"A","kind":"COMPANY","sector":"PRIVATE","homepage":"x"}]}`, false},
		{"unknown relationship field", `{"relationships":[{"type":"HAS_NEED","from":"a","to":"b","weight":3}]}`, false},
		{"data after the object", `{"actors":[]} {"actors":[]}`, false},
		{"not json", `actors:`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decode([]byte(tc.data))
			if (err == nil) != tc.ok {
				t.Fatalf("decode(%s) error = %v, want ok=%v", tc.data, err, tc.ok)
			}
		})
	}
	mustGraph(t)
}

func TestGraphReturnsAFreshCopy(t *testing.T) {
	g := mustGraph(t)
	g.Actors[0].Name = "changed"
	if mustGraph(t).Actors[0].Name == "changed" {
		t.Fatal("a change to one Graph() result shows in the next")
	}
}

func TestDatasetPassesImportValidation(t *testing.T) {
	g := mustGraph(t)
	noneNode := func(string) kg.Node { return nil }
	noneRel := func(kg.RelKey) *kg.Rel { return nil }
	p, err := kg.PrepareImport(g, noneNode, noneRel, time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC))
	if err != nil {
		t.Fatalf("PrepareImport refuses the dataset: %v", err)
	}
	if p.Result.NodesCreated != len(g.Nodes()) || p.Result.RelsCreated != len(g.Rels) {
		t.Fatalf("PrepareImport result %+v, want %d nodes and %d relationships created",
			p.Result, len(g.Nodes()), len(g.Rels))
	}
	// The file is already in the normalized form a store keeps (trimmed text,
	// upper-case countries), so a re-import changes nothing.
	for i, n := range p.Nodes {
		n.Base().CreatedAt, n.Base().UpdatedAt = time.Time{}, time.Time{}
		if want := g.Nodes()[i]; !reflect.DeepEqual(n, want) {
			t.Errorf("node %s changes when normalized:\n got %+v\nwant %+v", want.Base().ID, n, want)
		}
	}
	for i, r := range p.Rels {
		r.CreatedAt, r.UpdatedAt = time.Time{}, time.Time{}
		if !reflect.DeepEqual(r, g.Rels[i]) {
			t.Errorf("relationship %d changes when normalized:\n got %+v\nwant %+v", i, r, g.Rels[i])
		}
	}
}

func TestDatasetSize(t *testing.T) {
	g := mustGraph(t)
	if n := len(g.Nodes()); n < 60 || n > 100 {
		t.Errorf("%d nodes, want 60–100", n)
	}
	if n := len(g.Rels); n < 120 || n > 250 {
		t.Errorf("%d relationships, want 120–250", n)
	}
	for label, n := range map[string]int{"actors": len(g.Actors), "projects": len(g.Projects),
		"needs": len(g.Needs), "competencies": len(g.Competencies)} {
		if n < 5 {
			t.Errorf("only %d %s", n, label)
		}
	}
}

func TestEverythingCitesAnArticle(t *testing.T) {
	g := mustGraph(t)
	citations := map[string]bool{}
	for _, a := range Articles() {
		citations[a.Citation] = true
	}
	check := func(what string, sources []string) {
		if len(sources) == 0 {
			t.Errorf("%s has no sources", what)
		}
		for _, s := range sources {
			if !citations[s] {
				t.Errorf("%s cites %q, which is not one of the article citations", what, s)
			}
		}
	}
	for _, n := range g.Nodes() {
		check("node "+n.Base().ID, n.Base().Sources)
	}
	for _, r := range g.Rels {
		check(string(r.Type)+" "+r.From+"→"+r.To, r.Sources)
	}
}

func TestEveryArticleIsCitedByANode(t *testing.T) {
	g := mustGraph(t)
	for _, a := range Articles() {
		cited := false
		for _, n := range g.Nodes() {
			cited = cited || slices.Contains(n.Base().Sources, a.Citation)
		}
		if !cited {
			t.Errorf("no node cites article %s", a.File)
		}
		if !strings.Contains(a.Citation, a.File) {
			t.Errorf("citation %q does not name its file %s", a.Citation, a.File)
		}
	}
}

func TestNamesAreDistinctWhenFolded(t *testing.T) {
	seen := map[string]string{}
	for _, n := range mustGraph(t).Nodes() {
		f := kg.Fold(n.Base().Name)
		if other, dup := seen[f]; dup {
			t.Errorf("%s and %s have the same folded name %q", other, n.Base().ID, f)
		}
		seen[f] = n.Base().ID
	}
}

func TestSearchFindsSeedNodes(t *testing.T) {
	nodes := nodeByID(mustGraph(t))
	if n := nodes["landstinget-i-varmland"]; n == nil || !strings.Contains(n.Base().Name, "Värmland") {
		t.Fatalf("landstinget-i-varmland missing or its name lacks Värmland: %v", n)
	}
	tests := []struct {
		text, id string
		min      int
	}{
		{"varmland", "landstinget-i-varmland", kg.TierNameWords},
		{"Värmland", "landstinget-i-varmland", kg.TierNameWords},
		{"SKL", "skl", kg.TierExact},
		{"Difi", "difi", kg.TierExact},
		{"doga", "doga", kg.TierExact},
		{"AHO", "aho", kg.TierExact},
		{"DOT", "dot", kg.TierExact},
		{"SLL", "sll", kg.TierExact},
		{"ndhc", "ndhc", kg.TierNameWords},
		{"sol", "sol", kg.TierNamePrefix},
		{"lillestrom", "kunnskapsbyen-lillestrom", kg.TierNameWords},
		{"goteborg", "goteborgs-stad", kg.TierNamePrefix},
		{"tjanstedesign", "tjenestedesign", kg.TierExact},
		{"service design", "tjenestedesign", kg.TierExact},
		{"upphandling", "anskaffelser", kg.TierExact},
		{"Offentliga Rummet", "offentliga-rummet-2017", kg.TierNamePrefix},
		{"misvaer", "kaja-misvaer-kistorp", kg.TierNameWords},
	}
	for _, tc := range tests {
		n := nodes[tc.id]
		if n == nil {
			t.Errorf("no node %s", tc.id)
			continue
		}
		if got := kg.ParseQuery(tc.text).Score(n); got < tc.min {
			t.Errorf("search %q scores %s at %d, want at least %d", tc.text, tc.id, got, tc.min)
		}
	}
}

func TestArticleFacts(t *testing.T) {
	g := mustGraph(t)
	nodes := nodeByID(g)
	parts := participants(g)
	takesPart := func(actor, project string) bool { return slices.Contains(parts[project], actor) }

	t.Run("Karlstads kommun and Landstinget i Värmland are partners in NDHC and SOL, Compare leads NDHC", func(t *testing.T) {
		for _, p := range []string{"ndhc", "sol"} {
			for _, a := range []string{"karlstads-kommun", "landstinget-i-varmland"} {
				if !takesPart(a, p) {
					t.Errorf("%s does not take part in %s", a, p)
				}
			}
		}
		if !takesPart("compare", "ndhc") {
			t.Error("compare does not take part in ndhc")
		}
	})
	t.Run("Difi partners with DOGA", func(t *testing.T) {
		found := slices.ContainsFunc(g.Rels, func(r kg.Rel) bool {
			return r.Key() == kg.KeyOf(kg.RelPartnersWith, "difi", "doga")
		})
		if !found {
			t.Error("no PARTNERS_WITH between difi and doga")
		}
	})
	t.Run("Karlstads kommun takes part in DigitalWell Arena's Innovationsforum", func(t *testing.T) {
		p, ok := nodes["innovationsforum"].(*kg.Project)
		if !ok || !strings.Contains(p.Name, "Innovationsforum") {
			t.Fatalf("innovationsforum is not a Project named Innovationsforum: %v", nodes["innovationsforum"])
		}
		for _, a := range []string{"digitalwell-arena", "karlstads-kommun"} {
			if !takesPart(a, "innovationsforum") {
				t.Errorf("%s does not take part in innovationsforum", a)
			}
		}
	})
	t.Run("Kunnskapsbyen Lillestrøm reaches Karlstads kommun through SOL", func(t *testing.T) {
		d, ok := hops(g, "kunnskapsbyen-lillestrom", defaultVia...)["karlstads-kommun"]
		if !ok || d != 2 {
			t.Errorf("distance Kunnskapsbyen Lillestrøm → Karlstads kommun = %d (reached %v), want 2", d, ok)
		}
	})
	t.Run("the Compare learning platform is planned", func(t *testing.T) {
		p, ok := nodes["compare-laeringsplattform"].(*kg.Project)
		if !ok || p.Status != kg.ProjectPlanned || !takesPart("compare", p.ID) {
			t.Errorf("compare-laeringsplattform = %+v, want a PLANNED project led by Compare", nodes["compare-laeringsplattform"])
		}
	})
}

// The need-matching rule of DESIGN.md §2, reduced to what this test needs:
// coverage of each candidate actor that is not an owner.
func coverage(g kg.Graph, needID string) map[string]float64 {
	owners := map[string]bool{}
	required := map[string]int{}
	total := 0
	for _, r := range g.Rels {
		switch {
		case r.Type == kg.RelHasNeed && r.To == needID:
			owners[r.From] = true
		case r.Type == kg.RelRequires && r.From == needID:
			required[r.To] = r.Importance
			total += r.Importance
		}
	}
	covered := map[string]int{}
	for _, r := range g.Rels {
		if r.Type == kg.RelHasCompetency && !owners[r.From] && required[r.To] > 0 {
			covered[r.From] += required[r.To]
		}
	}
	out := map[string]float64{}
	for a, c := range covered {
		out[a] = float64(c) / float64(total)
	}
	return out
}

func TestDifiDesignNeedHasCandidates(t *testing.T) {
	g := mustGraph(t)
	owned := slices.ContainsFunc(g.Rels, func(r kg.Rel) bool {
		return r.Type == kg.RelHasNeed && r.From == "difi" && r.To == "difi-designkompetanse"
	})
	if !owned {
		t.Fatal("difi does not own difi-designkompetanse")
	}
	cov := coverage(g, "difi-designkompetanse")
	if cov["doga"] != 1 {
		t.Errorf("DOGA covers %.2f of Difi's design need, want all of it", cov["doga"])
	}
	for _, a := range []string{"netrelations", "kaja-misvaer-kistorp", "dot"} {
		if cov[a] == 0 {
			t.Errorf("%s is no candidate for Difi's design need", a)
		}
	}
	if _, ok := cov["difi"]; ok {
		t.Error("Difi is a candidate for its own need")
	}
	level := 0
	for _, r := range g.Rels {
		if r.Type == kg.RelHasCompetency && r.From == "doga" && r.To == "tjenestedesign" {
			level = r.Level
		}
	}
	if level < 4 {
		t.Errorf("DOGA's tjenestedesign level = %d, want at least 4", level)
	}
}

func TestPersonsBelongToAnOrganisationOfTheirSector(t *testing.T) {
	g := mustGraph(t)
	nodes := nodeByID(g)
	for _, a := range g.Actors {
		if a.Kind != kg.KindPerson {
			continue
		}
		ok := false
		for _, r := range g.Rels {
			if r.Type != kg.RelMemberOf || r.From != a.ID {
				continue
			}
			org := nodes[r.To].(*kg.Actor)
			ok = ok || (org.Kind != kg.KindPerson && org.Sector == a.Sector)
		}
		if !ok {
			t.Errorf("person %s is MEMBER_OF no organisation of sector %s", a.ID, a.Sector)
		}
	}
}

func TestEveryNodeIsConnected(t *testing.T) {
	g := mustGraph(t)
	reached := hops(g, "karlstads-kommun", kg.RelTypes...)
	for _, n := range g.Nodes() {
		if _, ok := reached[n.Base().ID]; !ok {
			t.Errorf("%s is not connected to the rest of the graph", n.Base().ID)
		}
	}
}

func TestEveryNeedHasOwnerAndRequirements(t *testing.T) {
	g := mustGraph(t)
	for _, n := range g.Needs {
		owners, reqs := 0, 0
		for _, r := range g.Rels {
			owners += btoi(r.Type == kg.RelHasNeed && r.To == n.ID)
			reqs += btoi(r.Type == kg.RelRequires && r.From == n.ID)
		}
		if owners == 0 || reqs == 0 {
			t.Errorf("need %s has %d owners and %d required competencies, want at least one of each", n.ID, owners, reqs)
		}
	}
	for _, r := range g.Rels {
		if r.Type == kg.RelHasCompetency && r.Evidence == "" {
			t.Errorf("HAS_COMPETENCY %s→%s has no evidence", r.From, r.To)
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// stubStore is just enough of a store for Load: List and Import.
type stubStore struct {
	kg.Store
	count    map[kg.Label]int
	listErr  error
	queries  []kg.ListQuery
	imported []kg.Graph
}

func (s *stubStore) List(_ context.Context, q kg.ListQuery) (kg.Page, error) {
	s.queries = append(s.queries, q)
	if s.listErr != nil {
		return kg.Page{}, s.listErr
	}
	n := s.count[q.Label]
	var p kg.Page
	for i := 0; i < n && i < q.First; i++ {
		p.Nodes = append(p.Nodes, &kg.Need{Meta: kg.Meta{ID: "n"}})
	}
	p.HasNextPage = n > q.First
	p.TotalCount = n
	return p, nil
}

func (s *stubStore) Import(_ context.Context, g kg.Graph) (kg.ImportResult, error) {
	s.imported = append(s.imported, g)
	return kg.ImportResult{NodesCreated: len(g.Nodes()), RelsCreated: len(g.Rels)}, nil
}

func TestLoadImportsIntoAnEmptyStore(t *testing.T) {
	s := &stubStore{}
	loaded, err := Load(context.Background(), s)
	if err != nil || !loaded {
		t.Fatalf("Load on an empty store = %v, %v; want true, nil", loaded, err)
	}
	if len(s.imported) != 1 {
		t.Fatalf("Load imported %d times, want once", len(s.imported))
	}
	want := mustGraph(t)
	if got := s.imported[0]; len(got.Nodes()) != len(want.Nodes()) || len(got.Rels) != len(want.Rels) {
		t.Errorf("imported %d nodes and %d relationships, want %d and %d",
			len(got.Nodes()), len(got.Rels), len(want.Nodes()), len(want.Rels))
	}
	var labels []kg.Label
	for _, q := range s.queries {
		if q.First != 1 {
			t.Errorf("List asked for %d nodes, want 1", q.First)
		}
		labels = append(labels, q.Label)
	}
	if !slices.Equal(labels, kg.Labels) {
		t.Errorf("Load checked labels %v, want every label %v", labels, kg.Labels)
	}
}

func TestLoadLeavesANonEmptyStoreAlone(t *testing.T) {
	for _, l := range kg.Labels {
		t.Run(string(l), func(t *testing.T) {
			s := &stubStore{count: map[kg.Label]int{l: 3}}
			loaded, err := Load(context.Background(), s)
			if err != nil || loaded {
				t.Fatalf("Load with one %s in the store = %v, %v; want false, nil", l, loaded, err)
			}
			if len(s.imported) != 0 {
				t.Error("Load imported into a store that was not empty")
			}
		})
	}
}

func TestLoadReportsAStoreError(t *testing.T) {
	s := &stubStore{listErr: kg.ErrUnavailable}
	loaded, err := Load(context.Background(), s)
	if !errors.Is(err, kg.ErrUnavailable) || loaded {
		t.Fatalf("Load = %v, %v; want false and an error wrapping ErrUnavailable", loaded, err)
	}
	if len(s.imported) != 0 {
		t.Error("Load imported although it could not tell whether the store was empty")
	}
}

package neo4j_test

import (
	"context"
	"fmt"
	"testing"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/samverkan/samverkan/internal/kg"
	"github.com/samverkan/samverkan/internal/store/neo4j"
	"github.com/samverkan/samverkan/internal/store/teststore"
)

// rawDriver is a driver of its own on the run's Neo4j server, for what
// the store does not do (PROFILE, SHOW TRANSACTIONS); the caller closes it.
func rawDriver(t *testing.T) driver.DriverWithContext {
	t.Helper()
	cfg := teststore.Neo4jConfig()
	auth := driver.NoAuth()
	if cfg.Username != "" || cfg.Password != "" {
		auth = driver.BasicAuth(cfg.Username, cfg.Password, "")
	}
	d, err := driver.NewDriverWithContext(cfg.URI, auth)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// profile runs the statement under PROFILE and returns the plan's total
// database hits and its operator names.
func profile(t *testing.T, text string, params map[string]any) (int64, []string) {
	t.Helper()
	d := rawDriver(t)
	defer d.Close(context.Background())
	res, err := driver.ExecuteQuery(context.Background(), d, "PROFILE "+text, params, driver.EagerResultTransformer,
		driver.ExecuteQueryWithDatabase(teststore.Neo4jConfig().Database))
	if err != nil {
		t.Fatalf("PROFILE: %v", err)
	}
	var hits int64
	var ops []string
	var walk func(p driver.ProfiledPlan)
	walk = func(p driver.ProfiledPlan) {
		hits += p.DbHits()
		ops = append(ops, p.Operator())
		for _, c := range p.Children() {
			walk(c)
		}
	}
	walk(res.Summary.Profile())
	return hits, ops
}

// A hop over one relationship group of a dense node reads that group only:
// a company with 3,000 competencies and one project costs about as many
// database hits as one with none, and the statement bounds its rows.
// (Before, the untyped pattern read every relationship of the node and
// filtered by type.)
func TestNeo4jIncidentReadsOnlyTheGroupsAsked(t *testing.T) {
	if !teststore.OnNeo4j() {
		t.Skip("NEO4J_URI not set; see README 'Run on Neo4j'")
	}
	s := teststore.Open(t)
	ctx := context.Background()
	g := kg.Graph{
		Actors: []*kg.Actor{
			{Meta: kg.Meta{ID: "dense", Name: "Dense AB"}, Kind: kg.KindCompany, Sector: kg.SectorPrivate},
			{Meta: kg.Meta{ID: "sparse", Name: "Sparse AB"}, Kind: kg.KindCompany, Sector: kg.SectorPrivate},
		},
		Projects: []*kg.Project{{Meta: kg.Meta{ID: "p", Name: "P"}, Status: kg.ProjectActive}},
	}
	g.Rels = append(g.Rels,
		kg.Rel{Type: kg.RelParticipatesIn, From: "dense", To: "p", Role: string(kg.RolePartner)},
		kg.Rel{Type: kg.RelParticipatesIn, From: "sparse", To: "p", Role: string(kg.RolePartner)})
	for i := range 3000 {
		id := fmt.Sprintf("c%04d", i)
		g.Competencies = append(g.Competencies, &kg.Competency{Meta: kg.Meta{ID: id, Name: "C " + id}, Category: kg.CategoryOther})
		g.Rels = append(g.Rels, kg.Rel{Type: kg.RelHasCompetency, From: "dense", To: id, Level: 3})
	}
	if _, err := s.Import(ctx, g); err != nil {
		t.Fatal(err)
	}
	rels, err := s.Incident(ctx, []kg.RelType{kg.RelParticipatesIn}, []string{"dense"})
	if err != nil || len(rels) != 1 || rels[0].To != "p" {
		t.Fatalf("Incident(PARTICIPATES_IN, dense) = %v, %v", rels, err)
	}

	text := neo4j.StatementText("incident")
	params := func(id string) map[string]any {
		return map[string]any{"ids": []string{id}, "types": []string{"PARTICIPATES_IN"}, "limit": kg.MaxExpandedRels + 1}
	}
	dense, ops := profile(t, text, params("dense"))
	sparse, _ := profile(t, text, params("sparse"))
	if dense > sparse+50 {
		t.Errorf("one project of the dense actor cost %d database hits, of the sparse one %d: the hop read other groups", dense, sparse)
	}
	limited := false
	for _, op := range ops {
		if op == "Limit" || op == "Limit@neo4j" {
			limited = true
		}
	}
	if !limited {
		t.Errorf("the incident plan has no Limit: %v", ops)
	}
	all, err := s.Incident(ctx, []kg.RelType{kg.RelHasCompetency, kg.RelParticipatesIn}, []string{"dense"})
	if err != nil || len(all) != 3001 {
		t.Errorf("Incident(both groups, dense) = %d relationships, %v; want 3001", len(all), err)
	}
}

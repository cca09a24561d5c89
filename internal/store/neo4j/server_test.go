package neo4j

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/samverkan/samverkan/internal/kg"
	"github.com/samverkan/samverkan/internal/seed"
)

// openServer opens the store on the Neo4j server named by NEO4J_URI, or
// skips the test when none is named. The tests that call it empty the
// database: use a throw-away server (tools/neo4j/run.sh start).
func openServer(t *testing.T) *Store {
	t.Helper()
	if os.Getenv("NEO4J_URI") == "" {
		t.Skip("NEO4J_URI not set: this test runs statements on a real Neo4j server (tools/neo4j/run.sh start)")
	}
	s, err := Open(context.Background(), Config{
		URI:              os.Getenv("NEO4J_URI"),
		Username:         os.Getenv("NEO4J_USERNAME"),
		Password:         os.Getenv("NEO4J_PASSWORD"),
		Database:         os.Getenv("NEO4J_DATABASE"),
		StatementTimeout: time.Minute,
	}, WithLogger(quietLog()))
	if err != nil {
		t.Fatalf("opening the Neo4j store: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// seededServer is openServer with the database holding exactly the Nordic
// dataset, imported through the store: a realistic graph whose labels,
// types and property keys all exist.
func seededServer(t *testing.T) *Store {
	t.Helper()
	s := openServer(t)
	ctx := context.Background()
	if err := s.DeleteAll(ctx); err != nil {
		t.Fatalf("emptying the database: %v", err)
	}
	if loaded, err := seed.Load(ctx, s); err != nil || !loaded {
		t.Fatalf("loading the seed: loaded %v, %v", loaded, err)
	}
	// Beside the seed, a small graph that sets every property key the
	// store writes (the seed need not use each one), so that EXPLAIN knows
	// them all.
	a := func(id string) *kg.Actor {
		return &kg.Actor{Meta: kg.Meta{ID: id, Name: id}, Kind: kg.KindCompany, Sector: kg.SectorPrivate}
	}
	p := func(id string) *kg.Project {
		return &kg.Project{Meta: kg.Meta{ID: id, Name: id}, Status: kg.ProjectActive, Type: kg.ProjectTypeEvent,
			Country: "SE", Region: "Värmland", City: "Karlstad", Aliases: []string{id + " alias"}}
	}
	withXID := a("explain-a")
	withXID.ExternalIDs = []kg.ExternalID{{Scheme: "se-orgnr", Value: "222000-0315"}}
	extra := kg.Graph{
		Actors:   []*kg.Actor{withXID, a("explain-b")},
		Projects: []*kg.Project{p("explain-p"), p("explain-q")},
		Rels: []kg.Rel{
			{Type: kg.RelParticipatesIn, From: "explain-a", To: "explain-p", Role: "FUNDER", Start: "2020-01-01", End: "2021-12-31",
				Amount: 1000, Currency: "SEK", Basis: kg.BasisInferred, Quote: "q"},
			{Type: kg.RelMemberOf, From: "explain-a", To: "explain-b", Role: "r", Start: "2019-01-01", End: "2020-01-01"},
			{Type: kg.RelPartnersWith, From: "explain-a", To: "explain-b", Start: "2019-06-01", End: "2022-01-01", Description: "d"},
			{Type: kg.RelPartOf, From: "explain-q", To: "explain-p", Start: "2019-01-01", End: "2020-01-01"},
			{Type: kg.RelPartOf, From: "explain-b", To: "explain-a"},
			{Type: kg.RelSupplies, From: "explain-b", To: "explain-a", Start: "2019-01-01", End: "2020-01-01", Description: "d"},
		},
	}
	if _, err := s.Import(ctx, extra); err != nil {
		t.Fatalf("importing the graph of every property: %v", err)
	}
	return s
}

// explain returns the plan and the notifications of EXPLAIN text.
func explain(t *testing.T, s *Store, text string, params map[string]any) (neo4j.Plan, []neo4j.Notification, error) {
	t.Helper()
	res, err := neo4j.ExecuteQuery(context.Background(), s.driver, "EXPLAIN\n"+text, params, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(s.db), neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		return nil, nil, err
	}
	return res.Summary.Plan(), res.Summary.Notifications(), nil
}

// operators lists a plan's operators depth first, without the planner's
// "@neo4j" suffix, each with its details.
func operators(p neo4j.Plan) []planOp {
	if p == nil {
		return nil
	}
	op := planOp{name: strings.SplitN(p.Operator(), "@", 2)[0]}
	if d, ok := p.Arguments()["Details"].(string); ok {
		op.details = d
	}
	out := []planOp{op}
	for _, c := range p.Children() {
		out = append(out, operators(c)...)
	}
	return out
}

type planOp struct{ name, details string }

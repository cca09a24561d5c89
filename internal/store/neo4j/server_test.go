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
	// The seed dates no participation and no partnership: give one of
	// each its dates, so that every property key the store writes exists.
	g, err := seed.Graph()
	if err != nil {
		t.Fatal(err)
	}
	dated := map[kg.RelType]bool{}
	for _, r := range g.Rels {
		switch {
		case dated[r.Type]:
			continue
		case r.Type == kg.RelParticipatesIn:
			r.Start, r.End = "2020-01-01", "2021-12-31"
		case r.Type == kg.RelPartnersWith:
			r.Since = "2019-06-01"
		default:
			continue
		}
		dated[r.Type] = true
		if _, err := s.SetRel(ctx, r); err != nil {
			t.Fatalf("dating %s %s→%s: %v", r.Type, r.From, r.To, err)
		}
	}
	if len(dated) != 2 {
		t.Fatalf("the seed has no relationship to date of some type: %v", dated)
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

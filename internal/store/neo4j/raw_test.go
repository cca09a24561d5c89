package neo4j_test

import (
	"context"
	"testing"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

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

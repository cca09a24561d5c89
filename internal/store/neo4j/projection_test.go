package neo4j_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
	"github.com/samverkan/samverkan/internal/store/neo4j"
	"github.com/samverkan/samverkan/internal/store/teststore"
)

// Eight whole-graph requests that arrive together after a write stream the
// graph once between them, and a projection read while writes keep
// committing makes at most two passes. (Before, each request streamed the
// graph itself, up to three times.)
func TestNeo4jProjectionLoadsOnce(t *testing.T) {
	if !teststore.OnNeo4j() {
		t.Skip("NEO4J_URI not set; see README 'Run on Neo4j'")
	}
	ctx := context.Background()
	teststore.Open(t) // empties the database
	s, err := neo4j.Open(ctx, teststore.Neo4jConfig())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	chain := bulkGraph("proj", 2000)
	chain.Projects, chain.Rels = nil, chain.Rels[:0:0]
	for i := 1; i < len(chain.Actors); i++ { // a path, not a clique: cheap betweenness
		chain.Rels = append(chain.Rels, kg.Rel{Type: kg.RelPartnersWith, From: chain.Actors[i].ID, To: chain.Actors[i-1].ID})
	}
	if _, err := s.Import(ctx, chain); err != nil {
		t.Fatal(err)
	}

	an := kg.NewAnalytics(s)
	before := s.ProjectionPasses()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := an.Brokers(ctx, kg.BrokerQuery{First: 5}); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("brokers: %v", err)
	}
	if got := s.ProjectionPasses() - before; got != 1 {
		t.Errorf("8 concurrent whole-graph requests made %d passes over the graph, want 1", got)
	}

	// Writes commit all the time while one projection reads.
	stop := make(chan struct{})
	var writes sync.WaitGroup
	writes.Add(1)
	go func() {
		defer writes.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			a := &kg.Actor{Meta: kg.Meta{ID: fmt.Sprintf("churn-%d", i), Name: "Churn"}, Kind: kg.KindCompany, Sector: kg.SectorPrivate}
			if _, err := s.UpsertNode(ctx, a); err != nil {
				t.Errorf("upsert: %v", err)
				return
			}
		}
	}()
	before = s.ProjectionPasses()
	p, err := s.Projection(ctx)
	close(stop)
	writes.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if got := s.ProjectionPasses() - before; got > 2 {
		t.Errorf("one projection made %d passes while writes committed, want at most 2", got)
	}
	if len(p.Actors) < 2000 {
		t.Errorf("the projection holds %d actors, want at least 2000", len(p.Actors))
	}
}

// Package storetest is the contract suite that every kg.Store passes, so
// that the API answers the same whichever store is behind it. A store's
// tests call Run with a factory of fresh, empty stores.
//
// The suite depends only on what kg.Store and the kg package promise. It
// assumes nothing about wall-clock timing beyond "UpdatedAt >= CreatedAt"
// and "a rewrite never moves UpdatedAt back", and it runs its subtests one
// after another, so that a store on a shared database (Neo4j) can pass it.
package storetest

import (
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

// Run runs the whole contract suite. newStore must return a fresh, empty
// store and register its own cleanup (t.Cleanup); it is called once per
// subtest. A call may empty every store it returned before (Neo4j
// Community has one database), so no test uses a store after a later call.
func Run(t *testing.T, newStore func(t *testing.T) kg.Store) {
	groups := []struct {
		name string
		fn   func(*testing.T, func(*testing.T) kg.Store)
	}{
		{"Nodes", testNodes},
		{"Rels", testRels},
		{"Validation", testValidation},
		{"Idempotency", testIdempotency},
		{"List", testList},
		{"Filters", testFilters},
		{"Search", testSearch},
		{"Import", testImport},
		{"Version", testVersion},
		{"Concurrency", testConcurrency},
		{"AnalyticsMatch", testAnalyticsMatch},
		{"AnalyticsWhole", testAnalyticsWhole},
		{"AnalyticsPaths", testAnalyticsPaths},
		{"AnalyticsNeighbourhood", testAnalyticsNeighbourhood},
		{"AnalyticsOverlap", testAnalyticsOverlap},
		{"AnalyticsSimilar", testAnalyticsSimilar},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) { g.fn(t, newStore) })
	}
}

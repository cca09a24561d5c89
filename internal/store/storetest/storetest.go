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

// Option configures Run: it names what the suite needs to check an
// optional capability of the store (see Backup).
type Option func(*options)

type options struct {
	openBackup func(t *testing.T, path string) kg.Store
}

// OpenBackup lets the suite check the kg.Backuper capability: open must
// open the backup written to the file at path as a store of its own (and
// register its cleanup). Without it, or when the store does not implement
// kg.Backuper, the Backup group is skipped, saying which.
func OpenBackup(open func(t *testing.T, path string) kg.Store) Option {
	return func(o *options) { o.openBackup = open }
}

// Run runs the whole contract suite. newStore must return a fresh, empty
// store and register its own cleanup (t.Cleanup); it is called once per
// subtest. A call may empty every store it returned before (Neo4j
// Community has one database), so no test uses a store after a later call.
// Optional capabilities (kg.Backuper) are checked when the store has them
// and opts give what the check needs.
func Run(t *testing.T, newStore func(t *testing.T) kg.Store, opts ...Option) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
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
		{"Where", testWhere},
		{"Search", testSearch},
		{"SearchPages", testSearchPages},
		{"Aggregate", testAggregate},
		{"Import", testImport},
		{"ExternalIDs", testExternalIDs},
		{"Version", testVersion},
		{"Changes", testChanges},
		{"Concurrency", testConcurrency},
		{"Topology", testTopology},
		{"AnalyticsMatch", testAnalyticsMatch},
		{"AnalyticsLots", testAnalyticsLots},
		{"AnalyticsWhole", testAnalyticsWhole},
		{"AnalyticsScope", testAnalyticsScope},
		{"AnalyticsNetwork", testAnalyticsNetwork},
		{"AnalyticsPaths", testAnalyticsPaths},
		{"AnalyticsNeighbourhood", testAnalyticsNeighbourhood},
		{"AnalyticsOverlap", testAnalyticsOverlap},
		{"AnalyticsSimilar", testAnalyticsSimilar},
		{"AnalyticsAsOf", testAnalyticsAsOf},
		{"Backup", func(t *testing.T, newStore func(*testing.T) kg.Store) { testBackup(t, newStore, o) }},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) { g.fn(t, newStore) })
	}
}

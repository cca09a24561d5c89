package neo4j

// Hooks for the external tests of this package (package neo4j_test), which
// run on a real server through teststore.

// StatementText returns the Cypher text of the named statement file.
func StatementText(name string) string { return stmt(name).text }

// TopologyLoads counts the full loads of the topology this store made.
func (s *Store) TopologyLoads() int64 { return s.topoLoads.Load() }

// TopologyCatchUps counts the catch-up reads of the topology this store
// made.
func (s *Store) TopologyCatchUps() int64 { return s.topoReads.Load() }

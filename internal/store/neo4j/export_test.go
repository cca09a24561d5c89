package neo4j

// Hooks for the external tests of this package (package neo4j_test), which
// run on a real server through teststore.

// StatementText returns the Cypher text of the named statement file.
func StatementText(name string) string { return stmt(name).text }

// ProjectionPasses counts the passes Projection made over the graph.
func (s *Store) ProjectionPasses() int64 { return s.projectionPasses.Load() }

// params: none
// Runs first in every write transaction: the write lock on the singleton
// serialises writers, so the reads that validate a write see a stable graph.
MERGE (v:GraphVersion {key: 'graph'})
ON CREATE SET v.v = 0
SET v.v = v.v + 1
RETURN v.v AS version

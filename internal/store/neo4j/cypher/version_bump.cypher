// params: none
// Runs last in every write transaction: the singleton's write lock, held
// from here to the commit, orders the commits, so versions follow commit
// order; holding it only this long lets writers run side by side.
MERGE (v:GraphVersion {key: 'graph'})
ON CREATE SET v.v = 0
SET v.v = v.v + 1
RETURN v.v AS version

// params: $changeRest: STRING, $retention: INTEGER
// Runs last in every write transaction: the singleton's write lock, held
// from here to the commit, orders the commits, so versions follow commit
// order; holding it only this long lets writers run side by side.
// In the same statement (no further round trip under that lock) it writes
// the write's change record (DESIGN.md §3), which so exists exactly when
// the write does, and prunes the records older than $retention versions, a
// bounded number per write. $changeRest is json.Marshal of the write's
// kg.Change at version 0 without its leading {"version":0, so the record
// holds exactly json.Marshal of the change at the new version.
MERGE (v:GraphVersion {key: 'graph'})
ON CREATE SET v.v = 0
SET v.v = v.v + 1
WITH v.v AS version
CREATE (:Change {version: version, change: '{"version":' + toString(version) + $changeRest})
WITH version
CALL (version) {
  MATCH (old:Change)
  WHERE old.version <= version - $retention
  WITH old
  LIMIT 100
  DELETE old
}
RETURN version

// params: $after: INTEGER, $limit: INTEGER
// The catch-up of a topology at version $after, in one round trip: the
// graph version and, in version order, at most $limit change records after
// $after up to it (DESIGN.md §3). A record written after the version was
// read is left for the next catch-up.
OPTIONAL MATCH (v:GraphVersion {key: 'graph'})
WITH coalesce(v.v, 0) AS version
RETURN version, COLLECT {
  MATCH (c:Change)
  WHERE c.version > $after AND c.version <= version
  RETURN c {.version, .change} AS record
  ORDER BY record.version
  LIMIT $limit
} AS changes

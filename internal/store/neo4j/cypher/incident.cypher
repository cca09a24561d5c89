// params: $ids: LIST<STRING>, $types: LIST<STRING>, $limit: INTEGER
// One expansion hop of the analytics (kg.Store.Incident): every relationship
// of the given types with an endpoint among $ids. Each type has its own
// typed pattern, guarded by the parameter, so a dense node is read only
// through the relationship groups asked for; DISTINCT keeps one row for a
// relationship matched from both of its endpoints, and $limit bounds the
// answer (the store refuses a hop that reaches it). Go sorts the rows.
UNWIND $ids AS id
MATCH (n:Node {id: id})
CALL (n) {
  WITH n WHERE 'PARTICIPATES_IN' IN $types
  MATCH (n)-[r:PARTICIPATES_IN]-()
  RETURN r
  UNION ALL
  WITH n WHERE 'HAS_COMPETENCY' IN $types
  MATCH (n)-[r:HAS_COMPETENCY]-()
  RETURN r
  UNION ALL
  WITH n WHERE 'HAS_NEED' IN $types
  MATCH (n)-[r:HAS_NEED]-()
  RETURN r
  UNION ALL
  WITH n WHERE 'REQUIRES' IN $types
  MATCH (n)-[r:REQUIRES]-()
  RETURN r
  UNION ALL
  WITH n WHERE 'ADDRESSES' IN $types
  MATCH (n)-[r:ADDRESSES]-()
  RETURN r
  UNION ALL
  WITH n WHERE 'MEMBER_OF' IN $types
  MATCH (n)-[r:MEMBER_OF]-()
  RETURN r
  UNION ALL
  WITH n WHERE 'PARTNERS_WITH' IN $types
  MATCH (n)-[r:PARTNERS_WITH]-()
  RETURN r
}
WITH DISTINCT r
LIMIT $limit
RETURN startNode(r).id AS from, endNode(r).id AS to, r

// params: none
// Every relationship, in its stored direction, with the fields the
// analytics topology reads (kg.ChangedRel): one typed pattern per
// kg.RelTypes entry (a type cannot be a parameter), between the labels
// the type joins, each relationship once. An endpoint that a concurrent
// write replaces or deletes may read without its id (Neo4j reads committed
// data, not a snapshot): such a row comes with the relationship's element
// id in retry, for topology_rels_again.cypher.
MATCH (a:Actor)-[r:PARTICIPATES_IN]->(b:Project)
WITH r, a.id AS from, b.id AS to
RETURN 'PARTICIPATES_IN' AS type, from, to, r.role AS role, null AS level, null AS importance, r.from AS startDate, r.to AS endDate, null AS since, CASE WHEN from IS NULL OR to IS NULL THEN elementId(r) END AS retry
UNION ALL
MATCH (a:Actor)-[r:HAS_COMPETENCY]->(b:Competency)
WITH r, a.id AS from, b.id AS to
RETURN 'HAS_COMPETENCY' AS type, from, to, null AS role, r.level AS level, null AS importance, null AS startDate, null AS endDate, null AS since, CASE WHEN from IS NULL OR to IS NULL THEN elementId(r) END AS retry
UNION ALL
MATCH (a:Actor)-[r:HAS_NEED]->(b:Need)
WITH r, a.id AS from, b.id AS to
RETURN 'HAS_NEED' AS type, from, to, null AS role, null AS level, null AS importance, null AS startDate, null AS endDate, null AS since, CASE WHEN from IS NULL OR to IS NULL THEN elementId(r) END AS retry
UNION ALL
MATCH (a:Need)-[r:REQUIRES]->(b:Competency)
WITH r, a.id AS from, b.id AS to
RETURN 'REQUIRES' AS type, from, to, null AS role, null AS level, r.importance AS importance, null AS startDate, null AS endDate, null AS since, CASE WHEN from IS NULL OR to IS NULL THEN elementId(r) END AS retry
UNION ALL
MATCH (a:Project)-[r:ADDRESSES]->(b:Need)
WITH r, a.id AS from, b.id AS to
RETURN 'ADDRESSES' AS type, from, to, null AS role, null AS level, null AS importance, null AS startDate, null AS endDate, null AS since, CASE WHEN from IS NULL OR to IS NULL THEN elementId(r) END AS retry
UNION ALL
MATCH (a:Actor)-[r:MEMBER_OF]->(b:Actor)
WITH r, a.id AS from, b.id AS to
RETURN 'MEMBER_OF' AS type, from, to, r.role AS role, null AS level, null AS importance, r.from AS startDate, r.to AS endDate, null AS since, CASE WHEN from IS NULL OR to IS NULL THEN elementId(r) END AS retry
UNION ALL
MATCH (a:Actor)-[r:PARTNERS_WITH]->(b:Actor)
WITH r, a.id AS from, b.id AS to
RETURN 'PARTNERS_WITH' AS type, from, to, null AS role, null AS level, null AS importance, r.from AS startDate, r.to AS endDate, r.since AS since, CASE WHEN from IS NULL OR to IS NULL THEN elementId(r) END AS retry
UNION ALL
MATCH (a:Actor)-[r:PART_OF]->(b:Actor)
WITH r, a.id AS from, b.id AS to
RETURN 'PART_OF' AS type, from, to, null AS role, null AS level, null AS importance, r.from AS startDate, r.to AS endDate, null AS since, CASE WHEN from IS NULL OR to IS NULL THEN elementId(r) END AS retry
UNION ALL
MATCH (a:Project)-[r:PART_OF]->(b:Project)
WITH r, a.id AS from, b.id AS to
RETURN 'PART_OF' AS type, from, to, null AS role, null AS level, null AS importance, r.from AS startDate, r.to AS endDate, null AS since, CASE WHEN from IS NULL OR to IS NULL THEN elementId(r) END AS retry
UNION ALL
MATCH (a:Actor)-[r:SUPPLIES]->(b:Actor)
WITH r, a.id AS from, b.id AS to
RETURN 'SUPPLIES' AS type, from, to, null AS role, null AS level, null AS importance, r.from AS startDate, r.to AS endDate, null AS since, CASE WHEN from IS NULL OR to IS NULL THEN elementId(r) END AS retry

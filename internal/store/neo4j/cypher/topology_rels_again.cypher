// params: $eids: LIST<STRING>
// The rows of topology_rels.cypher again for the relationships it read
// without an endpoint's id, by element id: one deleted meanwhile is not
// found, one whose endpoint is still being written comes with retry again.
// Each type has only its own properties, so reading the others gives null.
UNWIND $eids AS eid
MATCH (a:Node)-[r]->(b:Node)
WHERE elementId(r) = eid
WITH r, a.id AS from, b.id AS to
RETURN type(r) AS type, from, to, r.role AS role, r.level AS level, r.importance AS importance, r.from AS startDate, r.to AS endDate, r.since AS since, CASE WHEN from IS NULL OR to IS NULL THEN elementId(r) END AS retry

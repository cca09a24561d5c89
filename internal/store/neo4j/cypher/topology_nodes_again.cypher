// params: $eids: LIST<STRING>
// The rows of topology_nodes.cypher again for the nodes it read without
// their id, by element id: a node deleted meanwhile is not found, one
// still being written comes with retry again.
UNWIND $eids AS eid
MATCH (n:Node)
WHERE elementId(n) = eid
WITH n, n.id AS id, [l IN labels(n) WHERE l IN ['Actor', 'Project', 'Need', 'Competency']] AS labels
RETURN labels[0] AS label, id, CASE WHEN labels[0] = 'Project' THEN n.type ELSE n.kind END AS kind, n.sector AS sector, n.country AS country, CASE WHEN labels[0] = 'Project' THEN n.startDate END AS startDate, CASE WHEN labels[0] = 'Project' THEN n.endDate END AS endDate, CASE WHEN id IS NULL OR size(labels) = 0 THEN elementId(n) END AS retry

// params: none
// A project's kind column is its type (kg.ChangedNode.Type); startDate and
// endDate are a project's own dates (null for the other labels).
// Every node with the fields the analytics topology reads (kg.ChangedNode),
// one label scan per kg.Labels entry (a label cannot be a parameter).
// Neo4j reads committed data, not a snapshot: a node that a concurrent
// write replaces or deletes may read without its id, and then comes with
// its element id in retry, for topology_nodes_again.cypher.
MATCH (n:Actor)
WITH n, n.id AS id
RETURN 'Actor' AS label, id, n.kind AS kind, n.sector AS sector, n.country AS country, null AS startDate, null AS endDate, CASE WHEN id IS NULL THEN elementId(n) END AS retry
UNION ALL
MATCH (n:Project)
WITH n, n.id AS id
RETURN 'Project' AS label, id, n.type AS kind, null AS sector, n.country AS country, n.startDate AS startDate, n.endDate AS endDate, CASE WHEN id IS NULL THEN elementId(n) END AS retry
UNION ALL
MATCH (n:Need)
WITH n, n.id AS id
RETURN 'Need' AS label, id, null AS kind, null AS sector, null AS country, null AS startDate, null AS endDate, CASE WHEN id IS NULL THEN elementId(n) END AS retry
UNION ALL
MATCH (n:Competency)
WITH n, n.id AS id
RETURN 'Competency' AS label, id, null AS kind, null AS sector, null AS country, null AS startDate, null AS endDate, CASE WHEN id IS NULL THEN elementId(n) END AS retry

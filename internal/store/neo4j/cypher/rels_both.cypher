// params: $type: STRING, $ids: LIST<STRING>
UNWIND $ids AS id
MATCH (n:Node {id: id})-[r]-(m:Node)
WHERE type(r) = $type
RETURN id, startNode(r).id AS from, endNode(r).id AS to, type(r) AS type, r {.sources, .createdAt, .updatedAt, .basis, .quote, .from, .to, .role, .amount, .currency, .level, .evidence, .importance, .since, .description} AS r
ORDER BY id, m.id

// params: $type: STRING, $ids: LIST<STRING>
UNWIND $ids AS id
MATCH (n:Node {id: id})-[r]->(m:Node)
WHERE type(r) = $type
RETURN id, n.id AS from, m.id AS to, r
ORDER BY id, m.id

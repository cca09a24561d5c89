// params: $ids: LIST<STRING>, $types: LIST<STRING>
// One expansion hop of the analytics (kg.Store.Incident): every relationship
// of the given types with an endpoint among $ids. DISTINCT keeps one row for
// a relationship matched from both of its endpoints; Go sorts the rows.
UNWIND $ids AS id
MATCH (n:Node {id: id})-[r]-(:Node)
WHERE type(r) IN $types
WITH DISTINCT r
RETURN startNode(r).id AS from, endNode(r).id AS to, r

// params: $keys: LIST<MAP>
// Each key is {type: STRING, from: STRING, to: STRING, symmetric: BOOLEAN}; a
// symmetric relationship is found in either stored direction.
UNWIND $keys AS k
MATCH (a:Node {id: k.from})-[r]-(b:Node {id: k.to})
WHERE type(r) = k.type AND (k.symmetric OR startNode(r) = a)
RETURN startNode(r).id AS from, endNode(r).id AS to, r

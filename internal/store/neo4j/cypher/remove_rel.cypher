// params: $type: STRING, $from: STRING, $to: STRING, $symmetric: BOOLEAN
MATCH (a:Node {id: $from})-[r]-(b:Node {id: $to})
WHERE type(r) = $type AND ($symmetric OR startNode(r) = a)
DELETE r
RETURN count(*) AS removed

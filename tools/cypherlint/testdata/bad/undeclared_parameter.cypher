// params: $id: STRING
MATCH (n:Node {id: $nodeId})
RETURN n

// params: $id: STRING
MATCH (n:Node {id: $id})
RETURN m

// params: $id: STRING
MATCH (n:Organisation {id: $id})
RETURN n

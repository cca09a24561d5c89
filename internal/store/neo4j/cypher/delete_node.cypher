// params: $id: STRING
MATCH (n:Node {id: $id})
DETACH DELETE n
RETURN count(*) AS deleted

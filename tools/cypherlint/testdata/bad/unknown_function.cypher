// params: none
MATCH (n:Node)
RETURN tolowr(n.name) AS name

MATCH (n:Node)
RETURN n

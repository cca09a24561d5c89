// params: none
MATCH (n:Node
RETURN n

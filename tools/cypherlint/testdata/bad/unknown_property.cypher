// params: none
MATCH (n:Actor)
RETURN n.nmae AS name

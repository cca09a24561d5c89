// params: none
// The collaboration links of kg.Projection, in their stored direction; Go
// sorts them.
MATCH (a:Node)-[r:PARTICIPATES_IN|MEMBER_OF|PARTNERS_WITH]->(b:Node)
RETURN type(r) AS type, a.id AS from, b.id AS to

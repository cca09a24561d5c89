// params: none
MATCH (p:Project)-[:PARTICIPATES_IN]->(a:Actor)
RETURN p, a

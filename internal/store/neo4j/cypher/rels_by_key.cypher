// params: $keys: LIST<MAP>
// The stored relationships with these keys, each {type: STRING, from:
// STRING, to: STRING}: one typed pattern per kg.RelTypes entry, between the
// labels the type joins, so both endpoints are found by their label's id
// index and only the asked type's relationship group is read. A symmetric
// relationship (PARTNERS_WITH) is found in either stored direction and
// comes back in the stored one. The hints make each end an index seek
// whatever the planner's statistics say (it once chose an index scan for
// one branch), so a key costs the same on any graph.
UNWIND $keys AS k
CALL (k) {
  WITH k WHERE k.type = 'PARTICIPATES_IN'
  MATCH (a:Actor {id: k.from})-[r:PARTICIPATES_IN]->(b:Project {id: k.to})
  USING INDEX a:Actor(id) USING INDEX b:Project(id)
  RETURN a.id AS from, b.id AS to, r
  UNION ALL
  WITH k WHERE k.type = 'HAS_COMPETENCY'
  MATCH (a:Actor {id: k.from})-[r:HAS_COMPETENCY]->(b:Competency {id: k.to})
  USING INDEX a:Actor(id) USING INDEX b:Competency(id)
  RETURN a.id AS from, b.id AS to, r
  UNION ALL
  WITH k WHERE k.type = 'HAS_NEED'
  MATCH (a:Actor {id: k.from})-[r:HAS_NEED]->(b:Need {id: k.to})
  USING INDEX a:Actor(id) USING INDEX b:Need(id)
  RETURN a.id AS from, b.id AS to, r
  UNION ALL
  WITH k WHERE k.type = 'REQUIRES'
  MATCH (a:Need {id: k.from})-[r:REQUIRES]->(b:Competency {id: k.to})
  USING INDEX a:Need(id) USING INDEX b:Competency(id)
  RETURN a.id AS from, b.id AS to, r
  UNION ALL
  WITH k WHERE k.type = 'ADDRESSES'
  MATCH (a:Project {id: k.from})-[r:ADDRESSES]->(b:Need {id: k.to})
  USING INDEX a:Project(id) USING INDEX b:Need(id)
  RETURN a.id AS from, b.id AS to, r
  UNION ALL
  WITH k WHERE k.type = 'MEMBER_OF'
  MATCH (a:Actor {id: k.from})-[r:MEMBER_OF]->(b:Actor {id: k.to})
  USING INDEX a:Actor(id) USING INDEX b:Actor(id)
  RETURN a.id AS from, b.id AS to, r
  UNION ALL
  WITH k WHERE k.type = 'PARTNERS_WITH'
  MATCH (a:Actor {id: k.from})-[r:PARTNERS_WITH]-(b:Actor {id: k.to})
  USING INDEX a:Actor(id) USING INDEX b:Actor(id)
  RETURN startNode(r).id AS from, endNode(r).id AS to, r
  UNION ALL
  WITH k WHERE k.type = 'PART_OF'
  MATCH (a:Actor {id: k.from})-[r:PART_OF]->(b:Actor {id: k.to})
  USING INDEX a:Actor(id) USING INDEX b:Actor(id)
  RETURN a.id AS from, b.id AS to, r
  UNION ALL
  WITH k WHERE k.type = 'PART_OF'
  MATCH (a:Project {id: k.from})-[r:PART_OF]->(b:Project {id: k.to})
  USING INDEX a:Project(id) USING INDEX b:Project(id)
  RETURN a.id AS from, b.id AS to, r
  UNION ALL
  WITH k WHERE k.type = 'SUPPLIES'
  MATCH (a:Actor {id: k.from})-[r:SUPPLIES]->(b:Actor {id: k.to})
  USING INDEX a:Actor(id) USING INDEX b:Actor(id)
  RETURN a.id AS from, b.id AS to, r
}
RETURN from, to, r

// params: $keys: LIST<MAP>
// The stored relationships with these keys, each {type: STRING, from:
// STRING, to: STRING}: one typed pattern per kg.RelTypes entry, between the
// labels the type joins, so both endpoints are found by their label's id
// index and only the asked type's relationship group is read. A symmetric
// relationship (PARTNERS_WITH) is found in either stored direction and
// comes back in the stored one. Whatever the planner's statistics say,
// each end is an index seek (the SEEK hints) and the relationship is
// looked for between the two bound ends in a subquery of its own
// (Expand(Into), from the end with fewer relationships), so a key costs
// the same on any graph. A plan cached while a test's database was nearly
// empty once scanned a whole id index per key (a plain USING INDEX allows
// that), or expanded a big project's participants, and an import of 5,000
// relationships took a minute instead of a second.
UNWIND $keys AS k
CALL (k) {
  WITH k WHERE k.type = 'PARTICIPATES_IN'
  MATCH (a:Actor {id: k.from}) USING INDEX SEEK a:Actor(id)
  MATCH (b:Project {id: k.to}) USING INDEX SEEK b:Project(id)
  CALL (a, b) { MATCH (a)-[r:PARTICIPATES_IN]->(b) RETURN r }
  RETURN a.id AS from, b.id AS to, r
  UNION ALL
  WITH k WHERE k.type = 'HAS_COMPETENCY'
  MATCH (a:Actor {id: k.from}) USING INDEX SEEK a:Actor(id)
  MATCH (b:Competency {id: k.to}) USING INDEX SEEK b:Competency(id)
  CALL (a, b) { MATCH (a)-[r:HAS_COMPETENCY]->(b) RETURN r }
  RETURN a.id AS from, b.id AS to, r
  UNION ALL
  WITH k WHERE k.type = 'HAS_NEED'
  MATCH (a:Actor {id: k.from}) USING INDEX SEEK a:Actor(id)
  MATCH (b:Need {id: k.to}) USING INDEX SEEK b:Need(id)
  CALL (a, b) { MATCH (a)-[r:HAS_NEED]->(b) RETURN r }
  RETURN a.id AS from, b.id AS to, r
  UNION ALL
  WITH k WHERE k.type = 'REQUIRES'
  MATCH (a:Need {id: k.from}) USING INDEX SEEK a:Need(id)
  MATCH (b:Competency {id: k.to}) USING INDEX SEEK b:Competency(id)
  CALL (a, b) { MATCH (a)-[r:REQUIRES]->(b) RETURN r }
  RETURN a.id AS from, b.id AS to, r
  UNION ALL
  WITH k WHERE k.type = 'ADDRESSES'
  MATCH (a:Project {id: k.from}) USING INDEX SEEK a:Project(id)
  MATCH (b:Need {id: k.to}) USING INDEX SEEK b:Need(id)
  CALL (a, b) { MATCH (a)-[r:ADDRESSES]->(b) RETURN r }
  RETURN a.id AS from, b.id AS to, r
  UNION ALL
  WITH k WHERE k.type = 'MEMBER_OF'
  MATCH (a:Actor {id: k.from}) USING INDEX SEEK a:Actor(id)
  MATCH (b:Actor {id: k.to}) USING INDEX SEEK b:Actor(id)
  CALL (a, b) { MATCH (a)-[r:MEMBER_OF]->(b) RETURN r }
  RETURN a.id AS from, b.id AS to, r
  UNION ALL
  WITH k WHERE k.type = 'PARTNERS_WITH'
  MATCH (a:Actor {id: k.from}) USING INDEX SEEK a:Actor(id)
  MATCH (b:Actor {id: k.to}) USING INDEX SEEK b:Actor(id)
  CALL (a, b) { MATCH (a)-[r:PARTNERS_WITH]-(b) RETURN r }
  RETURN startNode(r).id AS from, endNode(r).id AS to, r
  UNION ALL
  WITH k WHERE k.type = 'PART_OF'
  MATCH (a:Actor {id: k.from}) USING INDEX SEEK a:Actor(id)
  MATCH (b:Actor {id: k.to}) USING INDEX SEEK b:Actor(id)
  CALL (a, b) { MATCH (a)-[r:PART_OF]->(b) RETURN r }
  RETURN a.id AS from, b.id AS to, r
  UNION ALL
  WITH k WHERE k.type = 'PART_OF'
  MATCH (a:Project {id: k.from}) USING INDEX SEEK a:Project(id)
  MATCH (b:Project {id: k.to}) USING INDEX SEEK b:Project(id)
  CALL (a, b) { MATCH (a)-[r:PART_OF]->(b) RETURN r }
  RETURN a.id AS from, b.id AS to, r
  UNION ALL
  WITH k WHERE k.type = 'SUPPLIES'
  MATCH (a:Actor {id: k.from}) USING INDEX SEEK a:Actor(id)
  MATCH (b:Actor {id: k.to}) USING INDEX SEEK b:Actor(id)
  CALL (a, b) { MATCH (a)-[r:SUPPLIES]->(b) RETURN r }
  RETURN a.id AS from, b.id AS to, r
}
RETURN from, to, type(r) AS type, r {.sources, .createdAt, .updatedAt, .basis, .quote, .from, .to, .role, .amount, .currency, .level, .evidence, .importance, .since, .description} AS r

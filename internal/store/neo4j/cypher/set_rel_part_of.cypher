// params: $rows: LIST<MAP>
// Each row is {from: STRING, to: STRING, props: MAP}, validated by the store.
// The SEEK hints keep each end an index seek whatever the statistics say
// (rels_by_key.cypher says why).
UNWIND $rows AS row
// A part and its whole are both actors or both projects.
MATCH (a:Node {id: row.from}) USING INDEX SEEK a:Node(id)
WHERE a:Actor OR a:Project
MATCH (b:Node {id: row.to}) USING INDEX SEEK b:Node(id)
WHERE (a:Actor AND b:Actor) OR (a:Project AND b:Project)
MERGE (a)-[r:PART_OF]->(b)
SET r = row.props
RETURN a.id AS from, b.id AS to, type(r) AS type, r {.sources, .createdAt, .updatedAt, .basis, .quote, .from, .to, .role, .amount, .currency, .level, .evidence, .importance, .since, .description} AS r

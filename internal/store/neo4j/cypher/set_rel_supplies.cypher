// params: $rows: LIST<MAP>
// Each row is {from: STRING, to: STRING, props: MAP}, validated by the store.
UNWIND $rows AS row
MATCH (a:Node {id: row.from})
WHERE a:Actor
MATCH (b:Node {id: row.to})
WHERE b:Actor
MERGE (a)-[r:SUPPLIES]->(b)
SET r = row.props
RETURN a.id AS from, b.id AS to, r

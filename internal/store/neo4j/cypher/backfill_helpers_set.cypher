// params: $rows: LIST<MAP>
// Each row is {id: STRING, props: MAP}: the helper properties of one node,
// added to what it has.
UNWIND $rows AS row
MATCH (n:Node {id: row.id})
SET n += row.props

// params: $rows: LIST<MAP>
// Each row is {eid: STRING, props: MAP}: the folded copies of one
// relationship's text, added to what it has.
UNWIND $rows AS row
MATCH ()-[r]->()
WHERE elementId(r) = row.eid
SET r += row.props

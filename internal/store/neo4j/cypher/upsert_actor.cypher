// params: $rows: LIST<MAP>
// Each row is {id: STRING, props: MAP}; props holds every property, so SET
// replaces the node's properties. A row whose id belongs to a node of another
// label yields no record, which the store reports as a conflict.
UNWIND $rows AS row
MERGE (n:Node {id: row.id})
ON CREATE SET n:Actor
WITH n, row
WHERE n:Actor
SET n = row.props
RETURN n {.id, .name, .description, .sources, .createdAt, .updatedAt, .kind, .sector, .country, .region, .city, .website, .aliases, .externalIds} AS node

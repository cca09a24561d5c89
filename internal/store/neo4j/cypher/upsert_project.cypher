// params: $rows: LIST<MAP>
// Each row is {id: STRING, props: MAP}; props holds every property, so SET
// replaces the node's properties. A row whose id belongs to a node of another
// label yields no record, which the store reports as a conflict.
UNWIND $rows AS row
MERGE (n:Node {id: row.id})
ON CREATE SET n:Project
WITH n, row
WHERE n:Project
SET n = row.props
RETURN n {.id, .name, .description, .sources, .createdAt, .updatedAt, .status, .startDate, .endDate, .url, .programme, .type, .country, .region, .city, .aliases} AS node

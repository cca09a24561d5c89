// params: $rows: LIST<MAP>
// Each row is {id: STRING, keys: LIST<STRING>}, as in
// external_ids_release.cypher: creates the helper node (:ExternalId {key})
// of every key the actor does not have yet, linked to it. A key another
// actor's helper holds fails the constraint external_id_key_unique (also
// when a concurrent write took it since the write path's check), which the
// store reports as a conflict.
UNWIND $rows AS row
MATCH (n:Node {id: row.id})
UNWIND row.keys AS key
WITH n, key
WHERE NOT EXISTS { MATCH (:ExternalId {key: key})-[:IDENTIFIES]->(n) }
CREATE (:ExternalId {key: key})-[:IDENTIFIES]->(n)

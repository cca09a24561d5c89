// params: $keys: LIST<STRING>
// The actor holding each of these external id keys (kg.ExternalID.Key), for
// the write path's check (kg.Lookup.ExternalIDOwners); keys no actor holds
// give no row. Served by the constraint external_id_key_unique's index.
UNWIND $keys AS key
MATCH (:ExternalId {key: key})-[:IDENTIFIES]->(n:Node)
RETURN key, n.id AS id

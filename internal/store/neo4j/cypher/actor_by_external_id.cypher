// params: $key: STRING
// The actor holding the external id with this key (kg.ExternalID.Key), found
// through the constraint external_id_key_unique's index; no row when none.
MATCH (:ExternalId {key: $key})-[:IDENTIFIES]->(n:Actor)
RETURN n {.id, .name, .description, .sources, .createdAt, .updatedAt, .kind, .sector, .country, .region, .city, .website, .aliases, .externalIds} AS node

// params: $ids: LIST<STRING>
// The domain properties of every label (a property another label has reads
// as null, which the store maps to the zero value) and the labels that say
// which; never the store's "_" helpers.
UNWIND $ids AS id
MATCH (n:Node {id: id})
RETURN n {.id, .name, .description, .sources, .createdAt, .updatedAt, .kind, .sector, .country, .region, .city, .website, .aliases, .externalIds, .status, .startDate, .endDate, .url, .programme, .type, .priority, .category} AS node, labels(n) AS labels

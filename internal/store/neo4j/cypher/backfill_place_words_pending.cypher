// params: $limit: INTEGER
// Schema version 4 stores _placeWords (and place words in _text), which
// older builds did not write: the nodes that lack it, a batch at a time,
// with what the store needs to compute it.
MATCH (n:Node)
WHERE n._placeWords IS NULL
RETURN n {.id, .name, .description, .sources, .createdAt, .updatedAt, .kind, .sector, .country, .region, .city, .website, .aliases, .externalIds, .status, .startDate, .endDate, .url, .programme, .type, .priority, .category} AS node, labels(n) AS labels
LIMIT $limit

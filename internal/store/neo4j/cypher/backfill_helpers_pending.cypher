// params: $limit: INTEGER
// Schema version 2 stores helpers that older builds did not write
// (_nameWords, _descWords, _foldNameText): the nodes that lack them, a batch
// at a time, with what the store needs to compute them.
MATCH (n:Node)
WHERE n._nameWords IS NULL
RETURN n {.id, .name, .description, .sources, .createdAt, .updatedAt, .kind, .sector, .country, .region, .city, .website, .aliases, .externalIds, .status, .startDate, .endDate, .url, .programme, .type, .priority, .category} AS node, labels(n) AS labels
LIMIT $limit

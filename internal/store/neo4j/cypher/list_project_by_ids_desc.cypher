// params: $ids: LIST<STRING>, $nameContains: STRING, $statuses: LIST<STRING>, $programmes: LIST<STRING>
// params: $orderField: STRING, $afterKey: STRING, $afterId: STRING, $limit: INTEGER
// One page of Project nodes when the filter on ids is set: its index finds
// the matching nodes, which are then sorted by the order's key and id (see
// kg.SortKey; keys are stored as orderKey makes them). The keyset condition is
// kg.Cursor.After; before the first page the store passes keys that every
// node passes ("" ascending, U+FFFF descending).
MATCH (n:Project)
USING INDEX n:Project(id)
WHERE n.id IN $ids
  AND ($nameContains = '' OR any(s IN n._foldNames WHERE s CONTAINS $nameContains))
  AND (size($statuses) = 0 OR n.status IN $statuses)
  AND (size($programmes) = 0 OR n._foldProgramme IN $programmes)
WITH n,
  CASE $orderField
    WHEN 'NAME' THEN n._sortName
    WHEN 'CREATED_AT' THEN n.createdAt
    WHEN 'UPDATED_AT' THEN n.updatedAt
    ELSE ''
  END AS key
WHERE key < $afterKey OR (key = $afterKey AND n.id < $afterId)
RETURN n {.id, .name, .description, .sources, .createdAt, .updatedAt, .status, .startDate, .endDate, .url, .programme, .type, .country, .region, .city, .aliases} AS node
ORDER BY key DESC, n.id DESC
LIMIT $limit

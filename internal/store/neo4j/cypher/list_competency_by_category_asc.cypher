// params: $ids: LIST<STRING>, $nameContains: STRING, $categories: LIST<STRING>
// params: $orderField: STRING, $afterKey: STRING, $afterId: STRING, $limit: INTEGER
// One page of Competency nodes when the filter on category is set: its index finds
// the matching nodes, which are then sorted by the order's key and id (see
// kg.SortKey; keys are stored as orderKey makes them). The keyset condition is
// kg.Cursor.After; before the first page the store passes keys that every
// node passes ("" ascending, U+FFFF descending).
MATCH (n:Competency)
USING INDEX n:Competency(category)
WHERE n.category IN $categories
  AND (size($ids) = 0 OR n.id IN $ids)
  AND ($nameContains = '' OR any(s IN n._foldNames WHERE s CONTAINS $nameContains))
WITH n,
  CASE $orderField
    WHEN 'NAME' THEN n._sortName
    WHEN 'CREATED_AT' THEN n.createdAt
    WHEN 'UPDATED_AT' THEN n.updatedAt
    ELSE ''
  END AS key
WHERE key > $afterKey OR (key = $afterKey AND n.id > $afterId)
RETURN n {.id, .name, .description, .sources, .createdAt, .updatedAt, .category, .aliases} AS node
ORDER BY key, n.id
LIMIT $limit

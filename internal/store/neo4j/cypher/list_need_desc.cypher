// params: $ids: LIST<STRING>, $nameContains: STRING
// params: $statuses: LIST<STRING>, $minPriority: INTEGER
// params: $orderField: STRING, $hasAfter: BOOLEAN, $afterKey: STRING, $afterId: STRING, $limit: INTEGER
// One page in kg order (sort key, then id); the keyset condition is
// kg.Cursor.After. Sort keys are stored in a form whose Cypher string order
// equals Go's byte order (see orderKey).
MATCH (n:Need)
WHERE (size($ids) = 0 OR n.id IN $ids)
  AND ($nameContains = '' OR any(s IN n._foldNames WHERE s CONTAINS $nameContains))
  AND (size($statuses) = 0 OR n.status IN $statuses)
  AND n.priority >= $minPriority
WITH n,
  CASE $orderField
    WHEN 'NAME' THEN n._sortName
    WHEN 'CREATED_AT' THEN n.createdAt
    WHEN 'UPDATED_AT' THEN n.updatedAt
    ELSE ''
  END AS key
WHERE NOT $hasAfter OR key < $afterKey OR (key = $afterKey AND n.id < $afterId)
RETURN n
ORDER BY key DESC, n.id DESC
LIMIT $limit

// params: $ids: LIST<STRING>, $nameContains: STRING
// params: $kinds: LIST<STRING>, $sectors: LIST<STRING>, $countries: LIST<STRING>, $regions: LIST<STRING>, $cities: LIST<STRING>
// params: $orderField: STRING, $hasAfter: BOOLEAN, $afterKey: STRING, $afterId: STRING, $limit: INTEGER
// One page in kg order (sort key, then id); the keyset condition is
// kg.Cursor.After. Sort keys are stored in a form whose Cypher string order
// equals Go's byte order (see orderKey).
MATCH (n:Actor)
WHERE (size($ids) = 0 OR n.id IN $ids)
  AND ($nameContains = '' OR any(s IN n._foldNames WHERE s CONTAINS $nameContains))
  AND (size($kinds) = 0 OR n.kind IN $kinds)
  AND (size($sectors) = 0 OR n.sector IN $sectors)
  AND (size($countries) = 0 OR n.country IN $countries)
  AND (size($regions) = 0 OR n._foldRegion IN $regions)
  AND (size($cities) = 0 OR n._foldCity IN $cities)
WITH n,
  CASE $orderField
    WHEN 'NAME' THEN n._sortName
    WHEN 'CREATED_AT' THEN n.createdAt
    WHEN 'UPDATED_AT' THEN n.updatedAt
    ELSE ''
  END AS key
WHERE NOT $hasAfter OR key > $afterKey OR (key = $afterKey AND n.id > $afterId)
RETURN n
ORDER BY key, n.id
LIMIT $limit

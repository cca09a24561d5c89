// params: $ids: LIST<STRING>, $nameContains: STRING, $kinds: LIST<STRING>, $sectors: LIST<STRING>, $countries: LIST<STRING>, $regions: LIST<STRING>, $cities: LIST<STRING>
// params: $orderField: STRING, $afterKey: STRING, $afterId: STRING, $limit: INTEGER
// One page of Actor nodes when the filter on sector is set: its index finds
// the matching nodes, which are then sorted by the order's key and id (see
// kg.SortKey; keys are stored as orderKey makes them). The keyset condition is
// kg.Cursor.After; before the first page the store passes keys that every
// node passes ("" ascending, U+FFFF descending).
MATCH (n:Actor)
USING INDEX n:Actor(sector)
WHERE n.sector IN $sectors
  AND (size($ids) = 0 OR n.id IN $ids)
  AND ($nameContains = '' OR any(s IN n._foldNames WHERE s CONTAINS $nameContains))
  AND (size($kinds) = 0 OR n.kind IN $kinds)
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
WHERE key < $afterKey OR (key = $afterKey AND n.id < $afterId)
RETURN n {.id, .name, .description, .sources, .createdAt, .updatedAt, .kind, .sector, .country, .region, .city, .website, .aliases, .externalIds} AS node
ORDER BY key DESC, n.id DESC
LIMIT $limit

// params: $ids: LIST<STRING>, $nameContains: STRING, $kinds: LIST<STRING>, $sectors: LIST<STRING>, $countries: LIST<STRING>, $regions: LIST<STRING>, $cities: LIST<STRING>
// params: $afterKey: STRING, $afterId: STRING, $limit: INTEGER
// One page of Actor nodes in ascending order of createdAt, then id, served by
// the range index actor_created_at (the hint keeps the planner from preferring another
// index for the id tie-break): the keyset condition (kg.Cursor.After) is a range
// seek and the index gives the order (only ties on the key are sorted, by
// PartialTop). Before the first page the store passes keys that every
// node passes ("" ascending, U+FFFF descending). The filters are checked on
// the rows the index yields.
MATCH (n:Actor)
USING INDEX n:Actor(createdAt)
WHERE n.createdAt >= $afterKey AND [n.createdAt, n.id] > [$afterKey, $afterId]
  AND (size($ids) = 0 OR n.id IN $ids)
  AND ($nameContains = '' OR any(s IN n._foldNames WHERE s CONTAINS $nameContains))
  AND (size($kinds) = 0 OR n.kind IN $kinds)
  AND (size($sectors) = 0 OR n.sector IN $sectors)
  AND (size($countries) = 0 OR n.country IN $countries)
  AND (size($regions) = 0 OR n._foldRegion IN $regions)
  AND (size($cities) = 0 OR n._foldCity IN $cities)
RETURN n {.id, .name, .description, .sources, .createdAt, .updatedAt, .kind, .sector, .country, .region, .city, .website, .aliases, .externalIds} AS node
ORDER BY n.createdAt, n.id
LIMIT $limit

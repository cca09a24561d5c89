// params: $ids: LIST<STRING>, $nameContains: STRING, $kinds: LIST<STRING>, $sectors: LIST<STRING>, $countries: LIST<STRING>, $regions: LIST<STRING>, $cities: LIST<STRING>
// The total of list_actor_by_sector_asc/desc: the index on sector finds the
// matching nodes; the other filters are checked on them.
MATCH (n:Actor)
USING INDEX n:Actor(sector)
WHERE n.sector IN $sectors
  AND (size($ids) = 0 OR n.id IN $ids)
  AND ($nameContains = '' OR any(s IN n._foldNames WHERE s CONTAINS $nameContains))
  AND (size($kinds) = 0 OR n.kind IN $kinds)
  AND (size($countries) = 0 OR n.country IN $countries)
  AND (size($regions) = 0 OR n._foldRegion IN $regions)
  AND (size($cities) = 0 OR n._foldCity IN $cities)
RETURN count(n) AS total

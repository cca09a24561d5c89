// params: $ids: LIST<STRING>, $nameContains: STRING, $kinds: LIST<STRING>, $sectors: LIST<STRING>, $countries: LIST<STRING>, $regions: LIST<STRING>, $cities: LIST<STRING>
// The total of list_actor_by_name_asc/desc: the index on name finds the
// matching nodes; the other filters are checked on them.
MATCH (n:Actor)
USING TEXT INDEX n:Actor(_foldNameText)
WHERE n._foldNameText CONTAINS $nameContains AND any(s IN n._foldNames WHERE s CONTAINS $nameContains)
  AND (size($ids) = 0 OR n.id IN $ids)
  AND (size($kinds) = 0 OR n.kind IN $kinds)
  AND (size($sectors) = 0 OR n.sector IN $sectors)
  AND (size($countries) = 0 OR n.country IN $countries)
  AND (size($regions) = 0 OR n._foldRegion IN $regions)
  AND (size($cities) = 0 OR n._foldCity IN $cities)
RETURN count(n) AS total

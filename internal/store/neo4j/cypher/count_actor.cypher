// params: $ids: LIST<STRING>, $nameContains: STRING, $kinds: LIST<STRING>, $sectors: LIST<STRING>, $countries: LIST<STRING>, $regions: LIST<STRING>, $cities: LIST<STRING>
// The total when no indexed filter is set but another one is (kg.Filter.Match
// for a Actor, with the folded values precomputed by the store): this scans
// the label. Without any filter the store runs count_actor_all instead.
MATCH (n:Actor)
WHERE (size($ids) = 0 OR n.id IN $ids)
  AND ($nameContains = '' OR any(s IN n._foldNames WHERE s CONTAINS $nameContains))
  AND (size($kinds) = 0 OR n.kind IN $kinds)
  AND (size($sectors) = 0 OR n.sector IN $sectors)
  AND (size($countries) = 0 OR n.country IN $countries)
  AND (size($regions) = 0 OR n._foldRegion IN $regions)
  AND (size($cities) = 0 OR n._foldCity IN $cities)
RETURN count(n) AS total

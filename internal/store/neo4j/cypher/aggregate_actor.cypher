// params: $ids: LIST<STRING>, $nameContains: STRING, $kinds: LIST<STRING>, $sectors: LIST<STRING>, $countries: LIST<STRING>, $regions: LIST<STRING>, $cities: LIST<STRING>, $groupBy: STRING
// Store.Aggregate of actors: the filter of count_actor (kg.Filter.Match),
// the matching actors counted per value of $groupBy (kg.GroupValue; '' is
// one group of all). A value the actor lacks is null.
MATCH (n:Actor)
WHERE (size($ids) = 0 OR n.id IN $ids)
  AND ($nameContains = '' OR any(s IN n._foldNames WHERE s CONTAINS $nameContains))
  AND (size($kinds) = 0 OR n.kind IN $kinds)
  AND (size($sectors) = 0 OR n.sector IN $sectors)
  AND (size($countries) = 0 OR n.country IN $countries)
  AND (size($regions) = 0 OR n._foldRegion IN $regions)
  AND (size($cities) = 0 OR n._foldCity IN $cities)
WITH CASE $groupBy
    WHEN 'KIND' THEN n.kind
    WHEN 'SECTOR' THEN n.sector
    WHEN 'COUNTRY' THEN n.country
    WHEN 'REGION' THEN n.region
    WHEN 'CITY' THEN n.city
  END AS value
RETURN value, count(*) AS count

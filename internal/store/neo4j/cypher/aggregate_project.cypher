// params: $ids: LIST<STRING>, $nameContains: STRING, $statuses: LIST<STRING>, $programmes: LIST<STRING>, $groupBy: STRING
// Store.Aggregate of projects: the filter of count_project, the matching
// projects counted per value of $groupBy (kg.GroupValue: a project without
// a type is a PROJECT).
MATCH (n:Project)
WHERE (size($ids) = 0 OR n.id IN $ids)
  AND ($nameContains = '' OR any(s IN n._foldNames WHERE s CONTAINS $nameContains))
  AND (size($statuses) = 0 OR n.status IN $statuses)
  AND (size($programmes) = 0 OR n._foldProgramme IN $programmes)
WITH CASE $groupBy
    WHEN 'STATUS' THEN n.status
    WHEN 'TYPE' THEN CASE WHEN n.type IS NULL OR n.type = '' THEN 'PROJECT' ELSE n.type END
    WHEN 'COUNTRY' THEN n.country
    WHEN 'REGION' THEN n.region
    WHEN 'CITY' THEN n.city
  END AS value
RETURN value, count(*) AS count

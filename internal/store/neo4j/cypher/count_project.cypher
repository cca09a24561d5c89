// params: $ids: LIST<STRING>, $nameContains: STRING, $statuses: LIST<STRING>, $programmes: LIST<STRING>
// The total when no indexed filter is set but another one is (kg.Filter.Match
// for a Project, with the folded values precomputed by the store): this scans
// the label. Without any filter the store runs count_project_all instead.
MATCH (n:Project)
WHERE (size($ids) = 0 OR n.id IN $ids)
  AND ($nameContains = '' OR any(s IN n._foldNames WHERE s CONTAINS $nameContains))
  AND (size($statuses) = 0 OR n.status IN $statuses)
  AND (size($programmes) = 0 OR n._foldProgramme IN $programmes)
RETURN count(n) AS total

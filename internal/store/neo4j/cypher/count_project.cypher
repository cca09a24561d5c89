// params: $ids: LIST<STRING>, $nameContains: STRING
// params: $statuses: LIST<STRING>, $programmes: LIST<STRING>
// The filter of list_project_asc/desc: kg.Filter.Match for a Project, with the
// folded values precomputed by the store (_foldNames, _fold* helpers).
MATCH (n:Project)
WHERE (size($ids) = 0 OR n.id IN $ids)
  AND ($nameContains = '' OR any(s IN n._foldNames WHERE s CONTAINS $nameContains))
  AND (size($statuses) = 0 OR n.status IN $statuses)
  AND (size($programmes) = 0 OR n._foldProgramme IN $programmes)
RETURN count(n) AS total

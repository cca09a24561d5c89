// params: $ids: LIST<STRING>, $nameContains: STRING, $statuses: LIST<STRING>, $programmes: LIST<STRING>
// The total of list_project_by_ids_asc/desc: the index on ids finds the
// matching nodes; the other filters are checked on them.
MATCH (n:Project)
USING INDEX n:Project(id)
WHERE n.id IN $ids
  AND ($nameContains = '' OR any(s IN n._foldNames WHERE s CONTAINS $nameContains))
  AND (size($statuses) = 0 OR n.status IN $statuses)
  AND (size($programmes) = 0 OR n._foldProgramme IN $programmes)
RETURN count(n) AS total

// params: $ids: LIST<STRING>, $nameContains: STRING, $statuses: LIST<STRING>, $programmes: LIST<STRING>
// The total of list_project_by_status_asc/desc: the index on status finds the
// matching nodes; the other filters are checked on them.
MATCH (n:Project)
USING INDEX n:Project(status)
WHERE n.status IN $statuses
  AND (size($ids) = 0 OR n.id IN $ids)
  AND ($nameContains = '' OR any(s IN n._foldNames WHERE s CONTAINS $nameContains))
  AND (size($programmes) = 0 OR n._foldProgramme IN $programmes)
RETURN count(n) AS total

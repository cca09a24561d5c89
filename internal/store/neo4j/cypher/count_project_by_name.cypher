// params: $ids: LIST<STRING>, $nameContains: STRING, $statuses: LIST<STRING>, $programmes: LIST<STRING>
// The total of list_project_by_name_asc/desc: the index on name finds the
// matching nodes; the other filters are checked on them.
MATCH (n:Project)
USING TEXT INDEX n:Project(_foldNameText)
WHERE n._foldNameText CONTAINS $nameContains AND any(s IN n._foldNames WHERE s CONTAINS $nameContains)
  AND (size($ids) = 0 OR n.id IN $ids)
  AND (size($statuses) = 0 OR n.status IN $statuses)
  AND (size($programmes) = 0 OR n._foldProgramme IN $programmes)
RETURN count(n) AS total

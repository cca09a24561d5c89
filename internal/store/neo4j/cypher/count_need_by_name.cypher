// params: $ids: LIST<STRING>, $nameContains: STRING, $statuses: LIST<STRING>, $minPriority: INTEGER
// The total of list_need_by_name_asc/desc: the index on name finds the
// matching nodes; the other filters are checked on them.
MATCH (n:Need)
USING TEXT INDEX n:Need(_foldNameText)
WHERE n._foldNameText CONTAINS $nameContains AND any(s IN n._foldNames WHERE s CONTAINS $nameContains)
  AND (size($ids) = 0 OR n.id IN $ids)
  AND (size($statuses) = 0 OR n.status IN $statuses)
  AND n.priority >= $minPriority
RETURN count(n) AS total

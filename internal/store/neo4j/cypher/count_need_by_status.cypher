// params: $ids: LIST<STRING>, $nameContains: STRING, $statuses: LIST<STRING>, $minPriority: INTEGER
// The total of list_need_by_status_asc/desc: the index on status finds the
// matching nodes; the other filters are checked on them.
MATCH (n:Need)
USING INDEX n:Need(status)
WHERE n.status IN $statuses
  AND (size($ids) = 0 OR n.id IN $ids)
  AND ($nameContains = '' OR any(s IN n._foldNames WHERE s CONTAINS $nameContains))
  AND n.priority >= $minPriority
RETURN count(n) AS total

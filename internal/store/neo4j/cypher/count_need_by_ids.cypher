// params: $ids: LIST<STRING>, $nameContains: STRING, $statuses: LIST<STRING>, $minPriority: INTEGER
// The total of list_need_by_ids_asc/desc: the index on ids finds the
// matching nodes; the other filters are checked on them.
MATCH (n:Need)
USING INDEX n:Need(id)
WHERE n.id IN $ids
  AND ($nameContains = '' OR any(s IN n._foldNames WHERE s CONTAINS $nameContains))
  AND (size($statuses) = 0 OR n.status IN $statuses)
  AND n.priority >= $minPriority
RETURN count(n) AS total

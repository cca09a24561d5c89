// params: $ids: LIST<STRING>, $nameContains: STRING
// params: $statuses: LIST<STRING>, $minPriority: INTEGER
// The filter of list_need_asc/desc: kg.Filter.Match for a Need, with the
// folded values precomputed by the store (_foldNames, _fold* helpers).
MATCH (n:Need)
WHERE (size($ids) = 0 OR n.id IN $ids)
  AND ($nameContains = '' OR any(s IN n._foldNames WHERE s CONTAINS $nameContains))
  AND (size($statuses) = 0 OR n.status IN $statuses)
  AND n.priority >= $minPriority
RETURN count(n) AS total

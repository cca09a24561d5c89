// params: $ids: LIST<STRING>, $nameContains: STRING, $statuses: LIST<STRING>, $minPriority: INTEGER
// params: $afterId: STRING, $limit: INTEGER
// One page of Need nodes in descending order of id, served by
// the range index need_id (the hint keeps the planner from preferring another
// index for the id tie-break): the keyset condition (kg.Cursor.After) is a range
// seek and the index gives the order, so no sort. The store passes an
// afterId that nothing passes before the first page ("" ascending,
// U+FFFF descending). The filters are checked on the rows the index yields.
MATCH (n:Need)
USING INDEX n:Need(id)
WHERE n.id < $afterId
  AND (size($ids) = 0 OR n.id IN $ids)
  AND ($nameContains = '' OR any(s IN n._foldNames WHERE s CONTAINS $nameContains))
  AND (size($statuses) = 0 OR n.status IN $statuses)
  AND n.priority >= $minPriority
RETURN n {.id, .name, .description, .sources, .createdAt, .updatedAt, .status, .priority} AS node
ORDER BY n.id DESC
LIMIT $limit

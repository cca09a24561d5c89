// params: $ids: LIST<STRING>, $nameContains: STRING, $statuses: LIST<STRING>, $programmes: LIST<STRING>
// params: $afterKey: STRING, $afterId: STRING, $limit: INTEGER
// One page of Project nodes in ascending order of updatedAt, then id, served by
// the range index project_updated_at (the hint keeps the planner from preferring another
// index for the id tie-break): the keyset condition (kg.Cursor.After) is a range
// seek and the index gives the order (only ties on the key are sorted, by
// PartialTop). Before the first page the store passes keys that every
// node passes ("" ascending, U+FFFF descending). The filters are checked on
// the rows the index yields.
MATCH (n:Project)
USING INDEX n:Project(updatedAt)
WHERE n.updatedAt >= $afterKey AND [n.updatedAt, n.id] > [$afterKey, $afterId]
  AND (size($ids) = 0 OR n.id IN $ids)
  AND ($nameContains = '' OR any(s IN n._foldNames WHERE s CONTAINS $nameContains))
  AND (size($statuses) = 0 OR n.status IN $statuses)
  AND (size($programmes) = 0 OR n._foldProgramme IN $programmes)
RETURN n {.id, .name, .description, .sources, .createdAt, .updatedAt, .status, .startDate, .endDate, .url, .programme, .type, .country, .region, .city, .aliases} AS node
ORDER BY n.updatedAt, n.id
LIMIT $limit

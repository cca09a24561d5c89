// params: $ids: LIST<STRING>, $nameContains: STRING, $statuses: LIST<STRING>, $programmes: LIST<STRING>
// params: $afterId: STRING, $limit: INTEGER
// One page of Project nodes in descending order of id, served by
// the range index project_id (the hint keeps the planner from preferring another
// index for the id tie-break): the keyset condition (kg.Cursor.After) is a range
// seek and the index gives the order, so no sort. The store passes an
// afterId that nothing passes before the first page ("" ascending,
// U+FFFF descending). The filters are checked on the rows the index yields.
MATCH (n:Project)
USING INDEX n:Project(id)
WHERE n.id < $afterId
  AND (size($ids) = 0 OR n.id IN $ids)
  AND ($nameContains = '' OR any(s IN n._foldNames WHERE s CONTAINS $nameContains))
  AND (size($statuses) = 0 OR n.status IN $statuses)
  AND (size($programmes) = 0 OR n._foldProgramme IN $programmes)
RETURN n {.id, .name, .description, .sources, .createdAt, .updatedAt, .status, .startDate, .endDate, .url, .programme, .type, .country, .region, .city, .aliases} AS node
ORDER BY n.id DESC
LIMIT $limit

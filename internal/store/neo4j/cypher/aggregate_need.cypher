// params: $ids: LIST<STRING>, $nameContains: STRING, $statuses: LIST<STRING>, $minPriority: INTEGER, $groupBy: STRING
// Store.Aggregate of needs: the filter of count_need, the matching needs
// counted per value of $groupBy, with their priorities and the importances
// of their requirements (count, min, max, sum) per group.
MATCH (n:Need)
WHERE (size($ids) = 0 OR n.id IN $ids)
  AND ($nameContains = '' OR any(s IN n._foldNames WHERE s CONTAINS $nameContains))
  AND (size($statuses) = 0 OR n.status IN $statuses)
  AND n.priority >= $minPriority
OPTIONAL MATCH (n)-[r:REQUIRES]->(:Competency)
WITH n, count(r) AS iN, min(r.importance) AS iMin, max(r.importance) AS iMax, sum(r.importance) AS iSum
WITH n, iN, iMin, iMax, iSum,
  CASE $groupBy
    WHEN 'STATUS' THEN n.status
    WHEN 'PRIORITY' THEN toString(n.priority)
  END AS value
RETURN value, count(*) AS count,
  min(n.priority) AS pMin, max(n.priority) AS pMax, sum(n.priority) AS pSum,
  sum(iN) AS iN, min(iMin) AS iMin, max(iMax) AS iMax, sum(iSum) AS iSum

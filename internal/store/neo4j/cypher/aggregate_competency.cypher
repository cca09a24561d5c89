// params: $ids: LIST<STRING>, $nameContains: STRING, $categories: LIST<STRING>, $groupBy: STRING
// Store.Aggregate of competencies: the filter of the competency counts, the
// matching competencies counted per value of $groupBy, with the levels of
// their holders and the importances of the needs that require them (count,
// min, max, sum) per group.
MATCH (n:Competency)
WHERE (size($ids) = 0 OR n.id IN $ids)
  AND ($nameContains = '' OR any(s IN n._foldNames WHERE s CONTAINS $nameContains))
  AND (size($categories) = 0 OR n.category IN $categories)
OPTIONAL MATCH (:Actor)-[h:HAS_COMPETENCY]->(n)
WITH n, count(h) AS lN, min(h.level) AS lMin, max(h.level) AS lMax, sum(h.level) AS lSum
OPTIONAL MATCH (:Need)-[r:REQUIRES]->(n)
WITH n, lN, lMin, lMax, lSum, count(r) AS iN, min(r.importance) AS iMin, max(r.importance) AS iMax, sum(r.importance) AS iSum
WITH n, lN, lMin, lMax, lSum, iN, iMin, iMax, iSum,
  CASE $groupBy
    WHEN 'CATEGORY' THEN n.category
  END AS value
RETURN value, count(*) AS count,
  sum(lN) AS lN, min(lMin) AS lMin, max(lMax) AS lMax, sum(lSum) AS lSum,
  sum(iN) AS iN, min(iMin) AS iMin, max(iMax) AS iMax, sum(iSum) AS iSum

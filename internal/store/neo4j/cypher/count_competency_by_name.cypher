// params: $ids: LIST<STRING>, $nameContains: STRING, $categories: LIST<STRING>
// The total of list_competency_by_name_asc/desc: the index on name finds the
// matching nodes; the other filters are checked on them.
MATCH (n:Competency)
USING TEXT INDEX n:Competency(_foldNameText)
WHERE n._foldNameText CONTAINS $nameContains AND any(s IN n._foldNames WHERE s CONTAINS $nameContains)
  AND (size($ids) = 0 OR n.id IN $ids)
  AND (size($categories) = 0 OR n.category IN $categories)
RETURN count(n) AS total

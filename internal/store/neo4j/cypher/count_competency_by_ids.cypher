// params: $ids: LIST<STRING>, $nameContains: STRING, $categories: LIST<STRING>
// The total of list_competency_by_ids_asc/desc: the index on ids finds the
// matching nodes; the other filters are checked on them.
MATCH (n:Competency)
USING INDEX n:Competency(id)
WHERE n.id IN $ids
  AND ($nameContains = '' OR any(s IN n._foldNames WHERE s CONTAINS $nameContains))
  AND (size($categories) = 0 OR n.category IN $categories)
RETURN count(n) AS total

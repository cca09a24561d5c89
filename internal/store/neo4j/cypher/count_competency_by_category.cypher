// params: $ids: LIST<STRING>, $nameContains: STRING, $categories: LIST<STRING>
// The total of list_competency_by_category_asc/desc: the index on category finds the
// matching nodes; the other filters are checked on them.
MATCH (n:Competency)
USING INDEX n:Competency(category)
WHERE n.category IN $categories
  AND (size($ids) = 0 OR n.id IN $ids)
  AND ($nameContains = '' OR any(s IN n._foldNames WHERE s CONTAINS $nameContains))
RETURN count(n) AS total

// params: $ids: LIST<STRING>, $nameContains: STRING
// params: $categories: LIST<STRING>
// The filter of list_competency_asc/desc: kg.Filter.Match for a Competency, with the
// folded values precomputed by the store (_foldNames, _fold* helpers).
MATCH (n:Competency)
WHERE (size($ids) = 0 OR n.id IN $ids)
  AND ($nameContains = '' OR any(s IN n._foldNames WHERE s CONTAINS $nameContains))
  AND (size($categories) = 0 OR n.category IN $categories)
RETURN count(n) AS total

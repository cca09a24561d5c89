// params: $query: STRING, $labels: LIST<STRING>
// Candidates only: kg.Query.Score ranks and filters them in Go.
CALL db.index.fulltext.queryNodes('node_search', $query) YIELD node
WHERE size($labels) = 0 OR any(l IN labels(node) WHERE l IN $labels)
RETURN node

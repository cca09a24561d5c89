// params: $query: STRING, $labels: LIST<STRING>, $words: LIST<STRING>, $first: INTEGER, $afterScore: INTEGER, $afterName: STRING, $afterId: STRING
// The best $first hits of a search, ranked here exactly as kg.Query.Score,
// then folded name (_sortName), then id. The full-text index gives the
// candidates (a superset of the matches, see luceneQuery); $words is the
// kg.Query, at least one word, the last matching as a prefix. _nameWords
// holds kg.Words of the name and of each alias (one string each, the words
// joined by single spaces), _placeWords kg.PlaceWords (region and city),
// _descWords kg.Words of the description. A name tier is 5 when the words
// equal the query, 4 when they start with it, 3 when they contain every
// query word; the best name or alias counts; below that a node scores 2
// when its region and city contain every word, and 1 when its description
// does. Only hits ranked after ($afterScore, $afterName, $afterId) count: a
// page after a hit's cursor (kg.SearchCursor; $afterScore is 6, above every
// score, for the first page).
CALL db.index.fulltext.queryNodes('node_search', $query) YIELD node AS n
WHERE size($labels) = 0 OR any(l IN labels(n) WHERE l IN $labels)
WITH n, size($words) - 1 AS last
WITH n, last,
  reduce(best = 0, ws IN [s IN n._nameWords | split(s, ' ')] |
    CASE
      WHEN best < 5 AND size(ws) = size($words)
        AND all(i IN range(0, last) WHERE ws[i] = $words[i])
        THEN 5
      WHEN best < 4 AND size(ws) >= size($words)
        AND all(i IN range(0, last - 1) WHERE ws[i] = $words[i])
        AND ws[last] STARTS WITH $words[last]
        THEN 4
      WHEN best < 3
        AND all(i IN range(0, last) WHERE any(x IN ws WHERE x = $words[i] OR (i = last AND x STARTS WITH $words[i])))
        THEN 3
      ELSE best
    END) AS nameTier
WITH n,
  CASE
    WHEN nameTier = 0 AND size(coalesce(n._placeWords, [])) > 0
      AND all(i IN range(0, last) WHERE any(x IN n._placeWords WHERE x = $words[i] OR (i = last AND x STARTS WITH $words[i])))
      THEN 2
    WHEN nameTier = 0
      AND all(i IN range(0, last) WHERE any(x IN n._descWords WHERE x = $words[i] OR (i = last AND x STARTS WITH $words[i])))
      THEN 1
    ELSE nameTier
  END AS score
WHERE score > 0
  AND (score < $afterScore
    OR (score = $afterScore AND (n._sortName > $afterName OR (n._sortName = $afterName AND n.id > $afterId))))
RETURN n {.id, .name, .description, .sources, .createdAt, .updatedAt, .kind, .sector, .country, .region, .city, .website, .aliases, .externalIds, .status, .startDate, .endDate, .url, .programme, .type, .priority, .category} AS node, labels(n) AS labels, score
ORDER BY score DESC, n._sortName, n.id
LIMIT $first

// params: $where: LIST<MAP>, $values: LIST<STRING>, $orderField: STRING, $afterKey: STRING, $afterId: STRING, $limit: INTEGER
// One page of Actor nodes that pass a where (kg.Where, with the list's filter
// ANDed in), and how many pass in all, in one statement. $where is the
// expression flattened by the store into postfix instructions (whereProgram,
// where.go), which this fixed statement interprets with reduce over a stack
// of booleans: a comparison pushes its value, and/or pop k values and push
// their conjunction or disjunction, not negates the top, rel pushes whether
// some/none/all of the node's ties of type i.t in direction i.out pass the
// sub-program i.sub (over the tie r and its endpoints); with i.both (a
// symmetric type) every tie of the type, seen from n: from is n, to the
// other endpoint. Property names come
// from kg's fixed whitelist of where fields; values are parameters.
// An eq or in on kind at the top level (and none on id) is found through
// the kind index (migrate_index_actor_kind.cypher).
MATCH (n:Actor)
USING INDEX n:Actor(kind)
WHERE n.kind IN $values
  AND reduce(st = [], i IN $where |
    CASE i.op
      WHEN 'and' THEN st[..(size(st) - i.k)] + [all(b IN st[(size(st) - i.k)..] WHERE b)]
      WHEN 'or' THEN st[..(size(st) - i.k)] + [any(b IN st[(size(st) - i.k)..] WHERE b)]
      WHEN 'not' THEN st[..(size(st) - 1)] + [NOT st[size(st) - 1]]
      WHEN 'true' THEN st + [true]
      WHEN 'rel' THEN st + [[ts IN [[(n)-[r:PARTICIPATES_IN|HAS_COMPETENCY|HAS_NEED|REQUIRES|ADDRESSES|MEMBER_OF|PARTNERS_WITH|PART_OF|SUPPLIES]-()
          WHERE type(r) = i.t AND (i.both OR (startNode(r) = n) = i.out) |
          reduce(sub = [], j IN i.sub |
    CASE j.op
      WHEN 'and' THEN sub[..(size(sub) - j.k)] + [all(b IN sub[(size(sub) - j.k)..] WHERE b)]
      WHEN 'or' THEN sub[..(size(sub) - j.k)] + [any(b IN sub[(size(sub) - j.k)..] WHERE b)]
      WHEN 'not' THEN sub[..(size(sub) - 1)] + [NOT sub[size(sub) - 1]]
      WHEN 'true' THEN sub + [true]
      ELSE sub + [[x IN [CASE j.on WHEN 'r' THEN r WHEN 'from' THEN CASE WHEN i.both THEN n ELSE startNode(r) END ELSE CASE WHEN i.both AND endNode(r) = n THEN startNode(r) ELSE endNode(r) END END] | coalesce([val IN [CASE j.p
          WHEN '_foldName' THEN x._foldNames[0]
          WHEN '_type' THEN CASE WHEN coalesce(x.type, '') = '' THEN 'PROJECT' ELSE x.type END
          ELSE x[j.p]
        END] |
        CASE
          WHEN j.p = '_foldNames' THEN any(s IN coalesce(x._foldNames, []) WHERE s CONTAINS j.v)
          WHEN val IS NULL OR val = '' THEN false
          WHEN j.c = 'eq' THEN val = j.v
          WHEN j.c = 'in' THEN val IN j.v
          WHEN j.c = 'contains' THEN val CONTAINS j.v
          WHEN j.c = 'startsWith' THEN val STARTS WITH j.v
          WHEN j.c = 'gt' THEN val > j.v
          WHEN j.c = 'gte' THEN val >= j.v
          WHEN j.c = 'lt' THEN val < j.v
          WHEN j.c = 'lte' THEN val <= j.v
          ELSE false
        END][0], false)][0]]
    END)[0]]] |
        CASE i.q WHEN 'some' THEN any(b IN ts WHERE b) WHEN 'none' THEN none(b IN ts WHERE b) ELSE all(b IN ts WHERE b) END][0]]
      ELSE st + [coalesce([val IN [CASE i.p
          WHEN '_foldName' THEN n._foldNames[0]
          WHEN '_type' THEN CASE WHEN coalesce(n.type, '') = '' THEN 'PROJECT' ELSE n.type END
          ELSE n[i.p]
        END] |
        CASE
          WHEN i.p = '_foldNames' THEN any(s IN coalesce(n._foldNames, []) WHERE s CONTAINS i.v)
          WHEN val IS NULL OR val = '' THEN false
          WHEN i.c = 'eq' THEN val = i.v
          WHEN i.c = 'in' THEN val IN i.v
          WHEN i.c = 'contains' THEN val CONTAINS i.v
          WHEN i.c = 'startsWith' THEN val STARTS WITH i.v
          WHEN i.c = 'gt' THEN val > i.v
          WHEN i.c = 'gte' THEN val >= i.v
          WHEN i.c = 'lt' THEN val < i.v
          WHEN i.c = 'lte' THEN val <= i.v
          ELSE false
        END][0], false)]
    END)[0]
WITH n,
  CASE $orderField
    WHEN 'NAME' THEN n._sortName
    WHEN 'CREATED_AT' THEN n.createdAt
    WHEN 'UPDATED_AT' THEN n.updatedAt
    ELSE ''
  END AS key
ORDER BY key, n.id
WITH collect({key: key, node: n}) AS rows
WITH size(rows) AS total,
  [row IN rows WHERE row.key > $afterKey OR (row.key = $afterKey AND row.node.id > $afterId) | row.node][..$limit] AS page
RETURN total, [p IN page | p {.id, .name, .description, .sources, .createdAt, .updatedAt, .kind, .sector, .country, .region, .city, .website, .aliases, .externalIds}] AS nodes

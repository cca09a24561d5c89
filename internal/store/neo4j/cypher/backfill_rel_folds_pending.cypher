// params: $limit: INTEGER
// Schema version 6 keeps folded copies of a membership's role and a
// partnership's or supply's description (kg.TieFolds, for where), which
// older builds did not write: the relationships that lack them, a batch at
// a time, with the text to fold.
MATCH ()-[r:MEMBER_OF|PARTNERS_WITH|SUPPLIES]->()
WHERE (type(r) = 'MEMBER_OF' AND r.role <> '' AND r._foldRole IS NULL)
  OR (type(r) <> 'MEMBER_OF' AND r.description <> '' AND r._foldDescription IS NULL)
RETURN elementId(r) AS eid, type(r) AS type, r.role AS role, r.description AS description
LIMIT $limit

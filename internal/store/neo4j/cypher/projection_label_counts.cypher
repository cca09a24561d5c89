// params: none
// Nodes per label of kg.Projection, one branch per kg.Labels entry (a label
// cannot be a parameter); each count is answered from the count store.
MATCH (n:Actor) RETURN 'Actor' AS label, count(n) AS count
UNION ALL
MATCH (n:Project) RETURN 'Project' AS label, count(n) AS count
UNION ALL
MATCH (n:Need) RETURN 'Need' AS label, count(n) AS count
UNION ALL
MATCH (n:Competency) RETURN 'Competency' AS label, count(n) AS count

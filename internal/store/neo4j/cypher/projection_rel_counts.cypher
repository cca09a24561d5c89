// params: none
// Relationships per type of kg.Projection, one branch per kg.RelTypes entry
// (a type cannot be a parameter); each count is answered from the count store.
MATCH ()-[r:PARTICIPATES_IN]->() RETURN 'PARTICIPATES_IN' AS type, count(r) AS count
UNION ALL
MATCH ()-[r:HAS_COMPETENCY]->() RETURN 'HAS_COMPETENCY' AS type, count(r) AS count
UNION ALL
MATCH ()-[r:HAS_NEED]->() RETURN 'HAS_NEED' AS type, count(r) AS count
UNION ALL
MATCH ()-[r:REQUIRES]->() RETURN 'REQUIRES' AS type, count(r) AS count
UNION ALL
MATCH ()-[r:ADDRESSES]->() RETURN 'ADDRESSES' AS type, count(r) AS count
UNION ALL
MATCH ()-[r:MEMBER_OF]->() RETURN 'MEMBER_OF' AS type, count(r) AS count
UNION ALL
MATCH ()-[r:PARTNERS_WITH]->() RETURN 'PARTNERS_WITH' AS type, count(r) AS count

// params: none
// The total of an unfiltered list, answered from the count store.
MATCH (n:Project)
RETURN count(n) AS total

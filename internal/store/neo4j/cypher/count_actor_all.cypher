// params: none
// The total of an unfiltered list, answered from the count store.
MATCH (n:Actor)
RETURN count(n) AS total

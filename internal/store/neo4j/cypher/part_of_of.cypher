// params: $ids: LIST<STRING>
// What each of these nodes is PART_OF, taking each node's write lock (as
// lock_nodes does) so that a concurrent write that would close a PART_OF
// cycle through it waits and then sees this one (kg's partof.go).
UNWIND $ids AS id
MATCH (n:Node {id: id})
SET n.id = n.id
WITH n
MATCH (n)-[:PART_OF]->(p:Node)
RETURN n.id AS id, p.id AS parent

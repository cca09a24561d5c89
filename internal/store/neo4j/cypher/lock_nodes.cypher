// params: $ids: LIST<STRING>
// The labels of these nodes, taking each one's write lock for the rest of
// the write transaction (writing a property with its own value still locks
// the node), so that what validation reads of them stays true until commit:
// a concurrent delete of an endpoint waits instead of racing the write. A
// node that such a delete removed while this one waited for its lock reads
// without its id afterwards, and is left out: it is gone.
UNWIND $ids AS id
MATCH (n:Node {id: id})
SET n.id = n.id
WITH n, id
WHERE n.id = id
RETURN n.id AS id, labels(n) AS labels

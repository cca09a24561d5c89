// params: none
// Store.DeleteAll, for tests: removes every graph node and returns what it
// removed, for the write's change record. The version singletons and the
// change records stay, so Version keeps increasing and other processes
// catch up with the deletion.
MATCH (n:Node)
WITH n, n.id AS id, labels(n) AS labels
DETACH DELETE n
RETURN id, labels

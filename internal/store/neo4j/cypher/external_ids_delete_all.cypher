// params: none
// Store.DeleteAll, for tests: removes every external id helper, before
// clean_database.cypher removes the graph's nodes.
MATCH (x:ExternalId)
DETACH DELETE x

// params: none
// Store.DeleteAll, for tests: removes every graph node. The version
// singletons stay, so Version keeps increasing.
MATCH (n:Node)
DETACH DELETE n

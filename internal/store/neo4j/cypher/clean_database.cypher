// params: none
// Test helper for the contract suite: removes every graph node. The version
// singletons stay, so Version keeps increasing.
MATCH (n:Node)
DETACH DELETE n

// params: none
// Every node carries :Node, so this one constraint makes ids unique across labels
// and gives every id lookup an index.
CREATE CONSTRAINT node_id_unique IF NOT EXISTS
FOR (n:Node) REQUIRE n.id IS UNIQUE

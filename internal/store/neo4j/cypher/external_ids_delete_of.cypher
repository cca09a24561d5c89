// params: $id: STRING
// Deletes the external id helpers of the node with this id, before the node
// itself is deleted: its external ids are free again.
MATCH (x:ExternalId)-[:IDENTIFIES]->(:Node {id: $id})
DETACH DELETE x

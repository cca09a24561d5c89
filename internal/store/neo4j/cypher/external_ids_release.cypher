// params: $rows: LIST<MAP>
// Each row is {id: STRING, keys: LIST<STRING>}: an actor written and the
// keys (kg.ExternalID.Key) of the external ids it now holds. Deletes the
// actor's (:ExternalId {key}) helper nodes that are not among them. The
// store runs it for every row before external_ids_claim.cypher, so that an
// id moving between two actors of one import is free when it is claimed.
UNWIND $rows AS row
MATCH (x:ExternalId)-[:IDENTIFIES]->(n:Node {id: row.id})
WHERE NOT x.key IN row.keys
DETACH DELETE x

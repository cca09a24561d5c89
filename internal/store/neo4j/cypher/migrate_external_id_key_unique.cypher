// params: none
// One (:ExternalId {key}) helper per external id (key is scheme:value), so
// that an external id belongs to at most one actor even when two writes give
// it to two actors at once; its index serves actorByExternalId.
CREATE CONSTRAINT external_id_key_unique IF NOT EXISTS
FOR (x:ExternalId) REQUIRE x.key IS UNIQUE

// params: none
CREATE CONSTRAINT schema_version_key_unique IF NOT EXISTS
FOR (s:SchemaVersion) REQUIRE s.key IS UNIQUE

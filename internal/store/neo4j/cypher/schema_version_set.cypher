// params: $version: INTEGER, $migratedAt: STRING
MERGE (s:SchemaVersion {key: 'schema'})
SET s.version = $version, s.migratedAt = $migratedAt

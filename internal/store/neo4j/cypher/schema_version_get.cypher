// params: none
OPTIONAL MATCH (s:SchemaVersion {key: 'schema'})
RETURN coalesce(s.version, 0) AS version

// params: none
// One change record per graph version; the index serves the catch-up's
// range read (changes_since.cypher) and the pruning in version_bump.cypher.
CREATE CONSTRAINT change_version_unique IF NOT EXISTS
FOR (c:Change) REQUIRE c.version IS UNIQUE

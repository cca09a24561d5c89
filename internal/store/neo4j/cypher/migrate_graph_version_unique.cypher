// params: none
CREATE CONSTRAINT graph_version_key_unique IF NOT EXISTS
FOR (v:GraphVersion) REQUIRE v.key IS UNIQUE

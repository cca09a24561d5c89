// params: none
OPTIONAL MATCH (v:GraphVersion {key: 'graph'})
RETURN coalesce(v.v, 0) AS version

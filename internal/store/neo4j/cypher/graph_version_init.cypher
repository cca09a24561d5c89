// params: none
MERGE (v:GraphVersion {key: 'graph'})
ON CREATE SET v.v = 0

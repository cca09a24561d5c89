// params: none
CREATE INDEX need_id IF NOT EXISTS
FOR (n:Need) ON (n.id)

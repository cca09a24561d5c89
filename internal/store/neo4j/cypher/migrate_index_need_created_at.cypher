// params: none
CREATE INDEX need_created_at IF NOT EXISTS
FOR (n:Need) ON (n.createdAt)

// params: none
CREATE INDEX need_updated_at IF NOT EXISTS
FOR (n:Need) ON (n.updatedAt)

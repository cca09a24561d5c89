// params: none
CREATE INDEX actor_updated_at IF NOT EXISTS
FOR (n:Actor) ON (n.updatedAt)

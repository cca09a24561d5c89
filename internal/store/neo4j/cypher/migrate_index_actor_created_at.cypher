// params: none
CREATE INDEX actor_created_at IF NOT EXISTS
FOR (n:Actor) ON (n.createdAt)

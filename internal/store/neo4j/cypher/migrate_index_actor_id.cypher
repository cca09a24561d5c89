// params: none
CREATE INDEX actor_id IF NOT EXISTS
FOR (n:Actor) ON (n.id)

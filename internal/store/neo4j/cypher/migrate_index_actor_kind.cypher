// params: none
CREATE INDEX actor_kind IF NOT EXISTS
FOR (n:Actor) ON (n.kind)

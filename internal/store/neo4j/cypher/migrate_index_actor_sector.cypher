// params: none
CREATE INDEX actor_sector IF NOT EXISTS
FOR (n:Actor) ON (n.sector)

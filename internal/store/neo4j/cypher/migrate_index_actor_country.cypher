// params: none
CREATE INDEX actor_country IF NOT EXISTS
FOR (n:Actor) ON (n.country)

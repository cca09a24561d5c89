// params: none
CREATE INDEX actor_sort_name IF NOT EXISTS
FOR (n:Actor) ON (n._sortName)

// params: none
CREATE INDEX need_status IF NOT EXISTS
FOR (n:Need) ON (n.status)

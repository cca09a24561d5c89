// params: none
CREATE INDEX competency_created_at IF NOT EXISTS
FOR (n:Competency) ON (n.createdAt)

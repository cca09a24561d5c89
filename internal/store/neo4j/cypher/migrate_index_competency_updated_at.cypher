// params: none
CREATE INDEX competency_updated_at IF NOT EXISTS
FOR (n:Competency) ON (n.updatedAt)

// params: none
CREATE INDEX competency_id IF NOT EXISTS
FOR (n:Competency) ON (n.id)

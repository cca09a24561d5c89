// params: none
CREATE INDEX competency_category IF NOT EXISTS
FOR (n:Competency) ON (n.category)

// params: none
CREATE INDEX project_created_at IF NOT EXISTS
FOR (n:Project) ON (n.createdAt)

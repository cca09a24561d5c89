// params: none
CREATE INDEX project_updated_at IF NOT EXISTS
FOR (n:Project) ON (n.updatedAt)

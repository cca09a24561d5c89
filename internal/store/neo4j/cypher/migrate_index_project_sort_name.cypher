// params: none
CREATE INDEX project_sort_name IF NOT EXISTS
FOR (n:Project) ON (n._sortName)

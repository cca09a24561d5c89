// params: none
CREATE INDEX competency_sort_name IF NOT EXISTS
FOR (n:Competency) ON (n._sortName)

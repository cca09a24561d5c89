// params: none
CREATE INDEX need_sort_name IF NOT EXISTS
FOR (n:Need) ON (n._sortName)

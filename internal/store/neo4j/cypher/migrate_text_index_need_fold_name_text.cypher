// params: none
// Serves the nameContains filter: _foldNameText holds the folded name and
// aliases (one per line), so a CONTAINS on it finds a superset of the nodes
// whose _foldNames contain the text; the statements then check _foldNames.
CREATE TEXT INDEX need_fold_name_text IF NOT EXISTS
FOR (n:Need) ON (n._foldNameText)

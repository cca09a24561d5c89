// params: none
// Search candidates. _text holds the words of name, aliases and description
// exactly as kg.Words splits and folds them (diacritics removed, lower case),
// joined by single spaces. The whitespace analyzer keeps those words as the
// index terms (cutting words over 255 UTF-16 units into pieces), so the
// store's query (luceneQuery: the earlier query words as terms, the last as
// a prefix, all required) finds a superset of what kg.Query.Score accepts;
// Lucene's own tokenizer and folding would not.
CREATE FULLTEXT INDEX node_search IF NOT EXISTS
FOR (n:Node) ON EACH [n._text]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace', `fulltext.eventually_consistent`: false}}

// params: none
// Search candidates. _text holds the words of name, aliases and description
// exactly as kg.Words splits and folds them (diacritics removed, lower case),
// joined by single spaces. The whitespace analyzer keeps those words as the
// index terms, so a prefix query on the last query word finds a superset of
// what kg.Query.Score accepts; Lucene's own tokenizer and folding would not.
CREATE FULLTEXT INDEX node_search IF NOT EXISTS
FOR (n:Node) ON EACH [n._text]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace', `fulltext.eventually_consistent`: false}}

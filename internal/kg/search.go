package kg

import (
	"encoding/json"
	"slices"
	"strings"
)

// Search ranks, best first. A node's score is the best tier any of its
// fields reaches.
const (
	TierExact       = 5 // the name or an alias is the query, word for word
	TierNamePrefix  = 4 // the name or an alias starts with the query
	TierNameWords   = 3 // every query word is a word of the name or an alias
	TierPlace       = 2 // every query word is a word of the region or the city (actors, projects)
	TierDescription = 1 // every query word is a word of the description
)

// Query is parsed search text: its folded words. The last word matches as a
// prefix, every other word must match a whole word.
type Query []string

// ParseQuery folds text into a Query; it is empty when text has no words.
func ParseQuery(text string) Query { return Query(Words(text)) }

// Score returns the search tier n reaches for q (0: no match). It is the
// one definition of search relevance, shared by every store.
func (q Query) Score(n Node) int {
	if len(q) == 0 {
		return 0
	}
	best := 0
	for _, s := range append([]string{n.Base().Name}, Aliases(n)...) {
		if t := q.nameTier(Words(s)); t > best {
			best = t
		}
	}
	if best < TierPlace {
		if place := PlaceWords(n); len(place) > 0 && q.containedIn(place) {
			best = TierPlace
		}
	}
	if best == 0 && q.containedIn(Words(n.Base().Description)) {
		best = TierDescription
	}
	return best
}

// PlaceWords are the words of an actor's or a project's region and city,
// which search matches (DESIGN.md §2.1): "varmland" finds what is in
// Värmland, not only what has the word in its name.
func PlaceWords(n Node) []string {
	switch v := n.(type) {
	case *Actor:
		return append(Words(v.Region), Words(v.City)...)
	case *Project:
		return append(Words(v.Region), Words(v.City)...)
	}
	return nil
}

func (q Query) nameTier(words []string) int {
	if q.isPrefixOf(words) {
		// A partly typed last word is a prefix, not the name: "skl" must rank
		// the alias SKL above the name Sklerosförbundet.
		if len(words) == len(q) && words[len(q)-1] == q[len(q)-1] {
			return TierExact
		}
		return TierNamePrefix
	}
	if q.containedIn(words) {
		return TierNameWords
	}
	return 0
}

// isPrefixOf: words begins with q, the last query word as a prefix.
func (q Query) isPrefixOf(words []string) bool {
	if len(words) < len(q) {
		return false
	}
	last := len(q) - 1
	for i, w := range q[:last] {
		if words[i] != w {
			return false
		}
	}
	return strings.HasPrefix(words[last], q[last])
}

// containedIn: every query word is somewhere in words, the last as a prefix.
func (q Query) containedIn(words []string) bool {
	last := len(q) - 1
	for i, w := range q {
		found := false
		for _, x := range words {
			if x == w || (i == last && strings.HasPrefix(x, w)) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// SearchCursor is a search hit's place in the ranking (score, then folded
// name, then id), for the next page: the hits after it rank lower. Search
// names the search it came from (its folded words and labels), so a cursor
// of another search is refused rather than read as a place in this one.
type SearchCursor struct {
	Score  int    `json:"s"`
	Key    string `json:"k"` // SortKey by name
	ID     string `json:"i"`
	Search string `json:"q"`
}

// searchOf names a search for its cursors.
func searchOf(q Query, labels []Label) string {
	ls := make([]string, len(labels))
	for i, l := range labels {
		ls[i] = string(l)
	}
	slices.Sort(ls)
	return strings.Join(q, " ") + "|" + strings.Join(slices.Compact(ls), ",")
}

// SearchCursorOf returns the cursor just after hit h of search q.
func SearchCursorOf(q SearchQuery, h SearchHit) string {
	return sealCursor(SearchCursor{Score: int(h.Score), Key: SortKey(h.Node, OrderByName), ID: h.Node.Base().ID,
		Search: searchOf(ParseQuery(q.Text), q.Labels)})
}

// DecodeSearchCursor parses after, a hit's cursor of the same search as q
// (text and types).
func DecodeSearchCursor(q SearchQuery, after string) (*SearchCursor, error) {
	body, ok := openCursor(after)
	var c SearchCursor
	if !ok || json.Unmarshal(body, &c) != nil || c.Score < TierDescription || c.Score > TierExact || c.ID == "" {
		return nil, Invalid("after", "is not a search cursor this API issued; use a hit's cursor unchanged")
	}
	if c.Search != searchOf(ParseQuery(q.Text), q.Labels) {
		return nil, Invalid("after", "belongs to another search; page with the same text and types")
	}
	return &c, nil
}

// Precedes reports whether a hit of score, name sort key and id ranks after
// the cursor, so belongs to the next pages.
func (c *SearchCursor) Precedes(score int, key, id string) bool {
	if c == nil {
		return true
	}
	if score != c.Score {
		return score < c.Score
	}
	if key != c.Key {
		return key > c.Key
	}
	return id > c.ID
}

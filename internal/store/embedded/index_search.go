package embedded

import (
	"slices"
	"sort"
	"strings"

	"github.com/samverkan/samverkan/internal/kg"
)

// search answers Store.Search for the parsed, non-empty query q: the
// nodes of the given labels (every label when none) that reach a tier of
// kg.Query.Score, in kg.RankHits order, the best first of them, as copies.
//
// A node reaches a tier only if one of its fields has every word of q but
// the last, and a word that starts with the last; so the candidates are
// the slots of the rarest of these (one word's slots, or those of all the
// words in the last word's prefix range), and each is scored from its
// word ids (score below, which is kg.Query.Score over word ids).
func (ix *nodeIndex) search(q kg.Query, labels []kg.Label, first int, after *kg.SearchCursor) []kg.SearchHit {
	ix.sync()
	out := []kg.SearchHit{}
	c, ok := ix.compile(q)
	if !ok {
		return out
	}
	var want [numLabels]bool
	for _, l := range labels {
		if i := labelIndex(l); i >= 0 {
			want[i] = true
		}
	}
	anyLabel := len(labels) == 0

	// The cheapest candidate list: a whole word's slots, or the union
	// over the prefix range.
	var driver []int32
	best := 0
	for r := c.lo; r < c.hi; r++ {
		best += len(ix.post[ix.sorted[r]])
	}
	union := true
	for _, t := range c.whole {
		if p := ix.post[t]; len(p) < best {
			driver, best, union = p, len(p), false
		}
	}
	top := topHits{ix: ix, k: first}
	consider := func(s int32) {
		if !anyLabel && !want[ix.labels[s]] {
			return
		}
		if sc := c.score(ix.toks[s]); sc > 0 && after.Precedes(sc, ix.fname[s], ix.ids[s]) {
			top.add(hit{slot: s, score: int8(sc)})
		}
	}
	if union {
		seen := make([]uint64, (len(ix.snap)+63)/64)
		for r := c.lo; r < c.hi; r++ {
			for _, s := range ix.post[ix.sorted[r]] {
				if seen[s/64]&(1<<(s%64)) == 0 {
					seen[s/64] |= 1 << (s % 64)
					consider(s)
				}
			}
		}
	} else {
		for _, s := range driver {
			consider(s)
		}
	}
	for _, h := range top.sorted() {
		out = append(out, kg.SearchHit{Node: kg.Clone(ix.snap[h.slot]), Score: float64(h.score)})
	}
	return out
}

// compiledQuery is a kg.Query in word ids.
type compiledQuery struct {
	whole  []int32 // the words before the last, which match whole words
	exact  int32   // the last word's id, or noWord
	lo, hi int32   // words of ranks lo ≤ r < hi start with the last word
	rank   []int32
}

const noWord int32 = -1 << 31

// compile looks q's words up; ok is false when no node can match (a word
// before the last that no node has, or no word with the last as prefix).
func (ix *nodeIndex) compile(q kg.Query) (c compiledQuery, ok bool) {
	last := len(q) - 1
	for _, w := range q[:last] {
		t, ok := ix.tokID[w]
		if !ok {
			return c, false
		}
		c.whole = append(c.whole, t)
	}
	p := q[last]
	c.exact = noWord
	if t, ok := ix.tokID[p]; ok {
		c.exact = t
	}
	c.lo = int32(sort.Search(len(ix.sorted), func(i int) bool { return ix.tokStr[ix.sorted[i]] >= p }))
	c.hi = c.lo + int32(sort.Search(len(ix.sorted)-int(c.lo), func(i int) bool {
		return !strings.HasPrefix(ix.tokStr[ix.sorted[int(c.lo)+i]], p)
	}))
	c.rank = ix.rank
	return c, c.lo < c.hi
}

func (c *compiledQuery) prefixed(t int32) bool {
	r := c.rank[t]
	return r >= c.lo && r < c.hi
}

// score is kg.Query.Score for a slot's word ids tk (see markAlias): the
// best name tier of the name and the aliases, else the description tier.
func (c *compiledQuery) score(tk []int32) int {
	best := 0
	i := 0
	for {
		j := i
		for j < len(tk) && tk[j] >= 0 {
			j++
		}
		best = max(best, c.nameTier(tk[i:j]))
		if j == len(tk) {
			return best
		}
		if tk[j] == markPlace {
			k := j + 1
			for k < len(tk) && tk[k] >= 0 {
				k++
			}
			if best < kg.TierPlace && c.containedIn(tk[j+1:k]) {
				best = kg.TierPlace
			}
			if k == len(tk) {
				return best
			}
			j = k // the description follows
		}
		if tk[j] == markDesc {
			if best == 0 && c.containedIn(tk[j+1:]) {
				return kg.TierDescription
			}
			return best
		}
		i = j + 1
	}
}

// nameTier is kg.Query's nameTier over word ids.
func (c *compiledQuery) nameTier(words []int32) int {
	k := len(c.whole)
	if len(words) > k && slices.Equal(words[:k], c.whole) && c.prefixed(words[k]) {
		if len(words) == k+1 && words[k] == c.exact {
			return kg.TierExact
		}
		return kg.TierNamePrefix
	}
	if c.containedIn(words) {
		return kg.TierNameWords
	}
	return 0
}

// containedIn is kg.Query's containedIn over word ids.
func (c *compiledQuery) containedIn(words []int32) bool {
	for _, w := range c.whole {
		if !slices.Contains(words, w) {
			return false
		}
	}
	return slices.ContainsFunc(words, c.prefixed)
}

// hit is a scored slot.
type hit struct {
	slot  int32
	score int8
}

// topHits keeps the k best hits in kg.RankHits order (score descending,
// then folded name, then id): a heap with the worst kept hit at the root.
type topHits struct {
	ix *nodeIndex
	k  int
	h  []hit
}

// better reports whether a ranks before b.
func (t *topHits) better(a, b hit) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	if c := strings.Compare(t.ix.fname[a.slot], t.ix.fname[b.slot]); c != 0 {
		return c < 0
	}
	return t.ix.ids[a.slot] < t.ix.ids[b.slot]
}

func (t *topHits) add(x hit) {
	if len(t.h) < t.k {
		t.h = append(t.h, x)
		for i := len(t.h) - 1; i > 0; {
			p := (i - 1) / 2
			if !t.better(t.h[p], t.h[i]) {
				break
			}
			t.h[p], t.h[i] = t.h[i], t.h[p]
			i = p
		}
		return
	}
	if t.k == 0 || !t.better(x, t.h[0]) {
		return
	}
	t.h[0] = x
	for i := 0; ; {
		w := i
		for _, c := range []int{2*i + 1, 2*i + 2} {
			if c < len(t.h) && t.better(t.h[w], t.h[c]) {
				w = c
			}
		}
		if w == i {
			return
		}
		t.h[w], t.h[i] = t.h[i], t.h[w]
		i = w
	}
}

// sorted returns the kept hits, best first.
func (t *topHits) sorted() []hit {
	slices.SortFunc(t.h, func(a, b hit) int {
		if t.better(a, b) {
			return -1
		}
		if t.better(b, a) {
			return 1
		}
		return 0
	})
	return t.h
}

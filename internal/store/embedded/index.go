package embedded

import (
	"cmp"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/samverkan/samverkan/internal/kg"
)

// nodeIndex holds the in-memory indexes that Search and List answer from
// (index_search.go, index_list.go), so that neither scans every node:
//
//   - every node has a slot, a dense int32; the indexes hold slots, never
//     copies of nodes;
//   - search: a dictionary of the folded words (kg.Words) of every name,
//     alias and description, each word with the slots that have it; the
//     words in byte order, so that the last query word's prefix is a range
//     found by binary search; and per slot its words by field, from which
//     the tier of kg.Query.Score is computed without folding anything;
//   - lists: per label and order field the label's slots in that order.
//
// Writers only record what changed: put and remove run where a committed
// change is applied to Store.nodes (under Store.mu held exclusively, or in
// load before the store is shared) and cost a map lookup. The first Search
// or List after a write brings the indexes up to date (sync), under the
// index's own mutex, while holding Store.mu shared like every reader; so
// the folding and sorting a write causes happen once per version, outside
// the writer's exclusive section, and a read at an unchanged version costs
// only its lookups. Nothing a reader reads changes while it holds Store.mu:
// sync runs at most once per version, before any reader reads the indexes
// (a reader calls sync first and waits for a running one).
type nodeIndex struct {
	// Written by writers only.
	slot  map[string]int32 // node id → slot
	nodes []kg.Node        // per slot: the stored node (shared with Store.nodes); nil when free
	free  []int32          // free slots
	pend  []int32          // slots changed since the last sync (may repeat)
	all   bool             // every slot changed (pend was given up)
	dirty atomic.Bool      // pend or all is set
	// ext is the external ids' index: who holds each (extids.go).
	ext map[kg.ExternalID]string

	// Written by sync only, under mu. Per slot, what the indexes hold:
	// after a sync, the same as nodes.
	mu     sync.Mutex
	built  bool               // synced once
	snap   []kg.Node          // per slot: the node indexed; nil when none
	ids    []string           // per slot: its id
	labels []int8             // per slot: its labelIndex; -1 when none
	fname  []string           // per slot: kg.Fold(name), the name's sort key
	toks   [][]int32          // per slot: word ids, see markAlias
	falias map[int32][]string // per slot with aliases: kg.Fold of each
	tokID  map[string]int32   // folded word → word id
	tokStr []string           // word id → folded word
	post   [][]int32          // word id → the slots that have it (unordered)
	newTok []int32            // words not yet in sorted
	stale  int                // words that no node has any longer
	sorted []int32            // word ids in byte order of their words
	rank   []int32            // word id → its index in sorted
	order  [numLabels][numOrders][]int32
	runs   map[string]string // kg.Fold of non-ASCII runs, see fold
}

const numLabels = 4 // len(kg.Labels)

// labelIndex is l's place in kg.Labels (the engine's label code too); -1
// for a label that is not one.
func labelIndex(l kg.Label) int8 { return int8(slices.Index(kg.Labels, l)) }

// Markers in a slot's word ids (which are >= 0): the name's words come
// first, then each alias's after markAlias, then the region's and the
// city's after markPlace, then the description's, each once and in no
// order, after markDesc.
const (
	markAlias int32 = -1
	markDesc  int32 = -2
	markPlace int32 = -3
)

// reserve makes room for n nodes, before a load puts them.
func (ix *nodeIndex) reserve(n int) {
	if ix.slot == nil {
		ix.slot = make(map[string]int32, n)
	}
	ix.nodes = slices.Grow(ix.nodes, n)
	ix.pend = slices.Grow(ix.pend, min(n, 1025))
}

// put records that n is stored under its id (new or replacing a node).
func (ix *nodeIndex) put(n kg.Node) {
	if ix.slot == nil {
		ix.slot = make(map[string]int32)
	}
	id := n.Base().ID
	s, ok := ix.slot[id]
	if ok {
		ix.releaseExt(ix.nodes[s])
	}
	if xs := kg.ExternalIDsOf(n); len(xs) > 0 {
		if ix.ext == nil {
			ix.ext = make(map[kg.ExternalID]string)
		}
		for _, x := range xs {
			ix.ext[x] = id
		}
	}
	if !ok {
		if k := len(ix.free); k > 0 {
			s = ix.free[k-1]
			ix.free = ix.free[:k-1]
		} else {
			s = int32(len(ix.nodes))
			ix.nodes = append(ix.nodes, nil)
		}
		ix.slot[id] = s
	}
	ix.nodes[s] = n
	ix.changed(s)
}

// remove records that the node with id is gone.
func (ix *nodeIndex) remove(id string) {
	s, ok := ix.slot[id]
	if !ok {
		return
	}
	delete(ix.slot, id)
	ix.releaseExt(ix.nodes[s])
	ix.nodes[s] = nil
	ix.free = append(ix.free, s)
	ix.changed(s)
}

// releaseExt drops the external ids n holds from ext (those another
// actor took meanwhile, in the same import, stay).
func (ix *nodeIndex) releaseExt(n kg.Node) {
	if n == nil {
		return
	}
	for _, x := range kg.ExternalIDsOf(n) {
		if ix.ext[x] == n.Base().ID {
			delete(ix.ext, x)
		}
	}
}

// releaseExtOf drops from ext the external ids of the node stored under id.
func (ix *nodeIndex) releaseExtOf(id string) {
	if s, ok := ix.slot[id]; ok {
		ix.releaseExt(ix.nodes[s])
	}
}

func (ix *nodeIndex) changed(s int32) {
	if !ix.all {
		ix.pend = append(ix.pend, s)
		if len(ix.pend) > 1024 && len(ix.pend) > len(ix.nodes) {
			ix.all, ix.pend = true, nil
		}
	}
	ix.dirty.Store(true)
}

// fewChanges is the most changed slots that sync moves in the orders one by
// one (binary search and a copy of the order each); more are merged in one
// pass over the order.
const fewChanges = 4

// sync brings the indexes up to date with the writes recorded since the
// last sync. The caller holds Store.mu shared (or exclusively).
func (ix *nodeIndex) sync() {
	if !ix.dirty.Load() {
		return
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if !ix.dirty.Load() {
		return
	}
	n := len(ix.nodes)
	if ix.tokID == nil {
		ix.tokID = make(map[string]int32)
		ix.falias = make(map[int32][]string)
	}
	for len(ix.snap) < n {
		ix.snap = append(ix.snap, nil)
		ix.ids = append(ix.ids, "")
		ix.labels = append(ix.labels, -1)
		ix.fname = append(ix.fname, "")
		ix.toks = append(ix.toks, nil)
	}
	// The changed slots, once each and ascending; mark has their bits.
	mark := make([]uint64, (n+63)/64)
	var slots []int32
	if ix.all {
		slots = make([]int32, n)
		for s := range slots {
			slots[s] = int32(s)
			mark[s/64] |= 1 << (s % 64)
		}
	} else {
		for _, s := range ix.pend {
			if mark[s/64]&(1<<(s%64)) == 0 {
				mark[s/64] |= 1 << (s % 64)
				slots = append(slots, s)
			}
		}
		slices.Sort(slots)
	}
	if ix.built && len(slots) <= fewChanges {
		for _, s := range slots {
			if l := ix.labels[s]; l >= 0 {
				for f := range numOrders {
					ix.order[l][f] = ix.unplace(f, ix.order[l][f], s)
				}
			}
			ix.reindex(s)
			if l := ix.labels[s]; l >= 0 {
				for f := range numOrders {
					ix.order[l][f] = ix.place(f, ix.order[l][f], s)
				}
			}
		}
	} else {
		var touched [numLabels]bool
		for _, s := range slots {
			if l := ix.labels[s]; l >= 0 {
				touched[l] = true
			}
			ix.reindex(s)
			if l := ix.labels[s]; l >= 0 {
				touched[l] = true
			}
		}
		for l := range touched {
			if touched[l] {
				ix.reorder(int8(l), slots, mark)
			}
		}
	}
	if ix.stale > 1024 && ix.stale > len(ix.tokStr)/2 {
		ix.renumberWords()
	}
	ix.sortWords()
	ix.pend, ix.all, ix.built = ix.pend[:0], false, true
	ix.dirty.Store(false)
}

// renumberWords builds the dictionary anew from the indexed nodes, without
// the words no node has any longer.
func (ix *nodeIndex) renumberWords() {
	ix.tokID, ix.tokStr, ix.post, ix.rank = make(map[string]int32), nil, nil, nil
	ix.sorted, ix.newTok, ix.stale = nil, nil, 0
	for s := range ix.snap {
		ix.toks[s] = nil
		ix.reindex(int32(s))
	}
}

// reindex replaces what the search index holds for slot s by what its
// current node (if any) has.
func (ix *nodeIndex) reindex(s int32) {
	for _, t := range uniqueWords(ix.toks[s]) {
		p := ix.post[t]
		if i := slices.Index(p, s); i >= 0 {
			p[i] = p[len(p)-1]
			ix.post[t] = p[:len(p)-1]
			if len(p) == 1 {
				ix.stale++
			}
		}
	}
	delete(ix.falias, s)
	n := ix.nodes[s]
	ix.snap[s] = n
	if n == nil {
		ix.ids[s], ix.labels[s], ix.fname[s], ix.toks[s] = "", -1, "", nil
		return
	}
	m := n.Base()
	ix.ids[s], ix.labels[s] = m.ID, labelIndex(n.NodeLabel())
	ix.fname[s] = ix.fold(m.Name)
	tk := ix.appendWords(nil, ix.fname[s])
	if as := kg.Aliases(n); len(as) > 0 {
		fa := make([]string, len(as))
		for i, a := range as {
			fa[i] = ix.fold(a)
			tk = ix.appendWords(append(tk, markAlias), fa[i])
		}
		ix.falias[s] = fa
	}
	// kg.PlaceWords, folded by ix.fold: the words of the region, then the
	// city's, after markPlace when there are any.
	if region, city := placeOf(n); region != "" || city != "" {
		at := len(tk)
		tk = ix.appendWords(append(tk, markPlace), ix.fold(region))
		if tk = ix.appendWords(tk, ix.fold(city)); len(tk) == at+1 {
			tk = tk[:at]
		}
	}
	if m.Description != "" {
		start := len(tk) + 1
		tk = ix.appendWords(append(tk, markDesc), ix.fold(m.Description))
		d := tk[start:]
		slices.Sort(d)
		tk = tk[:start+len(slices.Compact(d))]
		if len(tk) == start {
			tk = tk[:start-1] // no words
		}
	}
	ix.toks[s] = slices.Clip(tk)
	for _, t := range tk {
		if t < 0 {
			continue
		}
		// s is in no list now; if it ends t's list, the node has the word
		// twice.
		if p := ix.post[t]; len(p) == 0 || p[len(p)-1] != s {
			if len(p) == 0 && cap(p) > 0 {
				ix.stale-- // a word no node had comes back
			}
			ix.post[t] = append(p, s)
		}
	}
}

// placeOf is the region and city of an actor or a project (kg.PlaceWords'
// fields); none for the other labels.
func placeOf(n kg.Node) (region, city string) {
	switch v := n.(type) {
	case *kg.Actor:
		return v.Region, v.City
	case *kg.Project:
		return v.Region, v.City
	}
	return "", ""
}

// uniqueWords returns the distinct word ids of tk (a slot's toks).
func uniqueWords(tk []int32) []int32 {
	if len(tk) == 0 {
		return nil
	}
	out := make([]int32, 0, len(tk))
	for _, t := range tk {
		if t >= 0 {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// appendWords appends the ids of the words of folded text (kg.Words of the
// unfolded text), adding new words to the dictionary.
func (ix *nodeIndex) appendWords(tk []int32, folded string) []int32 {
	for w := range strings.FieldsFuncSeq(folded, notWordRune) {
		t, ok := ix.tokID[w]
		if !ok {
			w = strings.Clone(w) // not the whole text
			t = int32(len(ix.tokStr))
			ix.tokID[w] = t
			ix.tokStr = append(ix.tokStr, w)
			ix.post = append(ix.post, nil)
			ix.rank = append(ix.rank, -1)
			ix.newTok = append(ix.newTok, t)
		}
		tk = append(tk, t)
	}
	return tk
}

// notWordRune separates words, as in kg.Words.
func notWordRune(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// sortWords merges the new words into sorted and renumbers rank. A word
// that no node has any longer stays, with no slots, until there are many
// of them (renumberWords).
func (ix *nodeIndex) sortWords() {
	if len(ix.newTok) == 0 {
		return
	}
	byWord := func(a, b int32) int { return strings.Compare(ix.tokStr[a], ix.tokStr[b]) }
	slices.SortFunc(ix.newTok, byWord)
	merged := make([]int32, 0, len(ix.sorted)+len(ix.newTok))
	i, j := 0, 0
	for i < len(ix.sorted) && j < len(ix.newTok) {
		if byWord(ix.sorted[i], ix.newTok[j]) < 0 {
			merged = append(merged, ix.sorted[i])
			i++
		} else {
			merged = append(merged, ix.newTok[j])
			j++
		}
	}
	merged = append(append(merged, ix.sorted[i:]...), ix.newTok[j:]...)
	ix.sorted, ix.newTok = merged, ix.newTok[:0]
	for r, t := range ix.sorted {
		ix.rank[t] = int32(r)
	}
}

// fold is kg.Fold, computed faster: kg.Fold builds a transformer chain per
// call (about 10 µs), which folding every name, alias and description at
// start would pay hundreds of thousands of times. Each of kg.Fold's steps
// (the special letters, NFD, removing marks, NFC, lower case) leaves ASCII
// as it is apart from lower-casing it and never joins an ASCII character
// with a neighbour, so a text folds as its runs of ASCII (lower-cased) and
// of other characters (kg.Fold, remembered per run: the runs of a language
// are few, "ö", "å", "ø") one after the other. Text that is not valid
// UTF-8 goes to kg.Fold whole. index_test.go checks fold against kg.Fold.
// Only sync calls it (runs is guarded by mu).
func (ix *nodeIndex) fold(s string) string {
	i := 0
	for i < len(s) && s[i] < utf8.RuneSelf {
		i++
	}
	if i == len(s) {
		return strings.ToLower(s)
	}
	if !utf8.ValidString(s) {
		return kg.Fold(s)
	}
	if ix.runs == nil || len(ix.runs) > 1<<14 {
		ix.runs = make(map[string]string)
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(strings.ToLower(s[:i]))
	for i < len(s) {
		j := i
		ascii := s[i] < utf8.RuneSelf
		for j < len(s) && (s[j] < utf8.RuneSelf) == ascii {
			j++
		}
		run := s[i:j]
		if ascii {
			b.WriteString(strings.ToLower(run))
		} else {
			f, ok := ix.runs[run]
			if !ok {
				f = kg.Fold(run)
				ix.runs[strings.Clone(run)] = f
			}
			b.WriteString(f)
		}
		i = j
	}
	return b.String()
}

// Order fields of the list indexes.
const (
	ordID = iota
	ordName
	ordCreated
	ordUpdated
	numOrders
)

func orderIndex(f kg.OrderField) int {
	switch f {
	case kg.OrderByID:
		return ordID
	case kg.OrderByCreatedAt:
		return ordCreated
	case kg.OrderByUpdatedAt:
		return ordUpdated
	}
	return ordName
}

var orderFields = [numOrders]kg.OrderField{kg.OrderByID, kg.OrderByName, kg.OrderByCreatedAt, kg.OrderByUpdatedAt}

// reorder brings label l's orders up to date: the changed slots (mark)
// leave them and those now of label l come back in place (a merge), or,
// when much changed, the orders are sorted anew.
func (ix *nodeIndex) reorder(l int8, slots []int32, mark []uint64) {
	var add []int32
	for _, s := range slots {
		if ix.labels[s] == l {
			add = append(add, s)
		}
	}
	cur := ix.order[l][0]
	if len(slots) > len(cur)/8 {
		ix.sortLabel(l)
		return
	}
	// In place: no reader reads the orders while sync runs.
	for f := range numOrders {
		o := ix.order[l][f]
		w := 0
		for _, s := range o {
			if mark[s/64]&(1<<(s%64)) == 0 {
				o[w] = s
				w++
			}
		}
		a := slices.Clone(add)
		slices.SortFunc(a, func(x, y int32) int { return ix.compare(f, x, y) })
		o = slices.Grow(o[:w], len(a))[:w+len(a)]
		// Few are added: from the last, each goes where binary search
		// puts it among the kept ones (o[:i]), which move up to make room.
		i, end := w, w+len(a)
		for j := len(a) - 1; j >= 0; j-- {
			x := a[j]
			p := sort.Search(i, func(k int) bool { return ix.compare(f, o[k], x) > 0 })
			copy(o[end-(i-p):end], o[p:i])
			end -= i - p
			end--
			o[end] = x
			i = p
		}
		ix.order[l][f] = o
	}
}

// sortLabel sorts label l's orders anew. The result is that of sorting
// with compare, computed faster: the id order first, then the others by
// their keys and, for equal keys, the position in the id order instead of
// the id; times as Unix nanoseconds when every time of the label has one.
func (ix *nodeIndex) sortLabel(l int8) {
	var byID []int32
	for s, sl := range ix.labels {
		if sl == l {
			byID = append(byID, int32(s))
		}
	}
	slices.SortFunc(byID, func(a, b int32) int { return strings.Compare(ix.ids[a], ix.ids[b]) })
	ix.order[l][ordID] = byID
	rank := make([]int32, len(ix.snap))
	for i, s := range byID {
		rank[s] = int32(i)
	}
	byName := slices.Clone(byID)
	slices.SortFunc(byName, func(a, b int32) int {
		return cmp.Or(strings.Compare(ix.fname[a], ix.fname[b]), cmp.Compare(rank[a], rank[b]))
	})
	ix.order[l][ordName] = byName
	nanos := make([]int64, len(ix.snap))
	for _, f := range []int{ordCreated, ordUpdated} {
		o := slices.Clone(byID)
		fast := true
		for _, s := range o {
			t := ix.timeOf(f, s)
			if y := t.Year(); y < 1680 || y > 2260 { // UnixNano's range, with a margin
				fast = false
				break
			}
			nanos[s] = t.UnixNano()
		}
		if fast {
			slices.SortFunc(o, func(a, b int32) int {
				return cmp.Or(cmp.Compare(nanos[a], nanos[b]), cmp.Compare(rank[a], rank[b]))
			})
		} else {
			slices.SortFunc(o, func(a, b int32) int { return ix.compare(f, a, b) })
		}
		ix.order[l][f] = o
	}
}

// unplace removes slot s from o, an order of field f: it is where binary
// search by its indexed keys puts it.
func (ix *nodeIndex) unplace(f int, o []int32, s int32) []int32 {
	i := sort.Search(len(o), func(k int) bool { return ix.compare(f, o[k], s) >= 0 })
	if i == len(o) || o[i] != s {
		if i = slices.Index(o, s); i < 0 { // cannot happen
			return o
		}
	}
	return slices.Delete(o, i, i+1)
}

// place inserts slot s into o, an order of field f.
func (ix *nodeIndex) place(f int, o []int32, s int32) []int32 {
	i := sort.Search(len(o), func(k int) bool { return ix.compare(f, o[k], s) > 0 })
	return slices.Insert(o, i, s)
}

// compare orders slots a and b as kg.CompareKeys orders their nodes under
// order field f, ascending.
func (ix *nodeIndex) compare(f int, a, b int32) int {
	var c int
	switch f {
	case ordName:
		c = strings.Compare(ix.fname[a], ix.fname[b])
	case ordCreated, ordUpdated:
		ta, tb := ix.timeOf(f, a), ix.timeOf(f, b)
		if inKeyRange(ta) && inKeyRange(tb) {
			c = ta.Compare(tb)
		} else {
			c = strings.Compare(ix.sortKey(f, a), ix.sortKey(f, b))
		}
	}
	return cmp.Or(c, strings.Compare(ix.ids[a], ix.ids[b]))
}

func (ix *nodeIndex) timeOf(f int, s int32) time.Time {
	if f == ordCreated {
		return ix.snap[s].Base().CreatedAt
	}
	return ix.snap[s].Base().UpdatedAt
}

// The times whose kg.SortKey strings are fixed-width (the years 0 to 9999):
// among them the keys' byte order is the times' order. Other times are
// compared by their keys.
const (
	keyRangeFrom = -62167219200 // 0000-01-01T00:00:00Z in Unix seconds
	keyRangeTo   = 253402300800 // 10000-01-01T00:00:00Z
)

func inKeyRange(t time.Time) bool {
	u := t.Unix()
	return u >= keyRangeFrom && u < keyRangeTo
}

// sortKey is kg.SortKey of slot s's node under order field f.
func (ix *nodeIndex) sortKey(f int, s int32) string {
	if f == ordName {
		return ix.fname[s]
	}
	return kg.SortKey(ix.snap[s], orderFields[f])
}

package embedded

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/samverkan/samverkan/internal/kg"
)

// The indexes must give exactly the answers of the per-request scans they
// replaced; scanSearch and scanList are those scans, kept as the oracle.

// scanSearch is Search as a scan of every node.
func scanSearch(s *Store, _ context.Context, q kg.SearchQuery) ([]kg.SearchHit, error) {
	query, err := kg.CheckSearchQuery(q)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var hits []kg.SearchHit
	for _, n := range s.nodes {
		if len(q.Labels) > 0 && !slices.Contains(q.Labels, n.NodeLabel()) {
			continue
		}
		if sc := query.Score(n); sc > 0 && q.After.Precedes(sc, kg.SortKey(n, kg.OrderByName), n.Base().ID) {
			hits = append(hits, kg.SearchHit{Node: n, Score: float64(sc)})
		}
	}
	hits = kg.RankHits(hits, q.First)
	out := make([]kg.SearchHit, len(hits))
	for i, h := range hits {
		out[i] = kg.SearchHit{Node: kg.Clone(h.Node), Score: h.Score}
	}
	return out, nil
}

// scanList is List as a scan and sort of the label's nodes.
func scanList(s *Store, _ context.Context, q kg.ListQuery) (kg.Page, error) {
	o, err := kg.CheckListQuery(q)
	if err != nil {
		return kg.Page{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	type entry struct {
		n   kg.Node
		key string
	}
	var total int
	var after []entry
	for _, n := range s.nodes {
		if n.NodeLabel() != q.Label || !q.Filter.Match(n) {
			continue
		}
		total++
		e := entry{n: n, key: kg.SortKey(n, o.Field)}
		if q.After == nil || q.After.After(e.key, n.Base().ID) {
			after = append(after, e)
		}
	}
	slices.SortFunc(after, func(a, b entry) int {
		return kg.CompareKeys(a.key, a.n.Base().ID, b.key, b.n.Base().ID, o.Desc)
	})
	page := kg.Page{TotalCount: total, HasNextPage: len(after) > q.First}
	for _, e := range after[:min(len(after), q.First)] {
		page.Nodes = append(page.Nodes, kg.Clone(e.n))
	}
	return page, nil
}

// vocabulary of the random graphs: diacritics, letters kg.Fold replaces,
// combining marks, case, digits, scripts, and words that are prefixes of
// others.
var vocabulary = []string{
	"Göteborg", "goteborg", "GÖTEBORGS", "Värmland", "varm", "Karlstad", "karl", "Karlstads", "KK", "SKL",
	"Sklerosförbundet", "Lillestrøm", "lillestrom", "Øresund", "Æbeltoft", "aebel", "Straße", "strasse",
	"Health", "health-care", "Health2", "healthy", "Café", "cafe", "e\u0301cole", "école", "Ecole",
	"kommun", "Kommuner", "a", "ab", "abc", "Ab1", "1", "12", "123", "ÅSA", "åsa", "Åsa-Lena", "İstanbul",
	"ǅemal", "ﬁnance", "finance", "Ω", "K\u212Aelvin", "東京", "東", "١٢", "x²", "O'Brien", "Þór", "thor",
	"Łódź", "lodz", "Œuvre", "Ðan", "Reykjavík", "Tromsø", "Umeå", "Jönköping", "ö", "—", "&",
}

var separators = []string{" ", " ", " ", "-", ", ", "/", " (", ") ", "."}

// randText is a text of words of the vocabulary and sometimes a new word.
func randText(r *rand.Rand, minWords, maxWords int) string {
	n := minWords + r.IntN(maxWords-minWords+1)
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(separators[r.IntN(len(separators))])
		}
		if r.IntN(8) == 0 {
			b.WriteString(newWord(r))
		} else {
			b.WriteString(vocabulary[r.IntN(len(vocabulary))])
		}
	}
	return strings.TrimSpace(b.String())
}

// newWord is a random word over a small alphabet, so that new words keep
// coming and share prefixes with each other and the vocabulary.
func newWord(r *rand.Rand) string {
	const letters = "abcgkloöåø"
	rs := []rune(letters)
	var b strings.Builder
	for range 1 + r.IntN(5) {
		b.WriteRune(rs[r.IntN(len(rs))])
	}
	return b.String()
}

func randName(r *rand.Rand) string {
	for {
		if s := randText(r, 1, 4); s != "" && strings.Trim(s, " -,/().") != "" {
			return s
		}
	}
}

var places = []string{"Göteborg", "goteborg ", "Värmland", "VARMLAND", "Karlstad", "Tromsø", "", ""}

// randNode is a valid node of a random label, or of label l when set.
func randNode(r *rand.Rand, id string, l kg.Label) kg.Node {
	if l == "" {
		l = kg.Labels[r.IntN(len(kg.Labels))]
	}
	m := kg.Meta{ID: id, Name: randName(r)}
	if r.IntN(2) == 0 {
		m.Description = randText(r, 0, 8)
	}
	aliases := func() []string {
		var as []string
		for range r.IntN(3) {
			as = append(as, randName(r))
		}
		return as
	}
	switch l {
	case kg.LabelActor:
		return &kg.Actor{Meta: m, Kind: kg.ActorKinds[r.IntN(len(kg.ActorKinds))], Sector: kg.Sectors[r.IntN(len(kg.Sectors))],
			Country: []string{"", "SE", "NO", "DK"}[r.IntN(4)], Region: places[r.IntN(len(places))], City: places[r.IntN(len(places))],
			Aliases: aliases()}
	case kg.LabelProject:
		return &kg.Project{Meta: m, Status: kg.ProjectStatuses[r.IntN(len(kg.ProjectStatuses))], Programme: places[r.IntN(len(places))]}
	case kg.LabelNeed:
		return &kg.Need{Meta: m, Status: kg.NeedStatuses[r.IntN(len(kg.NeedStatuses))], Priority: 1 + r.IntN(5)}
	}
	return &kg.Competency{Meta: m, Category: kg.CompetencyCategories[r.IntN(len(kg.CompetencyCategories))], Aliases: aliases()}
}

// randSearch is a search text: words of the vocabulary, prefixes of them,
// in any case, and sometimes a word no node has.
func randSearch(r *rand.Rand) kg.SearchQuery {
	var words []string
	for range 1 + r.IntN(3) {
		w := vocabulary[r.IntN(len(vocabulary))]
		if r.IntN(4) == 0 {
			w = newWord(r)
		}
		switch r.IntN(5) {
		case 0:
			w = strings.ToUpper(w)
		case 1:
			f := kg.Fold(w)
			w = f[:1+r.IntN(max(1, len(f)))]
			if !utf8.ValidString(w) {
				w = f
			}
		case 2:
			if r.IntN(4) == 0 {
				w = "zzq"
			}
		}
		words = append(words, w)
	}
	q := kg.SearchQuery{Text: strings.Join(words, separators[r.IntN(len(separators))]), First: []int{1, 2, 5, 20, 100}[r.IntN(5)]}
	if r.IntN(3) == 0 {
		q.Labels = []kg.Label{kg.Labels[r.IntN(len(kg.Labels))]}
		if r.IntN(2) == 0 {
			q.Labels = append(q.Labels, kg.Labels[r.IntN(len(kg.Labels))])
		}
	}
	return q
}

// randList is a valid list query of a random label, order and filter.
func randList(r *rand.Rand, ids []string) kg.ListQuery {
	l := kg.Labels[r.IntN(len(kg.Labels))]
	q := kg.ListQuery{Label: l, First: []int{1, 2, 3, 7, 50, 100}[r.IntN(6)]}
	if r.IntN(5) > 0 {
		q.Order = kg.Order{Field: kg.OrderFields[r.IntN(len(kg.OrderFields))], Desc: r.IntN(2) == 0}
	}
	f := &q.Filter
	pick := func() bool { return r.IntN(4) == 0 }
	if pick() && len(ids) > 0 {
		for range 1 + r.IntN(6) {
			f.IDs = append(f.IDs, ids[r.IntN(len(ids))])
		}
		f.IDs = append(f.IDs, "no-such-id")
	}
	if pick() {
		f.NameContains = []string{"go", "Göte", " KARL ", "ö", "o", "-", "strasse", "e\u0301", "zzq", " "}[r.IntN(10)]
	}
	switch l {
	case kg.LabelActor:
		if pick() {
			f.Kinds = []kg.ActorKind{kg.ActorKinds[r.IntN(len(kg.ActorKinds))], kg.ActorKinds[r.IntN(len(kg.ActorKinds))]}
		}
		if pick() {
			f.Sectors = []kg.Sector{kg.Sectors[r.IntN(len(kg.Sectors))]}
		}
		if pick() {
			f.Countries = []string{"SE", "NO"}[:1+r.IntN(2)]
		}
		if pick() {
			f.Regions = []string{" goteborg", "Värmland", "tromso"}[:1+r.IntN(3)]
		}
		if pick() {
			f.Cities = []string{"KARLSTAD", "Tromsø"}[:1+r.IntN(2)]
		}
	case kg.LabelProject:
		if pick() {
			f.Statuses = []string{string(kg.ProjectStatuses[r.IntN(len(kg.ProjectStatuses))])}
		}
		if pick() {
			f.Programmes = []string{"Goteborg", "varmland"}[:1+r.IntN(2)]
		}
	case kg.LabelNeed:
		if pick() {
			f.Statuses = []string{string(kg.NeedStatuses[r.IntN(len(kg.NeedStatuses))])}
		}
		if pick() {
			f.MinPriority = r.IntN(6)
		}
	case kg.LabelCompetency:
		if pick() {
			f.Categories = []kg.CompetencyCategory{kg.CompetencyCategories[r.IntN(len(kg.CompetencyCategories))]}
		}
	}
	return q
}

func hitKeys(hits []kg.SearchHit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = fmt.Sprintf("%s:%g", h.Node.Base().ID, h.Score)
	}
	return out
}

// checkSearch compares Search with the scan on q.
func checkSearch(t *testing.T, s *Store, q kg.SearchQuery) {
	t.Helper()
	ctx := context.Background()
	got, err := s.Search(ctx, q)
	want, werr := scanSearch(s, ctx, q)
	if (err == nil) != (werr == nil) {
		t.Fatalf("Search(%+v): error %v, the scan's %v", q, err, werr)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Search(%+v):\n got %v\nwant %v", q, hitKeys(got), hitKeys(want))
	}
}

// checkList compares List with the scan on q and on the pages after it,
// following the cursors to the end, and after a cursor of a random node.
func checkList(t *testing.T, r *rand.Rand, s *Store, q kg.ListQuery, live []string) {
	t.Helper()
	ctx := context.Background()
	o, err := kg.CheckListQuery(q)
	if err != nil {
		t.Fatalf("randList made an invalid query %+v: %v", q, err)
	}
	for range 8 {
		got, err := s.List(ctx, q)
		want, werr := scanList(s, ctx, q)
		if err != nil || werr != nil {
			t.Fatalf("List(%+v): %v, the scan: %v", q, err, werr)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("List(%+v):\n got %d %v %v\nwant %d %v %v", q, got.TotalCount, got.HasNextPage, ids(got.Nodes),
				want.TotalCount, want.HasNextPage, ids(want.Nodes))
		}
		if !got.HasNextPage {
			break
		}
		c := kg.CursorOf(got.Nodes[len(got.Nodes)-1], o)
		q.After = &c
	}
	// A cursor at a node's position, or between nodes.
	s.mu.RLock()
	var n kg.Node
	if len(live) > 0 {
		n = s.nodes[live[r.IntN(len(live))]]
	}
	s.mu.RUnlock()
	if n != nil {
		c := kg.CursorOf(n, o)
		switch r.IntN(3) {
		case 0:
			c.ID += "~"
		case 1:
			c.Key += "m"
		}
		q.After = &c
		got, _ := s.List(ctx, q)
		want, _ := scanList(s, ctx, q)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("List(%+v) after %+v:\n got %v\nwant %v", q, c, ids(got.Nodes), ids(want.Nodes))
		}
	}
}

func ids(nodes []kg.Node) []string {
	out := make([]string, len(nodes))
	for i, n := range nodes {
		out[i] = n.Base().ID
	}
	return out
}

// coarseClock ticks by whole seconds from a few starting points, so that
// many nodes share a CreatedAt or UpdatedAt and the order falls to ids.
func coarseClock(r *rand.Rand) func() time.Time {
	base := time.Date(2024, 3, 1, 12, 0, 0, 500, time.UTC)
	return func() time.Time { return base.Add(time.Duration(r.IntN(20)) * time.Second) }
}

// TestIndexMatchesScan writes random graphs, replaces and deletes nodes,
// and after every round compares random searches and lists with the scans;
// then once more after a reopen, whose indexes are built from the file.
func TestIndexMatchesScan(t *testing.T) {
	ctx := context.Background()
	for seed := range uint64(3) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 7))
			dir := t.TempDir()
			s := openStore(t, dir, WithClock(coarseClock(rand.New(rand.NewPCG(seed, 8)))))
			var live []string
			labelOf := map[string]kg.Label{}
			next := 0
			newID := func() string { next++; return fmt.Sprintf("n%03d", next) }
			checkAll := func() {
				for range 20 {
					checkSearch(t, s, randSearch(r))
				}
				for range 8 {
					checkList(t, r, s, randList(r, append(live, "n001")), live)
				}
			}
			// Round 0: an import; then single writes of every kind.
			var g kg.Graph
			for range 300 + r.IntN(200) {
				id := newID()
				n := randNode(r, id, "")
				g.Add(n)
				live = append(live, id)
				labelOf[id] = n.NodeLabel()
			}
			if _, err := s.Import(ctx, g); err != nil {
				t.Fatalf("Import: %v", err)
			}
			checkAll()
			for round := range 8 {
				for range 1 + r.IntN(40) {
					switch k := r.IntN(10); {
					case k < 4 || len(live) == 0: // a new node
						id := newID()
						n := randNode(r, id, "")
						if _, err := s.UpsertNode(ctx, n); err != nil {
							t.Fatalf("UpsertNode: %v", err)
						}
						live = append(live, id)
						labelOf[id] = n.NodeLabel()
					case k < 7: // a replaced node
						id := live[r.IntN(len(live))]
						if _, err := s.UpsertNode(ctx, randNode(r, id, labelOf[id])); err != nil {
							t.Fatalf("UpsertNode: %v", err)
						}
					case k < 9: // a deleted node
						i := r.IntN(len(live))
						id := live[i]
						if ok, err := s.DeleteNode(ctx, labelOf[id], id); err != nil || !ok {
							t.Fatalf("DeleteNode = %v, %v", ok, err)
						}
						live = slices.Delete(live, i, i+1)
					default: // an import of new and replaced nodes
						var g kg.Graph
						for range 1 + r.IntN(30) {
							id := newID()
							if len(live) > 0 && r.IntN(2) == 0 {
								id = live[r.IntN(len(live))]
							} else {
								live = append(live, id)
							}
							if labelOf[id] == "" {
								labelOf[id] = kg.Labels[r.IntN(len(kg.Labels))]
							}
							if !slices.ContainsFunc(g.Nodes(), func(n kg.Node) bool { return n.Base().ID == id }) {
								g.Add(randNode(r, id, labelOf[id]))
							}
						}
						if _, err := s.Import(ctx, g); err != nil {
							t.Fatalf("Import: %v", err)
						}
					}
				}
				if round%3 == 0 {
					// Writes between reads of different kinds: a search, then
					// more writes, then a list.
					checkSearch(t, s, randSearch(r))
					if _, err := s.UpsertNode(ctx, randNode(r, newID(), kg.LabelActor)); err != nil {
						t.Fatal(err)
					}
				}
				checkAll()
			}
			s = reopen(t, s, dir)
			checkAll()
		})
	}
}

// TestIndexRewrites: more changes than nodes before the first read (the
// index gives up its list of changes and redoes every slot).
func TestIndexRewrites(t *testing.T) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(5, 5))
	s := openStore(t, t.TempDir(), WithClock(coarseClock(rand.New(rand.NewPCG(5, 6)))))
	var live []string
	for round := range 3 {
		var g kg.Graph
		for i := range 600 {
			id := fmt.Sprintf("n%03d", i)
			g.Add(randNode(r, id, kg.Labels[i%len(kg.Labels)]))
			if round == 0 {
				live = append(live, id)
			}
		}
		if _, err := s.Import(ctx, g); err != nil {
			t.Fatal(err)
		}
		if round == 1 {
			for i, id := range live[:200] {
				if _, err := s.DeleteNode(ctx, kg.Labels[i%len(kg.Labels)], id); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if !s.index.all {
		t.Fatal("the index still lists its changes one by one")
	}
	for range 20 {
		checkSearch(t, s, randSearch(r))
		checkList(t, r, s, randList(r, live), live)
	}
}

// TestIndexForgetsWords: the words of deleted and changed nodes do not
// pile up in the dictionary.
func TestIndexForgetsWords(t *testing.T) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(9, 9))
	s := openStore(t, t.TempDir())
	unique := func() string {
		var b strings.Builder
		for range 4 {
			fmt.Fprintf(&b, "w%x ", r.Uint64())
		}
		return b.String()
	}
	keep := []string{"k1", "k2"}
	for _, id := range keep {
		upsert(t, s, &kg.Need{Meta: kg.Meta{ID: id, Name: "Kept " + unique()}, Status: kg.NeedOpen, Priority: 1})
	}
	maxWords := 0
	for round := range 6 {
		var g kg.Graph
		for i := range 200 {
			g.Add(&kg.Need{Meta: kg.Meta{ID: fmt.Sprintf("n%d", i), Name: unique(), Description: unique()},
				Status: kg.NeedOpen, Priority: 1})
		}
		if _, err := s.Import(ctx, g); err != nil {
			t.Fatal(err)
		}
		checkSearch(t, s, kg.SearchQuery{Text: "w", First: 100})
		if round%2 == 1 {
			for i := range 200 {
				if _, err := s.DeleteNode(ctx, kg.LabelNeed, fmt.Sprintf("n%d", i)); err != nil {
					t.Fatal(err)
				}
				if i%50 == 0 {
					checkSearch(t, s, kg.SearchQuery{Text: "kept w", First: 10})
				}
			}
		}
		checkSearch(t, s, kg.SearchQuery{Text: "w", First: 100})
		maxWords = max(maxWords, len(s.index.tokStr))
		checkList(t, r, s, kg.ListQuery{Label: kg.LabelNeed, First: 50}, keep)
	}
	// Each import brings 1600 new words and removes as many: the
	// dictionary is renumbered before it holds five rounds' worth.
	if maxWords > 4*1600+20 {
		t.Errorf("the dictionary grew to %d words", maxWords)
	}
}

// upsert stores n or fails the test.
func upsert(t *testing.T, s *Store, n kg.Node) {
	t.Helper()
	if _, err := s.UpsertNode(context.Background(), n); err != nil {
		t.Fatalf("UpsertNode: %v", err)
	}
}

// TestIndexEmptyStore: nothing written, nothing found.
func TestIndexEmptyStore(t *testing.T) {
	s := openStore(t, t.TempDir())
	checkSearch(t, s, kg.SearchQuery{Text: "a", First: 10})
	r := rand.New(rand.NewPCG(1, 1))
	for range 20 {
		checkList(t, r, s, randList(r, nil), nil)
	}
}

// TestFold checks the index's fold against kg.Fold on every character of
// the scripts in use and many others, alone and next to ASCII and marks.
func TestFold(t *testing.T) {
	var ix nodeIndex
	check := func(s string) {
		t.Helper()
		if got, want := ix.fold(s), kg.Fold(s); got != want {
			t.Fatalf("fold(%q) = %q, kg.Fold %q", s, got, want)
		}
	}
	ranges := [][2]rune{{0, 0x2FFF}, {0x3000, 0x30FF}, {0xAC00, 0xAC40}, {0xFB00, 0xFB4F}, {0xFF00, 0xFF60},
		{0x1D400, 0x1D440}, {0x1F600, 0x1F610}}
	for _, rg := range ranges {
		for c := rg[0]; c <= rg[1]; c++ {
			if !utf8.ValidRune(c) {
				continue
			}
			r := string(c)
			for _, s := range []string{r, "a" + r, r + "A", "Ab" + r + "Cd" + r + r, "e" + r + "\u0301", r + "\u0301z", "I" + r + "\u0308"} {
				check(s)
			}
		}
	}
	rnd := rand.New(rand.NewPCG(3, 3))
	for range 20000 {
		var b strings.Builder
		for range 1 + rnd.IntN(12) {
			switch rnd.IntN(4) {
			case 0:
				b.WriteByte(byte(' ' + rnd.IntN(95)))
			case 1:
				b.WriteRune(rune(0x300 + rnd.IntN(0x70))) // combining marks
			case 2:
				b.WriteRune(rune(0xC0 + rnd.IntN(0x250)))
			default:
				b.WriteString(vocabulary[rnd.IntN(len(vocabulary))])
			}
		}
		check(b.String())
	}
	check("\xff invalid \xc3")
	check("Gö\xffteborg")
}

// TestCompareTimes: the list order of times is their kg.SortKey order,
// also for times whose keys are not fixed-width.
func TestCompareTimes(t *testing.T) {
	times := []time.Time{
		time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 1, 1, 0, 0, 0, 1, time.UTC),
		time.Date(2024, 1, 1, 1, 0, 0, 0, time.FixedZone("CET", 3600)), time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(-1, 12, 31, 23, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(12000, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(-300, 6, 1, 0, 0, 0, 0, time.UTC), {},
	}
	var ix nodeIndex
	for i, tm := range times {
		ix.put(&kg.Need{Meta: kg.Meta{ID: fmt.Sprintf("n%d", i%3), CreatedAt: tm, UpdatedAt: tm}})
		ix.put(&kg.Need{Meta: kg.Meta{ID: fmt.Sprintf("m%d", i), CreatedAt: tm, UpdatedAt: times[len(times)-1-i]}})
	}
	ix.sync()
	for _, f := range []int{ordCreated, ordUpdated} {
		o := ix.order[labelIndex(kg.LabelNeed)][f]
		if len(o) != len(ix.snap) || !slices.IsSortedFunc(o, func(a, b int32) int { return ix.compare(f, a, b) }) {
			t.Errorf("the %s order %v is not sorted", orderFields[f], o)
		}
	}
	for a := range ix.snap {
		for b := range ix.snap {
			for _, f := range []int{ordCreated, ordUpdated} {
				na, nb := ix.snap[a], ix.snap[b]
				want := kg.CompareKeys(kg.SortKey(na, orderFields[f]), na.Base().ID, kg.SortKey(nb, orderFields[f]), nb.Base().ID, false)
				if got := ix.compare(f, int32(a), int32(b)); got != want {
					t.Errorf("compare %s: %v %s vs %v %s = %d, want %d", orderFields[f], ix.timeOf(f, int32(a)), na.Base().ID,
						ix.timeOf(f, int32(b)), nb.Base().ID, got, want)
				}
			}
		}
	}
}

// TestOpenBuildsTheIndexesInTheBackground: after a start, the search and
// list indexes are built without waiting for the first reader, so that
// the first search on a big graph answers at once; a search made meanwhile
// still sees every node.
func TestOpenBuildsTheIndexesInTheBackground(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openStore(t, dir)
	var g kg.Graph
	for i := range 300 {
		g.Add(&kg.Actor{Meta: kg.Meta{ID: fmt.Sprintf("a%03d", i), Name: fmt.Sprintf("Actor %d of Karlstad", i)},
			Kind: kg.KindCompany, Sector: kg.SectorPrivate})
	}
	if _, err := s.Import(ctx, g); err != nil {
		t.Fatal(err)
	}
	s = reopen(t, s, dir)
	built := func() bool {
		s.mu.RLock()
		defer s.mu.RUnlock()
		s.index.mu.Lock()
		defer s.index.mu.Unlock()
		return s.index.built && !s.index.dirty.Load()
	}
	for deadline := time.Now().Add(time.Minute); !built(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("a minute after Open, with no read, the indexes are still not built")
		}
	}
	hits, err := s.Search(ctx, kg.SearchQuery{Text: "karlstad", First: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 100 {
		t.Fatalf("search found %d actors, want its first 100 of 300", len(hits))
	}

	// A store that closes before the build ran stays closed and quiet.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s2.Close(); err != nil {
		t.Fatal(err)
	}
}

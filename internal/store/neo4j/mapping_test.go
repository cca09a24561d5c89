package neo4j

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/samverkan/samverkan/internal/kg"
)

var t0 = time.Date(2024, 3, 1, 12, 30, 45, 123456789, time.UTC)

// asDriver turns Go parameter values into what the driver hands back when
// they are read: lists arrive as []any.
func asDriver(props map[string]any) map[string]any {
	out := make(map[string]any, len(props))
	for k, v := range props {
		if l, ok := v.([]string); ok {
			a := make([]any, len(l))
			for i, s := range l {
				a[i] = s
			}
			v = a
		}
		out[k] = v
	}
	return out
}

func sampleNodes() []kg.Node {
	meta := func(id, name string) kg.Meta {
		return kg.Meta{ID: id, Name: name, Description: "Om " + name, Sources: []string{"https://example.org/a"},
			CreatedAt: t0, UpdatedAt: t0.Add(time.Nanosecond)}
	}
	return []kg.Node{
		&kg.Actor{Meta: meta("karlstads-kommun", "Karlstads kommun"), Kind: kg.KindMunicipality, Sector: kg.SectorPublic,
			Country: "SE", Region: "Värmland", City: "Karlstad", Website: "https://karlstad.se", Aliases: []string{"KK"}},
		&kg.Project{Meta: meta("ndhc", "NDHC"), Status: kg.ProjectActive, StartDate: "2017-01-01", EndDate: "2019-12-31",
			URL: "https://ndhc.eu", Programme: "Interreg"},
		&kg.Need{Meta: meta("need:1", "Digital tillsyn"), Status: kg.NeedOpen, Priority: 4},
		&kg.Competency{Meta: meta("tjenestedesign", "Tjenestedesign"), Category: kg.CategoryDesign, Aliases: []string{"service design"}},
		// Empty optional fields and lists must come back empty, not as "".
		&kg.Actor{Meta: kg.Meta{ID: "bare", Name: "Bare", CreatedAt: t0, UpdatedAt: t0}, Kind: kg.KindPerson, Sector: kg.SectorCivil},
	}
}

// nodeFromDB reads n as the statements return a node: its properties as a
// map in column node, its labels in column labels.
func nodeFromDB(n dbtype.Node) (kg.Node, error) {
	labels := make([]any, len(n.Labels))
	for i, l := range n.Labels {
		labels[i] = l
	}
	return record{keys: []string{"node", "labels"}, values: []any{n.Props, labels}}.node()
}

func TestNodesRoundTripThroughStoredProperties(t *testing.T) {
	for _, n := range sampleNodes() {
		t.Run(n.Base().ID, func(t *testing.T) {
			stored := dbtype.Node{Labels: []string{"Node", string(n.NodeLabel())}, Props: asDriver(nodeProps(n))}
			got, err := nodeFromDB(stored)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, n) {
				t.Errorf("round trip changed the node:\n got %#v\nwant %#v", got, n)
			}
		})
	}
}

func TestNodePropsHoldFilterHelpers(t *testing.T) {
	p := nodeProps(sampleNodes()[0])
	want := map[string]any{
		"_sortName":   "karlstads kommun",
		"_foldRegion": "varmland",
		"_foldCity":   "karlstad",
		"createdAt":   "2024-03-01T12:30:45.123456789Z",
		"_text":       "karlstads kommun kk varmland karlstad om karlstads kommun",
		"_placeWords": []string{"varmland", "karlstad"},
	}
	for k, v := range want {
		if !reflect.DeepEqual(p[k], v) {
			t.Errorf("%s = %#v, want %#v", k, p[k], v)
		}
	}
	if !slices.Equal(p["_foldNames"].([]string), []string{"karlstads kommun", "kk"}) {
		t.Errorf("_foldNames = %v", p["_foldNames"])
	}
	// The stored timestamps are kg's sort keys, so ordering by them in
	// Cypher is ordering by kg.SortKey.
	n := sampleNodes()[0]
	if p["createdAt"] != kg.SortKey(n, kg.OrderByCreatedAt) || p["updatedAt"] != kg.SortKey(n, kg.OrderByUpdatedAt) {
		t.Errorf("stored timestamps %v, %v differ from kg sort keys", p["createdAt"], p["updatedAt"])
	}
}

func TestNodeFromDriverValues(t *testing.T) {
	tests := []struct {
		name    string
		node    dbtype.Node
		want    kg.Node
		wantErr string
	}{
		{
			name: "nulls and missing properties read as zero",
			node: dbtype.Node{Labels: []string{"Need", "Node"}, Props: map[string]any{
				"id": "n1", "name": "N", "description": nil, "sources": nil, "priority": int64(2), "status": "MET"}},
			want: &kg.Need{Meta: kg.Meta{ID: "n1", Name: "N"}, Status: kg.NeedMet, Priority: 2},
		},
		{
			name: "Neo4j temporal values written by other tools",
			node: dbtype.Node{Labels: []string{"Project"}, Props: map[string]any{
				"id": "p", "name": "P", "status": "PLANNED",
				"startDate": dbtype.Date(time.Date(2020, 5, 17, 0, 0, 0, 0, time.UTC)),
				"endDate":   time.Date(2021, 1, 2, 0, 0, 0, 0, time.UTC),
				"createdAt": time.Date(2024, 3, 1, 14, 30, 45, 123456789, time.FixedZone("CEST", 2*3600)),
				"updatedAt": "2024-03-01T12:30:45.123456789Z"}},
			want: &kg.Project{Meta: kg.Meta{ID: "p", Name: "P",
				CreatedAt: time.Date(2024, 3, 1, 12, 30, 45, 123456789, time.UTC), UpdatedAt: t0},
				Status: kg.ProjectPlanned, StartDate: "2020-05-17", EndDate: "2021-01-02"},
		},
		{
			name: "empty list reads as nil",
			node: dbtype.Node{Labels: []string{"Competency", "Node"}, Props: map[string]any{
				"id": "c", "name": "C", "category": "LEGAL", "aliases": []any{}}},
			want: &kg.Competency{Meta: kg.Meta{ID: "c", Name: "C"}, Category: kg.CategoryLegal},
		},
		{name: "no kg label", node: dbtype.Node{Labels: []string{"Node"}, Props: map[string]any{"id": "x"}}, wantErr: "no kg label"},
		{name: "no id", node: dbtype.Node{Labels: []string{"Actor"}, Props: map[string]any{"name": "x"}}, wantErr: "no id"},
		{name: "wrong type", node: dbtype.Node{Labels: []string{"Need"}, Props: map[string]any{"id": "x", "priority": "high"}}, wantErr: "priority"},
		{name: "list of non-strings", node: dbtype.Node{Labels: []string{"Actor"}, Props: map[string]any{"id": "x", "aliases": []any{int64(1)}}}, wantErr: "aliases"},
		{name: "bad timestamp", node: dbtype.Node{Labels: []string{"Actor"}, Props: map[string]any{"id": "x", "createdAt": "yesterday"}}, wantErr: "createdAt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := nodeFromDB(tt.node)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one mentioning %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func sampleRels() []kg.Rel {
	base := func(t kg.RelType, from, to string) kg.Rel {
		return kg.Rel{Type: t, From: from, To: to, Sources: []string{"src"}, CreatedAt: t0, UpdatedAt: t0.Add(time.Second)}
	}
	r := []kg.Rel{
		base(kg.RelParticipatesIn, "a", "p"),
		base(kg.RelHasCompetency, "a", "c"),
		base(kg.RelHasNeed, "a", "n"),
		base(kg.RelRequires, "n", "c"),
		base(kg.RelAddresses, "p", "n"),
		base(kg.RelMemberOf, "a", "b"),
		base(kg.RelPartnersWith, "a", "b"),
		{Type: kg.RelParticipatesIn, From: "a", To: "q", Role: "LEAD", CreatedAt: t0, UpdatedAt: t0}, // no dates, no sources
	}
	r[0].Role, r[0].Start, r[0].End = "PARTNER", "2020-01-01", "2021-06-30"
	r[1].Level, r[1].Evidence = 4, "led the pilot"
	r[3].Importance = 5
	r[5].Role = "member"
	r[6].Since, r[6].Description = "2019-09-01", "joint bids"
	return r
}

func TestRelsRoundTripThroughStoredProperties(t *testing.T) {
	for _, r := range sampleRels() {
		t.Run(string(r.Type), func(t *testing.T) {
			got, err := relFrom(dbtype.Relationship{Type: string(r.Type), Props: asDriver(relProps(r))}, r.From, r.To)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, r) {
				t.Errorf("round trip changed the relationship:\n got %#v\nwant %#v", got, r)
			}
		})
	}
}

func TestRelPropsHoldOnlyTheTypesProperties(t *testing.T) {
	p := relProps(sampleRels()[3]) // REQUIRES
	for k := range p {
		if !slices.Contains([]string{"importance", "sources", "createdAt", "updatedAt"}, k) {
			t.Errorf("REQUIRES stores property %s", k)
		}
	}
	if _, err := relFrom(dbtype.Relationship{Type: "KNOWS"}, "a", "b"); err == nil {
		t.Error("a relationship of an unknown type was accepted")
	}
	if _, err := relFrom(dbtype.Relationship{Type: "HAS_COMPETENCY", Props: map[string]any{"level": "high"}}, "a", "b"); err == nil {
		t.Error("a level that is not an integer was accepted")
	}
}

func TestRecordColumns(t *testing.T) {
	node := asDriver(nodeProps(sampleNodes()[0]))
	rel := dbtype.Relationship{Type: "MEMBER_OF", Props: map[string]any{"role": "chair", "sources": []any{}}}
	rec := &neo4j.Record{
		Keys:   []string{"node", "id", "labels", "from", "to", "r", "missing", "total"},
		Values: []any{node, "karlstads-kommun", []any{"Node", "Actor"}, "a", "b", rel, nil, int64(7)},
	}
	r := records([]*neo4j.Record{rec})[0]

	n, err := r.node()
	if err != nil || n.Base().ID != "karlstads-kommun" || n.NodeLabel() != kg.LabelActor {
		t.Errorf("node column: %v, %v", n, err)
	}
	if n, err := r.nodeOf(kg.LabelActor); err != nil || n.Base().ID != "karlstads-kommun" {
		t.Errorf("node column of a known label: %v, %v", n, err)
	}
	if labels, err := r.strings("labels"); err != nil || labelOf(labels) != kg.LabelActor {
		t.Errorf("labels column: %v, %v", labels, err)
	}
	got, err := r.rel()
	want := kg.Rel{Type: kg.RelMemberOf, From: "a", To: "b", Role: "chair"}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("rel columns: %#v, %v", got, err)
	}
	if total, err := r.integer("total"); err != nil || total != 7 {
		t.Errorf("integer column: %d, %v", total, err)
	}
	// A null where a node belongs, a string where an integer belongs, and
	// an absent column are errors, not zero values.
	null := record{keys: []string{"node", "labels"}, values: []any{nil, []any{"Actor"}}}
	if _, err := null.node(); err == nil {
		t.Error("null read as a node")
	}
	// A whole node, which would carry the "_" helpers, is refused.
	whole := record{keys: []string{"node"}, values: []any{dbtype.Node{Labels: []string{"Actor"}, Props: node}}}
	if _, err := whole.nodeOf(kg.LabelActor); err == nil {
		t.Error("a whole node was read; statements must return map projections")
	}
	if _, err := r.integer("id"); err == nil {
		t.Error("string read as an integer")
	}
	if _, err := r.str("nope"); err == nil {
		t.Error("absent column read")
	}
}

func TestLabelOfPrefersTheKgLabel(t *testing.T) {
	tests := []struct {
		labels []string
		want   kg.Label
	}{
		{[]string{"Node", "Actor"}, kg.LabelActor},
		{[]string{"Competency", "Node"}, kg.LabelCompetency},
		{[]string{"Node"}, ""},
		{nil, ""},
	}
	for _, tt := range tests {
		if got := labelOf(tt.labels); got != tt.want {
			t.Errorf("labelOf(%v) = %q, want %q", tt.labels, got, tt.want)
		}
	}
}

// javaLess compares like Java's String.compareTo: by UTF-16 code units.
func javaLess(a, b string) bool {
	ua, ub := utf16.Encode([]rune(a)), utf16.Encode([]rune(b))
	return slices.Compare(ua, ub) < 0
}

func runeLess(a, b string) bool { return slices.Compare([]rune(a), []rune(b)) < 0 }

func TestOrderKeyMakesNeo4jOrderEqualGoOrder(t *testing.T) {
	// U+FF01 (fullwidth !) sorts before U+1F600 (emoji) in Go, after it in
	// UTF-16: the case orderKey exists for.
	a, b := "a\uFF01", "a\U0001F600"
	if !(a < b) || !javaLess(b, a) {
		t.Fatal("the premise of this test does not hold")
	}
	if !javaLess(orderKey(a), orderKey(b)) {
		t.Errorf("orderKey(%q) does not sort before orderKey(%q) in UTF-16 order", a, b)
	}
	for _, s := range []string{"", "karlstad", "lillestrom", "värmland", "東京"} {
		if orderKey(s) != s {
			t.Errorf("orderKey changed %q to %q", s, orderKey(s))
		}
	}

	alphabet := []rune{'a', 'b', 'z', ' ', 'é', 'ø', '\u4e00', '\uD7FF', '\uE000', '\uE3FF', '\uFB01', '\uFF01', '\uFFFD', '\U0001F600', '\U00010000', '\U0010FFFF'}
	rng := rand.New(rand.NewPCG(1, 2))
	word := func() string {
		r := make([]rune, rng.IntN(5))
		for i := range r {
			r[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(r)
	}
	for range 20000 {
		x, y := word(), word()
		kx, ky := orderKey(x), orderKey(y)
		if (x < y) != javaLess(kx, ky) || (x < y) != runeLess(kx, ky) || (x == y) != (kx == ky) {
			t.Fatalf("order of %q and %q not kept: go %v, utf16 %v, code points %v", x, y, x < y, javaLess(kx, ky), runeLess(kx, ky))
		}
	}
}

func TestListParamsFoldLikeFilterMatch(t *testing.T) {
	f := kg.Filter{NameContains: "  Göteborg ", Regions: []string{" Värmland"}, Cities: []string{"LILLESTRØM"},
		Kinds: []kg.ActorKind{kg.KindCompany}, Countries: []string{"NO"}}
	p := listParams(kg.LabelActor, f)
	if p["nameContains"] != "goteborg" {
		t.Errorf("nameContains = %q", p["nameContains"])
	}
	if !slices.Equal(p["regions"].([]string), []string{"varmland"}) || !slices.Equal(p["cities"].([]string), []string{"lillestrom"}) {
		t.Errorf("regions %v, cities %v", p["regions"], p["cities"])
	}
	if !slices.Equal(p["kinds"].([]string), []string{"COMPANY"}) || !slices.Equal(p["countries"].([]string), []string{"NO"}) {
		t.Errorf("kinds %v, countries %v", p["kinds"], p["countries"])
	}
	// Unset list filters are empty lists (never null), which the
	// statements read as "no filter".
	if l, ok := p["sectors"].([]string); !ok || len(l) != 0 {
		t.Errorf("sectors = %#v, want an empty list", p["sectors"])
	}
	// listPlan passes every parameter its statements declare: see
	// TestListPlanCoversEveryStatement.
}

// indexTerms is what the whitespace analyzer makes of searchText(n): the
// space-separated words, each cut into pieces of at most 255 UTF-16 units
// as Lucene's tokenizer does with longer words.
func indexTerms(n kg.Node) []string {
	var out []string
	for _, w := range strings.Fields(searchText(n)) {
		var piece []rune
		units := 0
		for _, r := range w {
			if units+utf16.RuneLen(r) > 255 {
				out, piece, units = append(out, string(piece)), nil, 0
			}
			piece = append(piece, r)
			units += utf16.RuneLen(r)
		}
		out = append(out, string(piece))
	}
	return out
}

// luceneMatches evaluates a query of the form luceneQuery builds (required
// terms, the last one a prefix) against a node's index terms, unescaping
// as Lucene's classic query parser does.
func luceneMatches(t *testing.T, query string, terms []string) bool {
	t.Helper()
	var clauses []string
	var cur strings.Builder
	escaped := false
	for _, r := range query {
		switch {
		case escaped:
			cur.WriteRune(r)
			escaped = false
		case r == '\\':
			cur.WriteRune(r)
			escaped = true
		case r == ' ':
			clauses, cur = append(clauses, cur.String()), strings.Builder{}
		default:
			cur.WriteRune(r)
		}
	}
	clauses = append(clauses, cur.String())
	for _, c := range clauses {
		body, ok := strings.CutPrefix(c, "+")
		if !ok {
			t.Fatalf("clause %q of %q is not required", c, query)
		}
		prefix := strings.HasSuffix(body, "*") && !strings.HasSuffix(body, "\\*")
		body = strings.TrimSuffix(body, "*")
		var lit strings.Builder
		esc := false
		for _, r := range body {
			if !esc && r == '\\' {
				esc = true
				continue
			}
			if !esc && (strings.ContainsRune(luceneSpecial, r) || r == ' ') {
				t.Fatalf("clause %q of %q has unescaped syntax %q", c, query, r)
			}
			esc = false
			lit.WriteRune(r)
		}
		if !slices.ContainsFunc(terms, func(term string) bool {
			return term == lit.String() || (prefix && strings.HasPrefix(term, lit.String()))
		}) {
			return false
		}
	}
	return true
}

// The full-text query must find a superset of what kg.Query.Score accepts,
// or Search would miss matches the embedded store finds.
func TestSearchCandidatesCoverEveryMatch(t *testing.T) {
	long := strings.Repeat("ä", 150) + strings.Repeat("\U00020000", 80) // one word of 310 UTF-16 units once folded
	nodes := append(sampleNodes(),
		&kg.Actor{Meta: kg.Meta{ID: "x1", Name: "Don't Stop e-Helse 3.5", Description: "Lillestrøm—Göteborg"}, Aliases: []string{"ÆØÅ-lab"}},
		&kg.Competency{Meta: kg.Meta{ID: "x2", Name: "東京 デザイン", Description: "Straße Œuvre"}},
		&kg.Need{Meta: kg.Meta{ID: "x3", Name: long + " kommun", Description: "om " + long}},
	)
	queries := []string{"karl", "kk", "t", "5", "helse", "goteborg", "lillestrom", "aeoa", "lab", "東", "デ", "strasse", "oeuvre",
		"don t", "e hel", "om karl", "service des", "interreg", "digital til", "karlstads kommun", "Karlstads-kommun kk",
		long, long + " kommun", "om " + long, long + " " + long}
	matched := 0
	for _, n := range nodes {
		terms := indexTerms(n)
		for _, text := range queries {
			q := kg.ParseQuery(text)
			if q.Score(n) == 0 {
				continue
			}
			matched++
			if lq := luceneQuery(q); !luceneMatches(t, lq, terms) {
				t.Errorf("%q matches %s, but the full-text query %q does not find it in %v", text, n.Base().ID, lq, terms)
			}
		}
	}
	if matched < 20 {
		t.Fatalf("only %d query/node pairs match; the fixture no longer tests much", matched)
	}
}

func TestLuceneQueryRequiresEveryWordAndEscapes(t *testing.T) {
	long := strings.Repeat("a", 150)
	tests := []struct {
		name string
		q    kg.Query
		want string
	}{
		{"one word is a prefix", kg.ParseQuery("Karl"), "+karl*"},
		{"earlier words are whole and required", kg.ParseQuery("karlstads kom"), "+karlstads +kom*"},
		{"folded", kg.ParseQuery("Östra Göt"), "+ostra +got*"},
		{"a long last word is cut to fit an index token", kg.Query{long}, "+" + long[:maxTermRunes] + "*"},
		{"a long earlier word is left to kg", kg.Query{long, "x"}, "+x*"},
		// kg.Words never yields these, but nothing may reach Lucene unescaped.
		{"syntax is escaped", kg.Query{"a+b", "c:d", `e\f*`}, `+a\+b +c\:d +e\\f\**`},
		{"whitespace is escaped", kg.Query{"a b"}, `+a\ b*`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := luceneQuery(tt.q); got != tt.want {
				t.Errorf("luceneQuery(%q) = %q, want %q", tt.q, got, tt.want)
			}
		})
	}
	for _, r := range luceneSpecial {
		if got, want := luceneEscape("x"+string(r)), `x\`+string(r); got != want {
			t.Errorf("luceneEscape(%q) = %q, want %q", "x"+string(r), got, want)
		}
	}
}

func TestTimestampsRoundTripWithNanoseconds(t *testing.T) {
	in := time.Date(2025, 12, 31, 23, 59, 59, 1, time.FixedZone("CET", 3600))
	p := &props{m: map[string]any{"t": timeString(in)}}
	if got := p.time("t"); !got.Equal(in) || got.Location() != time.UTC || p.err != nil {
		t.Errorf("got %v (%v), want %v in UTC", got, p.err, in)
	}
}

package storetest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

func searchFixture() []kg.Node {
	desc := func(d string) func(*kg.Actor) { return func(a *kg.Actor) { a.Description = d } }
	return []kg.Node{
		actor("karlstads-kommun", "Karlstads kommun", desc("Kommunen i Värmland.")),
		actor("region-varmland", "Region Värmland", func(a *kg.Actor) {
			a.Aliases = []string{"Värmland", "RV"}
			a.Description = "Regionen driver hälso- och sjukvård."
		}),
		actor("landstinget", "Landstinget i Värmland"),
		actor("varmlands-museum", "Värmlands museum"),
		actor("goteborgs-stad", "Göteborgs stad"),
		actor("skl", "Sveriges Kommuner och Landsting", func(a *kg.Actor) { a.Aliases = []string{"SKL"} }),
		actor("kunnskapsbyen", "Kunnskapsbyen Lillestrøm"),
		actor("lillestrom-kommune", "Lillestrøm kommune"),
		actor("compare-ab", "Compare"),
		project("compare-project", "COMPARE", func(p *kg.Project) { p.Description = "Testbädd." }),
		project("ndhc", "NDHC", func(p *kg.Project) {
			p.Description = "Nordic Digital Health Center i Karlstad, med Compare och Karlstads kommun."
		}),
		competency("c-modell", "Karlstadsmodellen"),
		need("n-larm", "Trygghetslarm", func(n *kg.Need) { n.Description = "Larm för äldre i Göteborg." }),
	}
}

func testSearch(t *testing.T, newStore func(*testing.T) kg.Store) {
	s := newStore(t)
	fixture := searchFixture()
	load(t, s, fixture, nil)
	byID := map[string]kg.Node{}
	for _, n := range fixture {
		byID[n.Base().ID] = n
	}

	type hit struct {
		id   string
		tier int
	}
	cases := []struct {
		name   string
		text   string
		labels []kg.Label
		first  int
		want   []hit
	}{
		{"folded via alias and words", "varmland", nil, 10,
			[]hit{{"region-varmland", kg.TierExact}, {"varmlands-museum", kg.TierNamePrefix}, {"landstinget", kg.TierNameWords}, {"karlstads-kommun", kg.TierDescription}}},
		{"query with diacritics and case", "VÄRMLAND", nil, 10,
			[]hit{{"region-varmland", kg.TierExact}, {"varmlands-museum", kg.TierNamePrefix}, {"landstinget", kg.TierNameWords}, {"karlstads-kommun", kg.TierDescription}}},
		{"goteborg", "goteborg", nil, 10,
			[]hit{{"goteborgs-stad", kg.TierNamePrefix}, {"n-larm", kg.TierDescription}}},
		{"punctuation splits words", "Göteborgs-stad", nil, 10, []hit{{"goteborgs-stad", kg.TierExact}}},
		// A partly typed word is a prefix, never exact; ties by folded name
		// ("karlstads kommun" < "karlstadsmodellen").
		{"prefix of the last word", "karlst", nil, 10,
			[]hit{{"karlstads-kommun", kg.TierNamePrefix}, {"c-modell", kg.TierNamePrefix}, {"ndhc", kg.TierDescription}}},
		{"whole name", "karlstads kommun", nil, 10,
			[]hit{{"karlstads-kommun", kg.TierExact}, {"ndhc", kg.TierDescription}}},
		{"earlier words must be whole", "karlst kommun", nil, 10, nil},
		{"whole then prefix", "karlstads kom", nil, 10,
			[]hit{{"karlstads-kommun", kg.TierNamePrefix}, {"ndhc", kg.TierDescription}}},
		{"alias exact", "skl", nil, 10, []hit{{"skl", kg.TierExact}}},
		{"name prefix of several words", "SVERIGES kommuner", nil, 10, []hit{{"skl", kg.TierNamePrefix}}},
		{"lillestrom", "lillestrom", nil, 10,
			[]hit{{"lillestrom-kommune", kg.TierNamePrefix}, {"kunnskapsbyen", kg.TierNameWords}}},
		{"ties by folded name", "kommun", nil, 10,
			[]hit{{"karlstads-kommun", kg.TierNameWords}, {"lillestrom-kommune", kg.TierNameWords}, {"skl", kg.TierNameWords}, {"ndhc", kg.TierDescription}}},
		{"ties by id", "compare", nil, 10,
			[]hit{{"compare-ab", kg.TierExact}, {"compare-project", kg.TierExact}, {"ndhc", kg.TierDescription}}},
		{"label filter", "compare", []kg.Label{kg.LabelProject}, 10,
			[]hit{{"compare-project", kg.TierExact}, {"ndhc", kg.TierDescription}}},
		{"labels filter", "kommun", []kg.Label{kg.LabelProject, kg.LabelNeed}, 10, []hit{{"ndhc", kg.TierDescription}}},
		{"label without hits", "kommun", []kg.Label{kg.LabelCompetency}, 10, nil},
		{"first cuts", "kommun", nil, 2,
			[]hit{{"karlstads-kommun", kg.TierNameWords}, {"lillestrom-kommune", kg.TierNameWords}}},
		{"first one", "varmland", nil, 1, []hit{{"region-varmland", kg.TierExact}}},
		{"no match", "zzzz", nil, 10, nil},
		{"description words", "sjukvard", nil, 10, []hit{{"region-varmland", kg.TierDescription}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			hits, err := s.Search(t.Context(), kg.SearchQuery{Text: tc.text, Labels: tc.labels, First: tc.first})
			if err != nil {
				t.Fatalf("Search(%q): %v", tc.text, err)
			}
			var got, want []string
			for _, h := range hits {
				got = append(got, fmt.Sprintf("%s:%g", h.Node.Base().ID, h.Score))
			}
			for _, h := range tc.want {
				want = append(want, fmt.Sprintf("%s:%d", h.id, h.tier))
				// The table agrees with the reference ranking.
				if sc := kg.ParseQuery(tc.text).Score(byID[h.id]); sc != h.tier {
					t.Fatalf("test table: kg scores %s %d, table says %d", h.id, sc, h.tier)
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("Search(%q, %v, %d) =\n %v\nwant\n %v", tc.text, tc.labels, tc.first, got, want)
			}
			for _, h := range hits {
				if n := byID[h.Node.Base().ID]; n != nil && nodeContent(h.Node) != nodeContent(n) {
					t.Errorf("hit %s is\n %s\nwant the whole node\n %s", h.Node.Base().ID, nodeContent(h.Node), nodeContent(n))
				}
			}
		})
	}

	t.Run("SecondVersion", func(t *testing.T) { testSearchPlaces(t, newStore) })

	refused := []struct {
		name  string
		q     kg.SearchQuery
		field string
	}{
		{"empty text", kg.SearchQuery{Text: "", First: 10}, "text"},
		{"blank text", kg.SearchQuery{Text: "   ", First: 10}, "text"},
		{"punctuation only", kg.SearchQuery{Text: " -- !", First: 10}, "text"},
		{"text too long", kg.SearchQuery{Text: strN(kg.MaxSearchText+1, "a"), First: 10}, "text"},
		{"first 0", kg.SearchQuery{Text: "kommun", First: 0}, "first"},
		{"first too large", kg.SearchQuery{Text: "kommun", First: kg.MaxSearchResults + 1}, "first"},
		{"unknown label", kg.SearchQuery{Text: "kommun", Labels: []kg.Label{"Thing"}, First: 10}, "types"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			hits, err := s.Search(t.Context(), tc.q)
			checkErr(t, err, kg.ErrInvalid, tc.field)
			if len(hits) != 0 {
				t.Errorf("a refused search returned %d hits", len(hits))
			}
		})
	}
}

// testSearchPlaces is search of the second version (DESIGN.md §2.1): the
// region and city of actors and projects, project aliases, and competency
// aliases as names.
func testSearchPlaces(t *testing.T, newStore func(*testing.T) kg.Store) {
	s := newStore(t)
	place := func(region, city string) func(*kg.Actor) {
		return func(a *kg.Actor) { a.Region, a.City = region, city }
	}
	load(t, s, []kg.Node{
		actor("karlstads-kommun", "Karlstads kommun", place("Värmland", "Karlstad")),
		actor("compare", "Compare", place("Värmland", "Karlstad")),
		actor("elina-svensson", "Elina Svensson", place("Värmland", ""), func(a *kg.Actor) { a.Kind = kg.KindPerson }),
		actor("region-varmland", "Region Värmland"),
		actor("difi", "Difi", place("", "Oslo")),
		project("or18", "Offentliga Rummet 2018", func(p *kg.Project) {
			p.Aliases, p.Region, p.City = []string{"OR 2018"}, "Västra Götaland", "Göteborg"
		}),
		competency("tjanstedesign", "Tjänstedesign", func(c *kg.Competency) { c.Aliases = []string{"service design"} }),
	}, nil)
	cases := []struct {
		text   string
		labels []kg.Label
		want   []string
	}{
		// A name with the word ranks above the places that are it.
		{"varmland", nil, []string{"region-varmland:3", "compare:2", "elina-svensson:2", "karlstads-kommun:2"}},
		{"karlstad värmland", nil, []string{"compare:2", "karlstads-kommun:2"}},
		{"goteborg", nil, []string{"or18:2"}},
		{"västra göt", nil, []string{"or18:2"}},
		{"oslo", []kg.Label{kg.LabelActor}, []string{"difi:2"}},
		{"varmland", []kg.Label{kg.LabelProject}, nil},
		{"or 2018", nil, []string{"or18:5"}},
		{"service design", nil, []string{"tjanstedesign:5"}},
	}
	for _, tc := range cases {
		hits, err := s.Search(t.Context(), kg.SearchQuery{Text: tc.text, Labels: tc.labels, First: 10})
		if err != nil {
			t.Fatalf("Search(%q): %v", tc.text, err)
		}
		var got []string
		for _, h := range hits {
			got = append(got, fmt.Sprintf("%s:%g", h.Node.Base().ID, h.Score))
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("Search(%q, %v) = %v, want %v", tc.text, tc.labels, got, tc.want)
		}
	}
}

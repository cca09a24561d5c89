package kg_test

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Värmland", "varmland"},
		{"Lillestrøm", "lillestrom"},
		{"Göteborg", "goteborg"},
		{"ÆØÅ", "aeoa"},
		{"æøå", "aeoa"},
		{"Straße", "strasse"},
		{"STRAẞE", "strasse"},
		{"Örebro", "orebro"},
		{"Łódź", "lodz"},
		{"Þingvellir", "thingvellir"},
		{"Œuvre", "oeuvre"},
		{"Ðóra", "dora"},
		{"Đakovo", "dakovo"},
		{"Ärende ÅÄÖ", "arende aao"},
		{"Kunnskapsbyen Lillestrøm", "kunnskapsbyen lillestrom"},
		{"a\u0308", "a"}, // decomposed ä
		{"İstanbul", "istanbul"},
		{"DOGA 2019", "doga 2019"},
		{"", ""},
	}
	for _, tc := range tests {
		if got := kg.Fold(tc.in); got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// Folding folded text changes nothing, and upper and lower case fold alike:
// otherwise a stored sort key and a folded query would disagree.
func TestFoldIdempotentAndCaseBlind(t *testing.T) {
	alphabet := []rune("aAzZåÅäÄöÖøØæÆœŒßẞđĐłŁþÞðÐéÉüÜñÑçÇİıſ ǅǄǆ-0\u0301\u0308")
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20_000; i++ {
		r := make([]rune, 1+rng.IntN(6))
		for j := range r {
			r[j] = alphabet[rng.IntN(len(alphabet))]
		}
		s := string(r)
		f := kg.Fold(s)
		if ff := kg.Fold(f); ff != f {
			t.Fatalf("Fold(%q) = %q but Fold(%q) = %q", s, f, f, ff)
		}
		if up := kg.Fold(strings.ToUpper(s)); up != f && !strings.ContainsAny(s, "ıſİǅǄǆ") {
			t.Fatalf("Fold(%q) = %q but Fold(upper) = %q", s, f, up)
		}
	}
}

func TestWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Karlstads kommun", []string{"karlstads", "kommun"}},
		{"  Region  Värmland ", []string{"region", "varmland"}},
		{"e-hälsa/välfärd (2019)", []string{"e", "halsa", "valfard", "2019"}},
		{"DigitalWell Arena – DWA", []string{"digitalwell", "arena", "dwa"}},
		{"", nil},
		{"–!?", nil},
	}
	for _, tc := range tests {
		if got := kg.Words(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("Words(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestQueryScore(t *testing.T) {
	skl := &kg.Actor{Meta: kg.Meta{ID: "skl", Name: "Sveriges Kommuner och Landsting"}, Aliases: []string{"SKL"}}
	sklero := &kg.Actor{Meta: kg.Meta{ID: "neuro", Name: "Sklerosförbundet"}}
	karlstad := &kg.Actor{Meta: kg.Meta{ID: "karlstads-kommun", Name: "Karlstads kommun",
		Description: "Kommunen driver NDHC tillsammans med Compare."}}
	karlstadCity := &kg.Actor{Meta: kg.Meta{ID: "karlstad", Name: "Karlstad"}}
	region := &kg.Actor{Meta: kg.Meta{ID: "region-varmland", Name: "Region Värmland"}}
	varmland := &kg.Actor{Meta: kg.Meta{ID: "varmland", Name: "Värmland"}}
	design := &kg.Competency{Meta: kg.Meta{ID: "tjanstedesign", Name: "Tjänstedesign",
		Description: "Att utforma välfärdstjänster med brukaren."}, Aliases: []string{"Service design"}}
	need := &kg.Need{Meta: kg.Meta{ID: "n", Name: "Trygghet i hemmet", Description: "Äldre vill bo kvar hemma."}}

	tests := []struct {
		query string
		node  kg.Node
		want  int
	}{
		{"Karlstads kommun", karlstad, kg.TierExact},
		{"karlstads kommun", karlstad, kg.TierExact},
		{"KARLSTADS   KOMMUN!", karlstad, kg.TierExact},
		{"karlstads komm", karlstad, kg.TierNamePrefix}, // an unfinished name is not the name
		{"karlst", karlstad, kg.TierNamePrefix},
		{"karlstads", karlstad, kg.TierNamePrefix},
		{"karlstad", karlstadCity, kg.TierExact},
		{"karlst", karlstadCity, kg.TierNamePrefix},
		{"kommun karlstads", karlstad, kg.TierNameWords}, // every word, not in order
		{"kommun karl", karlstad, kg.TierNameWords},      // last word as a prefix
		{"kom karlstads", karlstad, 0},                   // only the last word may be partial
		{"kommun", karlstad, kg.TierNameWords},
		{"kommu", karlstad, kg.TierNameWords},
		{"compare", karlstad, kg.TierDescription},
		{"ndhc tillsam", karlstad, kg.TierDescription},
		{"göteborg", karlstad, 0},
		{"karlstadsbuss", karlstad, 0},
		{"skl", skl, kg.TierExact}, // alias
		{"SKL", skl, kg.TierExact},
		{"skl", sklero, kg.TierNamePrefix},
		{"sveriges kommuner", skl, kg.TierNamePrefix},
		{"landsting", skl, kg.TierNameWords},
		{"VÄRMLAND", varmland, kg.TierExact},
		{"varmland", varmland, kg.TierExact},
		{"VÄRMLAND", region, kg.TierNameWords},
		{"region varm", region, kg.TierNamePrefix},
		{"service design", design, kg.TierExact},
		{"service", design, kg.TierNamePrefix},
		{"design", design, kg.TierNameWords},
		{"tjanstedesign", design, kg.TierExact},
		{"valfardstjanster", design, kg.TierDescription},
		{"brukaren", design, kg.TierDescription},
		{"aldre hemma", need, kg.TierDescription},
		{"hemmet trygghet", need, kg.TierNameWords},
		{"", karlstad, 0},
		{"  –?! ", karlstad, 0},
	}
	for _, tc := range tests {
		if got := kg.ParseQuery(tc.query).Score(tc.node); got != tc.want {
			t.Errorf("%q on %q: tier %d, want %d", tc.query, tc.node.Base().Name, got, tc.want)
		}
	}
}

// The exact alias ranks above a name that merely starts with the query.
func TestQueryScoreRanksExactAliasFirst(t *testing.T) {
	skl := &kg.Actor{Meta: kg.Meta{ID: "skl", Name: "Sveriges Kommuner och Landsting"}, Aliases: []string{"SKL"}}
	sklero := &kg.Actor{Meta: kg.Meta{ID: "neuro", Name: "Sklerosförbundet"}}
	q := kg.ParseQuery("skl")
	if q.Score(skl) <= q.Score(sklero) {
		t.Errorf("SKL alias scores %d, Sklerosförbundet %d", q.Score(skl), q.Score(sklero))
	}
}

func TestParseQuery(t *testing.T) {
	if q := kg.ParseQuery("  Region   VÄRMLAND "); !slices.Equal(q, kg.Query{"region", "varmland"}) {
		t.Errorf("ParseQuery = %q", q)
	}
	if q := kg.ParseQuery("---"); len(q) != 0 {
		t.Errorf("ParseQuery(---) = %q", q)
	}
}

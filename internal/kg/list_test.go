package kg_test

import (
	"cmp"
	"encoding/base64"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/samverkan/samverkan/internal/kg"
)

// allOrders is every field in both directions.
func allOrders() []kg.Order {
	var out []kg.Order
	for _, f := range kg.OrderFields {
		out = append(out, kg.Order{Field: f}, kg.Order{Field: f, Desc: true})
	}
	return out
}

func TestCursorRoundTrip(t *testing.T) {
	keys := []string{"", "karlstads kommun", `"quoted" \ back<slash>&`, "2020-01-02T03:04:05.000000006Z", "日本", "\u2028"}
	for _, o := range allOrders() {
		for _, key := range keys {
			c := kg.Cursor{Field: o.Field, Desc: o.Desc, Key: key, ID: "karlstads-kommun"}
			s := c.Encode()
			if strings.ContainsAny(s, "+/=") {
				t.Errorf("cursor %q is not URL-safe", s)
			}
			got, err := kg.DecodeCursor("after", s, o)
			if err != nil {
				t.Fatalf("%v %q: %v", o, key, err)
			}
			if *got != c {
				t.Errorf("decoded %+v, want %+v", *got, c)
			}
		}
	}
}

// The longest sort key a valid node can have still makes a cursor that
// decodes: the 2,048-character limit must not refuse cursors we issued.
func TestCursorOfLongestNode(t *testing.T) {
	for _, name := range []string{repeat("<", 200), repeat("\u2028", 200), repeat("𝔘", 200), repeat("Ǻ", 200)} {
		a := &kg.Actor{Meta: kg.Meta{ID: repeat("z", 128), Name: name}, Kind: kg.KindPerson, Sector: kg.SectorCivil}
		if err := kg.ValidateNode(a); err != nil {
			t.Fatalf("test node invalid: %v", err)
		}
		for _, o := range allOrders() {
			c := kg.CursorOf(a, o)
			if _, err := kg.DecodeCursor("after", c.Encode(), o); err != nil {
				t.Errorf("name %q…, order %v: cursor of %d characters refused: %v", name[:4], o, len(c.Encode()), err)
			}
		}
	}
}

func TestDecodeCursorRefusesTampering(t *testing.T) {
	o := kg.Order{Field: kg.OrderByName}
	s := kg.Cursor{Field: kg.OrderByName, Key: "region varmland", ID: "region-varmland"}.Encode()
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

	refused := func(what, s string) {
		t.Helper()
		c, err := kg.DecodeCursor("after", s, o)
		if c != nil || err == nil {
			t.Fatalf("%s: %q accepted as %+v", what, s, c)
		}
		wantInvalid(t, err, "after")
	}

	for i := range len(s) {
		for _, ch := range alphabet {
			if byte(ch) == s[i] {
				continue
			}
			refused(fmt.Sprintf("character %d changed to %c", i, ch), s[:i]+string(ch)+s[i+1:])
		}
		refused(fmt.Sprintf("newline inserted at %d", i), s[:i]+"\n"+s[i:])
		refused(fmt.Sprintf("carriage return inserted at %d", i), s[:i]+"\r"+s[i:])
		refused(fmt.Sprintf("truncated to %d", i), s[:i])
	}
	refused("empty", "")
	refused("not base64", "this is not a cursor!")
	refused("padded", s+"=")
	refused("extended", s+"A")
	refused("standard alphabet", base64.StdEncoding.EncodeToString([]byte("not even signed")))
	refused("over 2,048 characters", repeat("A", 2049))
	refused("over 2,048 characters, valid prefix", s+repeat("A", 2049-len(s)))
	refused("signed but unknown field", kg.Cursor{Field: "COLOUR", Key: "k", ID: "i"}.Encode())
	refused("other order field", kg.Cursor{Field: kg.OrderByID, ID: "region-varmland"}.Encode())
	refused("other direction", kg.Cursor{Field: kg.OrderByName, Desc: true, Key: "region varmland", ID: "region-varmland"}.Encode())

	// The field argument names where the cursor came from.
	_, err := kg.DecodeCursor("input.after", "garbage", o)
	wantInvalid(t, err, "input.after")
}

func TestDecodeCursorOtherOrderSaysSo(t *testing.T) {
	s := kg.Cursor{Field: kg.OrderByCreatedAt, Key: "k", ID: "i"}.Encode()
	_, err := kg.DecodeCursor("after", s, kg.Order{Field: kg.OrderByCreatedAt, Desc: true})
	wantInvalid(t, err, "after")
	if !strings.Contains(err.Error(), "ordering") {
		t.Errorf("message %q does not say the ordering differs", err)
	}
}

func TestSortKey(t *testing.T) {
	cet := time.FixedZone("CET", 3600)
	a := &kg.Actor{Meta: kg.Meta{ID: "x", Name: "Örebro Kommun",
		CreatedAt: time.Date(2020, 1, 2, 4, 4, 5, 6, cet),
		UpdatedAt: time.Date(2021, 12, 31, 23, 59, 59, 0, time.UTC)}}
	tests := []struct {
		field kg.OrderField
		want  string
	}{
		{kg.OrderByName, "orebro kommun"},
		{kg.OrderByID, ""}, // ties, broken by id
		{kg.OrderByCreatedAt, "2020-01-02T03:04:05.000000006Z"},
		{kg.OrderByUpdatedAt, "2021-12-31T23:59:59.000000000Z"},
	}
	for _, tc := range tests {
		if got := kg.SortKey(a, tc.field); got != tc.want {
			t.Errorf("SortKey(%s) = %q, want %q", tc.field, got, tc.want)
		}
	}

	// Time keys sort as the times do, down to the nanosecond.
	base := time.Date(2020, 5, 5, 5, 5, 5, 0, time.UTC)
	times := []time.Time{base, base.Add(time.Nanosecond), base.Add(50 * time.Millisecond),
		base.Add(500 * time.Millisecond), base.Add(time.Second), base.Add(-time.Nanosecond), {}}
	for _, x := range times {
		for _, y := range times {
			kx := kg.SortKey(&kg.Need{Meta: kg.Meta{CreatedAt: x}}, kg.OrderByCreatedAt)
			ky := kg.SortKey(&kg.Need{Meta: kg.Meta{CreatedAt: y}}, kg.OrderByCreatedAt)
			if (kx < ky) != x.Before(y) {
				t.Errorf("%v before %v is %v, but keys %q < %q is %v", x, y, x.Before(y), kx, ky, kx < ky)
			}
		}
	}
}

// TestCursorAfterAgreesWithLess sorts random nodes (with many equal keys)
// by Less and checks, for every node's cursor, that After holds for exactly
// the nodes that follow it: so a page that starts after a cursor neither
// repeats nor skips a node, in either direction.
func TestCursorAfterAgreesWithLess(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	names := []string{"Alfa", "alfa", "Älfa", "Beta", "Övik", "Ovik", "Zeta", "Ångström"}
	base := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for round := range 200 {
		nodes := make([]kg.Node, 1+rng.IntN(25))
		ids := rng.Perm(1000)
		for i := range nodes {
			nodes[i] = &kg.Competency{Meta: kg.Meta{
				ID:        fmt.Sprintf("c%d", ids[i]), // "c10" < "c9": ids compare as strings
				Name:      names[rng.IntN(len(names))],
				CreatedAt: base.Add(time.Duration(rng.IntN(4)) * time.Hour),
				UpdatedAt: base.Add(time.Duration(rng.Int64N(1e15))),
			}}
		}
		for _, o := range allOrders() {
			sorted := slices.Clone(nodes)
			slices.SortFunc(sorted, func(a, b kg.Node) int {
				switch {
				case kg.Less(a, b, o):
					return -1
				case kg.Less(b, a, o):
					return 1
				}
				return 0
			})
			// An independent statement of the order: key, then id, reversed for desc.
			want := slices.Clone(nodes)
			slices.SortFunc(want, func(a, b kg.Node) int {
				c := cmp.Or(cmp.Compare(kg.SortKey(a, o.Field), kg.SortKey(b, o.Field)), cmp.Compare(a.Base().ID, b.Base().ID))
				if o.Desc {
					return -c
				}
				return c
			})
			if !slices.Equal(sorted, want) {
				t.Fatalf("round %d, %v: Less sorts %v, want %v", round, o, idsOf(sorted), idsOf(want))
			}
			for i, n := range sorted {
				if kg.Less(n, n, o) {
					t.Fatalf("%v: Less(%s, %s) is true", o, n.Base().ID, n.Base().ID)
				}
				c := kg.CursorOf(n, o)
				if c.Field != o.Field || c.Desc != o.Desc || c.ID != n.Base().ID {
					t.Fatalf("CursorOf = %+v", c)
				}
				for j, m := range sorted {
					if got := c.After(kg.SortKey(m, o.Field), m.Base().ID); got != (j > i) {
						t.Fatalf("round %d, %v: cursor at %s (position %d): After(%s at %d) = %v",
							round, o, n.Base().ID, i, m.Base().ID, j, got)
					}
				}
			}
		}
	}
}

func idsOf(ns []kg.Node) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.Base().ID
	}
	return out
}

func TestFilterMatch(t *testing.T) {
	karlstad := &kg.Actor{Meta: kg.Meta{ID: "karlstads-kommun", Name: "Karlstads kommun"},
		Kind: kg.KindMunicipality, Sector: kg.SectorPublic, Country: "SE", Region: "Värmland", City: "Karlstad"}
	skl := &kg.Actor{Meta: kg.Meta{ID: "skl", Name: "Sveriges Kommuner och Landsting"}, Aliases: []string{"SKL"},
		Kind: kg.KindNetwork, Sector: kg.SectorPublic, Country: "SE"}
	ndhc := &kg.Project{Meta: kg.Meta{ID: "ndhc", Name: "NDHC"}, Status: kg.ProjectCompleted, Programme: "Interreg Sverige–Norge"}
	need := &kg.Need{Meta: kg.Meta{ID: "need", Name: "Trygghet"}, Status: kg.NeedOpen, Priority: 3}
	design := &kg.Competency{Meta: kg.Meta{ID: "design", Name: "Tjänstedesign"}, Aliases: []string{"Service design"},
		Category: kg.CategoryDesign}

	tests := []struct {
		name   string
		filter kg.Filter
		node   kg.Node
		want   bool
	}{
		{"empty filter", kg.Filter{}, karlstad, true},
		{"ids hit", kg.Filter{IDs: []string{"x", "karlstads-kommun"}}, karlstad, true},
		{"ids miss", kg.Filter{IDs: []string{"skl"}}, karlstad, false},
		{"nameContains substring", kg.Filter{NameContains: "stads kom"}, karlstad, true},
		{"nameContains case-blind", kg.Filter{NameContains: "KARLSTADS"}, karlstad, true},
		{"nameContains diacritic-blind", kg.Filter{NameContains: "Kärlstäds"}, karlstad, true},
		{"nameContains trimmed", kg.Filter{NameContains: "  kommun "}, karlstad, true},
		{"nameContains miss", kg.Filter{NameContains: "göteborg"}, karlstad, false},
		{"nameContains on alias", kg.Filter{NameContains: "skl"}, skl, true},
		{"nameContains on competency alias", kg.Filter{NameContains: "SERVICE"}, design, true},
		{"nameContains folded name", kg.Filter{NameContains: "tjanste"}, design, true},
		{"nameContains not in description", kg.Filter{NameContains: "stockholm"}, skl, false},
		{"kinds hit", kg.Filter{Kinds: []kg.ActorKind{kg.KindRegion, kg.KindMunicipality}}, karlstad, true},
		{"kinds miss", kg.Filter{Kinds: []kg.ActorKind{kg.KindCompany}}, karlstad, false},
		{"sectors hit", kg.Filter{Sectors: []kg.Sector{kg.SectorPublic}}, karlstad, true},
		{"sectors miss", kg.Filter{Sectors: []kg.Sector{kg.SectorPrivate, kg.SectorAcademic}}, karlstad, false},
		{"countries hit", kg.Filter{Countries: []string{"NO", "SE"}}, karlstad, true},
		{"countries miss", kg.Filter{Countries: []string{"NO"}}, karlstad, false},
		{"regions folded", kg.Filter{Regions: []string{"varmland"}}, karlstad, true},
		{"regions upper case", kg.Filter{Regions: []string{" VÄRMLAND "}}, karlstad, true},
		{"regions miss", kg.Filter{Regions: []string{"Västra Götaland"}}, karlstad, false},
		{"regions are whole values", kg.Filter{Regions: []string{"varm"}}, karlstad, false},
		{"regions of an actor without one", kg.Filter{Regions: []string{"Värmland"}}, skl, false},
		{"cities folded", kg.Filter{Cities: []string{"KARLSTAD"}}, karlstad, true},
		{"cities miss", kg.Filter{Cities: []string{"Lillestrøm"}}, karlstad, false},
		{"every field must match", kg.Filter{Kinds: []kg.ActorKind{kg.KindMunicipality}, Countries: []string{"NO"}}, karlstad, false},
		{"every field matches", kg.Filter{NameContains: "karl", Kinds: []kg.ActorKind{kg.KindMunicipality},
			Sectors: []kg.Sector{kg.SectorPublic}, Countries: []string{"SE"}, Regions: []string{"värmland"},
			Cities: []string{"karlstad"}, IDs: []string{"karlstads-kommun"}}, karlstad, true},
		{"project status hit", kg.Filter{Statuses: []string{"ACTIVE", "COMPLETED"}}, ndhc, true},
		{"project status miss", kg.Filter{Statuses: []string{"ACTIVE"}}, ndhc, false},
		{"programme folded", kg.Filter{Programmes: []string{"interreg sverige–norge"}}, ndhc, true},
		{"programme miss", kg.Filter{Programmes: []string{"Horisont Europa"}}, ndhc, false},
		{"need status hit", kg.Filter{Statuses: []string{"OPEN"}}, need, true},
		{"need status miss", kg.Filter{Statuses: []string{"MET"}}, need, false},
		{"minPriority equal", kg.Filter{MinPriority: 3}, need, true},
		{"minPriority above", kg.Filter{MinPriority: 4}, need, false},
		{"minPriority below", kg.Filter{MinPriority: 1}, need, true},
		{"category hit", kg.Filter{Categories: []kg.CompetencyCategory{kg.CategoryLegal, kg.CategoryDesign}}, design, true},
		{"category miss", kg.Filter{Categories: []kg.CompetencyCategory{kg.CategoryLegal}}, design, false},
	}
	for _, tc := range tests {
		if got := tc.filter.Match(tc.node); got != tc.want {
			t.Errorf("%s: Match = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// The order fields are the API's NodeOrderField values, written out here
// rather than taken from kg.OrderFields, so that a field dropped from (or
// added to) the list fails the test.
func TestOrderFieldValid(t *testing.T) {
	want := []string{"NAME", "ID", "CREATED_AT", "UPDATED_AT"} // schema/node.graphqls, enum NodeOrderField
	for _, f := range want {
		if !kg.OrderField(f).Valid() {
			t.Errorf("%s not valid", f)
		}
	}
	if len(kg.OrderFields) != len(want) {
		t.Errorf("kg.OrderFields = %v, want exactly %v", kg.OrderFields, want)
	}
	for _, f := range []string{"name", "", "Name", " NAME", "NAME ", "SCORE"} {
		if kg.OrderField(f).Valid() {
			t.Errorf("unknown order field %q is valid", f)
		}
	}
}

// errors.Is must see through the error a refused cursor gives.
func TestDecodeCursorErrorKind(t *testing.T) {
	_, err := kg.DecodeCursor("after", "x", kg.Order{Field: kg.OrderByID})
	if !errors.Is(err, kg.ErrInvalid) || errors.Is(err, kg.ErrNotFound) {
		t.Errorf("err = %v", err)
	}
}

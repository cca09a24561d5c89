package kg_test

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

// wantInvalid fails unless err is an ErrInvalid *kg.Error about field.
func wantInvalid(t *testing.T, err error, field string) {
	t.Helper()
	wantKind(t, err, kg.ErrInvalid, field)
}

// wantKind fails unless err wraps kind and is a *kg.Error about field.
func wantKind(t *testing.T, err error, kind error, field string) *kg.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %v about %q", kind, field)
	}
	if !errors.Is(err, kind) {
		t.Fatalf("error %q does not wrap %v", err, kind)
	}
	var e *kg.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %q (%T) is not a *kg.Error", err, err)
	}
	if e.Field != field {
		t.Fatalf("error %q names field %q, want %q", err, e.Field, field)
	}
	if e.Msg == "" {
		t.Fatalf("error about %q has no message", field)
	}
	return e
}

func validActor() *kg.Actor {
	return &kg.Actor{
		Meta: kg.Meta{ID: "karlstads-kommun", Name: "Karlstads kommun",
			Description: "Kommunen i Värmland.", Sources: []string{"https://karlstad.se"}},
		Kind: kg.KindMunicipality, Sector: kg.SectorPublic, Country: "SE", Region: "Värmland",
		City: "Karlstad", Website: "https://karlstad.se", Aliases: []string{"Karlstad"},
	}
}

func validProject() *kg.Project {
	return &kg.Project{
		Meta:   kg.Meta{ID: "ndhc", Name: "Nordic Digital Health Collaboration"},
		Status: kg.ProjectActive, StartDate: "2019-01-01", EndDate: "2021-12-31",
		URL: "http://example.org/ndhc", Programme: "Interreg",
	}
}

func validNeed() *kg.Need {
	return &kg.Need{Meta: kg.Meta{ID: "need:trygghet", Name: "Trygghet i hemmet"}, Status: kg.NeedOpen, Priority: 3}
}

func validCompetency() *kg.Competency {
	return &kg.Competency{Meta: kg.Meta{ID: "tjanstedesign", Name: "Tjänstedesign"},
		Category: kg.CategoryDesign, Aliases: []string{"Service design"}}
}

func repeat(s string, n int) string { return strings.Repeat(s, n) }

func list(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

func TestValidateNode(t *testing.T) {
	actor := func(f func(*kg.Actor)) kg.Node { a := validActor(); f(a); return a }
	project := func(f func(*kg.Project)) kg.Node { p := validProject(); f(p); return p }
	need := func(f func(*kg.Need)) kg.Node { n := validNeed(); f(n); return n }
	comp := func(f func(*kg.Competency)) kg.Node { c := validCompetency(); f(c); return c }
	id := func(id string) kg.Node { return actor(func(a *kg.Actor) { a.ID = id }) }
	name := func(s string) kg.Node { return actor(func(a *kg.Actor) { a.Name = s }) }
	desc := func(s string) kg.Node { return comp(func(c *kg.Competency) { c.Description = s }) }

	tests := []struct {
		name      string
		node      kg.Node
		normalize bool   // call kg.Normalize first, as every store does
		field     string // "" means valid
	}{
		{"valid actor", validActor(), false, ""},
		{"valid project", validProject(), false, ""},
		{"valid need", validNeed(), false, ""},
		{"valid competency", validCompetency(), false, ""},
		{"actor with only the required fields", &kg.Actor{Meta: kg.Meta{ID: "a", Name: "A"},
			Kind: kg.KindPerson, Sector: kg.SectorCivil}, false, ""},
		{"project with only the required fields", &kg.Project{Meta: kg.Meta{ID: "p", Name: "P"},
			Status: kg.ProjectPlanned}, false, ""},

		// id
		{"id upper case", id("Karlstads-kommun"), false, "id"},
		{"id leading dash", id("-karlstad"), false, "id"},
		{"id leading dot", id(".karlstad"), false, "id"},
		{"id leading underscore", id("_karlstad"), false, "id"},
		{"id 128 characters", id(repeat("a", 128)), false, ""},
		{"id 129 characters", id(repeat("a", 129)), false, "id"},
		{"id with space", id("karlstads kommun"), false, "id"},
		{"id with unicode", id("göteborg"), false, "id"},
		{"id with slash", id("a/b"), false, "id"},
		{"id with trailing newline", id("karlstad\n"), false, "id"},
		{"id empty", id(""), false, "id"},
		{"id of every allowed character", id("0a.b_c:d-9"), false, ""},
		{"id surrounded by spaces is trimmed", id("  karlstad "), true, ""},

		// name
		{"name empty", name(""), false, "name"},
		{"name only spaces", name("   "), true, "name"},
		{"name 200 runes of å", name(repeat("å", 200)), false, ""},
		{"name 201 runes of å", name(repeat("å", 201)), false, "name"},
		{"name 201 ASCII characters", name(repeat("a", 201)), false, "name"},
		{"name with bell", name("Karl\astad"), false, "name"},
		{"name with newline", name("Karlstads\nkommun"), false, "name"},
		{"name with tab", name("Karlstads\tkommun"), false, "name"},
		{"name with DEL", name("Karlstad\x7f"), false, "name"},
		{"name with C1 control NEL", name("Karlstad\u0085"), false, "name"},
		{"name invalid UTF-8", name("Karlstad\xff"), false, "name"},
		{"name with zero-width space", name("Karl\u200bstad"), false, "name"},
		{"name with right-to-left override", name("Karlstad\u202egpj.exe"), false, "name"},
		{"name with left-to-right embedding", name("\u202aKarlstad"), false, "name"},
		{"name with pop directional formatting", name("Karlstad\u202c"), false, "name"},
		{"name with first-strong isolate", name("Karlstad\u2068"), false, "name"},
		{"name with pop directional isolate", name("Karlstad\u2069"), false, "name"},
		{"name with byte-order mark", name("\ufeffKarlstad"), false, "name"},
		{"name with zero-width joiner (emoji)", name("Team \U0001F469\u200D\U0001F4BB"), false, ""},
		{"name in Arabic with a right-to-left mark", name("\u0645\u0631\u0643\u0632\u200f"), false, ""},

		// description
		{"description 10,000 characters", desc(repeat("a", 10_000)), false, ""},
		{"description 10,000 runes of ø", desc(repeat("ø", 10_000)), false, ""},
		{"description 10,001 characters", desc(repeat("a", 10_001)), false, "description"},
		{"description with right-to-left isolate", desc("Rad ett\n\u2067dold\u2069"), false, "description"},
		{"description with zero-width space", desc("Rad\u200b ett"), false, "description"},
		{"description 10,001 runes of ø", desc(repeat("ø", 10_001)), false, "description"},
		{"description with tabs and newlines", desc("Rad ett\n\tRad två\r\nRad tre"), false, ""},
		{"description with NUL", desc("före\x00efter"), false, "description"},
		{"description with escape", desc("\x1b[31mröd"), false, "description"},
		{"description invalid UTF-8", desc("\xc3\x28"), false, "description"},

		// sources
		{"source with right-to-left override", actor(func(a *kg.Actor) { a.Sources = []string{"ok", "txt.\u202eexe"} }), false, "sources"},
		{"50 sources", actor(func(a *kg.Actor) { a.Sources = list("s", 50) }), false, ""},
		{"51 sources", actor(func(a *kg.Actor) { a.Sources = list("s", 51) }), false, "sources"},
		{"empty sources are dropped before counting", actor(func(a *kg.Actor) {
			a.Sources = append(list("s", 50), "", "  ")
		}), true, ""},
		{"source of 2,000 characters", need(func(n *kg.Need) { n.Sources = []string{repeat("é", 2000)} }), false, ""},
		{"source of 2,001 characters", need(func(n *kg.Need) { n.Sources = []string{"ok", repeat("é", 2001)} }), false, "sources"},
		{"source with newline", project(func(p *kg.Project) { p.Sources = []string{"a\nb"} }), false, "sources"},
		{"source invalid UTF-8", project(func(p *kg.Project) { p.Sources = []string{"\xff"} }), false, "sources"},

		// aliases
		{"20 actor aliases", actor(func(a *kg.Actor) { a.Aliases = list("x", 20) }), false, ""},
		{"21 actor aliases", actor(func(a *kg.Actor) { a.Aliases = list("x", 21) }), false, "aliases"},
		{"actor alias of 201 characters", actor(func(a *kg.Actor) { a.Aliases = []string{"SKL", repeat("x", 201)} }), false, "aliases"},
		{"actor alias with newline", actor(func(a *kg.Actor) { a.Aliases = []string{"S\nKL"} }), false, "aliases"},
		{"21 competency aliases", comp(func(c *kg.Competency) { c.Aliases = list("x", 21) }), false, "aliases"},
		{"competency alias with control character", comp(func(c *kg.Competency) { c.Aliases = []string{"UX\x01"} }), false, "aliases"},

		// actor fields
		{"country se before Normalize", actor(func(a *kg.Actor) { a.Country = "se" }), false, "country"},
		{"country se after Normalize", actor(func(a *kg.Actor) { a.Country = " se " }), true, ""},
		{"country SWE", actor(func(a *kg.Actor) { a.Country = "SWE" }), true, "country"},
		{"country S", actor(func(a *kg.Actor) { a.Country = "S" }), true, "country"},
		{"country with digit", actor(func(a *kg.Actor) { a.Country = "S1" }), true, "country"},
		{"country Ö", actor(func(a *kg.Actor) { a.Country = "ÖS" }), true, "country"},
		{"country empty", actor(func(a *kg.Actor) { a.Country = "" }), false, ""},
		{"kind empty", actor(func(a *kg.Actor) { a.Kind = "" }), false, "kind"},
		{"kind lower case", actor(func(a *kg.Actor) { a.Kind = "municipality" }), false, "kind"},
		{"kind unknown", actor(func(a *kg.Actor) { a.Kind = "CHURCH" }), false, "kind"},
		{"sector empty", actor(func(a *kg.Actor) { a.Sector = "" }), false, "sector"},
		{"sector unknown", actor(func(a *kg.Actor) { a.Sector = "MILITARY" }), false, "sector"},
		{"region of 201 characters", actor(func(a *kg.Actor) { a.Region = repeat("å", 201) }), false, "region"},
		{"region with newline", actor(func(a *kg.Actor) { a.Region = "Värm\nland" }), false, "region"},
		{"city of 201 characters", actor(func(a *kg.Actor) { a.City = repeat("å", 201) }), false, "city"},
		{"website http", actor(func(a *kg.Actor) { a.Website = "http://karlstad.se/a?b=c#d" }), false, ""},
		{"website HTTPS upper case scheme", actor(func(a *kg.Actor) { a.Website = "HTTPS://karlstad.se" }), false, ""},
		{"website ftp", actor(func(a *kg.Actor) { a.Website = "ftp://karlstad.se" }), false, "website"},
		{"website without scheme", actor(func(a *kg.Actor) { a.Website = "karlstad.se" }), false, "website"},
		{"website javascript", actor(func(a *kg.Actor) { a.Website = "javascript:alert(1)" }), false, "website"},
		{"website without host", actor(func(a *kg.Actor) { a.Website = "https:///path" }), false, "website"},
		{"website scheme only", actor(func(a *kg.Actor) { a.Website = "http://" }), false, "website"},
		{"website with newline", actor(func(a *kg.Actor) { a.Website = "https://karlstad.se/\n" }), false, "website"},
		{"website over 2,000 characters", actor(func(a *kg.Actor) {
			a.Website = "https://karlstad.se/" + repeat("a", 2000)
		}), false, "website"},

		// project fields
		{"project status empty", project(func(p *kg.Project) { p.Status = "" }), false, "status"},
		{"project status of a need", project(func(p *kg.Project) { p.Status = "OPEN" }), false, "status"},
		{"startDate 2020-02-30", project(func(p *kg.Project) { p.StartDate = "2020-02-30"; p.EndDate = "" }), false, "startDate"},
		{"startDate 2020-1-1", project(func(p *kg.Project) { p.StartDate = "2020-1-1"; p.EndDate = "" }), false, "startDate"},
		{"endDate 2021-02-29", project(func(p *kg.Project) { p.EndDate = "2021-02-29" }), false, "endDate"},
		{"endDate with time", project(func(p *kg.Project) { p.EndDate = "2021-12-31T00:00:00Z" }), false, "endDate"},
		{"endDate before startDate", project(func(p *kg.Project) { p.StartDate = "2020-06-01"; p.EndDate = "2020-05-31" }), false, "endDate"},
		{"endDate equal to startDate", project(func(p *kg.Project) { p.StartDate = "2020-06-01"; p.EndDate = "2020-06-01" }), false, ""},
		{"leap day", project(func(p *kg.Project) { p.StartDate = "2020-02-29" }), false, ""},
		{"only endDate", project(func(p *kg.Project) { p.StartDate = "" }), false, ""},
		{"project url ftp", project(func(p *kg.Project) { p.URL = "ftp://example.org" }), false, "url"},
		{"project url relative", project(func(p *kg.Project) { p.URL = "/ndhc" }), false, "url"},
		{"programme of 201 characters", project(func(p *kg.Project) { p.Programme = repeat("p", 201) }), false, "programme"},

		// need fields
		{"need status of a project", need(func(n *kg.Need) { n.Status = "ACTIVE" }), false, "status"},
		{"need priority 0", need(func(n *kg.Need) { n.Priority = 0 }), false, "priority"},
		{"need priority 1", need(func(n *kg.Need) { n.Priority = 1 }), false, ""},
		{"need priority 5", need(func(n *kg.Need) { n.Priority = 5 }), false, ""},
		{"need priority 6", need(func(n *kg.Need) { n.Priority = 6 }), false, "priority"},
		{"need priority -1", need(func(n *kg.Need) { n.Priority = -1 }), false, "priority"},

		// competency fields
		{"category empty", comp(func(c *kg.Competency) { c.Category = "" }), false, "category"},
		{"category unknown", comp(func(c *kg.Competency) { c.Category = "COOKING" }), false, "category"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.normalize {
				kg.Normalize(tc.node)
			}
			err := kg.ValidateNode(tc.node)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("refused a valid node: %v", err)
				}
				return
			}
			wantInvalid(t, err, tc.field)
		})
	}
}

// Every value of every enum is accepted, so that a value added to the list
// but forgotten in validation (or the other way round) shows up.
func TestValidateNodeEveryEnumValue(t *testing.T) {
	for _, k := range kg.ActorKinds {
		for _, s := range kg.Sectors {
			a := validActor()
			a.Kind, a.Sector = k, s
			if err := kg.ValidateNode(a); err != nil {
				t.Errorf("kind %s sector %s: %v", k, s, err)
			}
		}
	}
	for _, s := range kg.ProjectStatuses {
		p := validProject()
		p.Status = s
		if err := kg.ValidateNode(p); err != nil {
			t.Errorf("project status %s: %v", s, err)
		}
	}
	for _, s := range kg.NeedStatuses {
		n := validNeed()
		n.Status = s
		if err := kg.ValidateNode(n); err != nil {
			t.Errorf("need status %s: %v", s, err)
		}
	}
	for _, c := range kg.CompetencyCategories {
		n := validCompetency()
		n.Category = c
		if err := kg.ValidateNode(n); err != nil {
			t.Errorf("category %s: %v", c, err)
		}
	}
	if len(kg.ActorKinds) != 11 || len(kg.Sectors) != 4 || len(kg.ProjectStatuses) != 4 ||
		len(kg.NeedStatuses) != 3 || len(kg.CompetencyCategories) != 11 {
		t.Error("an enum no longer has the values DESIGN.md §1 lists")
	}
}

// A missing node is refused, not a panic: a JSON null in a list of nodes
// arrives as a typed nil pointer.
func TestValidateNodeNil(t *testing.T) {
	for _, n := range []kg.Node{nil, (*kg.Actor)(nil), (*kg.Project)(nil), (*kg.Need)(nil), (*kg.Competency)(nil)} {
		if err := kg.ValidateNode(n); !errors.Is(err, kg.ErrInvalid) {
			t.Errorf("ValidateNode(%#v) = %v, want ErrInvalid", n, err)
		}
	}
}

func TestNormalize(t *testing.T) {
	a := &kg.Actor{
		Meta: kg.Meta{ID: " karlstads-kommun\n", Name: "\tKarlstads kommun ", Description: "  text  ",
			Sources: []string{" ", " https://karlstad.se ", ""}},
		Country: " se", Region: " Värmland ", City: " Karlstad ", Website: " https://karlstad.se ",
		Aliases: []string{"", "  "},
	}
	kg.Normalize(a)
	want := kg.Actor{
		Meta:    kg.Meta{ID: "karlstads-kommun", Name: "Karlstads kommun", Description: "text", Sources: []string{"https://karlstad.se"}},
		Country: "SE", Region: "Värmland", City: "Karlstad", Website: "https://karlstad.se",
	}
	if a.ID != want.ID || a.Name != want.Name || a.Description != want.Description ||
		strings.Join(a.Sources, "|") != strings.Join(want.Sources, "|") || a.Country != want.Country ||
		a.Region != want.Region || a.City != want.City || a.Website != want.Website || a.Aliases != nil {
		t.Errorf("Normalize gave %+v, want %+v", *a, want)
	}

	p := &kg.Project{URL: " http://x.org ", Programme: " Interreg ", Country: " se ", City: " Göteborg ", Aliases: []string{" OR18 ", ""}}
	kg.Normalize(p)
	if p.URL != "http://x.org" || p.Programme != "Interreg" || p.Country != "SE" || p.City != "Göteborg" ||
		len(p.Aliases) != 1 || p.Aliases[0] != "OR18" || p.Type != "" || p.TypeOrDefault() != kg.ProjectTypeProject {
		t.Errorf("project: %+v", *p)
	}
	c := &kg.Competency{Aliases: []string{" UX ", " "}}
	kg.Normalize(c)
	if len(c.Aliases) != 1 || c.Aliases[0] != "UX" {
		t.Errorf("competency aliases: %q", c.Aliases)
	}
}

// validRel returns a minimal valid relationship of type t.
func validRel(t kg.RelType) kg.Rel {
	r := kg.Rel{Type: t, From: "a", To: "b"}
	switch t {
	case kg.RelParticipatesIn:
		r.Role = string(kg.RolePartner)
	case kg.RelHasCompetency:
		r.Level = 3
	case kg.RelRequires:
		r.Importance = 2
	}
	return r
}

// TestValidateRelProperties sets each property on each type: the ones the
// DESIGN.md §1 table gives the type are accepted, the others refused by
// name, so that nothing a client sends is silently dropped.
func TestValidateRelProperties(t *testing.T) {
	set := map[string]func(*kg.Rel){
		"role":        func(r *kg.Rel) { r.Role = "LEAD" }, // a valid participation role and a valid membership role
		"from":        func(r *kg.Rel) { r.Start = "2020-01-01" },
		"to":          func(r *kg.Rel) { r.End = "2021-01-01" },
		"level":       func(r *kg.Rel) { r.Level = 4 },
		"evidence":    func(r *kg.Rel) { r.Evidence = "Drev piloten 2020." },
		"importance":  func(r *kg.Rel) { r.Importance = 5 },
		"since":       func(r *kg.Rel) { r.Since = "2018-03-01" },
		"description": func(r *kg.Rel) { r.Description = "Samarbete om e-hälsa." },
		"basis":       func(r *kg.Rel) { r.Basis = kg.BasisInferred },
		"quote":       func(r *kg.Rel) { r.Quote = "Vi har arbetat tillsammans sedan 2016." },
	}
	allowed := map[kg.RelType]string{
		kg.RelParticipatesIn: "role from to basis quote",
		kg.RelHasCompetency:  "level evidence basis quote",
		kg.RelHasNeed:        "basis quote",
		kg.RelRequires:       "importance basis quote",
		kg.RelAddresses:      "basis quote",
		kg.RelMemberOf:       "role from to basis quote",
		kg.RelPartnersWith:   "since from to description basis quote",
		kg.RelPartOf:         "from to basis quote",
		kg.RelSupplies:       "from to description basis quote",
	}
	if len(allowed) != len(kg.RelTypes) {
		t.Fatalf("the test knows %d types, kg has %d", len(allowed), len(kg.RelTypes))
	}
	for _, typ := range kg.RelTypes {
		if err := kg.ValidateRel(validRel(typ)); err != nil {
			t.Errorf("%s: minimal relationship refused: %v", typ, err)
		}
		for prop, f := range set {
			t.Run(string(typ)+"/"+prop, func(t *testing.T) {
				r := validRel(typ)
				f(&r)
				err := kg.ValidateRel(r)
				if strings.Contains(" "+allowed[typ]+" ", " "+prop+" ") {
					if err != nil {
						t.Fatalf("refused allowed property: %v", err)
					}
					return
				}
				wantInvalid(t, err, prop)
			})
		}
	}
}

func TestValidateRel(t *testing.T) {
	rel := func(typ kg.RelType, f func(*kg.Rel)) kg.Rel { r := validRel(typ); f(&r); return r }
	tests := []struct {
		name  string
		rel   kg.Rel
		field string
	}{
		{"unknown type", kg.Rel{Type: "KNOWS", From: "a", To: "b"}, "type"},
		{"empty type", kg.Rel{From: "a", To: "b"}, "type"},
		{"lower-case type", kg.Rel{Type: "member_of", From: "a", To: "b"}, "type"},

		// ids are named like the API's arguments
		{"bad actorId", rel(kg.RelParticipatesIn, func(r *kg.Rel) { r.From = "Karlstad" }), "actorId"},
		{"empty projectId", rel(kg.RelParticipatesIn, func(r *kg.Rel) { r.To = "" }), "projectId"},
		{"bad competencyId", rel(kg.RelHasCompetency, func(r *kg.Rel) { r.To = "ux design" }), "competencyId"},
		{"bad needId of HAS_NEED", rel(kg.RelHasNeed, func(r *kg.Rel) { r.To = "-n" }), "needId"},
		{"bad needId of REQUIRES", rel(kg.RelRequires, func(r *kg.Rel) { r.From = "ö" }), "needId"},
		{"bad projectId of ADDRESSES", rel(kg.RelAddresses, func(r *kg.Rel) { r.From = repeat("p", 129) }), "projectId"},
		{"bad memberId", rel(kg.RelMemberOf, func(r *kg.Rel) { r.From = "" }), "memberId"},
		{"bad organisationId", rel(kg.RelMemberOf, func(r *kg.Rel) { r.To = ".org" }), "organisationId"},
		{"bad partnerId", rel(kg.RelPartnersWith, func(r *kg.Rel) { r.To = "B" }), "partnerId"},

		// self-relationships, named by the second argument
		{"self participation", rel(kg.RelParticipatesIn, func(r *kg.Rel) { r.To = r.From }), "projectId"},
		{"self membership", rel(kg.RelMemberOf, func(r *kg.Rel) { r.To = r.From }), "organisationId"},
		{"self partnership", rel(kg.RelPartnersWith, func(r *kg.Rel) { r.To = r.From }), "partnerId"},
		{"self requirement", rel(kg.RelRequires, func(r *kg.Rel) { r.To = r.From }), "competencyId"},

		// scales
		{"level 0", rel(kg.RelHasCompetency, func(r *kg.Rel) { r.Level = 0 }), "level"},
		{"level 1", rel(kg.RelHasCompetency, func(r *kg.Rel) { r.Level = 1 }), ""},
		{"level 5", rel(kg.RelHasCompetency, func(r *kg.Rel) { r.Level = 5 }), ""},
		{"level 6", rel(kg.RelHasCompetency, func(r *kg.Rel) { r.Level = 6 }), "level"},
		{"level -3", rel(kg.RelHasCompetency, func(r *kg.Rel) { r.Level = -3 }), "level"},
		{"importance 0", rel(kg.RelRequires, func(r *kg.Rel) { r.Importance = 0 }), "importance"},
		{"importance 6", rel(kg.RelRequires, func(r *kg.Rel) { r.Importance = 6 }), "importance"},
		{"importance 1", rel(kg.RelRequires, func(r *kg.Rel) { r.Importance = 1 }), ""},

		// participation
		{"role missing", rel(kg.RelParticipatesIn, func(r *kg.Rel) { r.Role = "" }), "role"},
		{"role lower case", rel(kg.RelParticipatesIn, func(r *kg.Rel) { r.Role = "lead" }), "role"},
		{"role unknown", rel(kg.RelParticipatesIn, func(r *kg.Rel) { r.Role = "OWNER" }), "role"},
		{"every role", rel(kg.RelParticipatesIn, func(r *kg.Rel) { r.Role = "ADVISOR" }), ""},
		{"to before from", rel(kg.RelParticipatesIn, func(r *kg.Rel) { r.Start = "2020-05-02"; r.End = "2020-05-01" }), "to"},
		{"to equal to from", rel(kg.RelParticipatesIn, func(r *kg.Rel) { r.Start = "2020-05-02"; r.End = "2020-05-02" }), ""},
		{"from not a date", rel(kg.RelParticipatesIn, func(r *kg.Rel) { r.Start = "2020-02-30" }), "from"},
		{"to not a date", rel(kg.RelParticipatesIn, func(r *kg.Rel) { r.End = "2020-1-1" }), "to"},

		// other properties
		{"evidence 10,001 characters", rel(kg.RelHasCompetency, func(r *kg.Rel) { r.Evidence = repeat("e", 10_001) }), "evidence"},
		{"evidence with newlines", rel(kg.RelHasCompetency, func(r *kg.Rel) { r.Evidence = "a\nb\tc" }), ""},
		{"membership role with newline", rel(kg.RelMemberOf, func(r *kg.Rel) { r.Role = "ord\nförande" }), "role"},
		{"membership role of 201 characters", rel(kg.RelMemberOf, func(r *kg.Rel) { r.Role = repeat("r", 201) }), "role"},
		{"membership role free text", rel(kg.RelMemberOf, func(r *kg.Rel) { r.Role = "ordförande" }), ""},
		{"since not a date", rel(kg.RelPartnersWith, func(r *kg.Rel) { r.Since = "2019" }), "since"},
		{"partnership description with NUL", rel(kg.RelPartnersWith, func(r *kg.Rel) { r.Description = "a\x00" }), "description"},
		{"51 sources", rel(kg.RelHasNeed, func(r *kg.Rel) { r.Sources = list("s", 51) }), "sources"},
		{"50 sources", rel(kg.RelAddresses, func(r *kg.Rel) { r.Sources = list("s", 50) }), ""},

		// second version (DESIGN.md §1.1)
		{"event role", rel(kg.RelParticipatesIn, func(r *kg.Rel) { r.Role = "SPEAKER" }), ""},
		{"funder amount", rel(kg.RelParticipatesIn, func(r *kg.Rel) { r.Role = "FUNDER"; r.Amount = 2.5e6; r.Currency = "SEK" }), ""},
		{"amount of a partner", rel(kg.RelParticipatesIn, func(r *kg.Rel) { r.Amount = 10; r.Currency = "SEK" }), "amount"},
		{"currency of a partner", rel(kg.RelParticipatesIn, func(r *kg.Rel) { r.Currency = "SEK" }), "currency"},
		{"amount without currency", rel(kg.RelParticipatesIn, func(r *kg.Rel) { r.Role = "FUNDER"; r.Amount = 10 }), "currency"},
		{"currency without amount", rel(kg.RelParticipatesIn, func(r *kg.Rel) { r.Role = "FUNDER"; r.Currency = "NOK" }), "amount"},
		{"negative amount", rel(kg.RelParticipatesIn, func(r *kg.Rel) { r.Role = "FUNDER"; r.Amount = -1; r.Currency = "NOK" }), "amount"},
		{"currency not ISO 4217", rel(kg.RelParticipatesIn, func(r *kg.Rel) { r.Role = "FUNDER"; r.Amount = 1; r.Currency = "kronor" }), "currency"},
		{"basis unknown", rel(kg.RelHasNeed, func(r *kg.Rel) { r.Basis = "GUESSED" }), "basis"},
		{"quote of 1,001 characters", rel(kg.RelHasNeed, func(r *kg.Rel) { r.Quote = repeat("q", 1_001) }), "quote"},
		{"quote with NUL", rel(kg.RelHasNeed, func(r *kg.Rel) { r.Quote = "a\x00" }), "quote"},
		{"membership to before from", rel(kg.RelMemberOf, func(r *kg.Rel) { r.Start = "2018-01-01"; r.End = "2017-01-01" }), "to"},
		{"supply from not a date", rel(kg.RelSupplies, func(r *kg.Rel) { r.Start = "2017" }), "from"},
		{"self part of", rel(kg.RelPartOf, func(r *kg.Rel) { r.To = r.From }), "wholeId"},
		{"bad supplierId", rel(kg.RelSupplies, func(r *kg.Rel) { r.From = "X" }), "supplierId"},
		{"since and from differ", rel(kg.RelPartnersWith, func(r *kg.Rel) { r.Since = "2019-01-01"; r.Start = "2018-01-01" }), "since"},
		{"since and from agree", rel(kg.RelPartnersWith, func(r *kg.Rel) { r.Since = "2019-01-01"; r.Start = "2019-01-01" }), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := kg.ValidateRel(tc.rel)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("refused a valid relationship: %v", err)
				}
				return
			}
			wantInvalid(t, err, tc.field)
		})
	}
}

func TestRelFieldNames(t *testing.T) {
	tests := []struct {
		typ      kg.RelType
		from, to string
	}{
		{kg.RelParticipatesIn, "actorId", "projectId"},
		{kg.RelHasCompetency, "actorId", "competencyId"},
		{kg.RelHasNeed, "actorId", "needId"},
		{kg.RelRequires, "needId", "competencyId"},
		{kg.RelAddresses, "projectId", "needId"},
		{kg.RelMemberOf, "memberId", "organisationId"},
		{kg.RelPartnersWith, "actorId", "partnerId"},
		{"UNKNOWN", "from", "to"},
	}
	for _, tc := range tests {
		if from, to := kg.RelFieldNames(tc.typ); from != tc.from || to != tc.to {
			t.Errorf("RelFieldNames(%s) = %s, %s; want %s, %s", tc.typ, from, to, tc.from, tc.to)
		}
	}
}

func TestCheckEndpoints(t *testing.T) {
	for _, typ := range kg.RelTypes {
		wantFrom, wantTo := typ.Endpoints()
		fromField, toField := kg.RelFieldNames(typ)
		t.Run(string(typ), func(t *testing.T) {
			if err := kg.CheckEndpoints(typ, "a", "b", wantFrom, wantTo); err != nil {
				t.Fatalf("right labels refused: %v", err)
			}
			e := wantKind(t, kg.CheckEndpoints(typ, "ghost", "b", "", wantTo), kg.ErrNotFound, fromField)
			if e.ID != "ghost" || !strings.Contains(e.Error(), `"ghost"`) {
				t.Errorf("not-found error %q does not name the id (ID %q)", e, e.ID)
			}
			e = wantKind(t, kg.CheckEndpoints(typ, "a", "ghost", wantFrom, ""), kg.ErrNotFound, toField)
			if e.ID != "ghost" {
				t.Errorf("ID = %q", e.ID)
			}
			// A label that is wrong for the end is ErrInvalid, not ErrNotFound.
			wrong := func(l kg.Label) kg.Label {
				if l == kg.LabelCompetency {
					return kg.LabelProject
				}
				return kg.LabelCompetency
			}
			err := kg.CheckEndpoints(typ, "a", "b", wrong(wantFrom), wantTo)
			wantInvalid(t, err, fromField)
			if errors.Is(err, kg.ErrNotFound) {
				t.Error("wrong label reported as not found")
			}
			wantInvalid(t, kg.CheckEndpoints(typ, "a", "b", wantFrom, wrong(wantTo)), toField)
		})
	}
}

// TestValidIDIsPattern checks ValidID against the id pattern as a regular
// expression, on every string of up to three bytes from an alphabet with
// each kind of byte, and on lengths around the limit.
func TestValidIDIsPattern(t *testing.T) {
	re := regexp.MustCompile(`^[a-z0-9][a-z0-9._:-]{0,127}$`)
	alphabet := []string{"a", "z", "0", "9", ".", "_", ":", "-", "A", " ", "/", "é", "\x00", "\xff"}
	var ids []string
	var grow func(prefix string, n int)
	grow = func(prefix string, n int) {
		ids = append(ids, prefix)
		if n == 0 {
			return
		}
		for _, c := range alphabet {
			grow(prefix+c, n-1)
		}
	}
	grow("", 3)
	for _, n := range []int{127, 128, 129} {
		ids = append(ids, strings.Repeat("a", n), "a"+strings.Repeat("-", n-1), strings.Repeat("a", n-1)+"A")
	}
	for _, id := range ids {
		if got, want := kg.ValidID(id), re.MatchString(id); got != want {
			t.Errorf("ValidID(%q) = %v, the pattern says %v", id, got, want)
		}
	}
}

package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

// validationFixture is the store content every refusal is checked against:
// one node of each label (plus a second actor) and one relationship of
// each type, so that a refused write that touches anything shows up.
func validationFixture(t *testing.T, s kg.Store) {
	load(t, s, []kg.Node{
		actor("a", "Alfa", func(a *kg.Actor) { a.Aliases = []string{"AF"}; a.Country = "SE" }),
		actor("b", "Beta"),
		project("p", "Projekt", func(p *kg.Project) { p.StartDate = "2020-01-01" }),
		project("p2", "Delprojekt"),
		need("n", "Behov"),
		competency("c", "Kompetens"),
	}, []kg.Rel{
		participates("a", "p", kg.RoleLead), hasCompetency("a", "c", 3), hasNeed("b", "n"),
		requires("n", "c", 4), addresses("p", "n"), memberOf("a", "b", "member"),
		{Type: kg.RelPartnersWith, From: "a", To: "b", Start: "2019-01-01", Description: "d"},
		{Type: kg.RelPartOf, From: "p2", To: "p"}, {Type: kg.RelPartOf, From: "a", To: "b"},
		{Type: kg.RelSupplies, From: "b", To: "a", Description: "drift"},
	})
}

type refusal struct {
	name  string
	op    func(context.Context, kg.Store) error
	kind  error
	field string // "-": not checked
	id    string // the *kg.Error's ID, when set
}

func up(n kg.Node) func(context.Context, kg.Store) error {
	return func(ctx context.Context, s kg.Store) error { _, err := s.UpsertNode(ctx, n); return err }
}

func set(r kg.Rel) func(context.Context, kg.Store) error {
	return func(ctx context.Context, s kg.Store) error { _, err := s.SetRel(ctx, r); return err }
}

func del(l kg.Label, id string) func(context.Context, kg.Store) error {
	return func(ctx context.Context, s kg.Store) error { _, err := s.DeleteNode(ctx, l, id); return err }
}

func rm(typ kg.RelType, from, to string) func(context.Context, kg.Store) error {
	return func(ctx context.Context, s kg.Store) error { _, err := s.RemoveRel(ctx, typ, from, to); return err }
}

func imp(g kg.Graph) func(context.Context, kg.Store) error {
	return func(ctx context.Context, s kg.Store) error { _, err := s.Import(ctx, g); return err }
}

func refusals() []refusal {
	long201 := strN(201, "å") // characters, not bytes
	desc10001 := strN(10_001, "x")
	id129 := "a" + strN(128, "b")
	many := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = "s" + strN(i+1, "x")
		}
		return out
	}
	inv, nf, cf := kg.ErrInvalid, kg.ErrNotFound, kg.ErrConflict
	rs := []refusal{
		// Ids that break ^[a-z0-9][a-z0-9._:-]{0,127}$.
		{"id upper case", up(actor("Karlstad", "K")), inv, "id", ""},
		{"id leading dash", up(actor("-karlstad", "K")), inv, "id", ""},
		{"id leading dot", up(project(".p", "P")), inv, "id", ""},
		{"id 129 chars", up(need(id129, "N")), inv, "id", ""},
		{"id with space", up(competency("karlstads kommun", "K")), inv, "id", ""},
		{"id with slash", up(actor("a/b", "K")), inv, "id", ""},
		{"id non-ascii", up(actor("värmland", "K")), inv, "id", ""},
		{"rel from upper case", set(participates("A", "p", kg.RoleLead)), inv, "actorId", ""},
		{"rel to 129 chars", set(hasCompetency("a", id129, 2)), inv, "competencyId", ""},
		{"rel from empty", set(hasNeed("", "n")), inv, "actorId", ""},
		{"rel to empty", set(requires("n", "", 2)), inv, "competencyId", ""},
		{"rel member empty", set(memberOf("", "b", "")), inv, "memberId", ""},
		{"rel partner with space", set(partners("a", "b c")), inv, "partnerId", ""},
		{"rel project leading dash", set(addresses("-p", "n")), inv, "projectId", ""},
		{"delete bad id", del(kg.LabelActor, "A"), inv, "id", ""},
		{"delete empty id", del(kg.LabelActor, ""), inv, "id", ""},
		{"remove bad id", rm(kg.RelMemberOf, "a", "B"), inv, "organisationId", ""},

		// Ids of another label, or of no node.
		{"upsert project with actor id", up(project("a", "P")), cf, "-", "a"},
		{"upsert competency with need id", up(competency("n", "C")), cf, "-", "n"},
		{"upsert actor with project id", up(actor("p", "A")), cf, "-", "p"},
		{"delete actor as project", del(kg.LabelProject, "a"), inv, "id", ""},
		{"delete need as competency", del(kg.LabelCompetency, "n"), inv, "id", ""},
		{"delete unknown label", del(kg.Label("Thing"), "a"), inv, "label", ""},
		{"participation to unknown project", set(participates("a", "ghost", kg.RoleLead)), nf, "projectId", "ghost"},
		{"competency of unknown actor", set(hasCompetency("ghost", "c", 2)), nf, "actorId", "ghost"},
		{"need of unknown actor", set(hasNeed("ghost", "n")), nf, "actorId", "ghost"},
		{"requirement of unknown competency", set(requires("n", "ghost", 2)), nf, "competencyId", "ghost"},
		{"addresses unknown need", set(addresses("p", "ghost")), nf, "needId", "ghost"},
		{"member of unknown", set(memberOf("a", "ghost", "")), nf, "organisationId", "ghost"},
		{"partner unknown", set(partners("ghost", "a")), nf, "actorId", "ghost"},
		{"remove with unknown endpoint", rm(kg.RelParticipatesIn, "a", "ghost"), nf, "projectId", "ghost"},
		{"remove with unknown start", rm(kg.RelPartnersWith, "ghost", "a"), nf, "actorId", "ghost"},

		// Wrong endpoint types.
		{"participation actor→competency", set(participates("a", "c", kg.RoleLead)), inv, "projectId", ""},
		{"participation project→project", set(participates("p", "p2-missing", kg.RoleLead)), inv, "actorId", ""},
		{"competency actor→need", set(hasCompetency("a", "n", 2)), inv, "competencyId", ""},
		{"competency need→competency", set(hasCompetency("n", "c", 2)), inv, "actorId", ""},
		{"has need actor→competency", set(hasNeed("a", "c")), inv, "needId", ""},
		{"requires actor→competency", set(requires("a", "c", 2)), inv, "needId", ""},
		{"addresses need→project", set(addresses("n", "p")), inv, "projectId", ""},
		{"addresses project→actor", set(addresses("p", "a")), inv, "needId", ""},
		{"member of project", set(memberOf("a", "p", "")), inv, "organisationId", ""},
		{"partner competency", set(partners("a", "c")), inv, "partnerId", ""},
		{"remove with wrong type", rm(kg.RelHasCompetency, "a", "p"), inv, "competencyId", ""},

		// Self-relationships.
		{"member of itself", set(memberOf("a", "a", "")), inv, "organisationId", ""},
		{"partner of itself", set(partners("b", "b")), inv, "partnerId", ""},

		// Scales outside 1–5.
		{"level 0", set(hasCompetency("a", "c", 0)), inv, "level", ""},
		{"level 6", set(hasCompetency("a", "c", 6)), inv, "level", ""},
		{"level -1", set(hasCompetency("a", "c", -1)), inv, "level", ""},
		{"importance 0", set(requires("n", "c", 0)), inv, "importance", ""},
		{"importance 6", set(requires("n", "c", 6)), inv, "importance", ""},
		{"importance -1", set(requires("n", "c", -1)), inv, "importance", ""},
		{"priority 0", up(need("n", "Behov", func(n *kg.Need) { n.Priority = 0 })), inv, "priority", ""},
		{"priority 6", up(need("n", "Behov", func(n *kg.Need) { n.Priority = 6 })), inv, "priority", ""},
		{"priority -1", up(need("n2", "Nytt", func(n *kg.Need) { n.Priority = -1 })), inv, "priority", ""},

		// Dates.
		{"participation to before from", set(kg.Rel{Type: kg.RelParticipatesIn, From: "a", To: "p", Role: "LEAD", Start: "2020-05-02", End: "2020-05-01"}), inv, "to", ""},
		{"participation bad from", set(kg.Rel{Type: kg.RelParticipatesIn, From: "a", To: "p", Role: "LEAD", Start: "2020/01/01"}), inv, "from", ""},
		{"participation bad to", set(kg.Rel{Type: kg.RelParticipatesIn, From: "a", To: "p", Role: "LEAD", End: "2021-02-29"}), inv, "to", ""},
		{"partnership bad since", set(kg.Rel{Type: kg.RelPartnersWith, From: "a", To: "b", Since: "yesterday"}), inv, "since", ""},
		{"project bad start", up(project("p", "P", func(p *kg.Project) { p.StartDate = "2020-13-01" })), inv, "startDate", ""},
		{"project bad end", up(project("p", "P", func(p *kg.Project) { p.EndDate = "2020-1-1" })), inv, "endDate", ""},
		{"project end before start", up(project("p", "P", func(p *kg.Project) { p.StartDate, p.EndDate = "2020-02-01", "2019-12-31" })), inv, "endDate", ""},

		// Lengths, counted in characters.
		{"actor name 201", up(actor("a", long201)), inv, "name", ""},
		{"project name 201", up(project("p2", long201)), inv, "name", ""},
		{"need name 201", up(need("n", long201)), inv, "name", ""},
		{"competency name 201", up(competency("c", long201)), inv, "name", ""},
		{"name empty", up(actor("a", "")), inv, "name", ""},
		{"name blank", up(project("p", "   ")), inv, "name", ""},
		{"name control char", up(actor("a", "Al\x00fa")), inv, "name", ""},
		{"actor description 10001", up(actor("a", "Alfa", func(a *kg.Actor) { a.Description = desc10001 })), inv, "description", ""},
		{"project description 10001", up(project("p", "P", func(p *kg.Project) { p.Description = desc10001 })), inv, "description", ""},
		{"need description 10001", up(need("n3", "N", func(n *kg.Need) { n.Description = desc10001 })), inv, "description", ""},
		{"competency description 10001", up(competency("c", "C", func(c *kg.Competency) { c.Description = desc10001 })), inv, "description", ""},
		{"evidence 10001", set(kg.Rel{Type: kg.RelHasCompetency, From: "a", To: "c", Level: 2, Evidence: desc10001}), inv, "evidence", ""},
		{"partnership description 10001", set(kg.Rel{Type: kg.RelPartnersWith, From: "b", To: "a", Description: desc10001}), inv, "description", ""},
		{"membership role 201", set(memberOf("a", "b", long201)), inv, "role", ""},
		{"region 201", up(actor("a", "Alfa", func(a *kg.Actor) { a.Region = long201 })), inv, "region", ""},
		{"city 201", up(actor("a", "Alfa", func(a *kg.Actor) { a.City = long201 })), inv, "city", ""},
		{"alias 201", up(competency("c", "C", func(c *kg.Competency) { c.Aliases = []string{"ok", long201} })), inv, "aliases", ""},
		{"programme 201", up(project("p", "P", func(p *kg.Project) { p.Programme = long201 })), inv, "programme", ""},
		{"too many aliases", up(actor("a", "Alfa", func(a *kg.Actor) { a.Aliases = many(kg.MaxAliases + 1) })), inv, "aliases", ""},
		{"too many sources", up(need("n", "N", func(n *kg.Need) { n.Sources = many(kg.MaxSources + 1) })), inv, "sources", ""},
		{"rel too many sources", set(kg.Rel{Type: kg.RelHasNeed, From: "a", To: "n", Sources: many(kg.MaxSources + 1)}), inv, "sources", ""},
		{"source too long", up(actor("a", "Alfa", func(a *kg.Actor) { a.Sources = []string{strN(kg.MaxSourceLen+1, "s")} })), inv, "sources", ""},

		// Enumerations and formats.
		{"actor kind", up(actor("a", "Alfa", func(a *kg.Actor) { a.Kind = "TOWN" })), inv, "kind", ""},
		{"actor kind lower case", up(actor("a", "Alfa", func(a *kg.Actor) { a.Kind = "municipality" })), inv, "kind", ""},
		{"actor kind missing", up(actor("a", "Alfa", func(a *kg.Actor) { a.Kind = "" })), inv, "kind", ""},
		{"actor sector", up(actor("a", "Alfa", func(a *kg.Actor) { a.Sector = "MIXED" })), inv, "sector", ""},
		{"actor sector missing", up(actor("a2", "Alfa", func(a *kg.Actor) { a.Sector = "" })), inv, "sector", ""},
		{"actor country", up(actor("a", "Alfa", func(a *kg.Actor) { a.Country = "Sweden" })), inv, "country", ""},
		{"actor country digits", up(actor("a", "Alfa", func(a *kg.Actor) { a.Country = "S1" })), inv, "country", ""},
		{"actor website", up(actor("a", "Alfa", func(a *kg.Actor) { a.Website = "ftp://example.org" })), inv, "website", ""},
		{"actor website no host", up(actor("a", "Alfa", func(a *kg.Actor) { a.Website = "example.org" })), inv, "website", ""},
		{"project status", up(project("p", "P", func(p *kg.Project) { p.Status = "DONE" })), inv, "status", ""},
		{"project status of a need", up(project("p", "P", func(p *kg.Project) { p.Status = "OPEN" })), inv, "status", ""},
		{"project url", up(project("p", "P", func(p *kg.Project) { p.URL = "not a url" })), inv, "url", ""},
		{"need status", up(need("n", "N", func(n *kg.Need) { n.Status = "ACTIVE" })), inv, "status", ""},
		{"need status missing", up(need("n", "N", func(n *kg.Need) { n.Status = "" })), inv, "status", ""},
		{"competency category", up(competency("c", "C", func(c *kg.Competency) { c.Category = "MAGIC" })), inv, "category", ""},
		{"participation role", set(participates("a", "p", "BOSS")), inv, "role", ""},
		{"participation role missing", set(participates("a", "p", "")), inv, "role", ""},
		{"participation role lower case", set(participates("a", "p", "lead")), inv, "role", ""},
		{"relationship type", set(kg.Rel{Type: "KNOWS", From: "a", To: "b"}), inv, "type", ""},
		{"remove relationship type", rm("KNOWS", "a", "b"), inv, "type", ""},

		// Properties that belong to another type.
		{"has need with level", set(kg.Rel{Type: kg.RelHasNeed, From: "a", To: "n", Level: 3}), inv, "level", ""},
		{"requires with role", set(kg.Rel{Type: kg.RelRequires, From: "n", To: "c", Importance: 2, Role: "x"}), inv, "role", ""},
		{"addresses with since", set(kg.Rel{Type: kg.RelAddresses, From: "p", To: "n", Since: "2020-01-01"}), inv, "since", ""},
		{"member with evidence", set(kg.Rel{Type: kg.RelMemberOf, From: "a", To: "b", Evidence: "x"}), inv, "evidence", ""},
		{"member with to before from", set(kg.Rel{Type: kg.RelMemberOf, From: "a", To: "b", Start: "2020-01-01", End: "2019-01-01"}), inv, "to", ""},
		{"member with amount", set(kg.Rel{Type: kg.RelMemberOf, From: "a", To: "b", Amount: 5, Currency: "SEK"}), inv, "amount", ""},
		{"partner with amount", set(kg.Rel{Type: kg.RelParticipatesIn, From: "a", To: "p", Role: "PARTNER", Amount: 5, Currency: "SEK"}), inv, "amount", ""},
		{"funder without currency", set(kg.Rel{Type: kg.RelParticipatesIn, From: "a", To: "p", Role: "FUNDER", Amount: 5}), inv, "currency", ""},
		{"bad basis", set(kg.Rel{Type: kg.RelHasNeed, From: "b", To: "n", Basis: "RUMOUR"}), inv, "basis", ""},
		{"since and from differ", set(kg.Rel{Type: kg.RelPartnersWith, From: "a", To: "b", Since: "2019-01-01", Start: "2018-01-01"}), inv, "since", ""},
		{"part of a project", set(kg.Rel{Type: kg.RelPartOf, From: "a", To: "p"}), inv, "wholeId", ""},
		{"part of closing a cycle of actors", set(kg.Rel{Type: kg.RelPartOf, From: "b", To: "a"}), inv, "wholeId", ""},
		{"part of closing a cycle of projects", set(kg.Rel{Type: kg.RelPartOf, From: "p", To: "p2"}), inv, "wholeId", ""},
		{"import closing a cycle", imp(kg.Graph{Projects: []*kg.Project{project("p3", "Tre")}, Rels: []kg.Rel{
			{Type: kg.RelPartOf, From: "p", To: "p3"}, {Type: kg.RelPartOf, From: "p3", To: "p2"}}}), inv, "relationships[0]", ""},
		{"bad project type", up(project("p", "P", func(p *kg.Project) { p.Type = "WORKSHOP" })), inv, "type", ""},
		{"bad project country", up(project("p", "P", func(p *kg.Project) { p.Country = "Sverige" })), inv, "country", ""},
		{"supplies a need", set(kg.Rel{Type: kg.RelSupplies, From: "a", To: "n"}), inv, "clientId", ""},
		{"partnership with importance", set(kg.Rel{Type: kg.RelPartnersWith, From: "a", To: "b", Importance: 2}), inv, "importance", ""},
		{"partnership with role", set(kg.Rel{Type: kg.RelPartnersWith, From: "a", To: "b", Role: "LEAD"}), inv, "role", ""},
		{"competency with description", set(kg.Rel{Type: kg.RelHasCompetency, From: "a", To: "c", Level: 2, Description: "x"}), inv, "description", ""},
		{"participation with level", set(kg.Rel{Type: kg.RelParticipatesIn, From: "a", To: "p", Role: "LEAD", Level: 2}), inv, "level", ""},
		{"participation with since", set(kg.Rel{Type: kg.RelParticipatesIn, From: "a", To: "p", Role: "LEAD", Since: "2020-01-01"}), inv, "since", ""},
		{"requires with evidence", set(kg.Rel{Type: kg.RelRequires, From: "n", To: "c", Importance: 2, Evidence: "x"}), inv, "evidence", ""},
		{"addresses with to", set(kg.Rel{Type: kg.RelAddresses, From: "p", To: "n", End: "2020-01-01"}), inv, "to", ""},

		// No node at all.
		{"nil node", up(nil), inv, "input", ""},
		{"typed nil node", up((*kg.Project)(nil)), inv, "input", ""},

		// Imports refuse as a whole; the field names the entry at fault.
		{"import null entry", imp(kg.Graph{Actors: []*kg.Actor{actor("x1", "X"), nil}}), inv, "actors[1]", ""},
		{"import bad node", imp(kg.Graph{Actors: []*kg.Actor{actor("x1", "X"), actor("x2", long201)}}), inv, "actors[1].name", ""},
		{"import node without id", imp(kg.Graph{Projects: []*kg.Project{project("", "P")}}), inv, "projects[0].id", ""},
		{"import duplicate id", imp(kg.Graph{Needs: []*kg.Need{need("x1", "X"), need("x1", "Y")}}), inv, "needs[1].id", ""},
		{"import duplicate id across labels", imp(kg.Graph{Actors: []*kg.Actor{actor("x1", "X")}, Competencies: []*kg.Competency{competency("x1", "X")}}), inv, "competencies[0].id", ""},
		{"import label conflict", imp(kg.Graph{Actors: []*kg.Actor{actor("x1", "X")}, Competencies: []*kg.Competency{competency("c2", "C"), competency("a", "C")}}), cf, "competencies[1]", "a"},
		{"import bad rel", imp(kg.Graph{Actors: []*kg.Actor{actor("x1", "X")}, Rels: []kg.Rel{memberOf("x1", "a", ""), hasCompetency("x1", "c", 9)}}), inv, "relationships[1].level", ""},
		{"import rel to unknown", imp(kg.Graph{Actors: []*kg.Actor{actor("x1", "X")}, Rels: []kg.Rel{hasCompetency("x1", "ghost", 2)}}), nf, "relationships[0].competencyId", "ghost"},
		{"import rel wrong type", imp(kg.Graph{Needs: []*kg.Need{need("x1", "X")}, Rels: []kg.Rel{participates("a", "x1", kg.RoleLead)}}), inv, "relationships[0].projectId", ""},
		{"import duplicate rel", imp(kg.Graph{Rels: []kg.Rel{hasNeed("a", "n"), hasNeed("a", "n")}}), inv, "relationships[1]", ""},
		{"import duplicate partnership reversed", imp(kg.Graph{Actors: []*kg.Actor{actor("x1", "X")}, Rels: []kg.Rel{partners("x1", "a"), partners("a", "x1")}}), inv, "relationships[1]", ""},
	}
	return rs
}

func testValidation(t *testing.T, newStore func(*testing.T) kg.Store) {
	// One store for the whole table keeps the suite fast; each case takes
	// its own snapshot, so a case that changes the store fails alone.
	s := newStore(t)
	validationFixture(t, s)
	for _, tc := range refusals() {
		t.Run(tc.name, func(t *testing.T) {
			before := snapshot(t, s)
			err := tc.op(t.Context(), s)
			checkErr(t, err, tc.kind, tc.field)
			if tc.id != "" {
				var e *kg.Error
				if errors.As(err, &e) && e.ID != tc.id {
					t.Errorf("error %q names id %q, want %q", err, e.ID, tc.id)
				}
			}
			assertUnchanged(t, s, before)
		})
	}
}

package graph_test

import (
	"strings"
	"testing"
)

// Organisations apart from their people and the cross-sector list
// (DESIGN.md §2.1) through the API: a municipality with a unit and a
// person in it, a company with its person, a shared project, an event and
// a service.
func TestScopeAndCrossSectorProjects(t *testing.T) {
	h := handler(t, newStore(t), nil)
	const write = `mutation {
  k: upsertActor(input: {id: "k", name: "Kommun", kind: MUNICIPALITY, sector: PUBLIC}) { id }
  u: upsertActor(input: {id: "u", name: "Enhet", kind: MUNICIPALITY, sector: PUBLIC}) { id }
  c: upsertActor(input: {id: "c", name: "Bolag", kind: COMPANY, sector: PRIVATE}) { id }
  p1: upsertActor(input: {id: "p1", name: "Person Ett", kind: PERSON, sector: PRIVATE}) { id }
  p2: upsertActor(input: {id: "p2", name: "Person Två", kind: PERSON, sector: PUBLIC}) { id }
  proj: upsertProject(input: {id: "proj", name: "Projekt", status: ACTIVE}) { id }
  ev: upsertProject(input: {id: "ev", name: "Konferens", status: COMPLETED, type: EVENT}) { id }
  svc: upsertProject(input: {id: "svc", name: "Stöd", status: ACTIVE, type: SERVICE}) { id }
  n: upsertNeed(input: {id: "n", name: "Behov", status: OPEN, priority: 3}) { id }
  comp: upsertCompetency(input: {id: "comp", name: "Kunskap", category: OTHER}) { id }
  unit: setPartOf(partId: "u", wholeId: "k") { basis }
  m1: setMembership(memberId: "p1", organisationId: "c") { basis }
  m2: setMembership(memberId: "p2", organisationId: "u") { basis }
  a: setParticipation(actorId: "p1", projectId: "proj", role: PARTNER) { role }
  b: setParticipation(actorId: "p2", projectId: "proj", role: LEAD) { role }
  e1: setParticipation(actorId: "k", projectId: "ev", role: ORGANISER) { role }
  e2: setParticipation(actorId: "c", projectId: "ev", role: ATTENDEE) { role }
  s1: setParticipation(actorId: "k", projectId: "svc", role: FUNDER) { role }
  s2: setParticipation(actorId: "p1", projectId: "svc", role: PARTICIPANT) { role }
  hn: setNeedOwner(actorId: "k", needId: "n") { basis }
  rq: setRequirement(needId: "n", competencyId: "comp", importance: 3) { importance }
  h1: setCompetency(actorId: "p2", competencyId: "comp", level: 4) { level }
  h2: setCompetency(actorId: "p1", competencyId: "comp", level: 2) { level }
  h3: setCompetency(actorId: "c", competencyId: "comp", level: 1) { level }
  ad: setAddresses(projectId: "svc", needId: "n") { basis }
}`
	if r := post(t, h, write, nil); len(r.Errors) > 0 {
		t.Fatal(r.Raw)
	}

	// At ORGANISATIONS: c, k, u, a triangle (p2 is u's and k's, p1 c's).
	r := post(t, h, `{
  brokers(scope: ORGANISATIONS) { scope actorCount brokers { actor { id } score } }
  all: brokers(kinds: [PERSON]) { scope actorCount }
  ecosystemStats(scope: ORGANISATIONS) { scope actors collaborationEdges projects projectTypes { key count } crossSectorProjects crossSectorShare }
  matchNeed(needId: "n") { actor { id } }
  engaged: matchNeed(needId: "n", excludeEngaged: true) { actor { id } }
}`, nil)
	for _, want := range []string{
		`"brokers":{"scope":"ORGANISATIONS","actorCount":3,"brokers":[{"actor":{"id":"c"},"score":0},{"actor":{"id":"k"},"score":0},{"actor":{"id":"u"},"score":0}]}`,
		`"all":{"scope":"ALL","actorCount":2}`,
		`"ecosystemStats":{"scope":"ORGANISATIONS","actors":3,"collaborationEdges":3,"projects":3,` +
			`"projectTypes":[{"key":"PROJECT","count":1},{"key":"PROGRAMME","count":0},{"key":"SERVICE","count":1},{"key":"EVENT","count":1}],` +
			`"crossSectorProjects":2,"crossSectorShare":1}`,
		// p2 is k's own (through its unit): never a candidate for k's need.
		`"matchNeed":[{"actor":{"id":"p1"}},{"actor":{"id":"c"}}]`,
		// p1 takes part in svc, which addresses the need.
		`"engaged":[{"actor":{"id":"c"}}]`,
	} {
		if !strings.Contains(r.Raw, want) {
			t.Errorf("answer lacks %s:\n%s", want, r.Raw)
		}
	}

	// The cross-sector list, one project a page: the event is not on it.
	const page = `query($after: String) { crossSectorProjects(first: 1, after: $after) {
  totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
  edges { cursor node { project { id } public { id } private { id } } } } }`
	var first struct {
		CrossSectorProjects struct {
			TotalCount int
			PageInfo   struct {
				HasNextPage, HasPreviousPage bool
				EndCursor                    string
			}
			Edges []struct {
				Cursor string
				Node   struct {
					Project         struct{ ID string }
					Public, Private []struct{ ID string }
				}
			}
		}
	}
	mustPost(t, h, page, &first, nil)
	c := first.CrossSectorProjects
	if c.TotalCount != 2 || !c.PageInfo.HasNextPage || c.PageInfo.HasPreviousPage || len(c.Edges) != 1 ||
		c.Edges[0].Node.Project.ID != "proj" || len(c.Edges[0].Node.Public) != 2 || c.Edges[0].Node.Public[0].ID != "k" ||
		c.Edges[0].Node.Public[1].ID != "u" || len(c.Edges[0].Node.Private) != 1 || c.Edges[0].Node.Private[0].ID != "c" ||
		c.Edges[0].Cursor != c.PageInfo.EndCursor {
		t.Fatalf("first page: %+v", c)
	}
	r = post(t, h, page, map[string]any{"after": c.PageInfo.EndCursor})
	if want := `"edges":[{"cursor":`; !strings.Contains(r.Raw, want) || !strings.Contains(r.Raw, `"project":{"id":"svc"},"public":[{"id":"k"}],"private":[{"id":"c"}]`) ||
		!strings.Contains(r.Raw, `"hasNextPage":false,"hasPreviousPage":true`) {
		t.Errorf("second page: %s", r.Raw)
	}

	for _, c := range []struct{ name, query, code, field string }{
		{"similar of a person at ORGANISATIONS", `{ similarActors(id: "p1", scope: ORGANISATIONS) { score } }`, "BAD_USER_INPUT", "id"},
		{"a cursor that is not ours", `{ crossSectorProjects(after: "bm90LWEtY3Vyc29y") { totalCount } }`, "BAD_USER_INPUT", "after"},
		{"first 0", `{ crossSectorProjects(first: 0) { totalCount } }`, "BAD_USER_INPUT", "first"},
		{"first 101", `{ crossSectorProjects(first: 101) { totalCount } }`, "BAD_USER_INPUT", "first"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := post(t, h, c.query, nil)
			if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != c.code || r.Errors[0].Extensions["field"] != c.field {
				t.Fatalf("want %s naming %s, got %s", c.code, c.field, r.Raw)
			}
		})
	}
	if r := post(t, h, `{ brokers(scope: TEAMS) { exact } }`, nil); len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "BAD_USER_INPUT" {
		t.Errorf("unknown scope: %s", r.Raw)
	}
}

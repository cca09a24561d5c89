package graph_test

import (
	"strings"
	"testing"
)

// The second version's model (DESIGN.md §1.1) through the API: project
// types and places, event roles, a funder's amount, ties with periods,
// basis and quote, PART_OF with its cycle rule, SUPPLIES, and the
// deprecated since.
func TestModelSecondVersion(t *testing.T) {
	h := handler(t, newStore(t), nil)
	const write = `mutation {
  dwa: upsertActor(input: {id: "dwa", name: "DigitalWell Arena", kind: ARENA, sector: PUBLIC}) { id }
  rad: upsertActor(input: {id: "rad", name: "Innovationsrådet", kind: NETWORK, sector: PUBLIC}) { id }
  nr: upsertActor(input: {id: "nr", name: "NetRelations", kind: COMPANY, sector: PRIVATE}) { id }
  nacka: upsertActor(input: {id: "nacka", name: "Nacka kommun", kind: MUNICIPALITY, sector: PUBLIC}) { id }
  series: upsertProject(input: {id: "or", name: "Offentliga Rummet", status: ACTIVE, type: PROGRAMME}) { id }
  or18: upsertProject(input: {id: "or18", name: "Offentliga Rummet 2018", status: COMPLETED, type: EVENT,
    country: "se", region: "Västra Götaland", city: "Göteborg", aliases: ["OR18"]}) { id type country }
  sp: setParticipation(actorId: "nr", projectId: "or18", role: SPEAKER, basis: INFERRED, quote: "talade om") { role basis quote }
  fund: setParticipation(actorId: "nacka", projectId: "or18", role: FUNDER, amount: 50000, currency: "sek") { amount currency basis }
  unit: setPartOf(partId: "rad", wholeId: "dwa", from: "2017-01-01", quote: "DigitalWell Arenas Innovationsråd") {
    part { id } whole { id } from to basis quote }
  occ: setPartOf(partId: "or18", wholeId: "or") { part { ... on Project { type } } whole { id } }
  sup: setSupply(supplierId: "nr", clientId: "nacka", description: "webb", basis: STATED) {
    supplier { id } client { id } description basis }
  pw: setPartnership(actorId: "dwa", partnerId: "nacka", since: "2016-05-01") { from since }
  mb: setMembership(memberId: "nacka", organisationId: "dwa", from: "2015-01-01", to: "2019-12-31") { from to basis }
}`
	r := post(t, h, write, nil)
	if len(r.Errors) > 0 {
		t.Fatal(r.Raw)
	}
	for _, want := range []string{
		`"or18":{"id":"or18","type":"EVENT","country":"SE"}`,
		`"sp":{"role":"SPEAKER","basis":"INFERRED","quote":"talade om"}`,
		`"fund":{"amount":50000,"currency":"SEK","basis":"STATED"}`,
		`"unit":{"part":{"id":"rad"},"whole":{"id":"dwa"},"from":"2017-01-01","to":null,"basis":"STATED","quote":"DigitalWell Arenas Innovationsråd"}`,
		`"occ":{"part":{"type":"EVENT"},"whole":{"id":"or"}}`,
		`"sup":{"supplier":{"id":"nr"},"client":{"id":"nacka"},"description":"webb","basis":"STATED"}`,
		`"pw":{"from":"2016-05-01","since":"2016-05-01"}`,
		`"mb":{"from":"2015-01-01","to":"2019-12-31","basis":"STATED"}`,
	} {
		if !strings.Contains(r.Raw, want) {
			t.Errorf("answer lacks %s:\n%s", want, r.Raw)
		}
	}
	const read = `{
  actor(id: "dwa") { parts { part { id } } partOf { whole { id } } }
  nr: actor(id: "nr") { supplies { client { id } } suppliers { supplier { id } } }
  nacka: actor(id: "nacka") { suppliers { supplier { id } } }
  project(id: "or") { type parts { part { id } } partOf { whole { id } } }
  or18: project(id: "or18") { region city aliases partOf { whole { id } } }
}`
	want := `{"actor":{"parts":[{"part":{"id":"rad"}}],"partOf":[]},` +
		`"nr":{"supplies":[{"client":{"id":"nacka"}}],"suppliers":[]},"nacka":{"suppliers":[{"supplier":{"id":"nr"}}]},` +
		`"project":{"type":"PROGRAMME","parts":[{"part":{"id":"or18"}}],"partOf":[]},` +
		`"or18":{"region":"Västra Götaland","city":"Göteborg","aliases":["OR18"],"partOf":[{"whole":{"id":"or"}}]}}`
	if got := data(t, post(t, h, read, nil)); got != want {
		t.Errorf("read back\n got %s\nwant %s", got, want)
	}

	// Refusals: each names the argument and changes nothing.
	for _, tc := range []struct{ name, query, field, text string }{
		{"cycle", `mutation { setPartOf(partId: "dwa", wholeId: "rad") { basis } }`, "wholeId", "dwa → rad → dwa"},
		{"series cycle", `mutation { setPartOf(partId: "or", wholeId: "or18") { basis } }`, "wholeId", "or → or18 → or"},
		{"actor part of a project", `mutation { setPartOf(partId: "rad", wholeId: "or") { basis } }`, "wholeId", "not a Actor"},
		{"amount of a speaker", `mutation { setParticipation(actorId: "dwa", projectId: "or18", role: SPEAKER, amount: 5, currency: "SEK") { role } }`, "amount", "FUNDER"},
		{"both since and from", `mutation { setPartnership(actorId: "dwa", partnerId: "nr", from: "2017-01-01", since: "2018-01-01") { from } }`, "since", "differ"},
		{"import closing a cycle", `mutation { importGraph(input: {relationships: [{type: PART_OF, fromId: "dwa", toId: "nacka"}, {type: PART_OF, fromId: "nacka", toId: "rad"}]}) { relationshipsCreated } }`, "input.relationships[0]", "dwa → nacka → rad → dwa"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := post(t, h, tc.query, nil)
			if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "BAD_USER_INPUT" ||
				r.Errors[0].Extensions["field"] != tc.field || !strings.Contains(r.Errors[0].Message, tc.text) {
				t.Fatalf("got %s; want BAD_USER_INPUT on %s saying %q", r.Raw, tc.field, tc.text)
			}
		})
	}
	if got := data(t, post(t, h, read, nil)); got != want {
		t.Errorf("a refused write changed the graph:\n got %s\nwant %s", got, want)
	}
}

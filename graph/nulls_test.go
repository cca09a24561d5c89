package graph_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// Every optional text and date field reads as null when it is empty and as
// its value when it is set, on the nodes and on each relationship type.
func TestEmptyFieldsReadAsNull(t *testing.T) {
	h := handler(t, newStore(t), nil)
	const write = `mutation {
  a: upsertActor(input: {id: "a", name: "A", kind: COMPANY, sector: PRIVATE}) { id }
  b: upsertActor(input: {id: "b", name: "B", kind: COMPANY, sector: PRIVATE}) { id }
  p: upsertProject(input: {id: "p", name: "P", status: ACTIVE}) { id }
  n: upsertNeed(input: {id: "n", name: "N", status: OPEN, priority: 3}) { id }
  c: upsertCompetency(input: {id: "c", name: "C", category: DESIGN}) { id }
  sp: setParticipation(actorId: "a", projectId: "p", role: LEAD) { role }
  sc: setCompetency(actorId: "a", competencyId: "c", level: 2) { level }
  sm: setMembership(memberId: "a", organisationId: "b") { sources }
  sx: setPartnership(actorId: "b", partnerId: "a") { sources }
}`
	if r := post(t, h, write, nil); len(r.Errors) > 0 {
		t.Fatal(r.Raw)
	}
	const read = `{
  actor(id: "a") { description country region city website
    projects { role from to } competencies { evidence } memberOf { role }
    partnerships { actor { id } partner { id } since description } }
  project(id: "p") { description startDate endDate url programme }
  need(id: "n") { description }
  competency(id: "c") { description }
}`
	want := `{"actor":{"description":null,"country":null,"region":null,"city":null,"website":null,` +
		`"projects":[{"role":"LEAD","from":null,"to":null}],"competencies":[{"evidence":null}],"memberOf":[{"role":null}],` +
		`"partnerships":[{"actor":{"id":"a"},"partner":{"id":"b"},"since":null,"description":null}]},` +
		`"project":{"description":null,"startDate":null,"endDate":null,"url":null,"programme":null},` +
		`"need":{"description":null},"competency":{"description":null}}`
	if got := data(t, post(t, h, read, nil)); got != want {
		t.Fatalf("empty fields:\n got %s\nwant %s", got, want)
	}

	const set = `mutation {
  a: upsertActor(input: {id: "a", name: "A", kind: COMPANY, sector: PRIVATE, description: "ad",
    country: "se", region: "Skåne", city: "Malmö", website: "https://a.example"}) { id }
  p: upsertProject(input: {id: "p", name: "P", status: ACTIVE, description: "pd", startDate: "2020-01-02",
    endDate: "2021-03-04", url: "https://p.example", programme: "Vinnova"}) { id }
  n: upsertNeed(input: {id: "n", name: "N", status: OPEN, priority: 3, description: "nd"}) { id }
  c: upsertCompetency(input: {id: "c", name: "C", category: DESIGN, description: "cd"}) { id }
  sp: setParticipation(actorId: "a", projectId: "p", role: PARTNER, from: "2020-02-01", to: "2020-12-31") { role }
  sc: setCompetency(actorId: "a", competencyId: "c", level: 2, evidence: "ev") { level }
  sm: setMembership(memberId: "a", organisationId: "b", role: "chair") { role }
  sx: setPartnership(actorId: "a", partnerId: "b", since: "2019-05-06", description: "xd") { actor { id } partner { id } }
}`
	r := post(t, h, set, nil)
	if len(r.Errors) > 0 {
		t.Fatal(r.Raw)
	}
	// Set from a's side, the partnership stored first from b's is answered
	// from a's.
	if got, want := data(t, r), `"sx":{"actor":{"id":"a"},"partner":{"id":"b"}}`; !strings.Contains(got, want) {
		t.Fatalf("setPartnership from the other side: %s", got)
	}
	want = `{"actor":{"description":"ad","country":"SE","region":"Skåne","city":"Malmö","website":"https://a.example",` +
		`"projects":[{"role":"PARTNER","from":"2020-02-01","to":"2020-12-31"}],"competencies":[{"evidence":"ev"}],` +
		`"memberOf":[{"role":"chair"}],` +
		`"partnerships":[{"actor":{"id":"a"},"partner":{"id":"b"},"since":"2019-05-06","description":"xd"}]},` +
		`"project":{"description":"pd","startDate":"2020-01-02","endDate":"2021-03-04","url":"https://p.example","programme":"Vinnova"},` +
		`"need":{"description":"nd"},"competency":{"description":"cd"}}`
	if got := data(t, post(t, h, read, nil)); got != want {
		t.Fatalf("set fields:\n got %s\nwant %s", got, want)
	}
}

// data is the answer's data as the server wrote it; the answer must have
// no errors.
func data(t *testing.T, r response) string {
	t.Helper()
	var out struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal([]byte(r.Raw), &out); err != nil || len(r.Errors) > 0 {
		t.Fatalf("%v: %s", err, r.Raw)
	}
	return string(out.Data)
}

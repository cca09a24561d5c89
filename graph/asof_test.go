package graph_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// asOfGraph is the contract suite's asOf fixture (storetest/asof.go) as an
// importGraph input: proj runs 2018–2019, m leads it for that period, c is
// a partner from 2019, p is MEMBER_OF c in the second half of 2018, unit u
// is PART_OF m in 2017, b PARTNERS_WITH m since 2020, x with m always.
const asOfGraph = `{
  "actors": [
    {"id": "m", "name": "Municipality", "kind": "MUNICIPALITY", "sector": "PUBLIC"},
    {"id": "u", "name": "Unit", "kind": "MUNICIPALITY", "sector": "PUBLIC"},
    {"id": "c", "name": "Company", "kind": "COMPANY", "sector": "PRIVATE"},
    {"id": "b", "name": "Cluster", "kind": "CLUSTER", "sector": "PRIVATE"},
    {"id": "x", "name": "NGO", "kind": "NGO", "sector": "CIVIL"},
    {"id": "p", "name": "Person", "kind": "PERSON", "sector": "PRIVATE"}],
  "projects": [{"id": "proj", "name": "Proj", "status": "COMPLETED", "startDate": "2018-01-01", "endDate": "2019-12-31"}],
  "needs": [{"id": "nm", "name": "Need of m", "status": "OPEN"}],
  "competencies": [{"id": "k1", "name": "K1", "category": "OTHER"}],
  "relationships": [
    {"type": "PARTICIPATES_IN", "fromId": "m", "toId": "proj", "role": "LEAD"},
    {"type": "PARTICIPATES_IN", "fromId": "c", "toId": "proj", "role": "PARTNER", "from": "2019-01-01"},
    {"type": "MEMBER_OF", "fromId": "p", "toId": "c", "from": "2018-06-01", "to": "2018-12-31"},
    {"type": "PART_OF", "fromId": "u", "toId": "m", "from": "2017-01-01", "to": "2017-12-31"},
    {"type": "PARTNERS_WITH", "fromId": "b", "toId": "m", "since": "2020-01-01"},
    {"type": "PARTNERS_WITH", "fromId": "x", "toId": "m"},
    {"type": "HAS_NEED", "fromId": "m", "toId": "nm"},
    {"type": "REQUIRES", "fromId": "nm", "toId": "k1", "importance": 2},
    {"type": "HAS_COMPETENCY", "fromId": "c", "toId": "k1", "level": 3},
    {"type": "HAS_COMPETENCY", "fromId": "p", "toId": "k1", "level": 4}]
}`

// Every analytic root field takes asOf and answers with the ties active
// on that day; without it, with all of them.
func TestAnalyticsAsOf(t *testing.T) {
	h := handler(t, newStore(t), nil)
	var input map[string]any
	if err := json.Unmarshal([]byte(asOfGraph), &input); err != nil {
		t.Fatal(err)
	}
	var imported struct {
		ImportGraph struct{ RelationshipsCreated int }
	}
	mustPost(t, h, `mutation($g: GraphInput!) { importGraph(input: $g) { relationshipsCreated } }`, &imported, map[string]any{"g": input})
	if imported.ImportGraph.RelationshipsCreated != 10 {
		t.Fatalf("imported %+v", imported)
	}

	// Each field is asked without asOf, in 2018-09 (p at c; c not yet in
	// proj) and in 2019-06 (c in proj), and its answer compacted to JSON.
	const membership, partner = "2018-09-01", "2019-06-01"
	cases := []struct {
		name, query string
		want        map[string]string // by asOf, "" for none
	}{
		{"partnershipPaths", `query($d: Date) { partnershipPaths(from: "m", to: "c", asOf: $d) { summary } }`, map[string]string{
			"":         `{"partnershipPaths":[{"summary":"Municipality — lead in Proj — with partner Company"}]}`,
			membership: `{"partnershipPaths":[]}`,
			partner:    `{"partnershipPaths":[{"summary":"Municipality — lead in Proj — with partner Company"}]}`}},
		{"overlap", `query($d: Date) { overlap(actorIds: ["m", "c"], asOf: $d) { projects { id } } }`, map[string]string{
			"":         `{"overlap":{"projects":[{"id":"proj"}]}}`,
			membership: `{"overlap":{"projects":[]}}`,
			partner:    `{"overlap":{"projects":[{"id":"proj"}]}}`}},
		{"similarActors", `query($d: Date) { similarActors(id: "c", by: [COLLABORATORS], asOf: $d) { actor { id } score } }`, map[string]string{
			"":         `{"similarActors":[{"actor":{"id":"b"},"score":0.5},{"actor":{"id":"u"},"score":0.5},{"actor":{"id":"x"},"score":0.5}]}`,
			membership: `{"similarActors":[]}`,
			partner:    `{"similarActors":[{"actor":{"id":"x"},"score":1}]}`}},
		{"matchNeed", `query($d: Date) { matchNeed(needId: "nm", asOf: $d) { actor { id } distance } }`, map[string]string{
			"":         `{"matchNeed":[{"actor":{"id":"c"},"distance":2},{"actor":{"id":"p"},"distance":3}]}`,
			membership: `{"matchNeed":[{"actor":{"id":"p"},"distance":null},{"actor":{"id":"c"},"distance":null}]}`,
			partner:    `{"matchNeed":[{"actor":{"id":"c"},"distance":2},{"actor":{"id":"p"},"distance":null}]}`}},
		{"suggestConsortium", `query($d: Date) { suggestConsortium(needId: "nm", maxSize: 1, asOf: $d) { members { actor { id } } } }`, map[string]string{
			"":         `{"suggestConsortium":{"members":[{"actor":{"id":"c"}}]}}`,
			membership: `{"suggestConsortium":{"members":[{"actor":{"id":"p"}}]}}`,
			partner:    `{"suggestConsortium":{"members":[{"actor":{"id":"c"}}]}}`}},
		{"neighborhood", `query($d: Date) { neighborhood(id: "c", asOf: $d) { edges { type } nodes { node { id } } } }`, map[string]string{
			"":         `{"neighborhood":{"edges":[{"type":"PARTICIPATES_IN"},{"type":"MEMBER_OF"}],"nodes":[{"node":{"id":"c"}},{"node":{"id":"p"}},{"node":{"id":"proj"}}]}}`,
			membership: `{"neighborhood":{"edges":[{"type":"MEMBER_OF"}],"nodes":[{"node":{"id":"c"}},{"node":{"id":"p"}}]}}`,
			partner:    `{"neighborhood":{"edges":[{"type":"PARTICIPATES_IN"}],"nodes":[{"node":{"id":"c"}},{"node":{"id":"proj"}}]}}`}},
		{"brokers", `query($d: Date) { brokers(first: 1, asOf: $d) { actorCount brokers { actor { id } score } } }`, map[string]string{
			"":         `{"brokers":{"actorCount":6,"brokers":[{"actor":{"id":"m"},"score":9}]}}`,
			membership: `{"brokers":{"actorCount":6,"brokers":[{"actor":{"id":"b"},"score":0}]}}`,
			partner:    `{"brokers":{"actorCount":6,"brokers":[{"actor":{"id":"m"},"score":1}]}}`}},
		{"ecosystemStats", `query($d: Date) { ecosystemStats(asOf: $d) { collaborationEdges components crossSectorProjects } }`, map[string]string{
			"":         `{"ecosystemStats":{"collaborationEdges":5,"components":1,"crossSectorProjects":1}}`,
			membership: `{"ecosystemStats":{"collaborationEdges":2,"components":4,"crossSectorProjects":0}}`,
			partner:    `{"ecosystemStats":{"collaborationEdges":2,"components":4,"crossSectorProjects":1}}`}},
		{"crossSectorProjects", `query($d: Date) { crossSectorProjects(asOf: $d) { totalCount edges { node { project { id } } } } }`, map[string]string{
			"":         `{"crossSectorProjects":{"edges":[{"node":{"project":{"id":"proj"}}}],"totalCount":1}}`,
			membership: `{"crossSectorProjects":{"edges":[],"totalCount":0}}`,
			partner:    `{"crossSectorProjects":{"edges":[{"node":{"project":{"id":"proj"}}}],"totalCount":1}}`}},
		{"measures", `query($d: Date) { measures(by: DEGREE, first: 1, asOf: $d) { actor { id } value } }`, map[string]string{
			"":         `{"measures":[{"actor":{"id":"m"},"value":4}]}`,
			membership: `{"measures":[{"actor":{"id":"c"},"value":1}]}`,
			partner:    `{"measures":[{"actor":{"id":"m"},"value":2}]}`}},
		{"communities", `query($d: Date) { communities(asOf: $d) { communities { members } } }`, map[string]string{
			"":         `{"communities":{"communities":[{"members":["b","m","u","x"]},{"members":["c","p"]}]}}`,
			membership: `{"communities":{"communities":[{"members":["c","p"]},{"members":["m","x"]},{"members":["b"]},{"members":["u"]}]}}`,
			partner:    `{"communities":{"communities":[{"members":["c","m","x"]},{"members":["b"]},{"members":["p"]},{"members":["u"]}]}}`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, d := range []string{"", membership, partner} {
				vars := map[string]any{"d": nil}
				if d != "" {
					vars["d"] = d
				}
				r := post(t, h, c.query, vars)
				if len(r.Errors) > 0 {
					t.Fatalf("asOf %q: %s", d, r.Raw)
				}
				got, _ := json.Marshal(r.Data)
				if string(got) != c.want[d] {
					t.Errorf("asOf %q:\n got %s\nwant %s", d, got, c.want[d])
				}
			}
			// Project.status stays as stored whatever the day.
			r := post(t, h, `{ project(id: "proj") { status } }`, nil)
			if got, _ := json.Marshal(r.Data); string(got) != `{"project":{"status":"COMPLETED"}}` {
				t.Errorf("project status: %s", got)
			}
			// A bad date is BAD_USER_INPUT naming asOf, as a literal and as
			// a variable.
			literal := strings.Replace(c.query, "asOf: $d", `asOf: "2019-02-30"`, 1)
			literal = strings.Replace(literal, "query($d: Date) ", "", 1)
			for _, bad := range []response{
				post(t, h, literal, nil),
				post(t, h, c.query, map[string]any{"d": "2019-02-30"}),
				post(t, h, c.query, map[string]any{"d": "1969-12-31"}),
			} {
				if len(bad.Errors) != 1 || bad.Errors[0].Extensions["code"] != "BAD_USER_INPUT" ||
					bad.Errors[0].Extensions["field"] != "asOf" || !strings.HasPrefix(bad.Errors[0].Message, "asOf: ") {
					t.Errorf("bad asOf: %s", bad.Raw)
				}
			}
		})
	}
}

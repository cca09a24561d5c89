package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// hidePeopleQueries read every root field, nested lists included, around
// the seed's people: Elina Svensson (COMPARE), Thomas Wernerheim
// (Karlstad, DigitalWell) and the AI entrepreneur who owns a need.
var hidePeopleQueries = []string{
	`{ actors(first: 100) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name kind } } } }`,
	`{ actors(filter: {kinds: [PERSON, COMPANY]}) { totalCount edges { node { id } } } }`,
	`{ people: actors(filter: {kinds: [PERSON]}) { totalCount edges { node { id } } } }`,
	`{ actor(id: "elina-svensson") { id } node(id: "elina-svensson") { id } nodes(ids: ["elina-svensson", "compare", "thomas-wernerheim"]) { id } }`,
	`{ actor(id: "compare") { members { member { id } } projects { project { id participants { actor { id } role } } }
	   competencies { competency { id holders { actor { id } level } } } partnerships { partner { id } } } }`,
	`{ actor(id: "karlstads-kommun") { members { member { id memberOf { organisation { id } } } } } }`,
	`{ project(id: "ai-prognoser-matematik") { participants { actor { id } } } need(id: "ai-data-matematik") { owners { actor { id } } addressedBy { project { id } } } }`,
	`{ project(id: "ai-prognoser-matematik") { participantsConnection(first: 10) { totalCount pageInfo { hasNextPage } edges { cursor node { id } } } }
	   competency(id: "innovasjonsledelse") { holdersConnection(first: 2) { totalCount edges { cursor node { id } properties { level } } } } }`,
	`{ competencies(first: 100) { totalCount edges { node { id holders { actor { id } level } requiredBy { need { id } } } } } }`,
	`{ needs(first: 100) { edges { node { id owners { actor { id } } } } } projects(first: 100) { edges { node { id participants { actor { id } } } } } }`,
	`{ search(text: "svensson") { node { id } score } s2: search(text: "innovation", first: 30) { node { id } score } s3: search(text: "thomas") { node { id } } }`,
	`{ partnershipPaths(from: "compare", to: "karlstads-kommun", k: 5) { length nodes { id } steps { type } } }`,
	`{ p2: partnershipPaths(from: "compare", to: "difi", k: 5, via: [MEMBERSHIP, PARTICIPATION, COMPETENCY]) { length nodes { id } } }`,
	`{ partnershipPaths(from: "elina-svensson", to: "compare") { length } }`,
	`{ neighborhood(id: "compare", depth: 2) { truncated nodes { node { id } distance } edges { type fromId toId } } }`,
	`{ neighborhood(id: "karlstads-kommun", depth: 3, via: [MEMBERSHIP, PARTICIPATION, COMPETENCY, NEED]) { nodes { node { id } distance } edges { type fromId toId } } }`,
	`{ neighborhood(id: "thomas-wernerheim") { truncated } }`,
	`{ matchNeed(needId: "difi-designkompetanse", first: 20) { actor { id } coverage distance levelSum covered { competency { id } } } }`,
	`{ matchNeed(needId: "ai-data-matematik", first: 20) { actor { id } coverage distance } }`,
	`{ suggestConsortium(needId: "difi-designkompetanse") { coverage members { actor { id } } } }`,
	`{ brokers(first: 20) { actorCount exact brokers { actor { id } score normalized } } }`,
	`{ brokers(first: 20, scope: ORGANISATIONS) { actorCount brokers { actor { id } score } } }`,
	`{ overlap(actorIds: ["compare", "karlstads-kommun"]) { actors { id } projects { id } competencies { id } collaborators { id } jaccard { overall } } }`,
	`{ similarActors(id: "compare", first: 20) { actor { id } score shared { id } } }`,
	`{ ecosystemStats { actors labels { key count } kinds { key count } relationships { key count } collaborationEdges components largestComponent density averageDegree } }`,
	`{ measures(by: BETWEENNESS, first: 50) { actor { id } value rank } m2: measures(by: PAGERANK, first: 50) { actor { id } value } }`,
	`{ communities { actorCount modularity communities { members size dominantSector } } }`,
	`{ needsFor(actorId: "dialogmakarna") { need { id } coverage distance } introductions(actorId: "karlstads-kommun") { actor { id } need { id } direction coverage distance path { length nodes { id } } } }`,
	`{ introductions(actorId: "dialogmakarna", first: 20) { actor { id } distance path { summary } } i2: introductions(actorId: "thomas-wernerheim") { actor { id } } }`,
	`{ crossSectorProjects(first: 50) { totalCount edges { node { project { id } public { id } private { id } } } } }`,
	`{ actorsAggregate { count k: groupBy(field: KIND) { value count } c: groupBy(field: COUNTRY) { value count } }
	   competenciesAggregate { count level { count min max avg } importance { count avg } } needsAggregate { count priority { avg } } }`,
	`{ actor(id: "compare") { membersConnection { totalCount edges { node { id } properties { role } } } }
	   competencies(first: 100) { edges { node { id holdersAggregate { count level { avg } } holdersConnection(first: 100) { totalCount edges { node { id } } } } } } }`,
	// TestHidePeopleFromAnonymous gives Elina Svensson and COMPARE these external ids.
	extIDsQuery,
}

const extIDsQuery = `{ person: actorByExternalId(scheme: "x-staff", value: "es-1") { id } org: actorByExternalId(scheme: "se-orgnr", value: "556000-0001") { id externalIds { value } } }`

// giveExternalIDs rewrites Elina Svensson and COMPARE as they are, with an
// external id each.
func giveExternalIDs(t *testing.T, s *testServer) {
	t.Helper()
	for id, x := range map[string][2]string{"elina-svensson": {"x-staff", "es-1"}, "compare": {"se-orgnr", "556000-0001"}} {
		r := s.send(t, testReaderKey, `query($id: ID!) { actor(id: $id) { name description sources kind sector country region city website aliases } }`, map[string]any{"id": id}, nil)
		a, _ := dig(r.Data, "actor").(map[string]any)
		if a == nil {
			t.Fatalf("reading %s: %s", id, r.raw)
		}
		a["id"] = id
		a["externalIds"] = []any{map[string]any{"scheme": x[0], "value": x[1]}}
		if u := s.send(t, testEditorKey, `mutation($a: ActorInput!) { upsertActor(input: $a) { id } }`, map[string]any{"a": a}, nil); len(u.Errors) > 0 {
			t.Fatalf("rewriting %s: %s", id, u.raw)
		}
	}
}

// With HIDE_PEOPLE_FROM_ANONYMOUS=true a caller without a key gets, from
// every root field, the answer a key holder gets once the seed's PERSON
// actors are deleted: as if they had never existed. A key holder still
// sees them.
func TestHidePeopleFromAnonymous(t *testing.T) {
	parallel(t)
	s := start(t, keyedEnv(t, map[string]string{"HIDE_PEOPLE_FROM_ANONYMOUS": "true"}), "-data-dir", t.TempDir())
	answer := func(key, q string) string {
		t.Helper()
		r := s.send(t, key, q, nil, nil)
		var codes []string
		for _, e := range r.Errors {
			codes = append(codes, fmt.Sprint(e.Extensions["code"], " ", e.Message))
		}
		data, _ := json.Marshal(r.Data)
		return string(data) + " " + strings.Join(codes, "; ")
	}

	people := s.send(t, testReaderKey, `{ actors(filter: {kinds: [PERSON]}, first: 100) { edges { node { id } } } }`, nil, nil)
	edges, _ := dig(people.Data, "actors", "edges").([]any)
	if len(edges) != 15 {
		t.Fatalf("a reader sees %d people, want the seed's 15: %s", len(edges), people.raw)
	}
	giveExternalIDs(t, s)
	if got, want := answer(testReaderKey, extIDsQuery), `{"org":{"externalIds":[{"value":"556000-0001"}],"id":"compare"},"person":{"id":"elina-svensson"}} `; got != want {
		t.Fatalf("a key holder: %s, want %s", got, want)
	}
	if got, want := answer("", extIDsQuery), `{"org":{"externalIds":[{"value":"556000-0001"}],"id":"compare"},"person":null} `; got != want {
		t.Errorf("anonymous, people hidden: %s, want %s", got, want)
	}
	anonymous := make([]string, len(hidePeopleQueries))
	for i, q := range hidePeopleQueries {
		anonymous[i] = answer("", q)
		if keyed := answer(testReaderKey, q); i < 7 && keyed == anonymous[i] {
			t.Errorf("a key holder gets what an anonymous caller gets: %s\n%s", q, keyed)
		}
	}
	// The change feed names deleted actors and removed ties, which cannot
	// be told to be people's: it needs a key.
	const feed = `{ changes(first: 5) { edges { cursor } } }`
	if r := s.send(t, "", feed, nil, nil); r.code() != "UNAUTHENTICATED" || r.status != http.StatusUnauthorized || r.Data != nil {
		t.Errorf("the change feed, anonymous: %d %s", r.status, r.raw)
	}
	if r := s.send(t, testReaderKey, feed, nil, nil); len(r.Errors) > 0 {
		t.Errorf("the change feed with a key: %s", r.raw)
	}
	for _, e := range edges {
		id := dig(e, "node", "id").(string)
		if r := s.send(t, testAdminKey, `mutation($id: ID!) { deleteActor(id: $id) }`, map[string]any{"id": id}, nil); len(r.Errors) > 0 {
			t.Fatalf("deleting %s: %s", id, r.raw)
		}
	}
	for i, q := range hidePeopleQueries {
		if want := answer(testReaderKey, q); anonymous[i] != want {
			t.Errorf("%s\nanonymous, people hidden: %s\nkey, people deleted:      %s", q, anonymous[i], want)
		}
	}
}

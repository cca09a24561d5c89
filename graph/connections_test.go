package graph_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/internal/apitest"
	"github.com/samverkan/samverkan/internal/gen"
	"github.com/samverkan/samverkan/internal/kg"
)

// nestedConnection is one nested connection and its plain list: plain
// selects the other endpoint's id of each item as other { id }.
type nestedConnection struct {
	label kg.Label
	field string // the plain list
	plain string // its selection, the other end aliased as other
	t     kg.RelType
	dir   kg.Direction
}

var nestedConnections = []nestedConnection{
	{kg.LabelActor, "projects", "project", kg.RelParticipatesIn, kg.Outgoing},
	{kg.LabelActor, "competencies", "competency", kg.RelHasCompetency, kg.Outgoing},
	{kg.LabelActor, "needs", "need", kg.RelHasNeed, kg.Outgoing},
	{kg.LabelActor, "memberOf", "organisation", kg.RelMemberOf, kg.Outgoing},
	{kg.LabelActor, "members", "member", kg.RelMemberOf, kg.Incoming},
	{kg.LabelActor, "partnerships", "partner", kg.RelPartnersWith, kg.Both},
	{kg.LabelActor, "partOf", "whole", kg.RelPartOf, kg.Outgoing},
	{kg.LabelActor, "parts", "part", kg.RelPartOf, kg.Incoming},
	{kg.LabelActor, "supplies", "client", kg.RelSupplies, kg.Outgoing},
	{kg.LabelActor, "suppliers", "supplier", kg.RelSupplies, kg.Incoming},
	{kg.LabelProject, "partOf", "whole", kg.RelPartOf, kg.Outgoing},
	{kg.LabelProject, "parts", "part", kg.RelPartOf, kg.Incoming},
	{kg.LabelProject, "participants", "actor", kg.RelParticipatesIn, kg.Incoming},
	{kg.LabelProject, "addresses", "need", kg.RelAddresses, kg.Outgoing},
	{kg.LabelNeed, "owners", "actor", kg.RelHasNeed, kg.Incoming},
	{kg.LabelNeed, "requires", "competency", kg.RelRequires, kg.Outgoing},
	{kg.LabelNeed, "addressedBy", "project", kg.RelAddresses, kg.Incoming},
	{kg.LabelCompetency, "holders", "actor", kg.RelHasCompetency, kg.Incoming},
	{kg.LabelCompetency, "requiredBy", "need", kg.RelRequires, kg.Incoming},
}

// busiest returns the node of label l with the most relationships of type
// t in direction dir in g, and their number.
func busiest(g kg.Graph, l kg.Label, t kg.RelType, dir kg.Direction) (string, int) {
	count := map[string]int{}
	for _, r := range g.Rels {
		if r.Type != t {
			continue
		}
		from, to := t.Endpoints()
		if t == kg.RelPartOf && l == kg.LabelProject {
			from, to = kg.LabelProject, kg.LabelProject
		}
		if dir != kg.Incoming && from == l && (t != kg.RelPartOf || strings.HasPrefix(r.From, idPrefix(g, l))) {
			count[r.From]++
		}
		if dir != kg.Outgoing && to == l && (t != kg.RelPartOf || strings.HasPrefix(r.To, idPrefix(g, l))) {
			count[r.To]++
		}
	}
	best, n := "", -1
	for id, c := range count {
		if c > n || c == n && id < best {
			best, n = id, c
		}
	}
	return best, n
}

// idPrefix is the prefix the generator gives ids of label l.
func idPrefix(g kg.Graph, l kg.Label) string {
	var id string
	switch l {
	case kg.LabelActor:
		id = g.Actors[0].ID
	case kg.LabelProject:
		id = g.Projects[0].ID
	}
	if i := strings.IndexAny(id, "-0123456789"); i > 0 {
		return id[:i]
	}
	return id
}

// Every nested connection pages its plain list exactly: walked three at a
// time it gives the same relationships, ordered by the other end's id,
// each edge's node the other end and its properties the relationship seen
// from this node, with totalCount and pageInfo right on every page.
func TestNestedConnectionsPageThePlainLists(t *testing.T) {
	s, g := generated(t)
	// The generator makes no units of organisations: four of actor 0.
	for i := 1; i <= 4; i++ {
		r, err := s.SetRel(context.Background(), kg.Rel{Type: kg.RelPartOf, From: gen.ActorID(i), To: gen.ActorID(0)})
		if err != nil {
			t.Fatal(err)
		}
		g.Rels = append(g.Rels, r)
	}
	h := handler(t, s, nil)
	for _, c := range nestedConnections {
		t.Run(string(c.label)+"."+c.field, func(t *testing.T) {
			id, n := busiest(g, c.label, c.t, c.dir)
			if n < 1 {
				t.Fatalf("the generated graph has no %s %s", c.label, c.field)
			}
			plainQ := fmt.Sprintf(`query($id: ID!) { node(id: $id) { ... on %s { %s { other: %s { id } } } } }`, c.label, c.field, c.plain)
			r := post(t, h, plainQ, map[string]any{"id": id})
			if len(r.Errors) > 0 {
				t.Fatalf("plain list: %v", r.Errors)
			}
			var want []string
			for _, it := range r.Data["node"].(map[string]any)[c.field].([]any) {
				want = append(want, it.(map[string]any)["other"].(map[string]any)["id"].(string))
			}
			slices.Sort(want)
			if len(want) != n {
				t.Fatalf("the plain list has %d items, the graph %d", len(want), n)
			}
			q := fmt.Sprintf(`query($id: ID!, $after: String) { node(id: $id) { ... on %s {
				c: %sConnection(first: 3, after: $after) { totalCount
					edges { cursor node { __typename ... on Node { id } } properties { other: %s { id } sources } }
					pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } } }`, c.label, c.field, c.plain)
			var got []string
			var after any
			for page := 0; ; page++ {
				r := post(t, h, q, map[string]any{"id": id, "after": after})
				if len(r.Errors) > 0 {
					t.Fatalf("page %d: %v", page, r.Errors)
				}
				conn := r.Data["node"].(map[string]any)["c"].(map[string]any)
				if total := int(conn["totalCount"].(float64)); total != n {
					t.Fatalf("page %d: totalCount %d, want %d", page, total, n)
				}
				edges := conn["edges"].([]any)
				info := conn["pageInfo"].(map[string]any)
				if info["hasPreviousPage"] != (page > 0) {
					t.Fatalf("page %d: hasPreviousPage %v", page, info["hasPreviousPage"])
				}
				for i, e := range edges {
					e := e.(map[string]any)
					node := e["node"].(map[string]any)
					other := e["properties"].(map[string]any)["other"].(map[string]any)["id"]
					if node["id"] != other {
						t.Fatalf("edge node %v, but its relationship's other end is %v", node["id"], other)
					}
					if i == len(edges)-1 && e["cursor"] != info["endCursor"] || i == 0 && e["cursor"] != info["startCursor"] {
						t.Fatalf("page %d: cursors of the edges and pageInfo differ", page)
					}
					got = append(got, node["id"].(string))
				}
				if len(edges) > 3 || len(edges) < 3 && info["hasNextPage"] == true {
					t.Fatalf("page %d: %d edges, hasNextPage %v", page, len(edges), info["hasNextPage"])
				}
				if info["hasNextPage"] != true {
					break
				}
				after = info["endCursor"]
			}
			if !slices.Equal(got, want) {
				t.Fatalf("walked %v\nplain list %v", got, want)
			}
		})
	}
}

// A partnership's edge is seen from the node whose connection it is, in
// whichever direction it was stored; a participation keeps its role.
func TestNestedConnectionEdgesCarryTheRelationship(t *testing.T) {
	h := handler(t, newStore(t), nil)
	mustPost(t, h, `mutation {
		a: upsertActor(input: {id: "a", name: "A", kind: COMPANY, sector: PRIVATE}) { id }
		b: upsertActor(input: {id: "b", name: "B", kind: MUNICIPALITY, sector: PUBLIC}) { id }
		c: upsertActor(input: {id: "c", name: "C", kind: REGION, sector: PUBLIC}) { id }
		p: upsertProject(input: {id: "p", name: "P", status: ACTIVE}) { id }
		x: setPartnership(actorId: "b", partnerId: "a", from: "2019-01-01", description: "pilot") { from }
		y: setPartnership(actorId: "a", partnerId: "c") { from }
		z: setParticipation(actorId: "c", projectId: "p", role: FUNDER, amount: 1000, currency: "SEK") { role } }`, &map[string]any{}, nil)
	var resp struct {
		A struct {
			PartnershipsConnection struct {
				Edges []struct {
					Node       struct{ ID string }
					Properties struct {
						Actor, Partner struct{ ID string }
						From           *string
						Description    *string
					}
				}
			}
		}
		P struct {
			ParticipantsConnection struct {
				TotalCount int
				Edges      []struct {
					Node       struct{ Name string }
					Properties struct {
						Role     string
						Amount   float64
						Currency string
					}
				}
			}
		}
	}
	mustPost(t, h, `{ a: actor(id: "a") { partnershipsConnection { edges { node { id }
			properties { actor { id } partner { id } from description } } } }
		p: project(id: "p") { participantsConnection { totalCount edges { node { name } properties { role amount currency } } } } }`, &resp, nil)
	e := resp.A.PartnershipsConnection.Edges
	if len(e) != 2 || e[0].Node.ID != "b" || e[1].Node.ID != "c" {
		t.Fatalf("a's partners: %+v", e)
	}
	for _, x := range e {
		if x.Properties.Actor.ID != "a" || x.Properties.Partner.ID != x.Node.ID {
			t.Fatalf("partnership not seen from a: %+v", x)
		}
	}
	if e[0].Properties.From == nil || *e[0].Properties.From != "2019-01-01" || *e[0].Properties.Description != "pilot" {
		t.Fatalf("partnership properties lost: %+v", e[0].Properties)
	}
	pc := resp.P.ParticipantsConnection
	if pc.TotalCount != 1 || pc.Edges[0].Node.Name != "C" || pc.Edges[0].Properties.Role != "FUNDER" ||
		pc.Edges[0].Properties.Amount != 1000 || pc.Edges[0].Properties.Currency != "SEK" {
		t.Fatalf("participants: %+v", pc)
	}
}

// first outside 1–100 and a cursor the API did not issue are refused,
// naming the argument.
func TestNestedConnectionArgumentsAreChecked(t *testing.T) {
	h := handler(t, seededStore(t), nil)
	for _, c := range []struct{ args, field string }{
		{`first: 0`, "first"},
		{`first: 101`, "first"},
		{`after: "bogus"`, "after"},
	} {
		r := post(t, h, fmt.Sprintf(`{ actors(first: 1) { edges { node { projectsConnection(%s) { totalCount } } } } }`, c.args), nil)
		if len(r.Errors) == 0 {
			t.Fatalf("%s: no error", c.args)
		}
		if code := r.Errors[0].Extensions["code"]; code != "BAD_USER_INPUT" || !strings.Contains(r.Errors[0].Message, c.field) {
			t.Fatalf("%s: %v", c.args, r.Errors[0])
		}
	}
}

// Nested connections load through the same batches as the plain lists:
// 100 actors with a connection, their nodes and a connection below, and the
// plain list beside them, take one store call per level.
func TestNestedConnectionsAreBatched(t *testing.T) {
	s, _ := generated(t)
	for _, c := range []struct {
		name  string
		query string
		calls int64
	}{
		// list; participations; projects; participants; actors.
		{"two levels of connections", `{ actors(first: 100) { edges { node { name
			projectsConnection(first: 5) { totalCount edges { properties { role } node { name
				participantsConnection(first: 2) { edges { node { name } } } } } } } } } }`, 5 + 1},
		// The plain list and the connection of the same relationships
		// share their load.
		{"plain list beside its connection", `{ actors(first: 100) { edges { node {
			projects { project { id } } projectsConnection(first: 1) { edges { node { name } } } } } } }`, 3 + 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			logs := &apitest.SyncBuffer{}
			h, store := countedHandler(s, neverWait, logs)
			r := post(t, h, c.query, nil)
			if len(r.Errors) > 0 {
				t.Fatalf("errors: %v", r.Errors)
			}
			noSafetyNet(t, logs)
			if got := store.Calls(); got != c.calls {
				t.Fatalf("%d store calls, want %d (one per level)", got, c.calls)
			}
		})
	}
}

// search pages with after: a hit's cursor gives the hits ranked after it,
// so walking two at a time gives the one long answer; a changed cursor or
// one of another search is refused, naming after.
func TestSearchPagesWithAfter(t *testing.T) {
	h := handler(t, seededStore(t), nil)
	type hits struct {
		Search []struct {
			Score  float64
			Cursor string
			Node   struct{ ID string }
		}
	}
	var all hits
	mustPost(t, h, `{ search(text: "kommun", first: 100) { score cursor node { id } } }`, &all, nil)
	if len(all.Search) < 5 {
		t.Fatalf("search found %d hits", len(all.Search))
	}
	var want, got []string
	for _, x := range all.Search {
		want = append(want, x.Node.ID)
	}
	var after any
	for range 50 {
		var page hits
		mustPost(t, h, `query($after: String) { search(text: "kommun", first: 2, after: $after) { score cursor node { id } } }`,
			&page, map[string]any{"after": after})
		for _, x := range page.Search {
			got = append(got, x.Node.ID)
		}
		if len(page.Search) < 2 {
			break
		}
		after = page.Search[len(page.Search)-1].Cursor
	}
	if !slices.Equal(got, want) {
		t.Fatalf("paged %v\nwhole %v", got, want)
	}
	for _, c := range []struct{ query, msg string }{
		{`{ search(text: "kommun", after: "bogus") { score } }`, "after"},
		{fmt.Sprintf(`{ search(text: "region", after: %q) { score } }`, all.Search[0].Cursor), "another search"},
		{fmt.Sprintf(`{ search(text: "kommun", types: [PROJECT], after: %q) { score } }`, all.Search[0].Cursor), "another search"},
	} {
		r := post(t, h, c.query, nil)
		if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "BAD_USER_INPUT" || !strings.Contains(r.Errors[0].Message, c.msg) {
			t.Fatalf("%s: %+v", c.query, r.Errors)
		}
	}
}

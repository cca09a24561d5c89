package graph_test

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

// edgeIDs returns the node ids of a connection in a response.
func edgeIDs(t *testing.T, r response, field string) []string {
	t.Helper()
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %s", r.Raw)
	}
	conn, _ := r.Data[field].(map[string]any)
	var out []string
	edges, _ := conn["edges"].([]any)
	for _, e := range edges {
		out = append(out, e.(map[string]any)["node"].(map[string]any)["id"].(string))
	}
	return out
}

// TestWhereThroughTheAPI checks the where argument against what the nested
// fields of the same graph say: the holders of a competency at level ≥ 4,
// and the participants of the events of 2017.
func TestWhereThroughTheAPI(t *testing.T) {
	h := handler(t, seededStore(t), nil)

	// Holders of tjenestedesign at level ≥ 4, from the competency's holders.
	var want []string
	r := post(t, h, `{ competency(id: "tjenestedesign") { holders { level actor { id } } } }`, nil)
	for _, hc := range r.Data["competency"].(map[string]any)["holders"].([]any) {
		m := hc.(map[string]any)
		if m["level"].(float64) >= 4 {
			want = append(want, m["actor"].(map[string]any)["id"].(string))
		}
	}
	if len(want) == 0 {
		t.Fatalf("the seed has no holder of tjenestedesign at level 4 or more: %s", r.Raw)
	}
	slices.Sort(want)
	r = post(t, h, `query($w: ActorWhere) { actors(where: $w, first: 100, orderBy: {field: ID}) { totalCount edges { node { id } } } }`,
		map[string]any{"w": map[string]any{"competencies": map[string]any{"some": map[string]any{
			"competency": map[string]any{"id": map[string]any{"eq": "tjenestedesign"}}, "level": map[string]any{"gte": 4}}}}})
	if got := edgeIDs(t, r, "actors"); !slices.Equal(got, want) {
		t.Errorf("holders at level ≥ 4 = %v, want %v", got, want)
	}

	// Participants of events that start in 2017, from the projects' participants.
	r = post(t, h, `{ projects(where: {type: {eq: EVENT}, startDate: {gte: "2017-01-01", lte: "2017-12-31"}}, first: 100) {
		edges { node { id participants { actor { id } } } } } }`, nil)
	want = nil
	for _, e := range r.Data["projects"].(map[string]any)["edges"].([]any) {
		for _, p := range e.(map[string]any)["node"].(map[string]any)["participants"].([]any) {
			want = append(want, p.(map[string]any)["actor"].(map[string]any)["id"].(string))
		}
	}
	slices.Sort(want)
	want = slices.Compact(want)
	r = post(t, h, `{ actors(first: 100, orderBy: {field: ID}, where: {projects: {some: {project: {type: {eq: EVENT}, startDate: {gte: "2017-01-01", lte: "2017-12-31"}}}}}) {
		edges { node { id } } } }`, nil)
	if got := edgeIDs(t, r, "actors"); !slices.Equal(got, want) {
		t.Errorf("participants of 2017's events = %v, want %v", got, want)
	}

	// where and filter combine with AND; OR and NOT; pages keep the where.
	r = post(t, h, `{ a: actors(filter: {countries: ["SE"]}, first: 100) { totalCount }
		b: actors(where: {country: {eq: "SE"}, OR: [{kind: {eq: MUNICIPALITY}}, {NOT: {kind: {eq: MUNICIPALITY}}}]}, first: 100) { totalCount }
		c: actors(filter: {countries: ["SE"]}, where: {kind: {eq: MUNICIPALITY}}) { totalCount }
		d: actors(filter: {countries: ["SE"], kinds: [MUNICIPALITY]}) { totalCount } }`, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %s", r.Raw)
	}
	count := func(k string) float64 { return r.Data[k].(map[string]any)["totalCount"].(float64) }
	if len(r.Errors) > 0 || count("a") != count("b") || count("c") != count("d") || count("c") < 2 {
		t.Fatalf("filter and where disagree: %s", r.Raw)
	}
	total := count("d")
	var seen []string
	after := any(nil)
	for range 10 {
		r = post(t, h, `query($after: String) { actors(filter: {countries: ["SE"]}, where: {kind: {eq: MUNICIPALITY}}, first: 2, after: $after) {
			totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }`, map[string]any{"after": after})
		seen = append(seen, edgeIDs(t, r, "actors")...)
		info := r.Data["actors"].(map[string]any)["pageInfo"].(map[string]any)
		if info["hasNextPage"] != true {
			break
		}
		after = info["endCursor"]
	}
	if float64(len(seen)) != total {
		t.Errorf("paging a where saw %v, want %v actors", seen, total)
	}
}

// TestWhereRefusedThroughTheAPI: a bad where is BAD_USER_INPUT naming the
// argument path, and changes nothing.
func TestWhereRefusedThroughTheAPI(t *testing.T) {
	store := seededStore(t)
	h := handler(t, store, nil)
	cases := []struct {
		name, query string
		vars        map[string]any
		field       string
	}{
		{"bad date", `{ projects(where: {startDate: {gte: "2017-13-01"}}) { totalCount } }`, nil, "where.startDate.gte"},
		{"bad date in a relationship filter", `{ actors(where: {projects: {some: {from: {lt: "2017"}}}}) { totalCount } }`, nil, "where.projects.some.from.lt"},
		{"bad time", `{ needs(where: {createdAt: {gt: "yesterday"}}) { totalCount } }`, nil, "where.createdAt.gt"},
		{"no comparison", `{ actors(where: {OR: [{name: {}}]}) { totalCount } }`, nil, "where.OR[0].name"},
		{"no quantifier", `{ competencies(where: {holders: {}}) { totalCount } }`, nil, "where.holders"},
		{"too deep", `{ actors(where: {NOT: {NOT: {NOT: {NOT: {NOT: {NOT: {id: {eq: "x"}}}}}}}}) { totalCount } }`, nil, "where.NOT.NOT.NOT.NOT.NOT.NOT"},
		{"too long an in", `query($w: ActorWhere) { actors(where: $w) { totalCount } }`,
			map[string]any{"w": map[string]any{"id": map[string]any{"in": slices.Repeat([]any{"x"}, kg.MaxWhereIn+1)}}}, "where.id.in"},
		{"too many comparisons", `query($w: NeedWhere) { needs(where: $w) { totalCount } }`,
			map[string]any{"w": map[string]any{"OR": slices.Repeat([]any{map[string]any{"priority": map[string]any{"eq": 1}}}, kg.MaxWhereSize+1)}}, "where.OR[50].priority.eq"},
		{"bad date in a partnership", `{ actors(where: {partnerships: {some: {since: {gte: "2017"}}}}) { totalCount } }`, nil, "where.partnerships.some.since.gte"},
		{"bad date in a project's parts", `{ projects(where: {parts: {none: {to: {lt: "2017-02-30"}}}}) { totalCount } }`, nil, "where.parts.none.to.lt"},
		{"bad date in a membership", `query($w: ActorWhere) { actors(where: $w) { totalCount } }`,
			map[string]any{"w": map[string]any{"members": map[string]any{"all": map[string]any{"from": map[string]any{"eq": "yesterday"}}}}}, "where.members.all.from.eq"},
		{"no quantifier on suppliers", `{ actors(where: {suppliers: {}}) { totalCount } }`, nil, "where.suppliers"},
		{"too deep through a partnership", `{ actors(where: {NOT: {NOT: {NOT: {NOT: {partnerships: {some: {NOT: {partner: {id: {eq: "x"}}}}}}}}}}) { totalCount } }`,
			nil, "where.NOT.NOT.NOT.NOT.partnerships.some.NOT"},
		{"a role on PART_OF", `{ actors(where: {partOf: {some: {role: {eq: "VD"}}}}) { totalCount } }`, nil, ""},
		{"a too long role", `query($w: ActorWhere) { actors(where: $w) { totalCount } }`,
			map[string]any{"w": map[string]any{"memberOf": map[string]any{"some": map[string]any{"role": map[string]any{"contains": strings.Repeat("x", kg.MaxWhereText+1)}}}}}, "where.memberOf.some.role.contains"},
		{"an actor tie filter inside one", `{ actors(where: {supplies: {some: {client: {suppliers: {some: {}}}}}}) { totalCount } }`, nil, ""},
		{"a project end on an actor's partOf", `query($w: ActorWhere) { actors(where: $w) { totalCount } }`,
			map[string]any{"w": map[string]any{"partOf": map[string]any{"some": map[string]any{"whole": map[string]any{"type": map[string]any{"eq": "EVENT"}}}}}}, ""},
		{"unknown enum value", `{ actors(where: {kind: {eq: TOWN}}) { totalCount } }`, nil, ""},
		{"a relationship filter inside one", `{ actors(where: {projects: {some: {project: {participants: {some: {}}}}}}) { totalCount } }`, nil, ""},
		{"a field of another label", `{ actors(where: {priority: {eq: 3}}) { totalCount } }`, nil, ""},
	}
	ctx := context.Background()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before, _ := store.Version(ctx)
			r := post(t, h, c.query, c.vars)
			if len(r.Errors) == 0 {
				t.Fatalf("no error: %s", r.Raw)
			}
			e := r.Errors[0]
			if e.Extensions["code"] != "BAD_USER_INPUT" {
				t.Errorf("code = %v, want BAD_USER_INPUT (%s)", e.Extensions["code"], e.Message)
			}
			if c.field != "" && (e.Extensions["field"] != c.field || !strings.Contains(e.Message, c.field)) {
				t.Errorf("error %q (field %v) does not name %s", e.Message, e.Extensions["field"], c.field)
			}
			if after, _ := store.Version(ctx); after != before {
				t.Errorf("refused request changed the store")
			}
		})
	}
}

// TestActorTieWhereThroughTheAPI checks each relationship filter over the
// actor ties (and PART_OF between projects) against the nested field of
// the same name on the seed graph: the nodes whose ties reach the most
// common far endpoint, the listed node as the near endpoint, a start date
// (given to one tie by its set… mutation), and none as the complement of
// some.
func TestActorTieWhereThroughTheAPI(t *testing.T) {
	h := handler(t, seededStore(t), nil)
	for _, c := range []struct {
		list, typ, field, near, far string
		set, nearArg, farArg        string // the mutation that sets a tie, and its id arguments
	}{
		{"actors", "Actor", "memberOf", "member", "organisation", "setMembership", "memberId", "organisationId"},
		{"actors", "Actor", "members", "organisation", "member", "setMembership", "organisationId", "memberId"},
		{"actors", "Actor", "partnerships", "actor", "partner", "setPartnership", "actorId", "partnerId"},
		{"actors", "Actor", "partOf", "part", "whole", "setPartOf", "partId", "wholeId"},
		{"actors", "Actor", "parts", "whole", "part", "setPartOf", "wholeId", "partId"},
		{"actors", "Actor", "supplies", "supplier", "client", "setSupply", "supplierId", "clientId"},
		{"actors", "Actor", "suppliers", "client", "supplier", "setSupply", "clientId", "supplierId"},
		{"projects", "Project", "partOf", "part", "whole", "setPartOf", "partId", "wholeId"},
		{"projects", "Project", "parts", "whole", "part", "setPartOf", "wholeId", "partId"},
	} {
		t.Run(c.list+"."+c.field, func(t *testing.T) {
			// Every node with its ties, from the nested field.
			type tie struct{ far, from string }
			var ties map[string][]tie
			var all []string
			collect := func() {
				ties, all = map[string][]tie{}, nil
				after := any(nil)
				for range 50 {
					r := post(t, h, `query($after: String) { `+c.list+`(first: 100, after: $after, orderBy: {field: ID}) {
					edges { node { id `+c.field+` { `+c.near+` { id } `+c.far+` { id } from } } } pageInfo { hasNextPage endCursor } } }`,
						map[string]any{"after": after})
					if len(r.Errors) > 0 {
						t.Fatalf("errors: %s", r.Raw)
					}
					conn := r.Data[c.list].(map[string]any)
					for _, e := range conn["edges"].([]any) {
						n := e.(map[string]any)["node"].(map[string]any)
						id := n["id"].(string)
						all = append(all, id)
						for _, x := range n[c.field].([]any) {
							m := x.(map[string]any)
							if near := m[c.near].(map[string]any)["id"]; near != id {
								t.Fatalf("%s of %s has %s %v, want the node itself", c.field, id, c.near, near)
							}
							from, _ := m["from"].(string)
							ties[id] = append(ties[id], tie{m[c.far].(map[string]any)["id"].(string), from})
						}
					}
					info := conn["pageInfo"].(map[string]any)
					if info["hasNextPage"] != true {
						break
					}
					after = info["endCursor"]
				}
			}
			collect()
			if len(ties) == 0 {
				t.Fatalf("the seed has no %s.%s", c.list, c.field)
			}
			// One tie starts on a date no other has.
			near := slices.Min(slices.Collect(maps.Keys(ties)))
			r := post(t, h, `mutation($a: ID!, $b: ID!) { `+c.set+`(`+c.nearArg+`: $a, `+c.farArg+`: $b, from: "2031-02-03") { from } }`,
				map[string]any{"a": near, "b": ties[near][0].far})
			if len(r.Errors) > 0 {
				t.Fatalf("dating a tie: %s", r.Raw)
			}
			collect()
			count := map[string]int{}
			latest, anyNear := "", ""
			for id, ts := range ties {
				anyNear = max(anyNear, id)
				for _, x := range ts {
					count[x.far]++
					latest = max(latest, x.from)
				}
			}
			common := ""
			for far, n := range count {
				if n > count[common] || (n == count[common] && far < common) {
					common = far
				}
			}
			having := func(pass func(tie) bool) []string {
				var out []string
				for _, id := range all {
					if slices.ContainsFunc(ties[id], pass) {
						out = append(out, id)
					}
				}
				return out
			}
			where := func(w map[string]any) []string {
				r := post(t, h, `query($w: `+c.typ+`Where) { `+c.list+`(where: $w, first: 100, orderBy: {field: ID}) { totalCount edges { node { id } } } }`,
					map[string]any{"w": w})
				got := edgeIDs(t, r, c.list)
				if n := r.Data[c.list].(map[string]any)["totalCount"].(float64); int(n) != len(got) && len(got) < 100 {
					t.Errorf("totalCount %v for %d nodes", n, len(got))
				}
				return got
			}
			rel := func(q string, sub map[string]any) map[string]any {
				return map[string]any{c.field: map[string]any{q: sub}}
			}
			id := func(v string) map[string]any { return map[string]any{"id": map[string]any{"eq": v}} }

			if got, want := where(rel("some", map[string]any{c.far: id(common)})), having(func(x tie) bool { return x.far == common }); !slices.Equal(got, want) {
				t.Errorf("some %s %s: %v, want %v", c.far, common, got, want)
			}
			if got := where(rel("some", map[string]any{c.near: id(anyNear)})); !slices.Equal(got, []string{anyNear}) {
				t.Errorf("some %s %s: %v, want only it", c.near, anyNear, got)
			}
			some := having(func(tie) bool { return true })
			if got := where(rel("some", map[string]any{})); !slices.Equal(got, some) && len(some) < 100 {
				t.Errorf("some: %v, want %v", got, some)
			}
			if got := where(rel("none", map[string]any{})); len(got)+len(some) != len(all) && len(all) < 100 || slices.ContainsFunc(got, func(id string) bool { return len(ties[id]) > 0 }) {
				t.Errorf("none: %v, with ties %v", got, some)
			}
			if latest != "2031-02-03" {
				t.Errorf("the dated tie reads from %q", latest)
			} else {
				from := map[string]any{"from": map[string]any{"gte": latest}}
				if got, want := where(rel("some", from)), having(func(x tie) bool { return x.from >= latest }); !slices.Equal(got, want) {
					t.Errorf("some from ≥ %s: %v, want %v", latest, got, want)
				}
			}
		})
	}
}

package graph_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// External ids through the API: given on upsertActor and importGraph, read
// on Actor.externalIds, found by actorByExternalId; refusals carry their
// extensions.code and name the argument, and change nothing.
func TestExternalIDs(t *testing.T) {
	store := seededStore(t)
	h := handler(t, store, nil)
	ok := func(query string) map[string]any {
		t.Helper()
		r := post(t, h, query, nil)
		if len(r.Errors) > 0 {
			t.Fatalf("%s: %s", query, r.Raw)
		}
		return r.Data
	}
	got := ok(`mutation { upsertActor(input: {id: "compare", name: "Compare", kind: CLUSTER, sector: PRIVATE,
		externalIds: [{scheme: " SE-ORGNR ", value: " 556123-4567 "}, {scheme: "gln", value: "7350000000001"}]}) { externalIds { scheme value } } }`)
	if s := fmt.Sprint(got["upsertActor"]); s != "map[externalIds:[map[scheme:se-orgnr value:556123-4567] map[scheme:gln value:7350000000001]]]" {
		t.Errorf("upsertActor returned %s", s)
	}
	find := func(scheme, value string) string {
		t.Helper()
		d := ok(fmt.Sprintf(`{ actorByExternalId(scheme: %q, value: %q) { id name } }`, scheme, value))
		return fmt.Sprint(d["actorByExternalId"])
	}
	if s := find("se-orgnr", "556123-4567"); s != "map[id:compare name:Compare]" {
		t.Errorf("actorByExternalId = %s", s)
	}
	if s := find("Se-Orgnr", "556123-4567 "); s != "map[id:compare name:Compare]" {
		t.Errorf("actorByExternalId, not normalized = %s", s)
	}
	if s := find("se-orgnr", "5561234567"); s != "<nil>" {
		t.Errorf("actorByExternalId of an unknown value = %s, want null", s)
	}
	ok(`mutation { importGraph(input: {actors: [{id: "ext-new", name: "New", kind: COMPANY, sector: PRIVATE, externalIds: [{scheme: "no-orgnr", value: "974760673"}]}]}) { nodesCreated } }`)
	if s := find("no-orgnr", "974760673"); s != "map[id:ext-new name:New]" {
		t.Errorf("after importGraph actorByExternalId = %s", s)
	}

	many := make([]string, 17)
	for i := range many {
		many[i] = fmt.Sprintf(`{scheme: "gln", value: "%d"}`, i)
	}
	upsertB := func(ids string) string {
		return `mutation { upsertActor(input: {id: "ext-b", name: "B", kind: COMPANY, sector: PRIVATE, externalIds: [` + ids + `]}) { id } }`
	}
	for _, c := range []struct {
		name, query, code, field string
	}{
		{"taken by another actor", upsertB(`{scheme: "gln", value: "1"}, {scheme: "se-orgnr", value: "556123-4567"}`), "CONFLICT", "input.externalIds[1]"},
		{"taken, in an import", `mutation { importGraph(input: {actors: [{id: "ext-b", name: "B", kind: COMPANY, sector: PRIVATE, externalIds: [{scheme: "gln", value: "7350000000001"}]}]}) { nodesCreated } }`, "CONFLICT", "input.actors[0].externalIds[0]"},
		{"bad scheme", upsertB(`{scheme: "se orgnr", value: "1"}`), "BAD_USER_INPUT", "input.externalIds[0].scheme"},
		{"empty value", upsertB(`{scheme: "gln", value: "1"}, {scheme: "gln", value: " "}`), "BAD_USER_INPUT", "input.externalIds[1].value"},
		{"value over 64 characters", upsertB(`{scheme: "gln", value: "` + strings.Repeat("9", 65) + `"}`), "BAD_USER_INPUT", "input.externalIds[0].value"},
		{"given twice", upsertB(`{scheme: "gln", value: "1"}, {scheme: "GLN", value: "1"}`), "BAD_USER_INPUT", "input.externalIds[1]"},
		{"more than 16", upsertB(strings.Join(many, ", ")), "BAD_USER_INPUT", "input.externalIds"},
		{"lookup with a bad scheme", `{ actorByExternalId(scheme: "se_orgnr", value: "1") { id } }`, "BAD_USER_INPUT", "scheme"},
		{"lookup with an empty value", `{ actorByExternalId(scheme: "gln", value: "") { id } }`, "BAD_USER_INPUT", "value"},
		{"lookup with a value over 64 characters", `{ actorByExternalId(scheme: "gln", value: "` + strings.Repeat("9", 65) + `") { id } }`, "BAD_USER_INPUT", "value"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before, _ := store.Version(context.Background())
			r := post(t, h, c.query, nil)
			if len(r.Errors) != 1 {
				t.Fatalf("want one error: %s", r.Raw)
			}
			e := r.Errors[0]
			if e.Extensions["code"] != c.code || e.Extensions["field"] != c.field || !strings.Contains(e.Message, c.field) {
				t.Errorf("error %q %v, want code %s naming %s", e.Message, e.Extensions, c.code, c.field)
			}
			if after, _ := store.Version(context.Background()); after != before {
				t.Errorf("a refused request moved the version %d → %d", before, after)
			}
		})
	}
	if s := find("gln", "7350000000001"); s != "map[id:compare name:Compare]" {
		t.Errorf("after the refusals actorByExternalId = %s", s)
	}
	if d := ok(`{ actor(id: "ext-b") { id } }`); d["actor"] != nil {
		t.Errorf("a refused upsert created ext-b: %v", d)
	}
	// Deleting the actor frees its ids.
	ok(`mutation { deleteActor(id: "compare") }`)
	if s := find("gln", "7350000000001"); s != "<nil>" {
		t.Errorf("after deleteActor actorByExternalId = %s", s)
	}
	ok(upsertB(`{scheme: "gln", value: "7350000000001"}`))
	if s := find("gln", "7350000000001"); s != "map[id:ext-b name:B]" {
		t.Errorf("a freed id given to another actor: %s", s)
	}
}

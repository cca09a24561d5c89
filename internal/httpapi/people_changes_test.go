package httpapi

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

// With HIDE_PEOPLE_FROM_ANONYMOUS=true the change feed shows a caller
// without a key nothing about a PERSON actor or a tie of one; a key holder
// sees every change.
func TestHidePeopleFromTheChangeFeed(t *testing.T) {
	parallel(t)
	s := start(t, keyedEnv(t, map[string]string{"HIDE_PEOPLE_FROM_ANONYMOUS": "true"}), "-data-dir", t.TempDir())
	write := func(q string) uint64 {
		t.Helper()
		r := s.send(t, testAdminKey, q, nil, nil)
		var ext struct{ Extensions struct{ GraphVersion uint64 } }
		if len(r.Errors) > 0 || json.Unmarshal([]byte(r.raw), &ext) != nil {
			t.Fatalf("%s: %s", q, r.raw)
		}
		return ext.Extensions.GraphVersion
	}
	v := write(`mutation { upsertActor(input: {id: "feed-org", name: "Org", kind: COMPANY, sector: PRIVATE}) { id } }`)
	write(`mutation { upsertActor(input: {id: "feed-person", name: "Anna Person", kind: PERSON, sector: PRIVATE}) { id } }`)
	write(`mutation { setMembership(memberId: "feed-person", organisationId: "feed-org") { role } }`)
	write(`mutation { upsertActor(input: {id: "feed-org", name: "Org 2", kind: COMPANY, sector: PRIVATE}) { id } }`)
	cursor := kg.ChangeCursor{Version: v}.Encode()
	feed := func(key string) string {
		r := s.send(t, key, `query($c: String) { changes(after: $c) { edges { node { kind id from to } } } }`, map[string]any{"c": cursor}, nil)
		if len(r.Errors) > 0 {
			t.Fatalf("changes: %s", r.raw)
		}
		var out []string
		for _, e := range dig(r.Data, "changes", "edges").([]any) {
			n := e.(map[string]any)["node"].(map[string]any)
			out = append(out, fmt.Sprint(n["kind"], " ", n["id"], " ", n["from"], " ", n["to"]))
		}
		return fmt.Sprint(out)
	}
	if got := feed(""); got != "[NODE_UPSERTED feed-org <nil> <nil>]" {
		t.Errorf("an anonymous caller's feed: %s", got)
	}
	if got := feed(testReaderKey); got != "[NODE_UPSERTED feed-person <nil> <nil> RELATIONSHIP_SET <nil> feed-person feed-org NODE_UPSERTED feed-org <nil> <nil>]" {
		t.Errorf("a reader's feed: %s", got)
	}
}

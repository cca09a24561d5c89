package graph_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
	"github.com/samverkan/samverkan/internal/store/embedded"
)

const changesPage = `query($after: String, $first: Int) { changes(after: $after, first: $first) {
  edges { cursor node { version at kind id label type from to } }
  pageInfo { hasNextPage endCursor } graphVersion } }`

type changesAnswer struct {
	Changes struct {
		Edges []struct {
			Cursor string
			Node   struct {
				Version               int
				At                    *string
				Kind, ID, Label, Type string
				From, To              string
			}
		}
		PageInfo struct {
			HasNextPage bool
			EndCursor   *string
		}
		GraphVersion int
	}
}

// TestChangeFeed: a partner that reads changes page by page, keeping the
// end cursor, sees every write in version order, deletions included, and
// nothing twice; when it is up to date the page is empty and the cursor
// stays where it was.
func TestChangeFeed(t *testing.T) {
	s := newStore(t)
	h := handler(t, s, nil)
	mustPost(t, h, `mutation { upsertActor(input: {id: "feed-a", name: "A", kind: MUNICIPALITY, sector: PUBLIC}) { id } }`, &map[string]any{}, nil)
	// Without a cursor the feed starts at the oldest record kept.
	var oldest changesAnswer
	mustPost(t, h, changesPage, &oldest, map[string]any{"first": 1})
	if len(oldest.Changes.Edges) != 1 || oldest.Changes.PageInfo.EndCursor == nil {
		t.Fatalf("the feed's first page: %+v", oldest.Changes)
	}
	// Where the partner starts: just after the actor's write (a cursor as
	// the API issues them; on a shared Neo4j the log holds older tests' writes).
	v, err := s.Version(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	cursor := kg.ChangeCursor{Version: v, Seq: 0}.Encode()
	v0 := int(v)
	for _, m := range []string{
		`mutation { upsertProject(input: {id: "feed-p", name: "P", status: ACTIVE}) { id } }`,
		`mutation { setParticipation(actorId: "feed-a", projectId: "feed-p", role: LEAD) { role } }`,
		`mutation { removeParticipation(actorId: "feed-a", projectId: "feed-p") }`,
		`mutation { deleteProject(id: "feed-p") }`,
	} {
		mustPost(t, h, m, &map[string]any{}, nil)
	}
	var got []string
	for pages := 0; ; pages++ {
		var a changesAnswer
		mustPost(t, h, changesPage, &a, map[string]any{"first": 1, "after": cursor})
		c := a.Changes
		if pages > 6 || len(c.Edges) > 1 {
			t.Fatalf("page %d: %d edges", pages, len(c.Edges))
		}
		for _, e := range c.Edges {
			n := e.Node
			if n.At == nil {
				t.Errorf("entry of version %d has no time", n.Version)
			}
			got = append(got, fmt.Sprintf("+%d %s %s%s %s%s%s", n.Version-v0, n.Kind, n.Label, n.ID, n.Type, n.From, arrow(n.To)))
			if e.Cursor != *c.PageInfo.EndCursor {
				t.Errorf("the page's endCursor is not its last edge's cursor")
			}
		}
		cursor = *c.PageInfo.EndCursor
		if !c.PageInfo.HasNextPage {
			if len(c.Edges) != 0 {
				continue
			}
			if c.GraphVersion != v0+4 {
				t.Errorf("graphVersion %d, want %d", c.GraphVersion, v0+4)
			}
			break
		}
	}
	want := "+1 NODE_UPSERTED PROJECTfeed-p |+2 RELATIONSHIP_SET  PARTICIPATES_INfeed-a→feed-p|" +
		"+3 RELATIONSHIP_REMOVED  PARTICIPATES_INfeed-a→feed-p|+4 NODE_DELETED PROJECTfeed-p "
	if strings.Join(got, "|") != want {
		t.Errorf("the feed:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.ReplaceAll(want, "|", "\n"))
	}
}

func arrow(to string) string {
	if to == "" {
		return ""
	}
	return "→" + to
}

// TestChangeFeedRefusals: bad arguments and cursors the store cannot serve
// are BAD_USER_INPUT naming the argument; an expired cursor says so with
// extensions.reason CHANGES_EXPIRED.
func TestChangeFeedRefusals(t *testing.T) {
	h := handler(t, newStore(t), nil)
	beyond := kg.ChangeCursor{Version: 1 << 40}.Encode()
	for _, tc := range []struct {
		name, after string
		first       int
		field       string
		reason      string
	}{
		{"first 0", "", 0, "first", ""},
		{"first 101", "", 101, "first", ""},
		{"not a cursor", "bm90LWEtY3Vyc29y", 10, "after", ""},
		{"a list cursor", kg.Cursor{Field: kg.OrderByID, Key: "x", ID: "x"}.Encode(), 10, "after", ""},
		{"beyond the graph", beyond, 10, "after", kg.ReasonChangesExpired},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vars := map[string]any{"first": tc.first}
			if tc.after != "" {
				vars["after"] = tc.after
			}
			r := post(t, h, changesPage, vars)
			if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != tc.field {
				t.Fatalf("got %s, want BAD_USER_INPUT on %s", r.Raw, tc.field)
			}
			if tc.reason != "" && r.Errors[0].Extensions["reason"] != tc.reason {
				t.Errorf("reason %v, want %s", r.Errors[0].Extensions["reason"], tc.reason)
			}
		})
	}

	// Older than the retention (CHANGE_RETENTION): expired, and the
	// message says what to do.
	s, err := embedded.Open(t.TempDir(), embedded.WithChangeRetention(2))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	h = handler(t, s, nil)
	mustPost(t, h, `mutation { upsertActor(input: {id: "x", name: "X", kind: MUNICIPALITY, sector: PUBLIC}) { id } }`, &map[string]any{}, nil)
	var a changesAnswer
	mustPost(t, h, changesPage, &a, nil)
	old := *a.Changes.PageInfo.EndCursor
	for i := range 3 {
		mustPost(t, h, fmt.Sprintf(`mutation { upsertActor(input: {id: "x", name: "X%d", kind: MUNICIPALITY, sector: PUBLIC}) { id } }`, i), &map[string]any{}, nil)
	}
	r := post(t, h, changesPage, map[string]any{"after": old})
	if len(r.Errors) != 1 || r.Errors[0].Extensions["reason"] != kg.ReasonChangesExpired || !strings.Contains(r.Errors[0].Message, "start again without after") {
		t.Errorf("a cursor older than the retention: %s", r.Raw)
	}
}

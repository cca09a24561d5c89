package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/samverkan/samverkan/graph"
	"github.com/samverkan/samverkan/internal/apitest"
	"github.com/samverkan/samverkan/internal/kg"
)

// liveServer serves the handler over store on loopback, websockets on.
func liveServer(t *testing.T, store kg.Store, feed *kg.Feed) string {
	t.Helper()
	h := newHandler(store, graph.Options{Feed: feed,
		Websocket: &graph.WebsocketOptions{CheckOrigin: func(*http.Request) bool { return true }}})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// write posts a mutation to base and fails on any error.
func write(t *testing.T, base, mutation string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": mutation})
	resp, err := http.Post(base+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ Errors []any }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.Errors != nil {
		t.Fatalf("%s: %v %v", mutation, err, out.Errors)
	}
}

// nextChange reads next messages of an operation until one is not about
// the priming project, and returns it as apitest.ChangeOf says.
func nextChange(t *testing.T, next func() apitest.Message) string {
	t.Helper()
	for {
		m := next()
		if m.Type != "next" {
			return m.Type + " " + string(m.Payload)
		}
		if c := apitest.ChangeOf(m.Payload); !strings.HasSuffix(c, " prime") {
			return c
		}
	}
}

// prime writes the project "prime" until every subscriber has seen it, so
// that the test knows they are subscribed (the protocol has no
// acknowledgement of a subscribe).
func prime(t *testing.T, base string, subs ...func() apitest.Message) {
	t.Helper()
	for _, next := range subs {
		got := make(chan struct{})
		go func() {
			for {
				if m := next(); m.Type == "next" && strings.HasSuffix(apitest.ChangeOf(m.Payload), " prime") {
					close(got)
					return
				}
			}
		}()
		for i := 0; ; i++ {
			write(t, base, fmt.Sprintf(`mutation { upsertProject(input: {id: "prime", name: "Prime %d", status: ACTIVE}) { id } }`, i))
			select {
			case <-got:
			case <-time.After(500 * time.Millisecond):
				continue
			}
			break
		}
	}
}

const changeFields = `{ kind id type from to }`

// TestGraphChangedOverWebsocket: subscribers over graphql-transport-ws get
// every change written after they subscribed that their types and ids
// select, in version order, deletions included.
func TestGraphChangedOverWebsocket(t *testing.T) {
	base := liveServer(t, newStore(t), nil)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	ws := apitest.DialWS(ctx, t, base, nil)
	ws.Subscribe("projects", `subscription { graphChanged(types: [PROJECT]) `+changeFields+` }`)
	ws.Subscribe("actor", `subscription { graphChanged(ids: ["ws-a", "prime"]) `+changeFields+` }`)
	// One reader splits the connection's messages by operation.
	byID := map[string]chan apitest.Message{"projects": make(chan apitest.Message, 100), "actor": make(chan apitest.Message, 100)}
	go func() {
		for {
			m, err := ws.TryNext()
			if err != nil {
				return
			}
			if c := byID[m.ID]; c != nil {
				c <- m
			}
		}
	}()
	reader := func(id string) func() apitest.Message { return func() apitest.Message { return <-byID[id] } }
	prime(t, base, reader("projects"), reader("actor"))

	for _, m := range []string{
		`mutation { upsertActor(input: {id: "ws-a", name: "A", kind: MUNICIPALITY, sector: PUBLIC}) { id } }`,
		`mutation { upsertProject(input: {id: "ws-p", name: "P", status: ACTIVE}) { id } }`,
		`mutation { setParticipation(actorId: "ws-a", projectId: "ws-p", role: LEAD) { role } }`,
		`mutation { deleteProject(id: "ws-p") }`,
		`mutation { deleteActor(id: "ws-a") }`,
	} {
		write(t, base, m)
	}
	for id, want := range map[string][]string{
		"projects": {"NODE_UPSERTED ws-p", "RELATIONSHIP_SET PARTICIPATES_IN ws-a→ws-p", "NODE_DELETED ws-p"},
		"actor":    {"NODE_UPSERTED ws-a", "RELATIONSHIP_SET PARTICIPATES_IN ws-a→ws-p", "NODE_DELETED ws-a"},
	} {
		for i, w := range want {
			if got := nextChange(t, reader(id)); got != w {
				t.Errorf("%s: change %d is %q, want %q", id, i, got, w)
			}
		}
	}
}

// TestGraphChangedOverSSE: the same subscription over server-sent events.
func TestGraphChangedOverSSE(t *testing.T) {
	base := liveServer(t, newStore(t), nil)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	sse := apitest.DialSSE(ctx, t, base, `subscription { graphChanged(types: [PROJECT, ACTOR]) `+changeFields+` }`)
	prime(t, base, sse.Next)
	write(t, base, `mutation { upsertActor(input: {id: "sse-a", name: "A", kind: MUNICIPALITY, sector: PUBLIC}) { id } }`)
	write(t, base, `mutation { upsertCompetency(input: {id: "sse-c", name: "C", category: DESIGN}) { id } }`)
	write(t, base, `mutation { deleteActor(id: "sse-a") }`)
	for i, w := range []string{"NODE_UPSERTED sse-a", "NODE_DELETED sse-a"} {
		if got := nextChange(t, sse.Next); got != w {
			t.Errorf("change %d is %q, want %q (a competency is neither a project nor an actor)", i, got, w)
		}
	}
}

// TestGraphChangedLimits: a subscriber that falls behind is ended with
// SUBSCRIBER_TOO_SLOW, then completed; a connection takes 20 subscriptions
// and a process its Max; too many ids is BAD_USER_INPUT.
func TestGraphChangedLimits(t *testing.T) {
	store := newStore(t)
	base := liveServer(t, store, kg.NewFeed(store, kg.FeedOptions{Buffer: 2, Poll: 20 * time.Millisecond}))
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	ws := apitest.DialWS(ctx, t, base, nil)
	ws.Subscribe("slow", `subscription { graphChanged `+changeFields+` }`)
	prime(t, base, ws.Next)
	// One import of 300 nodes: 300 entries at once, more than the buffer
	// of 2 while the client reads nothing.
	var nodes []string
	for i := range 300 {
		nodes = append(nodes, fmt.Sprintf(`{id: "bulk-%03d", name: "Bulk %d", category: DESIGN}`, i, i))
	}
	write(t, base, `mutation { importGraph(input: {competencies: [`+strings.Join(nodes, ",")+`]}) { nodesCreated } }`)
	var last apitest.Message
	for n := 0; ; n++ {
		m := ws.Next()
		if m.Type != "next" || n > 400 {
			if m.Type != "complete" || m.ID != "slow" {
				t.Fatalf("after %d changes: %+v, want the error then complete", n, m)
			}
			break
		}
		last = m
	}
	if got := apitest.ChangeOf(last.Payload); got != "error: TIMEOUT SUBSCRIBER_TOO_SLOW" {
		t.Errorf("the slow subscriber's last message: %s", got)
	}

	// A subscription refused when it starts is one next with the error,
	// then complete (as graphql-ws delivers an execution error).
	refused := func(ws *apitest.WS, id, code, reason string) {
		t.Helper()
		m := ws.Next()
		if id == "" { // any of the connection's: they start side by side
			id = m.ID
		}
		if m.ID != id || m.Type != "next" || !strings.Contains(string(m.Payload), `"`+code+`"`) || !strings.Contains(string(m.Payload), reason) {
			t.Errorf("%s: %s %s, want an error %s %s", id, m.Type, m.Payload, code, reason)
		}
		if m := ws.Next(); m.ID != id || m.Type != "complete" {
			t.Errorf("%s: then %s, want complete", id, m.Type)
		}
	}
	full := apitest.DialWS(ctx, t, base, nil)
	for i := range 20 {
		full.Subscribe(fmt.Sprint("s", i), `subscription { graphChanged `+changeFields+` }`)
	}
	full.Subscribe("s20", `subscription { graphChanged `+changeFields+` }`)
	refused(full, "", "BAD_USER_INPUT", "TOO_MANY_SUBSCRIPTIONS")

	ids := make([]string, 101)
	for i := range ids {
		ids[i] = fmt.Sprintf("%q", fmt.Sprint("id", i))
	}
	other := apitest.DialWS(ctx, t, base, nil)
	other.Subscribe("ids", `subscription { graphChanged(ids: [`+strings.Join(ids, ",")+`]) `+changeFields+` }`)
	refused(other, "ids", "BAD_USER_INPUT", "ids")

	// A process at its limit (Max 1 here, 1,000 by default).
	store = newStore(t)
	base = liveServer(t, store, kg.NewFeed(store, kg.FeedOptions{Max: 1, Poll: 20 * time.Millisecond}))
	one := apitest.DialWS(ctx, t, base, nil)
	one.Subscribe("one", `subscription { graphChanged `+changeFields+` }`)
	prime(t, base, one.Next)
	two := apitest.DialWS(ctx, t, base, nil)
	two.Subscribe("two", `subscription { graphChanged `+changeFields+` }`)
	refused(two, "two", "UNAVAILABLE", "TOO_MANY_SUBSCRIPTIONS")
}

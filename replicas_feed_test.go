package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/samverkan/samverkan/internal/apitest"
	"github.com/samverkan/samverkan/internal/kg"
)

// Two API processes on one Neo4j: a write through A reaches a subscriber
// of B over graphql-ws and over server-sent events, and B's change feed
// lists it, because both come from the change records in the database.
func TestReplicasSubscribersSeeEachOthersWrites(t *testing.T) {
	a, b := startReplicas(t)
	post := func(s *crashServer, query string) map[string]any {
		t.Helper()
		var out map[string]any
		replicaPost(t, s, query, nil, &out)
		if out["errors"] != nil {
			t.Fatalf("%s: %v", query, out)
		}
		return out
	}

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	const fields = `{ kind id type from to }`
	ws := apitest.DialWS(ctx, t, b.base, nil)
	ws.Subscribe("b", `subscription { graphChanged(ids: ["replica-feed", "replica-prime"]) `+fields+` }`)
	sse := apitest.DialSSE(ctx, t, b.base, `subscription { graphChanged(ids: ["replica-feed", "replica-prime"]) `+fields+` }`)
	// Write through A until both of B's subscribers have seen a write:
	// then they are subscribed.
	var primed uint64 // the graph version of the last priming write
	for _, next := range []func() apitest.Message{ws.Next, sse.Next} {
		got := make(chan struct{})
		go func() {
			for {
				if m := next(); m.Type == "next" && strings.HasSuffix(apitest.ChangeOf(m.Payload), "replica-prime") {
					close(got)
					return
				}
			}
		}()
		for i := 0; ; i++ {
			w := post(a, fmt.Sprintf(`mutation { upsertActor(input: {id: "replica-prime", name: "Prime %d", kind: COMPANY, sector: PRIVATE}) { id } }`, i))
			primed = uint64(w["extensions"].(map[string]any)["graphVersion"].(float64))
			select {
			case <-got:
			case <-time.After(time.Second):
				continue
			}
			break
		}
	}
	post(a, `mutation { upsertActor(input: {id: "replica-feed", name: "Flöde AB", kind: COMPANY, sector: PRIVATE}) { id } }`)
	post(a, `mutation { deleteActor(id: "replica-feed") }`)
	for name, next := range map[string]func() apitest.Message{"websocket": ws.Next, "SSE": sse.Next} {
		var got []string
		for len(got) < 2 {
			m := next()
			if m.Type != "next" {
				t.Fatalf("%s: %s %s", name, m.Type, m.Payload)
			}
			if c := apitest.ChangeOf(m.Payload); !strings.HasSuffix(c, "replica-prime") {
				got = append(got, c)
			}
		}
		if strings.Join(got, ", ") != "NODE_UPSERTED replica-feed, NODE_DELETED replica-feed" {
			t.Errorf("B's %s subscriber saw %v of A's writes", name, got)
		}
	}
	// B's change feed lists A's writes too (after a cursor at the last
	// priming write, as B would have issued it).
	cursor := kg.ChangeCursor{Version: primed}.Encode()
	out := post(b, `{ changes(after: "`+cursor+`") { edges { node { kind id } } } }`)
	if feed := fmt.Sprint(out["data"]); feed != "map[changes:map[edges:[map[node:map[id:replica-feed kind:NODE_UPSERTED]] map[node:map[id:replica-feed kind:NODE_DELETED]]]]]" {
		t.Errorf("B's changes after A's last priming write: %s", feed)
	}
}

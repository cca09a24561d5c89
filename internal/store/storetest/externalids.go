package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

// External ids on actors (kg.ExternalID): stored normalized, found by
// ActorByExternalID, replaced with the actor, each held by at most one
// actor (a write that would give one to a second actor is ErrConflict and
// changes nothing, also when writers race), freed when the actor goes.

func xid(scheme, value string) kg.ExternalID { return kg.ExternalID{Scheme: scheme, Value: value} }

func withXIDs(xs ...kg.ExternalID) func(*kg.Actor) {
	return func(a *kg.Actor) { a.ExternalIDs = xs }
}

// owner is the id of the actor ActorByExternalID finds for x, "" for none.
func owner(t *testing.T, s kg.Store, x kg.ExternalID) string {
	t.Helper()
	a, err := s.ActorByExternalID(t.Context(), x)
	if err != nil {
		t.Fatalf("ActorByExternalID(%v): %v", x, err)
	}
	if a == nil {
		return ""
	}
	return a.ID
}

func wantOwner(t *testing.T, s kg.Store, x kg.ExternalID, want string) {
	t.Helper()
	if got := owner(t, s, x); got != want {
		t.Errorf("ActorByExternalID(%s %q) = %q, want %q", x.Scheme, x.Value, got, want)
	}
}

func testExternalIDs(t *testing.T, newStore func(*testing.T) kg.Store) {
	orgnr, gln := xid("se-orgnr", "222000-0315"), xid("gln", "7350000000001")

	t.Run("StoredNormalizedAndFound", func(t *testing.T) {
		s := newStore(t)
		got := upsert(t, s, actor("skr", "SKR", withXIDs(xid(" SE-Orgnr ", " 222000-0315 "), gln))).(*kg.Actor)
		want := []kg.ExternalID{orgnr, gln}
		if fmt.Sprint(got.ExternalIDs) != fmt.Sprint(want) {
			t.Errorf("UpsertNode returned external ids %v, want %v", got.ExternalIDs, want)
		}
		if read := getNode(t, s, "skr").(*kg.Actor); fmt.Sprint(read.ExternalIDs) != fmt.Sprint(want) {
			t.Errorf("GetNodes reads external ids %v, want %v", read.ExternalIDs, want)
		}
		a, err := s.ActorByExternalID(t.Context(), orgnr)
		if err != nil || a == nil || nodeState(a) != nodeState(got) {
			t.Fatalf("ActorByExternalID(orgnr) = %v, %v; want the actor as stored %s", a, err, nodeState(got))
		}
		wantOwner(t, s, xid("SE-ORGNR", " 222000-0315"), "skr") // normalized as on input
		wantOwner(t, s, gln, "skr")
		wantOwner(t, s, xid("se-orgnr", "2220000315"), "") // values compare exactly
		wantOwner(t, s, xid("no-orgnr", "222000-0315"), "")
		// Other actors' lists, projects and lookups know nothing of them.
		upsert(t, s, actor("plain", "Plain"))
		if a := getNode(t, s, "plain").(*kg.Actor); a.ExternalIDs != nil {
			t.Errorf("an actor given none has external ids %v", a.ExternalIDs)
		}
		page, err := s.List(t.Context(), kg.ListQuery{Label: kg.LabelActor, Order: kg.Order{Field: kg.OrderByID}, First: 10})
		if err != nil || len(page.Nodes) != 2 || fmt.Sprint(page.Nodes[1].(*kg.Actor).ExternalIDs) != fmt.Sprint(want) {
			t.Errorf("List does not return the external ids: %v %v", page.Nodes, err)
		}
	})

	t.Run("UpdateReplaces", func(t *testing.T) {
		s := newStore(t)
		upsert(t, s, actor("a", "A", withXIDs(orgnr, gln)))
		other := xid("fi-ytunnus", "0201256-6")
		v := version(t, s)
		upsert(t, s, actor("a", "A", withXIDs(other)))
		// A change of external ids alone is a write like any other: the
		// version moves and the change feed has the actor upserted.
		recs, err := s.Changes(t.Context(), v, 10)
		if err != nil || len(recs.Changes) != 1 || len(recs.Changes[0].Nodes) != 1 || recs.Changes[0].Nodes[0].ID != "a" {
			t.Errorf("the change records after the rewrite: %+v %v; want one upserting a", recs.Changes, err)
		}
		wantOwner(t, s, orgnr, "")
		wantOwner(t, s, gln, "")
		wantOwner(t, s, other, "a")
		// Freed by the replacement: another actor may take them.
		upsert(t, s, actor("b", "B", withXIDs(orgnr)))
		wantOwner(t, s, orgnr, "b")
		// Left out, like aliases: the actor has none.
		upsert(t, s, actor("a", "A"))
		wantOwner(t, s, other, "")
		if a := getNode(t, s, "a").(*kg.Actor); a.ExternalIDs != nil {
			t.Errorf("after an upsert without externalIds the actor has %v", a.ExternalIDs)
		}
		// Repeating an actor's own ids is no conflict with itself.
		upsert(t, s, actor("b", "B renamed", withXIDs(orgnr, other)))
		upsert(t, s, actor("b", "B renamed", withXIDs(other, orgnr)))
		wantOwner(t, s, orgnr, "b")
		wantOwner(t, s, other, "b")
	})

	t.Run("ConflictChangesNothing", func(t *testing.T) {
		s := newStore(t)
		load(t, s, []kg.Node{actor("a", "A", withXIDs(orgnr)), actor("b", "B", withXIDs(gln))}, nil)
		before := snapshot(t, s)
		_, err := s.UpsertNode(t.Context(), actor("b", "B", withXIDs(gln, orgnr)))
		checkErr(t, err, kg.ErrConflict, "externalIds[1]")
		_, err = s.UpsertNode(t.Context(), actor("new", "New", withXIDs(xid("SE-ORGNR", "222000-0315"))))
		checkErr(t, err, kg.ErrConflict, "externalIds[0]")
		_, err = s.UpsertNode(t.Context(), actor("", "Generated id", withXIDs(orgnr)))
		checkErr(t, err, kg.ErrConflict, "externalIds[0]")
		assertUnchanged(t, s, before)
		wantOwner(t, s, orgnr, "a")
		wantOwner(t, s, gln, "b")
	})

	t.Run("DeleteFrees", func(t *testing.T) {
		s := newStore(t)
		upsert(t, s, actor("a", "A", withXIDs(orgnr, gln)))
		if ok, err := s.DeleteNode(t.Context(), kg.LabelActor, "a"); err != nil || !ok {
			t.Fatalf("DeleteNode: %v %v", ok, err)
		}
		wantOwner(t, s, orgnr, "")
		wantOwner(t, s, gln, "")
		upsert(t, s, actor("b", "B", withXIDs(gln, orgnr)))
		wantOwner(t, s, orgnr, "b")
		// The same id again: a new actor, with nothing of the old one's.
		upsert(t, s, actor("a", "A again"))
		wantOwner(t, s, gln, "b")
	})

	t.Run("Invalid", func(t *testing.T) {
		s := newStore(t)
		upsert(t, s, actor("a", "A", withXIDs(orgnr)))
		before := snapshot(t, s)
		many := make([]kg.ExternalID, kg.MaxExternalIDs+1)
		for i := range many {
			many[i] = xid("gln", fmt.Sprint(7350000000000+i))
		}
		long := make([]byte, kg.MaxExternalIDValueLen+1)
		for i := range long {
			long[i] = '1'
		}
		for _, tc := range []struct {
			xs    []kg.ExternalID
			field string
		}{
			{[]kg.ExternalID{xid("se orgnr", "1")}, "externalIds[0].scheme"},
			{[]kg.ExternalID{gln, xid("", "1")}, "externalIds[1].scheme"},
			{[]kg.ExternalID{xid("-x", "1")}, "externalIds[0].scheme"},
			{[]kg.ExternalID{xid("ab_c", "1")}, "externalIds[0].scheme"},
			{[]kg.ExternalID{xid("abcdefghijklmnopqrstuvwxyz0123456", "1")}, "externalIds[0].scheme"},
			{[]kg.ExternalID{xid("gln", "  ")}, "externalIds[0].value"},
			{[]kg.ExternalID{xid("gln", string(long))}, "externalIds[0].value"},
			{[]kg.ExternalID{xid("gln", "12\n3")}, "externalIds[0].value"},
			{[]kg.ExternalID{gln, xid("GLN", " 7350000000001 ")}, "externalIds[1]"},
			{many, "externalIds"},
		} {
			_, err := s.UpsertNode(t.Context(), actor("b", "B", withXIDs(tc.xs...)))
			checkErr(t, err, kg.ErrInvalid, tc.field)
		}
		// Invalid comes before the conflict check: the taken id does not matter.
		_, err := s.UpsertNode(t.Context(), actor("b", "B", withXIDs(orgnr, xid("", "x"))))
		checkErr(t, err, kg.ErrInvalid, "externalIds[1].scheme")
		assertUnchanged(t, s, before)
		for _, tc := range []struct {
			x     kg.ExternalID
			field string
		}{
			{xid("", "1"), "scheme"},
			{xid("se/orgnr", "1"), "scheme"},
			{xid("gln", ""), "value"},
			{xid("gln", string(long)), "value"},
		} {
			a, err := s.ActorByExternalID(t.Context(), tc.x)
			checkErr(t, err, kg.ErrInvalid, tc.field)
			if a != nil {
				t.Errorf("ActorByExternalID(%v) refused the query and still returned %v", tc.x, a)
			}
		}
	})

	t.Run("Import", func(t *testing.T) {
		s := newStore(t)
		other := xid("no-orgnr", "974760673")
		res, err := s.Import(t.Context(), kg.Graph{Actors: []*kg.Actor{
			actor("a", "A", withXIDs(orgnr)), actor("b", "B", withXIDs(gln, other)),
		}})
		if err != nil || res.NodesCreated != 2 {
			t.Fatalf("Import: %+v %v", res, err)
		}
		wantOwner(t, s, orgnr, "a")
		wantOwner(t, s, other, "b")
		before := snapshot(t, s)
		for _, tc := range []struct {
			name  string
			g     kg.Graph
			field string
		}{
			{"two actors of the import claim one", kg.Graph{Actors: []*kg.Actor{
				actor("c", "C", withXIDs(xid("dk-cvr", "1"))), actor("d", "D", withXIDs(xid("DK-CVR", "1"))),
			}}, "actors[1].externalIds[0]"},
			{"a stored actor the import leaves alone holds it", kg.Graph{Actors: []*kg.Actor{
				actor("a", "A"), actor("c", "C", withXIDs(xid("dk-cvr", "2"), gln)),
			}}, "actors[1].externalIds[1]"},
		} {
			_, err := s.Import(t.Context(), tc.g)
			checkErr(t, err, kg.ErrConflict, tc.field)
			assertUnchanged(t, s, before)
			wantOwner(t, s, gln, "b")
			wantOwner(t, s, xid("dk-cvr", "1"), "")
		}
		// An import that replaces both actors may move ids between them.
		_, err = s.Import(t.Context(), kg.Graph{Actors: []*kg.Actor{
			actor("a", "A", withXIDs(gln)), actor("b", "B", withXIDs(orgnr, other)),
		}})
		if err != nil {
			t.Fatalf("Import swapping external ids: %v", err)
		}
		wantOwner(t, s, orgnr, "b")
		wantOwner(t, s, gln, "a")
		wantOwner(t, s, other, "b")
		if a := getNode(t, s, "a").(*kg.Actor); fmt.Sprint(a.ExternalIDs) != fmt.Sprint([]kg.ExternalID{gln}) {
			t.Errorf("after the import a holds %v", a.ExternalIDs)
		}
	})

	t.Run("ConcurrentClaims", func(t *testing.T) {
		s := newStore(t)
		const writers = 6
		var wg sync.WaitGroup
		errs := make([]error, writers)
		for w := range writers {
			wg.Go(func() {
				_, errs[w] = s.UpsertNode(t.Context(), actor(fmt.Sprintf("racer-%d", w), "Racer", withXIDs(orgnr)))
			})
		}
		wg.Wait()
		winner := ""
		for w, err := range errs {
			id := fmt.Sprintf("racer-%d", w)
			switch {
			case err == nil:
				if winner != "" {
					t.Errorf("both %s and %s were given %v", winner, id, orgnr)
				}
				winner = id
			case errors.Is(err, kg.ErrConflict):
				if n := getNode(t, s, id); n != nil {
					t.Errorf("%s was refused (%v) and still stored", id, err)
				}
			default:
				t.Errorf("%s: %v, want success or a conflict", id, err)
			}
		}
		if winner == "" {
			t.Fatal("no writer got the external id")
		}
		wantOwner(t, s, orgnr, winner)
	})
}

package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

func testVersion(t *testing.T, newStore func(*testing.T) kg.Store) {
	s := newStore(t)
	ctx := t.Context()
	ok := func(f func() (bool, error)) func(context.Context, kg.Store) error {
		return func(context.Context, kg.Store) error {
			done, err := f()
			if err == nil && !done {
				return fmt.Errorf("reported nothing done")
			}
			return err
		}
	}
	steps := []struct {
		name string
		op   func(context.Context, kg.Store) error
	}{
		{"create actor", up(actor("a", "A"))},
		{"create actor b", up(actor("b", "B"))},
		{"create project", up(project("p", "P"))},
		{"create need", up(need("n", "N"))},
		{"create competency", up(competency("c", "C"))},
		{"replace actor", up(actor("a", "A2"))},
		{"repeat actor", up(actor("a", "A2"))},
		{"generated id", up(actor("", "Anonymous"))},
		{"set participation", set(participates("a", "p", kg.RoleLead))},
		{"replace participation", set(participates("a", "p", kg.RolePartner))},
		{"set competency", set(hasCompetency("a", "c", 2))},
		{"set need owner", set(hasNeed("a", "n"))},
		{"set requirement", set(requires("n", "c", 3))},
		{"set addresses", set(addresses("p", "n"))},
		{"set membership", set(memberOf("a", "b", ""))},
		{"set partnership", set(partners("a", "b"))},
		{"set partnership reversed", set(partners("b", "a"))},
		{"remove partnership", ok(func() (bool, error) { return s.RemoveRel(ctx, kg.RelPartnersWith, "a", "b") })},
		{"import", imp(kg.Graph{Actors: []*kg.Actor{actor("x", "X")}, Rels: []kg.Rel{memberOf("x", "a", "")}})},
		{"delete actor", ok(func() (bool, error) { return s.DeleteNode(ctx, kg.LabelActor, "b") })},
	}
	var seen []uint64
	prev := version(t, s)
	seen = append(seen, prev)
	for _, st := range steps {
		if err := st.op(ctx, s); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		v := version(t, s)
		if v <= prev {
			t.Errorf("%s: version %d → %d, want it to grow", st.name, prev, v)
		}
		prev = v
		seen = append(seen, v)
		// A refused write between the successful ones leaves it.
		if _, err := s.SetRel(ctx, hasCompetency("a", "c", 9)); err == nil {
			t.Fatalf("level 9 accepted")
		}
		if v2 := version(t, s); v2 != v {
			t.Errorf("after %s a refused write moved the version %d → %d", st.name, v, v2)
		}
	}
	if !slices.IsSorted(seen) {
		t.Errorf("versions %v", seen)
	}
}

func testConcurrency(t *testing.T, newStore func(*testing.T) kg.Store) {
	s := newStore(t)
	ctx := t.Context()
	load(t, s, []kg.Node{actor("hub", "Hub"), competency("skill", "Skill")}, nil)
	v0 := version(t, s)

	const writers, perWriter, readers = 4, 10, 4
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		acked  []string // ids whose writes returned without error
		writes int
		errs   []error
		stop   = make(chan struct{})
		rwg    sync.WaitGroup
	)
	fail := func(err error) {
		mu.Lock()
		errs = append(errs, err)
		mu.Unlock()
	}
	for w := range writers {
		wg.Go(func() {
			for i := range perWriter {
				id := fmt.Sprintf("w%d-actor-%02d", w, i)
				if _, err := s.UpsertNode(ctx, actor(id, fmt.Sprintf("Writer %d actor %d", w, i))); err != nil {
					fail(fmt.Errorf("upsert %s: %w", id, err))
					continue
				}
				if _, err := s.SetRel(ctx, memberOf(id, "hub", "")); err != nil {
					fail(fmt.Errorf("member %s: %w", id, err))
					continue
				}
				if _, err := s.SetRel(ctx, hasCompetency(id, "skill", 1+i%5)); err != nil {
					fail(fmt.Errorf("competency %s: %w", id, err))
					continue
				}
				mu.Lock()
				acked = append(acked, id)
				writes += 3
				mu.Unlock()
			}
		})
	}
	for r := range readers {
		rwg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				var err error
				switch (r + i) % 4 {
				case 0:
					_, err = s.List(ctx, kg.ListQuery{Label: kg.LabelActor, Order: kg.Order{Field: kg.OrderByName}, First: 10})
				case 1:
					_, err = s.Search(ctx, kg.SearchQuery{Text: "writer", First: 20})
				case 2:
					_, err = s.GetNodes(ctx, []string{"hub", fmt.Sprintf("w%d-actor-00", r%writers)})
				case 3:
					_, err = s.RelsOf(ctx, kg.RelMemberOf, kg.Incoming, []string{"hub"})
				}
				if err != nil {
					fail(fmt.Errorf("reader %d: %w", r, err))
					return
				}
			}
		})
	}
	wg.Wait()
	close(stop)
	rwg.Wait()
	for _, err := range errs {
		t.Error(err)
	}

	if len(acked) != writers*perWriter {
		t.Errorf("%d of %d writers' actors acknowledged", len(acked), writers*perWriter)
	}
	nodes, err := s.GetNodes(ctx, acked)
	if err != nil {
		t.Fatal(err)
	}
	for i, n := range nodes {
		if n == nil {
			t.Errorf("acknowledged actor %s is missing", acked[i])
		}
	}
	members := relsOf(t, s, kg.RelMemberOf, kg.Incoming, "hub")["hub"]
	skills := relsOf(t, s, kg.RelHasCompetency, kg.Incoming, "skill")["skill"]
	if len(members) != len(acked) || len(skills) != len(acked) {
		t.Errorf("hub has %d members and skill %d holders, want %d each", len(members), len(skills), len(acked))
	}
	p, err := s.List(ctx, kg.ListQuery{Label: kg.LabelActor, Order: kg.Order{Field: kg.OrderByID}, First: 1})
	if err != nil || p.TotalCount != len(acked)+1 {
		t.Errorf("List TotalCount = %d, %v; want %d", p.TotalCount, err, len(acked)+1)
	}
	if v := version(t, s); v < v0+uint64(writes) {
		t.Errorf("version grew by %d over %d acknowledged writes", v-v0, writes)
	}
}

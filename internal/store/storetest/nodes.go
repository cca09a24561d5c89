package storetest

import (
	"errors"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

func testNodes(t *testing.T, newStore func(*testing.T) kg.Store) {
	// Every label with every field set, then a replacement that changes or
	// clears each of them.
	crud := []struct {
		name        string
		full, other kg.Node
	}{
		{"Actor",
			actor("karlstads-kommun", "Karlstads kommun", func(a *kg.Actor) {
				a.Description = "Kommunen i Karlstad.\nDriver NDHC tillsammans med Compare."
				a.Sources = []string{"https://example.org/ndhc", "Seed article 1"}
				a.Kind, a.Sector = kg.KindMunicipality, kg.SectorPublic
				a.Country, a.Region, a.City = "SE", "Värmland", "Karlstad"
				a.Website = "https://karlstad.se/"
				a.Aliases = []string{"Karlstad kommun", "KK"}
			}),
			actor("karlstads-kommun", "Karlstad municipality", func(a *kg.Actor) {
				a.Kind, a.Sector, a.Country = kg.KindRegion, kg.SectorCivil, "NO"
			})},
		{"Project",
			project("ndhc", "Nordic Digital Health Center", func(p *kg.Project) {
				p.Description = "Testbädd för digitala välfärdstjänster."
				p.Sources = []string{"Seed article 1"}
				p.Status = kg.ProjectCompleted
				p.StartDate, p.EndDate = "2016-09-01", "2019-08-31"
				p.URL = "https://example.org/ndhc"
				p.Programme = "Interreg Sverige-Norge"
				p.Type = kg.ProjectTypeProject
				p.Country, p.Region, p.City = "SE", "Värmland", "Karlstad"
				p.Aliases = []string{"NDHC", "Nordic Digital Health Centre"}
			}),
			project("ndhc", "NDHC", func(p *kg.Project) {
				p.Type = kg.ProjectTypeEvent
				p.Status, p.StartDate = kg.ProjectPlanned, "2020-02-29"
			})},
		{"Need",
			need("trygghetslarm", "Digitala trygghetslarm", func(n *kg.Need) {
				n.Description = "Kommunerna behöver larm som fungerar utan fast telefoni."
				n.Sources = []string{"Seed article 2", "Offentliga Rummet 2018"}
				n.Status, n.Priority = kg.NeedInProgress, 5
			}),
			need("trygghetslarm", "Trygghetslarm", func(n *kg.Need) {
				n.Status, n.Priority = kg.NeedMet, 1
			})},
		{"Competency",
			competency("tjanstedesign", "Tjänstedesign", func(c *kg.Competency) {
				c.Description = "Design av tjänster med användarna."
				c.Sources = []string{"DOGA"}
				c.Category = kg.CategoryDesign
				c.Aliases = []string{"Service design", "Tjenestedesign"}
			}),
			competency("tjanstedesign", "Service design", func(c *kg.Competency) {
				c.Category = kg.CategoryInnovationMethod
			})},
	}
	for _, tc := range crud {
		t.Run("CRUD/"+tc.name, func(t *testing.T) {
			s := newStore(t)
			ctx := t.Context()
			l, id := tc.full.NodeLabel(), tc.full.Base().ID

			got := upsert(t, s, tc.full)
			if nodeContent(got) != nodeContent(tc.full) {
				t.Errorf("UpsertNode returned\n %s\nwant\n %s", nodeContent(got), nodeContent(tc.full))
			}
			checkTimes(t, "created node", got.Base().CreatedAt, got.Base().UpdatedAt)
			if st := nodeState(getNode(t, s, id)); st != nodeState(got) {
				t.Errorf("GetNodes returned\n %s\nUpsertNode returned\n %s", st, nodeState(got))
			}
			listed := listAll(t, s, kg.ListQuery{Label: l, First: 10, Order: kg.Order{Field: kg.OrderByName}})
			if len(listed) != 1 || nodeState(listed[0]) != nodeState(got) {
				t.Errorf("List(%s) = %v, want just %s", l, ids(listed), id)
			}

			// Replacing: every field is the new input's, absent ones cleared.
			again := upsert(t, s, tc.other)
			if nodeContent(again) != nodeContent(tc.other) {
				t.Errorf("replacing UpsertNode returned\n %s\nwant\n %s", nodeContent(again), nodeContent(tc.other))
			}
			checkRewriteTimes(t, "replaced node", *got.Base(), *again.Base())
			if st := nodeState(getNode(t, s, id)); st != nodeState(again) {
				t.Errorf("after replace GetNodes returned\n %s\nwant\n %s", st, nodeState(again))
			}

			ok, err := s.DeleteNode(ctx, l, id)
			if err != nil || !ok {
				t.Fatalf("DeleteNode = %v, %v; want true, nil", ok, err)
			}
			if n := getNode(t, s, id); n != nil {
				t.Errorf("GetNodes after delete = %s, want nil", nodeState(n))
			}
			ok, err = s.DeleteNode(ctx, l, id)
			if err != nil || ok {
				t.Errorf("second DeleteNode = %v, %v; want false, nil", ok, err)
			}
			if p, err := s.List(ctx, kg.ListQuery{Label: l, First: 10, Order: kg.Order{Field: kg.OrderByID}}); err != nil || p.TotalCount != 0 || len(p.Nodes) != 0 {
				t.Errorf("List after delete = %v (total %d), %v; want empty", ids(p.Nodes), p.TotalCount, err)
			}
			// The id is free again, for any label.
			upsert(t, s, actor(id, "Reused"))
		})
	}

	t.Run("Normalization", func(t *testing.T) {
		s := newStore(t)
		in := actor("  dialogmakarna ", "  Dialogmakarna  ", func(a *kg.Actor) {
			a.Description = "  Programme for dialogue.\n "
			a.Country, a.Region, a.City = " se ", " Värmland ", " Karlstad "
			a.Website = " https://example.org "
			a.Aliases = []string{" DM ", "", "   "}
			a.Sources = []string{"", " seed "}
		})
		want := actor("dialogmakarna", "Dialogmakarna", func(a *kg.Actor) {
			a.Description = "Programme for dialogue."
			a.Country, a.Region, a.City = "SE", "Värmland", "Karlstad"
			a.Website = "https://example.org"
			a.Aliases = []string{"DM"}
			a.Sources = []string{"seed"}
		})
		got := upsert(t, s, in)
		if nodeContent(got) != nodeContent(want) {
			t.Errorf("UpsertNode stored\n %s\nwant\n %s", nodeContent(got), nodeContent(want))
		}
		if c := nodeContent(getNode(t, s, "dialogmakarna")); c != nodeContent(want) {
			t.Errorf("GetNodes returned\n %s\nwant\n %s", c, nodeContent(want))
		}
		// 128 characters is the longest id the pattern allows.
		long := "a" + strN(127, "z")
		if got := upsert(t, s, competency(long, "Long id")); got.Base().ID != long {
			t.Errorf("128-character id stored as %q", got.Base().ID)
		}
	})

	t.Run("GeneratedID", func(t *testing.T) {
		s := newStore(t)
		for _, n := range []kg.Node{actor("", "A"), project("", "P"), need("", "N"), competency("", "C")} {
			first := upsert(t, s, n)
			second := upsert(t, s, n)
			for _, got := range []kg.Node{first, second} {
				id := got.Base().ID
				if !kg.ValidID(id) {
					t.Errorf("generated %s id %q breaks the id pattern", n.NodeLabel(), id)
				}
				if g := getNode(t, s, id); g == nil || g.NodeLabel() != n.NodeLabel() || g.Base().Name != n.Base().Name {
					t.Errorf("GetNodes(%q) = %s, want the %s just created", id, nodeState(g), n.NodeLabel())
				}
			}
			if first.Base().ID == second.Base().ID {
				t.Errorf("two upserts without id got the same id %q", first.Base().ID)
			}
		}
		sn := snapshot(t, s)
		if len(sn.nodes) != 8 {
			t.Errorf("store holds %d nodes, want 8", len(sn.nodes))
		}
	})

	t.Run("GetNodesAligned", func(t *testing.T) {
		s := newStore(t)
		a := upsert(t, s, actor("a", "Alfa"))
		p := upsert(t, s, project("p", "Projekt"))
		c := upsert(t, s, competency("c", "Kompetens"))
		got, err := s.GetNodes(t.Context(), []string{"p", "unknown", "a", "c", "a", "also-unknown"})
		if err != nil {
			t.Fatal(err)
		}
		want := []kg.Node{p, nil, a, c, a, nil}
		if len(got) != len(want) {
			t.Fatalf("GetNodes returned %d entries for 6 ids: %v", len(got), ids(got))
		}
		for i := range want {
			if nodeState(got[i]) != nodeState(want[i]) {
				t.Errorf("GetNodes[%d] = %s, want %s", i, nodeState(got[i]), nodeState(want[i]))
			}
		}
		if _, ok := got[0].(*kg.Project); !ok {
			t.Errorf("GetNodes returned a %T for a project", got[0])
		}
		if got, err := s.GetNodes(t.Context(), nil); err != nil || len(got) != 0 {
			t.Errorf("GetNodes(nil) = %v, %v; want empty", ids(got), err)
		}
	})

	t.Run("WrongLabel", func(t *testing.T) {
		s := newStore(t)
		a := upsert(t, s, actor("compare", "Compare"))
		before := snapshot(t, s)
		_, err := s.DeleteNode(t.Context(), kg.LabelProject, "compare")
		checkErr(t, err, kg.ErrInvalid, "id")
		_, err = s.UpsertNode(t.Context(), project("compare", "Compare project"))
		checkErr(t, err, kg.ErrConflict, "-")
		if e := (*kg.Error)(nil); errors.As(err, &e) && e.ID != "compare" {
			t.Errorf("conflict error names id %q, want %q", e.ID, "compare")
		}
		assertUnchanged(t, s, before)
		if got := getNode(t, s, "compare"); nodeState(got) != nodeState(a) {
			t.Errorf("actor changed: %s", nodeState(got))
		}
	})

	// The store must hand out copies: a caller that changes a node it got
	// (or gave) must not change what the store holds.
	t.Run("Copies", func(t *testing.T) {
		s := newStore(t)
		in := actor("skl", "Sveriges Kommuner och Landsting", func(a *kg.Actor) {
			a.Aliases, a.Sources = []string{"SKL"}, []string{"src"}
		})
		out, err := s.UpsertNode(t.Context(), in)
		if err != nil {
			t.Fatal(err)
		}
		want := nodeContent(out)
		in.Name, in.Aliases[0], in.Sources[0] = "changed", "changed", "changed"
		o := out.(*kg.Actor)
		o.Name, o.Aliases[0], o.Sources[0] = "changed", "changed", "changed"
		got := getNode(t, s, "skl").(*kg.Actor)
		if nodeContent(got) != want {
			t.Errorf("changing UpsertNode's input or result changed the store: %s", nodeContent(got))
		}
		got.Name, got.Aliases[0] = "changed", "changed"
		page, err := s.List(t.Context(), kg.ListQuery{Label: kg.LabelActor, First: 5, Order: kg.Order{Field: kg.OrderByID}})
		if err != nil || len(page.Nodes) != 1 {
			t.Fatalf("List = %v, %v", ids(page.Nodes), err)
		}
		if nodeContent(page.Nodes[0]) != want {
			t.Errorf("changing GetNodes' result changed the store: %s", nodeContent(page.Nodes[0]))
		}
		page.Nodes[0].(*kg.Actor).Aliases[0] = "changed"
		if c := nodeContent(getNode(t, s, "skl")); c != want {
			t.Errorf("changing List's result changed the store: %s", c)
		}

		upsert(t, s, competency("c", "C"))
		r := hasCompetency("skl", "c", 3)
		r.Sources = []string{"src"}
		stored := setRel(t, s, r)
		stored.Sources[0] = "changed"
		m := relsOf(t, s, kg.RelHasCompetency, kg.Outgoing, "skl")
		if len(m["skl"]) != 1 || m["skl"][0].Sources[0] != "src" {
			t.Fatalf("changing SetRel's result changed the store: %v", m)
		}
		m["skl"][0].Sources[0] = "changed"
		if m := relsOf(t, s, kg.RelHasCompetency, kg.Outgoing, "skl"); m["skl"][0].Sources[0] != "src" {
			t.Errorf("changing RelsOf's result changed the store: %v", m["skl"][0].Sources)
		}
	})

	t.Run("Ping", func(t *testing.T) {
		if err := newStore(t).Ping(t.Context()); err != nil {
			t.Errorf("Ping: %v", err)
		}
	})
}

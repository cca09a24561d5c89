package storetest

import (
	"encoding/base64"
	"fmt"
	"slices"
	"sort"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

// pagingActors returns actors whose names, folded, collide and whose ids do
// not follow their names, so that every order field has ties and differs
// from the others.
func pagingActors() []kg.Node {
	names := []string{
		"Örebro kommun", "Oslo kommune", "Østfold fylke", "Ålesund kommune", "Aalborg kommune",
		"Zürich", "bergen", "Bergen", "Region Värmland", "Region Varmland", "REGION VÄRMLAND",
		"Compare", "DOGA", "Difi", "Kunnskapsbyen Lillestrøm", "Lillestrøm kommune",
		"Göteborgs stad", "Goteborg Energi", "Karlstads kommun", "Karlstads universitet",
		"Dialogmakarna", "SKL", "Innovationsforum",
	}
	out := make([]kg.Node, len(names))
	for i, n := range names {
		// Ids run against the names: the last name gets the first id.
		out[i] = actor(fmt.Sprintf("actor-%02d", len(names)-i), n)
	}
	return out
}

// loadPaging stores pagingActors and rewrites some of them, so that the
// UPDATED_AT order differs from the CREATED_AT order.
func loadPaging(t *testing.T, s kg.Store) {
	nodes := pagingActors()
	load(t, s, nodes, nil)
	for i := len(nodes) - 1; i >= 0; i -= 3 {
		a := kg.Clone(nodes[i]).(*kg.Actor)
		a.Description = "rewritten"
		upsert(t, s, a)
	}
}

// expectedOrder reads every node of the label and sorts it by kg.Less, the
// reference order.
func expectedOrder(t *testing.T, s kg.Store, l kg.Label, o kg.Order) []string {
	t.Helper()
	all := listAll(t, s, kg.ListQuery{Label: l, First: kg.MaxPageSize, Order: kg.Order{Field: kg.OrderByID}})
	sort.SliceStable(all, func(i, j int) bool { return kg.Less(all[i], all[j], o) })
	return ids(all)
}

func orders() []kg.Order {
	var out []kg.Order
	for _, f := range kg.OrderFields {
		out = append(out, kg.Order{Field: f}, kg.Order{Field: f, Desc: true})
	}
	return out
}

func orderName(o kg.Order) string {
	if o.Desc {
		return string(o.Field) + "_DESC"
	}
	return string(o.Field) + "_ASC"
}

// walk pages through the label's list as a client does, round-tripping
// each cursor through its opaque form, and calls between (if any) between
// pages. It checks TotalCount and HasNextPage on every page.
func walk(t *testing.T, s kg.Store, l kg.Label, o kg.Order, first int, between func(page int, seen []kg.Node)) []string {
	t.Helper()
	var seen []kg.Node
	var after *kg.Cursor
	total := -1
	for page := 0; page < 1000; page++ {
		p, err := s.List(t.Context(), kg.ListQuery{Label: l, Order: o, First: first, After: after})
		if err != nil {
			t.Fatalf("List page %d: %v", page, err)
		}
		if total == -1 {
			total = p.TotalCount
		} else if p.TotalCount != total {
			t.Errorf("TotalCount changed from %d to %d on page %d", total, p.TotalCount, page)
		}
		if len(p.Nodes) > first {
			t.Fatalf("page %d has %d nodes, First is %d", page, len(p.Nodes), first)
		}
		seen = append(seen, p.Nodes...)
		if !p.HasNextPage {
			if len(seen) != total {
				t.Errorf("walked %d nodes, TotalCount says %d", len(seen), total)
			}
			return ids(seen)
		}
		if len(p.Nodes) != first {
			t.Errorf("page %d has %d nodes and HasNextPage; want a full page of %d", page, len(p.Nodes), first)
		}
		if len(p.Nodes) == 0 {
			t.Fatalf("empty page %d with HasNextPage", page)
		}
		enc := kg.CursorOf(p.Nodes[len(p.Nodes)-1], o).Encode()
		after, err = kg.DecodeCursor("after", enc, o)
		if err != nil {
			t.Fatalf("a cursor of page %d does not decode: %v", page, err)
		}
		if between != nil {
			between(page, seen)
		}
	}
	t.Fatalf("List never ends")
	return nil
}

func testList(t *testing.T, newStore func(*testing.T) kg.Store) {
	// The paging fixture, loaded afresh for each subtest that reads it: a
	// store may share one database between the stores newStore returns.
	ro := func(t *testing.T) kg.Store {
		s := newStore(t)
		loadPaging(t, s)
		return s
	}

	t.Run("Pagination", func(t *testing.T) {
		s := ro(t)
		n := len(pagingActors())
		for _, o := range orders() {
			t.Run(orderName(o), func(t *testing.T) {
				want := expectedOrder(t, s, kg.LabelActor, o)
				if len(want) != n {
					t.Fatalf("store lists %d actors, want %d", len(want), n)
				}
				for _, first := range []int{1, 4, n, kg.MaxPageSize} {
					if got := walk(t, s, kg.LabelActor, o, first, nil); !slices.Equal(got, want) {
						t.Errorf("First=%d walked\n %v\nwant\n %v", first, got, want)
					}
				}
			})
		}
	})

	t.Run("FoldedNameOrder", func(t *testing.T) {
		s := newStore(t)
		load(t, s, []kg.Node{
			competency("c-zurich", "Zürich"), competency("c-oslo", "Oslo"), competency("c-orebro", "Örebro"),
			competency("c-ostfold", "Østfold"), competency("c-alesund", "Ålesund"), competency("c-aalborg", "Aalborg"),
			competency("c-bergen-2", "Bergen"), competency("c-bergen-1", "bergen"), competency("c-aerlig", "Ærlig"),
		}, nil)
		want := []string{"c-aalborg", "c-aerlig", "c-alesund", "c-bergen-1", "c-bergen-2", "c-orebro", "c-oslo", "c-ostfold", "c-zurich"}
		if got := walk(t, s, kg.LabelCompetency, kg.Order{Field: kg.OrderByName}, 4, nil); !slices.Equal(got, want) {
			t.Errorf("NAME order\n %v\nwant (folded: å→a, ö→o, ø→o, æ→ae; ties by id)\n %v", got, want)
		}
		slices.Reverse(want)
		if got := walk(t, s, kg.LabelCompetency, kg.Order{Field: kg.OrderByName, Desc: true}, 4, nil); !slices.Equal(got, want) {
			t.Errorf("NAME desc order\n %v\nwant\n %v", got, want)
		}
	})

	// Keyset pagination must neither skip nor repeat nodes when the store
	// changes between pages in ways that do not move them.
	t.Run("WritesBetweenPages", func(t *testing.T) {
		s := newStore(t)
		loadPaging(t, s)
		extra := 0
		for _, o := range orders() {
			t.Run(orderName(o), func(t *testing.T) {
				want := expectedOrder(t, s, kg.LabelActor, o)
				got := walk(t, s, kg.LabelActor, o, 4, func(page int, seen []kg.Node) {
					extra++
					upsert(t, s, project(fmt.Sprintf("extra-%03d", extra), fmt.Sprintf("Extra %d", extra)))
					upsert(t, s, need(fmt.Sprintf("aaa-%03d", extra), "Aaa"))
					if o.Field == kg.OrderByUpdatedAt {
						return // any rewrite of an actor moves its UpdatedAt
					}
					// Rewrite a node already seen and one not yet seen,
					// keeping their sort keys.
					for _, id := range []string{seen[len(seen)/2].Base().ID, want[min(len(seen)+1, len(want)-1)]} {
						a := getNode(t, s, id).(*kg.Actor)
						a.Description = fmt.Sprintf("edit %d", extra)
						if o.Field == kg.OrderByID || o.Field == kg.OrderByCreatedAt {
							a.Name = fmt.Sprintf("Renamed %d %s", extra, a.Name)
						}
						upsert(t, s, a)
					}
				})
				if !slices.Equal(got, want) {
					t.Errorf("walk with writes between pages\n %v\nwant\n %v", got, want)
				}
			})
		}
	})

	t.Run("CursorOfDeletedNode", func(t *testing.T) {
		s := newStore(t)
		loadPaging(t, s)
		for _, o := range []kg.Order{{Field: kg.OrderByName}, {Field: kg.OrderByCreatedAt, Desc: true}} {
			want := expectedOrder(t, s, kg.LabelActor, o)
			p, err := s.List(t.Context(), kg.ListQuery{Label: kg.LabelActor, Order: o, First: 5})
			if err != nil {
				t.Fatal(err)
			}
			last := p.Nodes[len(p.Nodes)-1]
			if ok, err := s.DeleteNode(t.Context(), kg.LabelActor, last.Base().ID); err != nil || !ok {
				t.Fatalf("DeleteNode = %v, %v", ok, err)
			}
			c := kg.CursorOf(last, o)
			p2, err := s.List(t.Context(), kg.ListQuery{Label: kg.LabelActor, Order: o, First: 5, After: &c})
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(p2.Nodes); !slices.Equal(got, want[5:10]) {
				t.Errorf("%s: the page after a deleted node's cursor is %v, want %v", orderName(o), got, want[5:10])
			}
		}
	})

	t.Run("TamperedCursor", func(t *testing.T) {
		s := ro(t)
		o := kg.Order{Field: kg.OrderByName}
		p, err := s.List(t.Context(), kg.ListQuery{Label: kg.LabelActor, Order: o, First: 3})
		if err != nil {
			t.Fatal(err)
		}
		node := p.Nodes[2]
		good := kg.CursorOf(node, o).Encode()
		flip := []byte(good)
		mid := len(flip) / 2
		if flip[mid] == 'A' {
			flip[mid] = 'B'
		} else {
			flip[mid] = 'A'
		}
		raw := make([]byte, 47) // not a multiple of 3, so that padding shows
		for i := range raw {
			raw[i] = byte(i * 37)
		}
		cases := []struct {
			name, cursor string
			order        kg.Order
		}{
			{"flipped character", string(flip), o},
			{"truncated", good[:len(good)-4], o},
			{"cut to a few bytes", good[:8], o},
			{"random base64", base64.RawURLEncoding.EncodeToString(raw), o},
			{"not base64", "not a cursor!", o},
			{"padded base64", base64.URLEncoding.EncodeToString(raw), o},
			{"huge", strN(5000, "A"), o},
			{"from another field", kg.CursorOf(node, kg.Order{Field: kg.OrderByID}).Encode(), o},
			{"from the other direction", kg.CursorOf(node, kg.Order{Field: kg.OrderByName, Desc: true}).Encode(), o},
			{"from UPDATED_AT for CREATED_AT", kg.CursorOf(node, kg.Order{Field: kg.OrderByUpdatedAt}).Encode(), kg.Order{Field: kg.OrderByCreatedAt}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				c, err := kg.DecodeCursor("after", tc.cursor, tc.order)
				checkErr(t, err, kg.ErrInvalid, "after")
				if c != nil {
					t.Errorf("a refused cursor decoded to %+v", c)
				}
			})
		}
		// The untouched cursor continues right after its node.
		c, err := kg.DecodeCursor("after", good, o)
		if err != nil {
			t.Fatalf("good cursor refused: %v", err)
		}
		p2, err := s.List(t.Context(), kg.ListQuery{Label: kg.LabelActor, Order: o, First: 3, After: c})
		if err != nil {
			t.Fatal(err)
		}
		if want := expectedOrder(t, s, kg.LabelActor, o)[3:6]; !slices.Equal(ids(p2.Nodes), want) {
			t.Errorf("page after the good cursor = %v, want %v", ids(p2.Nodes), want)
		}
	})

	t.Run("FirstOutOfRange", func(t *testing.T) {
		s := newStore(t)
		load(t, s, []kg.Node{actor("a", "A")}, nil)
		for _, first := range []int{0, -1, kg.MaxPageSize + 1, 1 << 30} {
			_, err := s.List(t.Context(), kg.ListQuery{Label: kg.LabelActor, Order: kg.Order{Field: kg.OrderByName}, First: first})
			t.Run(fmt.Sprint(first), func(t *testing.T) { checkErr(t, err, kg.ErrInvalid, "first") })
		}
		for _, first := range []int{1, kg.MaxPageSize} {
			if p, err := s.List(t.Context(), kg.ListQuery{Label: kg.LabelActor, Order: kg.Order{Field: kg.OrderByName}, First: first}); err != nil || len(p.Nodes) != 1 {
				t.Errorf("First=%d: %v, %v", first, ids(p.Nodes), err)
			}
		}
	})

	t.Run("BadQuery", func(t *testing.T) {
		s := ro(t)
		a := getNode(t, s, "actor-01")
		byID := kg.CursorOf(a, kg.Order{Field: kg.OrderByID})
		byNameDesc := kg.CursorOf(a, kg.Order{Field: kg.OrderByName, Desc: true})
		for _, tc := range []struct {
			name  string
			q     kg.ListQuery
			field string
		}{
			{"unknown label", kg.ListQuery{Label: "Thing", Order: kg.Order{Field: kg.OrderByName}, First: 5}, "label"},
			{"unknown order field", kg.ListQuery{Label: kg.LabelActor, Order: kg.Order{Field: "SIZE"}, First: 5}, "orderBy"},
			// A cursor of another order is refused by the store too, not
			// only when the API decodes it.
			{"cursor of another field", kg.ListQuery{Label: kg.LabelActor, Order: kg.Order{Field: kg.OrderByName}, First: 5, After: &byID}, "after"},
			{"cursor of another direction", kg.ListQuery{Label: kg.LabelActor, Order: kg.Order{Field: kg.OrderByName}, First: 5, After: &byNameDesc}, "after"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p, err := s.List(t.Context(), tc.q)
				checkErr(t, err, kg.ErrInvalid, tc.field)
				if len(p.Nodes) != 0 {
					t.Errorf("a refused list returned %v", ids(p.Nodes))
				}
			})
		}
	})

	t.Run("DefaultOrderIsName", func(t *testing.T) {
		s := ro(t)
		want := expectedOrder(t, s, kg.LabelActor, kg.Order{Field: kg.OrderByName})
		p, err := s.List(t.Context(), kg.ListQuery{Label: kg.LabelActor, First: kg.MaxPageSize})
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(p.Nodes); !slices.Equal(got, want) {
			t.Errorf("List with no order field =\n %v\nwant the NAME order\n %v", got, want)
		}
	})

	t.Run("EmptyAndOtherLabels", func(t *testing.T) {
		s := newStore(t)
		load(t, s, []kg.Node{actor("a", "A"), actor("b", "B"), project("p", "P"), competency("c", "C")}, nil)
		want := map[kg.Label][]string{kg.LabelActor: {"a", "b"}, kg.LabelProject: {"p"}, kg.LabelNeed: nil, kg.LabelCompetency: {"c"}}
		for _, l := range kg.Labels {
			p, err := s.List(t.Context(), kg.ListQuery{Label: l, Order: kg.Order{Field: kg.OrderByID}, First: 10})
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(p.Nodes); !slices.Equal(got, want[l]) || p.TotalCount != len(want[l]) || p.HasNextPage {
				t.Errorf("List(%s) = %v total %d next %v; want %v", l, got, p.TotalCount, p.HasNextPage, want[l])
			}
		}
	})
}

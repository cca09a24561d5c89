package graph_test

import (
	"strings"
	"testing"
	"time"
)

// The questions of the README tour, answered through the API on the seed.
func TestAnalyticsOnTheSeed(t *testing.T) {
	h := handler(t, seededStore(t), nil)

	t.Run("path from Kunnskapsbyen Lillestrøm to Karlstads kommun", func(t *testing.T) {
		var resp struct {
			PartnershipPaths []struct {
				Length  int
				Summary string
				Nodes   []struct{ ID string }
				Steps   []struct {
					Type       string
					Forward    bool
					From, To   struct{ ID string }
					Properties struct{ Role string }
					Sources    []string
				}
			}
		}
		mustPost(t, h, `{ partnershipPaths(from: "kunnskapsbyen-lillestrom", to: "karlstads-kommun") {
			length summary nodes { id } steps { type forward from { id } to { id } properties { role } sources } } }`, &resp, nil)
		paths := resp.PartnershipPaths
		if len(paths) != 3 {
			t.Fatalf("got %d paths, want the default k=3", len(paths))
		}
		first := paths[0]
		if first.Length != 2 || first.Nodes[1].ID != "sol" || len(first.Steps) != 2 {
			t.Fatalf("first path = %+v", first)
		}
		s0, s1 := first.Steps[0], first.Steps[1]
		if s0.Type != "PARTICIPATES_IN" || !s0.Forward || s0.From.ID != "kunnskapsbyen-lillestrom" || s0.To.ID != "sol" ||
			s0.Properties.Role != "LEAD" || len(s0.Sources) == 0 {
			t.Errorf("first step = %+v", s0)
		}
		if s1.Forward || s1.From.ID != "sol" || s1.To.ID != "karlstads-kommun" || s1.Properties.Role != "PARTNER" {
			t.Errorf("second step (stored Karlstads kommun → SOL, walked backwards) = %+v", s1)
		}
		want := "Kunnskapsbyen Lillestrøm — lead in SOL-prosjektet — with partner Karlstads kommun"
		if first.Summary != want {
			t.Errorf("summary = %q, want %q", first.Summary, want)
		}
		for i := 1; i < len(paths); i++ {
			if paths[i].Length < paths[i-1].Length {
				t.Errorf("paths not by length: %d after %d", paths[i].Length, paths[i-1].Length)
			}
		}
	})

	t.Run("overlap of Compare and Karlstads kommun", func(t *testing.T) {
		var resp struct {
			Overlap struct {
				Projects []struct{ ID string }
				Jaccard  struct{ Projects, Overall float64 }
			}
		}
		mustPost(t, h, `{ overlap(actorIds: ["compare", "karlstads-kommun"]) { projects { id } jaccard { projects overall } } }`, &resp, nil)
		o := resp.Overlap
		// Compare took part in SOL's pre-work, not in SOL: they share NDHC
		// only, of five projects between them.
		if len(o.Projects) != 1 || o.Projects[0].ID != "ndhc" || o.Jaccard.Projects != 0.2 {
			t.Fatalf("overlap = %+v", o)
		}
	})

	t.Run("before NDHC began", func(t *testing.T) {
		// NDHC starts 2016-01-01 and its participations take that date.
		var resp struct {
			Overlap struct {
				Projects, Collaborators []struct{ ID string }
			}
			PartnershipPaths []struct {
				Length  int
				Summary string
			}
			Brokers struct {
				Brokers []struct {
					Actor struct{ ID string }
					Score float64
				}
			}
			EcosystemStats struct{ CollaborationEdges, Components, CrossSectorProjects int }
		}
		mustPost(t, h, `{ overlap(actorIds: ["compare", "karlstads-kommun"], asOf: "2015-06-01") { projects { id } collaborators { id } }
			partnershipPaths(from: "compare", to: "karlstads-kommun", k: 1, asOf: "2015-06-01") { length summary }
			brokers(first: 2, asOf: "2015-06-01") { brokers { actor { id } score } }
			ecosystemStats(asOf: "2015-06-01") { collaborationEdges components crossSectorProjects } }`, &resp, nil)
		if len(resp.Overlap.Projects)+len(resp.Overlap.Collaborators) != 0 {
			t.Errorf("overlap in 2015 = %+v, want nothing shared", resp.Overlap)
		}
		want := "Compare — partner in Forarbeidet til SOL-prosjektet — part of SOL-prosjektet — with partner Karlstads kommun"
		if p := resp.PartnershipPaths; len(p) != 1 || p[0].Length != 3 || p[0].Summary != want {
			t.Errorf("path in 2015 = %+v, want %q", p, want)
		}
		if b := resp.Brokers.Brokers; len(b) != 2 || b[0].Actor.ID != "digitalwell-arena" || b[0].Score != 44 || b[1].Actor.ID != "karlstads-kommun" || b[1].Score != 39 {
			t.Errorf("brokers in 2015 = %+v", b)
		}
		if st := resp.EcosystemStats; st.CollaborationEdges != 68 || st.Components != 6 || st.CrossSectorProjects != 3 {
			t.Errorf("ecosystemStats in 2015 = %+v", st)
		}
	})

	t.Run("DOGA meets Difi's need for design competence", func(t *testing.T) {
		var resp struct {
			MatchNeed []struct {
				Actor    struct{ ID string }
				Coverage float64
				Distance *int
			}
			SuggestConsortium struct {
				Coverage float64
				Members  []struct{ Actor struct{ ID string } }
			}
		}
		mustPost(t, h, `{ matchNeed(needId: "difi-designkompetanse") { actor { id } coverage distance }
			suggestConsortium(needId: "difi-designkompetanse") { coverage members { actor { id } } } }`, &resp, nil)
		m := resp.MatchNeed
		if len(m) == 0 || m[0].Actor.ID != "doga" || m[0].Coverage != 1 || m[0].Distance == nil || *m[0].Distance != 1 {
			t.Fatalf("matches = %+v", m)
		}
		for _, x := range m {
			if x.Actor.ID == "difi" {
				t.Errorf("the need's owner is a candidate")
			}
		}
		c := resp.SuggestConsortium
		if c.Coverage != 1 || len(c.Members) != 1 || c.Members[0].Actor.ID != "doga" {
			t.Fatalf("consortium = %+v", c)
		}
	})

	t.Run("brokers, statistics and neighbourhood", func(t *testing.T) {
		var resp struct {
			Brokers struct {
				Exact      bool
				ActorCount int
				Brokers    []struct {
					Actor             struct{ ID string }
					Score, Normalized float64
				}
			}
			EcosystemStats struct {
				Actors, Components int
				CrossSectorShare   float64
				Labels             []struct {
					Key   string
					Count int
				}
			}
			Neighborhood struct {
				Truncated bool
				Nodes     []struct {
					Distance int
					Node     struct{ ID string }
				}
				Edges []struct{ Type, FromID, ToID string }
			}
		}
		mustPost(t, h, `{ brokers(first: 3) { exact actorCount brokers { actor { id } score normalized } }
			ecosystemStats { actors components crossSectorShare labels { key count } }
			neighborhood(id: "difi") { truncated nodes { distance node { id } } edges { type fromId toId } } }`, &resp, nil)
		b := resp.Brokers
		if !b.Exact || b.ActorCount != 40 || len(b.Brokers) != 3 || b.Brokers[0].Score < b.Brokers[2].Score ||
			b.Brokers[0].Normalized != b.Brokers[0].Score/(39*38/2) {
			t.Errorf("brokers = %+v", b)
		}
		s := resp.EcosystemStats
		if s.Actors != 40 || s.Components < 1 || s.CrossSectorShare <= 0 || len(s.Labels) != 4 {
			t.Errorf("stats = %+v", s)
		}
		n := resp.Neighborhood
		if n.Truncated || len(n.Nodes) < 2 || n.Nodes[0].Node.ID != "difi" || n.Nodes[0].Distance != 0 || len(n.Edges) == 0 {
			t.Errorf("neighbourhood = %+v", n)
		}
	})

	// The analyst's questions of the README tour (issue 11): organisations
	// apart from their people, and the cross-sector projects by the rule.
	t.Run("analyst questions", func(t *testing.T) {
		r := post(t, h, `{
  organisations: brokers(first: 2, scope: ORGANISATIONS) { actorCount brokers { actor { id } score } }
  crossSectorProjects { totalCount edges { node { project { id } } } }
  similarActors(id: "compare", first: 10) { actor { id } }
  difi: partnershipPaths(from: "difi", to: "karlstads-kommun") { length }
}`, nil)
		for _, want := range []string{
			`"organisations":{"actorCount":25,"brokers":[{"actor":{"id":"karlstads-kommun"},"score":15.5},{"actor":{"id":"digitalwell-arena"},"score":13}]}`,
			`"crossSectorProjects":{"totalCount":4,"edges":[{"node":{"project":{"id":"dialogmakarna-utbildning"}}},` +
				`{"node":{"project":{"id":"digitalwell-innovationssupport"}}},{"node":{"project":{"id":"ndhc"}}},{"node":{"project":{"id":"sol"}}}]}`,
			`"difi":[]`,
		} {
			if !strings.Contains(r.Raw, want) {
				t.Errorf("answer lacks %s:\n%s", want, r.Raw)
			}
		}
		// Compare's own project leader is not "similar" to it.
		if strings.Contains(r.Raw, `"elina-svensson"`) {
			t.Errorf("similarActors(compare) lists Compare's own Elina Svensson: %s", r.Raw)
		}
	})

	t.Run("statistics follow writes", func(t *testing.T) {
		r := post(t, h, `mutation { upsertActor(input: {id: "new-actor", name: "Ny aktör", kind: COMPANY, sector: PRIVATE}) { id } }`, nil)
		if len(r.Errors) > 0 {
			t.Fatal(r.Raw)
		}
		r = post(t, h, `{ ecosystemStats { actors } brokers { actorCount } }`, nil)
		if !strings.Contains(r.Raw, `"actors":41`) || !strings.Contains(r.Raw, `"actorCount":41`) {
			t.Fatalf("after a write: %s", r.Raw)
		}
	})
}

// Argument caps and unknown ids are refused with the argument named.
func TestAnalyticsGuards(t *testing.T) {
	h := handler(t, seededStore(t), nil)
	cases := []struct {
		name, query, code, field string
	}{
		{"k above 10", `{ partnershipPaths(from: "difi", to: "doga", k: 11) { length } }`, "BAD_USER_INPUT", "k"},
		{"maxHops above 8", `{ partnershipPaths(from: "difi", to: "doga", maxHops: 9) { length } }`, "BAD_USER_INPUT", "maxHops"},
		{"unknown path end", `{ partnershipPaths(from: "difi", to: "nobody") { length } }`, "NOT_FOUND", "to"},
		{"excluded end", `{ partnershipPaths(from: "difi", to: "doga", excludeIds: ["doga"]) { length } }`, "BAD_USER_INPUT", "excludeIds"},
		{"overlap of one", `{ overlap(actorIds: ["difi"]) { projects { id } } }`, "BAD_USER_INPUT", "actorIds"},
		{"overlap of eleven", `{ overlap(actorIds: ["a1","a2","a3","a4","a5","a6","a7","a8","a9","a10","a11"]) { projects { id } } }`, "BAD_USER_INPUT", "actorIds"},
		{"overlap of a project", `{ overlap(actorIds: ["difi", "sol"]) { projects { id } } }`, "BAD_USER_INPUT", "actorIds"},
		{"similar first 101", `{ similarActors(id: "difi", first: 101) { score } }`, "BAD_USER_INPUT", "first"},
		{"match minLevel 6", `{ matchNeed(needId: "difi-designkompetanse", minLevel: 6) { coverage } }`, "BAD_USER_INPUT", "minLevel"},
		{"match of an actor", `{ matchNeed(needId: "difi") { coverage } }`, "BAD_USER_INPUT", "needId"},
		{"consortium maxSize 11", `{ suggestConsortium(needId: "difi-designkompetanse", maxSize: 11) { coverage } }`, "BAD_USER_INPUT", "maxSize"},
		{"unknown need", `{ suggestConsortium(needId: "no-need") { coverage } }`, "NOT_FOUND", "needId"},
		{"depth 4", `{ neighborhood(id: "difi", depth: 4) { truncated } }`, "BAD_USER_INPUT", "depth"},
		{"limit 2001", `{ neighborhood(id: "difi", limit: 2001) { truncated } }`, "BAD_USER_INPUT", "limit"},
		{"brokers first 0", `{ brokers(first: 0) { exact } }`, "BAD_USER_INPUT", "first"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := post(t, h, c.query, nil)
			if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != c.code || r.Errors[0].Extensions["field"] != c.field {
				t.Fatalf("want %s naming %s, got %s", c.code, c.field, r.Raw)
			}
		})
	}
}

// Every analytic honours the request's deadline: past it, the answer is
// TIMEOUT, not a hang and not INTERNAL.
func TestAnalyticsTimeout(t *testing.T) {
	// A deadline that has passed by the time any resolver runs.
	h := handlerWith(t, seededStore(t), nil, time.Nanosecond)
	for _, q := range []string{
		`{ partnershipPaths(from: "kunnskapsbyen-lillestrom", to: "karlstads-kommun") { length } }`,
		`{ overlap(actorIds: ["compare", "karlstads-kommun"]) { jaccard { overall } } }`,
		`{ similarActors(id: "compare") { score } }`,
		`{ matchNeed(needId: "difi-designkompetanse") { coverage } }`,
		`{ suggestConsortium(needId: "difi-designkompetanse") { coverage } }`,
		`{ neighborhood(id: "difi", depth: 3) { truncated } }`,
		`{ brokers { exact } }`,
		`{ ecosystemStats { actors } }`,
		`{ measures(by: CLOSENESS) { rank } }`,
		`{ communities { modularity } }`,
	} {
		r := post(t, h, q, nil)
		if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "TIMEOUT" {
			t.Errorf("%s: %s", q, r.Raw)
		}
	}
}

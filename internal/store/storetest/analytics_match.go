package storetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

// matchFixture is a small ecosystem around the need "n1" of "own":
//
//	own ─PARTICIPATES_IN─ p1 ─ kappa, papa, quebec       (distance 2)
//	own ─PARTNERS_WITH─ mike                             (distance 1)
//	lima ─MEMBER_OF→ kappa                               (distance 3)
//	oscar ─PARTNERS_WITH─ lima                           (distance 4)
//	november, tango, romeo, sierra: no collaborators     (no distance)
//
// n1 requires c1 (importance 3), c2 (2), c3 (1): total 6. Who holds what
// at which level is listed below; own holds c1 at 5 and c3 at 1 but owns
// n1, so it is never a candidate for it.
func matchFixture() ([]kg.Node, []kg.Rel) {
	nodes := []kg.Node{
		actor("own", "Owner kommun", func(a *kg.Actor) { a.Kind, a.Sector = kg.KindMunicipality, kg.SectorPublic }),
		actor("kappa", "Kappa"), actor("lima", "Lima"), actor("mike", "Mike"), actor("november", "November"),
		actor("oscar", "Oscar"), actor("papa", "Papa"), actor("quebec", "Quebec"), actor("romeo", "Romeo"),
		actor("sierra", "Sierra"), actor("tango", "Tango"),
		project("p1", "Project one"),
		competency("c1", "One"), competency("c2", "Two"), competency("c3", "Three"), competency("c4", "Four"),
		need("n1", "Need one"), need("n2", "Need without owner"), need("n3", "Need nobody can meet"),
		need("n4", "Need without requirements"), need("n6", "Need half met"),
	}
	rels := []kg.Rel{
		participates("own", "p1", kg.RoleLead),
		participates("kappa", "p1", kg.RolePartner),
		participates("papa", "p1", kg.RolePartner),
		participates("quebec", "p1", kg.RoleParticipant),
		partners("own", "mike"),
		memberOf("lima", "kappa", ""),
		partners("oscar", "lima"),

		hasCompetency("own", "c1", 5), hasCompetency("own", "c3", 1),
		hasCompetency("kappa", "c1", 3), hasCompetency("kappa", "c2", 3),
		hasCompetency("lima", "c1", 5), hasCompetency("lima", "c2", 5),
		hasCompetency("mike", "c1", 2),
		hasCompetency("oscar", "c1", 4),
		hasCompetency("november", "c1", 4),
		hasCompetency("tango", "c1", 1),
		hasCompetency("quebec", "c2", 4),
		hasCompetency("papa", "c2", 2),
		hasCompetency("romeo", "c3", 3),
		hasCompetency("sierra", "c3", 3),

		hasNeed("own", "n1"), requires("n1", "c1", 3), requires("n1", "c2", 2), requires("n1", "c3", 1),
		requires("n2", "c3", 2), // nobody owns n2
		hasNeed("own", "n3"), requires("n3", "c4", 4),
		hasNeed("own", "n4"),
		hasNeed("own", "n6"), requires("n6", "c1", 2), requires("n6", "c4", 3),
		// A need-side link must not shorten distances: they run over the
		// default via only.
		addresses("p1", "n1"),
	}
	return nodes, rels
}

// matchLine renders a match compactly: id, coverage, distance ("-" for
// none), level sum, covered as comp:importance@level, missing as
// comp:importance.
func matchLine(m kg.Match) string {
	d := "-"
	if m.Distance != nil {
		d = fmt.Sprint(*m.Distance)
	}
	var cov, miss []string
	for _, c := range m.Covered {
		cov = append(cov, fmt.Sprintf("%s:%d@%d", c.CompetencyID, c.Importance, c.Level))
	}
	for _, c := range m.Missing {
		miss = append(miss, fmt.Sprintf("%s:%d", c.CompetencyID, c.Importance))
	}
	return fmt.Sprintf("%s cov=%.6f d=%s ls=%d covered=[%s] missing=[%s]", m.ActorID, m.Coverage, d, m.LevelSum,
		strings.Join(cov, " "), strings.Join(miss, " "))
}

func matchLines(ms []kg.Match) []string {
	out := []string{}
	for _, m := range ms {
		out = append(out, matchLine(m))
	}
	return out
}

func consortiumLine(c kg.Consortium) string {
	var members, miss []string
	for _, m := range c.Members {
		var adds []string
		for _, a := range m.Adds {
			adds = append(adds, fmt.Sprintf("%s:%d@%d", a.CompetencyID, a.Importance, a.Level))
		}
		members = append(members, m.ActorID+"{"+strings.Join(adds, " ")+"}")
	}
	for _, r := range c.Missing {
		miss = append(miss, fmt.Sprintf("%s:%d", r.CompetencyID, r.Importance))
	}
	return fmt.Sprintf("members=[%s] cov=%.6f missing=[%s]", strings.Join(members, " "), c.Coverage, strings.Join(miss, " "))
}

func testAnalyticsMatch(t *testing.T, newStore func(*testing.T) kg.Store) {
	s := newStore(t)
	nodes, rels := matchFixture()
	load(t, s, nodes, rels)
	a := kg.NewAnalytics(s)
	ctx := t.Context()

	// Lines of n1's candidates as they appear in most answers below.
	const (
		kappa    = "kappa cov=0.833333 d=2 ls=6 covered=[c1:3@3 c2:2@3] missing=[c3:1]"
		lima     = "lima cov=0.833333 d=3 ls=10 covered=[c1:3@5 c2:2@5] missing=[c3:1]"
		mike     = "mike cov=0.500000 d=1 ls=2 covered=[c1:3@2] missing=[c2:2 c3:1]"
		oscar    = "oscar cov=0.500000 d=4 ls=4 covered=[c1:3@4] missing=[c2:2 c3:1]"
		november = "november cov=0.500000 d=- ls=4 covered=[c1:3@4] missing=[c2:2 c3:1]"
		tango    = "tango cov=0.500000 d=- ls=1 covered=[c1:3@1] missing=[c2:2 c3:1]"
		quebec   = "quebec cov=0.333333 d=2 ls=4 covered=[c2:2@4] missing=[c1:3 c3:1]"
		papa     = "papa cov=0.333333 d=2 ls=2 covered=[c2:2@2] missing=[c1:3 c3:1]"
		romeo    = "romeo cov=0.166667 d=- ls=3 covered=[c3:1@3] missing=[c1:3 c2:2]"
		sierra   = "sierra cov=0.166667 d=- ls=3 covered=[c3:1@3] missing=[c1:3 c2:2]"
	)
	matchCases := []struct {
		name string
		q    kg.MatchQuery
		want []string
	}{
		// kappa and lima tie on coverage: distance decides; quebec and papa
		// tie on coverage and distance: the level sum decides; romeo and
		// sierra tie on everything but the id. Unknown distances come last.
		{"defaults: ties by distance, level sum, id", kg.MatchQuery{NeedID: "n1", First: 10, MaxHops: 4, MinLevel: 1},
			[]string{kappa, lima, mike, oscar, november, tango, quebec, papa, romeo, sierra}},
		{"first cuts the ranking", kg.MatchQuery{NeedID: "n1", First: 2, MaxHops: 4, MinLevel: 1},
			[]string{kappa, lima}},
		// oscar is 4 hops away: beyond maxHops 3 it has no distance and
		// falls behind november on the id.
		{"beyond maxHops no distance", kg.MatchQuery{NeedID: "n1", First: 100, MaxHops: 3, MinLevel: 1},
			[]string{kappa, lima, mike, november, strings.Replace(oscar, "d=4", "d=-", 1), tango, quebec, papa, romeo, sierra}},
		// Without distances, lima's higher level sum puts it before kappa.
		{"maxHops 1 reaches only the partner", kg.MatchQuery{NeedID: "n1", First: 100, MaxHops: 1, MinLevel: 1},
			[]string{strings.Replace(lima, "d=3", "d=-", 1), strings.Replace(kappa, "d=2", "d=-", 1), mike,
				november, strings.Replace(oscar, "d=4", "d=-", 1), tango,
				strings.Replace(quebec, "d=2", "d=-", 1), strings.Replace(papa, "d=2", "d=-", 1), romeo, sierra}},
		{"minLevel 2 drops the weak holder", kg.MatchQuery{NeedID: "n1", First: 100, MaxHops: 4, MinLevel: 2},
			[]string{kappa, lima, mike, oscar, november, quebec, papa, romeo, sierra}},
		// At minLevel 4 kappa's level-3 holdings no longer count at all, and
		// lima is the only one left covering two competencies.
		{"minLevel 4", kg.MatchQuery{NeedID: "n1", First: 100, MaxHops: 4, MinLevel: 4},
			[]string{lima, oscar, november, quebec}},
		// n2 has no owner: nobody has a distance, and own (a candidate here,
		// since it does not own n2) ranks by its level sum.
		{"need without owner", kg.MatchQuery{NeedID: "n2", First: 10, MaxHops: 8, MinLevel: 1},
			[]string{
				"romeo cov=1.000000 d=- ls=3 covered=[c3:2@3] missing=[]",
				"sierra cov=1.000000 d=- ls=3 covered=[c3:2@3] missing=[]",
				"own cov=1.000000 d=- ls=1 covered=[c3:2@1] missing=[]",
			}},
		{"need nobody can meet", kg.MatchQuery{NeedID: "n3", First: 10, MaxHops: 4, MinLevel: 1}, []string{}},
		{"need without requirements", kg.MatchQuery{NeedID: "n4", First: 10, MaxHops: 4, MinLevel: 1}, []string{}},
		{"partly coverable need", kg.MatchQuery{NeedID: "n6", First: 3, MaxHops: 4, MinLevel: 1},
			[]string{
				"mike cov=0.400000 d=1 ls=2 covered=[c1:2@2] missing=[c4:3]",
				"kappa cov=0.400000 d=2 ls=3 covered=[c1:2@3] missing=[c4:3]",
				"lima cov=0.400000 d=3 ls=5 covered=[c1:2@5] missing=[c4:3]",
			}},
	}
	for _, c := range matchCases {
		t.Run("Match/"+c.name, func(t *testing.T) {
			got, err := a.MatchNeed(ctx, c.q)
			if err != nil {
				t.Fatalf("MatchNeed(%+v): %v", c.q, err)
			}
			if got == nil {
				t.Errorf("MatchNeed(%+v) = nil, want a (possibly empty) list", c.q)
			}
			if g := matchLines(got); !slices.Equal(g, c.want) {
				t.Errorf("MatchNeed(%+v):\n got %s\nwant %s", c.q, strings.Join(g, "\n     "), strings.Join(c.want, "\n     "))
			}
			for _, m := range got {
				if m.ActorID == "own" && c.q.NeedID != "n2" {
					t.Errorf("the need's owner is listed as a candidate")
				}
			}
		})
	}

	consortiumCases := []struct {
		name    string
		need    string
		maxSize int
		want    string
	}{
		// Round 1: kappa and lima both add 5; kappa is earlier in the
		// need-matching order (closer). Round 2: only c3 is missing; lima,
		// mike, quebec … add nothing, romeo and sierra add 1 each: romeo.
		{"greedy cover completes", "n1", 3, "members=[kappa{c1:3@3 c2:2@3} romeo{c3:1@3}] cov=1.000000 missing=[]"},
		{"maxSize stops it", "n1", 1, "members=[kappa{c1:3@3 c2:2@3}] cov=0.833333 missing=[c3:1]"},
		// Nobody holds c4: after mike (closest of the c1 holders) nobody adds
		// anything, although there is room for more members.
		{"partial coverage", "n6", 5, "members=[mike{c1:2@2}] cov=0.400000 missing=[c4:3]"},
		{"need nobody can meet", "n3", 3, "members=[] cov=0.000000 missing=[c4:4]"},
		{"need without requirements", "n4", 3, "members=[] cov=0.000000 missing=[]"},
		{"need without owner", "n2", 2, "members=[romeo{c3:2@3}] cov=1.000000 missing=[]"},
	}
	for _, c := range consortiumCases {
		t.Run("Consortium/"+c.name, func(t *testing.T) {
			got, err := a.Consortium(ctx, kg.ConsortiumQuery{NeedID: c.need, MaxSize: c.maxSize})
			if err != nil {
				t.Fatalf("Consortium(%s, %d): %v", c.need, c.maxSize, err)
			}
			if g := consortiumLine(got); g != c.want {
				t.Errorf("Consortium(%s, %d):\n got %s\nwant %s", c.need, c.maxSize, g, c.want)
			}
		})
	}

	t.Run("Refusals", func(t *testing.T) {
		ok := kg.MatchQuery{NeedID: "n1", First: 10, MaxHops: 4, MinLevel: 1}
		with := func(f func(*kg.MatchQuery)) kg.MatchQuery { q := ok; f(&q); return q }
		matchRefusals := []struct {
			name  string
			q     kg.MatchQuery
			kind  error
			field string
		}{
			{"unknown need", with(func(q *kg.MatchQuery) { q.NeedID = "no-such-need" }), kg.ErrNotFound, "needId"},
			{"actor as need", with(func(q *kg.MatchQuery) { q.NeedID = "kappa" }), kg.ErrInvalid, "needId"},
			{"competency as need", with(func(q *kg.MatchQuery) { q.NeedID = "c1" }), kg.ErrInvalid, "needId"},
			{"malformed id", with(func(q *kg.MatchQuery) { q.NeedID = "Not An Id" }), kg.ErrInvalid, "needId"},
			{"empty id", with(func(q *kg.MatchQuery) { q.NeedID = "" }), kg.ErrInvalid, "needId"},
			{"first 0", with(func(q *kg.MatchQuery) { q.First = 0 }), kg.ErrInvalid, "first"},
			{"first 101", with(func(q *kg.MatchQuery) { q.First = 101 }), kg.ErrInvalid, "first"},
			{"maxHops 0", with(func(q *kg.MatchQuery) { q.MaxHops = 0 }), kg.ErrInvalid, "maxHops"},
			{"maxHops 9", with(func(q *kg.MatchQuery) { q.MaxHops = 9 }), kg.ErrInvalid, "maxHops"},
			{"minLevel 0", with(func(q *kg.MatchQuery) { q.MinLevel = 0 }), kg.ErrInvalid, "minLevel"},
			{"minLevel 6", with(func(q *kg.MatchQuery) { q.MinLevel = 6 }), kg.ErrInvalid, "minLevel"},
		}
		for _, c := range matchRefusals {
			_, err := a.MatchNeed(ctx, c.q)
			t.Run("MatchNeed "+c.name, func(t *testing.T) { checkErr(t, err, c.kind, c.field) })
		}
		consortiumRefusals := []struct {
			name  string
			q     kg.ConsortiumQuery
			kind  error
			field string
		}{
			{"unknown need", kg.ConsortiumQuery{NeedID: "no-such-need", MaxSize: 3}, kg.ErrNotFound, "needId"},
			{"project as need", kg.ConsortiumQuery{NeedID: "p1", MaxSize: 3}, kg.ErrInvalid, "needId"},
			{"malformed id", kg.ConsortiumQuery{NeedID: "-x", MaxSize: 3}, kg.ErrInvalid, "needId"},
			{"maxSize 0", kg.ConsortiumQuery{NeedID: "n1", MaxSize: 0}, kg.ErrInvalid, "maxSize"},
			{"maxSize 11", kg.ConsortiumQuery{NeedID: "n1", MaxSize: 11}, kg.ErrInvalid, "maxSize"},
		}
		for _, c := range consortiumRefusals {
			_, err := a.Consortium(ctx, c.q)
			t.Run("Consortium "+c.name, func(t *testing.T) { checkErr(t, err, c.kind, c.field) })
		}
	})

	// A write is seen at once: matching reads the store on every request.
	t.Run("SeesWrites", func(t *testing.T) {
		setRel(t, s, hasCompetency("sierra", "c1", 5))
		got, err := a.MatchNeed(ctx, kg.MatchQuery{NeedID: "n6", First: 1, MaxHops: 4, MinLevel: 5})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"lima cov=0.400000 d=3 ls=5 covered=[c1:2@5] missing=[c4:3]"}
		if g := matchLines(got); !slices.Equal(g, want) {
			t.Errorf("before the partnership: got %v, want %v", g, want)
		}
		setRel(t, s, partners("own", "sierra"))
		got, err = a.MatchNeed(ctx, kg.MatchQuery{NeedID: "n6", First: 1, MaxHops: 4, MinLevel: 5})
		if err != nil {
			t.Fatal(err)
		}
		want = []string{"sierra cov=0.400000 d=1 ls=5 covered=[c1:2@5] missing=[c4:3]"}
		if g := matchLines(got); !slices.Equal(g, want) {
			t.Errorf("after the partnership: got %v, want %v", g, want)
		}
	})
}

package graph_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// needFitLines asks needsFor and renders each fit as
// "need cov=… d=… covered=[comp@level …] missing=[comp …]".
func needFitLines(t *testing.T, h http.Handler, args string) []string {
	t.Helper()
	var resp struct {
		NeedsFor []struct {
			Need     struct{ ID string }
			Coverage float64
			Distance *int
			Covered  []struct {
				Competency struct{ ID string }
				Level      int
			}
			Missing []struct{ Competency struct{ ID string } }
		}
	}
	mustPost(t, h, `{ needsFor(`+args+`) { need { id } coverage distance covered { competency { id } level } missing { competency { id } } } }`, &resp, nil)
	out := []string{}
	for _, f := range resp.NeedsFor {
		var cov, miss []string
		for _, c := range f.Covered {
			cov = append(cov, fmt.Sprintf("%s@%d", c.Competency.ID, c.Level))
		}
		for _, c := range f.Missing {
			miss = append(miss, c.Competency.ID)
		}
		out = append(out, fmt.Sprintf("%s cov=%.4g d=%s covered=[%s] missing=[%s]", f.Need.ID, f.Coverage, dist(f.Distance),
			strings.Join(cov, " "), strings.Join(miss, " ")))
	}
	return out
}

// introductionLines asks introductions and renders each as
// "actor need direction cov=… d=… [comp@level …] path: id > id > …".
func introductionLines(t *testing.T, h http.Handler, args string) []string {
	t.Helper()
	var resp struct {
		Introductions []struct {
			Actor        struct{ ID string }
			Need         struct{ ID string }
			Direction    string
			Coverage     float64
			Distance     *int
			Competencies []struct {
				Competency struct{ ID string }
				Level      int
			}
			Path *struct {
				Length int
				Nodes  []struct{ ID string }
				Steps  []struct{ Type string }
			}
		}
	}
	mustPost(t, h, `{ introductions(`+args+`) { actor { id } need { id } direction coverage distance
		competencies { competency { id } level } path { length nodes { id } steps { type } } } }`, &resp, nil)
	out := []string{}
	for _, in := range resp.Introductions {
		var comps []string
		for _, c := range in.Competencies {
			comps = append(comps, fmt.Sprintf("%s@%d", c.Competency.ID, c.Level))
		}
		path := "none"
		if p := in.Path; p != nil {
			var ids []string
			for _, n := range p.Nodes {
				ids = append(ids, n.ID)
			}
			path = strings.Join(ids, " > ")
			if p.Length != len(p.Steps) || len(p.Nodes) != p.Length+1 {
				t.Errorf("path of %s: length %d, %d steps, %d nodes", in.Actor.ID, p.Length, len(p.Steps), len(p.Nodes))
			}
		}
		out = append(out, fmt.Sprintf("%s %s %s cov=%.4g d=%s [%s] path: %s", in.Actor.ID, in.Need.ID, in.Direction,
			in.Coverage, dist(in.Distance), strings.Join(comps, " "), path))
	}
	return out
}

func dist(d *int) string {
	if d == nil {
		return "-"
	}
	return fmt.Sprint(*d)
}

func wantLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got %s\nwant %s", what, strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
}

// lotsGraph is a company x with its people and unit, a municipality k it
// works with, a region r and companies c1–c4 (DESIGN.md §2.1, needs for an
// actor and introductions):
//
//	x ─LEAD─ proj1 ─PARTNER─ k ─PARTNERS_WITH─ c4        k is x's collaborator
//	xp, xq ─MEMBER_OF→ x; xp, xq, c1 ─ proj3             x's people (xp in 2017–2018)
//	xu ─PART_OF→ x; xup ─MEMBER_OF→ xu                   x's unit and its person (affiliates, not collaborators)
//	x ─PARTNERS_WITH─ m ─PARTNERS_WITH─ c1               the short way to c1, without a person
//	x ─PARTNERS_WITH─ m2 ─PARTNERS_WITH─ c2; lp ─MEMBER_OF→ m2   lp is a dead end: no warm path to c2
//	kp ─MEMBER_OF→ k, c4; kp, r ─ proj2
//	c3: no ties
//
// x holds ca at 2 and cc at 4. Its need nx (OPEN) requires ca 2, cb 2; nm
// (MET) requires cc.
func lotsGraph(t *testing.T) http.Handler {
	h := handler(t, newStore(t), nil)
	var b strings.Builder
	b.WriteString("mutation {\n")
	i := 0
	add := func(f string, args ...any) {
		i++
		fmt.Fprintf(&b, "  m%d: "+f+"\n", append([]any{i}, args...)...)
		_ = i
	}
	for _, a := range []struct{ id, kind, sector string }{
		{"x", "COMPANY", "PRIVATE"}, {"xp", "PERSON", "PRIVATE"}, {"xq", "PERSON", "PRIVATE"},
		{"xu", "COMPANY", "PRIVATE"}, {"xup", "PERSON", "PRIVATE"}, {"k", "MUNICIPALITY", "PUBLIC"},
		{"kp", "PERSON", "PUBLIC"}, {"r", "REGION", "PUBLIC"}, {"m", "MUNICIPALITY", "PUBLIC"},
		{"m2", "MUNICIPALITY", "PUBLIC"}, {"lp", "PERSON", "PUBLIC"},
		{"c1", "COMPANY", "PRIVATE"}, {"c2", "COMPANY", "PRIVATE"}, {"c3", "COMPANY", "PRIVATE"}, {"c4", "COMPANY", "PRIVATE"},
	} {
		add(`upsertActor(input: {id: %q, name: %q, kind: %s, sector: %s}) { id }`, a.id, strings.ToUpper(a.id), a.kind, a.sector)
	}
	for _, p := range []string{"proj1", "proj2", "proj3"} {
		add(`upsertProject(input: {id: %q, name: %q, status: ACTIVE}) { id }`, p, p)
	}
	for _, c := range []string{"ca", "cb", "cc"} {
		add(`upsertCompetency(input: {id: %q, name: %q, category: OTHER}) { id }`, c, c)
	}
	needs := []struct {
		id, status, owner string
		priority          int
		requires          map[string]int
	}{
		{"nx", "OPEN", "x", 3, map[string]int{"ca": 2, "cb": 2}},
		{"nm", "MET", "x", 3, map[string]int{"cc": 1}},
		{"nk1", "OPEN", "k", 2, map[string]int{"cc": 1}},
		{"nk2", "IN_PROGRESS", "k", 5, map[string]int{"cc": 1, "cb": 1}},
		{"nk3", "OPEN", "k", 1, map[string]int{"ca": 1, "cb": 1}},
		{"nk4", "OPEN", "k", 4, map[string]int{"cc": 3}},
		{"nk5", "IN_PROGRESS", "k", 4, map[string]int{"cc": 2}},
		{"nr", "OPEN", "r", 5, map[string]int{"cc": 1}},
		{"nmet", "MET", "r", 5, map[string]int{"cc": 1}},
		{"nq", "OPEN", "", 1, map[string]int{"cc": 1}},
		{"nc4", "OPEN", "c4", 1, map[string]int{"cc": 2}},
		{"nxu", "OPEN", "xu", 5, map[string]int{"cc": 1}},
		{"nxp", "OPEN", "xp", 5, map[string]int{"cc": 1}},
	}
	for _, n := range needs {
		add(`upsertNeed(input: {id: %q, name: %q, status: %s, priority: %d}) { id }`, n.id, n.id, n.status, n.priority)
		if n.owner != "" {
			add(`setNeedOwner(actorId: %q, needId: %q) { basis }`, n.owner, n.id)
		}
		for c, im := range n.requires {
			add(`setRequirement(needId: %q, competencyId: %q, importance: %d) { importance }`, n.id, c, im)
		}
	}
	for _, p := range [][3]string{
		{"x", "proj1", "LEAD"}, {"k", "proj1", "PARTNER"}, {"kp", "proj2", "PARTNER"}, {"r", "proj2", "LEAD"},
		{"xp", "proj3", "PARTNER"}, {"xq", "proj3", "PARTNER"}, {"c1", "proj3", "LEAD"},
	} {
		add(`setParticipation(actorId: %q, projectId: %q, role: %s) { role }`, p[0], p[1], p[2])
	}
	add(`setMembership(memberId: "xp", organisationId: "x", from: "2017-01-01", to: "2018-12-31") { basis }`)
	for _, m := range [][2]string{{"xq", "x"}, {"xup", "xu"}, {"kp", "k"}, {"kp", "c4"}, {"lp", "m2"}} {
		add(`setMembership(memberId: %q, organisationId: %q) { basis }`, m[0], m[1])
	}
	add(`setPartOf(partId: "xu", wholeId: "x") { basis }`)
	for _, p := range [][2]string{{"k", "c4"}, {"x", "m"}, {"m", "c1"}, {"x", "m2"}, {"m2", "c2"}} {
		add(`setPartnership(actorId: %q, partnerId: %q) { basis }`, p[0], p[1])
	}
	for _, c := range []struct {
		actor, comp string
		level       int
	}{
		{"x", "ca", 2}, {"x", "cc", 4},
		{"xp", "ca", 5}, {"xp", "cb", 5}, {"xup", "ca", 5}, {"xup", "cb", 5}, {"k", "ca", 3},
		{"c1", "ca", 3}, {"c1", "cb", 3}, {"c2", "ca", 4}, {"c2", "cb", 1}, {"c3", "ca", 5}, {"c4", "cb", 2},
		{"r", "ca", 1}, {"r", "cb", 1},
	} {
		add(`setCompetency(actorId: %q, competencyId: %q, level: %d) { level }`, c.actor, c.comp, c.level)
	}
	b.WriteString("}")
	if r := post(t, h, b.String(), nil); len(r.Errors) > 0 {
		t.Fatal(r.Raw)
	}
	return h
}

// Needs for an actor and introductions on a graph built to tell every rule
// of DESIGN.md §2.1 apart.
func TestNeedsForAndIntroductions(t *testing.T) {
	h := lotsGraph(t)

	t.Run("needsFor", func(t *testing.T) {
		// Coverage 1: nk4 and nk5 tie on distance and priority (4), the id
		// decides; nk1 has priority 2; nc4 is a hop further; nr's owner is
		// 5 hops away, beyond maxHops, and nq has none: priority decides.
		// Not listed: MET needs (nm, nmet), x's own (nx, nm) and those of
		// its unit (nxu) and its person (nxp).
		all := []string{
			"nk4 cov=1 d=2 covered=[cc@4] missing=[]",
			"nk5 cov=1 d=2 covered=[cc@4] missing=[]",
			"nk1 cov=1 d=2 covered=[cc@4] missing=[]",
			"nc4 cov=1 d=3 covered=[cc@4] missing=[]",
			"nr cov=1 d=- covered=[cc@4] missing=[]",
			"nq cov=1 d=- covered=[cc@4] missing=[]",
			"nk2 cov=0.5 d=2 covered=[cc@4] missing=[cb]",
			"nk3 cov=0.5 d=2 covered=[ca@2] missing=[cb]",
		}
		wantLines(t, "needsFor(x)", needFitLines(t, h, `actorId: "x"`), all)
		wantLines(t, "needsFor(x, first: 3)", needFitLines(t, h, `actorId: "x", first: 3`), all[:3])
		wantLines(t, "needsFor(x, maxHops: 5)", needFitLines(t, h, `actorId: "x", first: 100, maxHops: 5`), []string{
			all[0], all[1], all[2], all[3], "nr cov=1 d=5 covered=[cc@4] missing=[]", all[5], all[6], all[7]})
		// At maxHops 2 nc4 loses its distance and falls behind nr on the
		// priority.
		wantLines(t, "needsFor(x, maxHops: 2)", needFitLines(t, h, `actorId: "x", maxHops: 2`), []string{
			all[0], all[1], all[2], all[4], "nc4 cov=1 d=- covered=[cc@4] missing=[]", all[5], all[6], all[7]})
		// x holds ca at 2 only: at minLevel 3 nk3 is gone.
		wantLines(t, "needsFor(x, minLevel: 3)", needFitLines(t, h, `actorId: "x", minLevel: 3`), all[:7])
		// A need of x's organisation is not x's person's to meet: xp, whose
		// organisation x owns nx, is no candidate for it, nor for nxu (its
		// organisation's unit's).
		wantLines(t, "needsFor(xp)", needFitLines(t, h, `actorId: "xp"`), []string{
			"nk3 cov=1 d=3 covered=[ca@5 cb@5] missing=[]",
			"nk2 cov=0.5 d=3 covered=[cb@5] missing=[cc]",
		})
		// Coverage and distance tie: nx's priority 3 beats nk3's 1.
		wantLines(t, "needsFor(c3)", needFitLines(t, h, `actorId: "c3"`), []string{
			"nx cov=0.5 d=- covered=[ca@5] missing=[cb]",
			"nk3 cov=0.5 d=- covered=[ca@5] missing=[cb]",
		})
	})

	t.Run("introductions", func(t *testing.T) {
		// Coverage 1: c1 and c2 tie on distance 2, the id decides; c4's best
		// reason is its own need (1) rather than x's (0.5); r could meet nx
		// and x could meet nr, both fully: x's own need is the reason. c3 is
		// unreachable. c1's short way is through m, without a person: the
		// warm path goes through xp (before xq by id). c2 is reached only
		// through m2, whose person lp is a dead end. Never listed: k, m, m2,
		// xp, xq, xu (collaborators) and xup (x's unit's person).
		all := []string{
			"c1 nx CAN_MEET_YOUR_NEED cov=1 d=2 [ca@3 cb@3] path: x > xp > proj3 > c1",
			"c2 nx CAN_MEET_YOUR_NEED cov=1 d=2 [ca@4 cb@1] path: none",
			"c4 nc4 YOU_CAN_MEET_THEIRS cov=1 d=3 [cc@4] path: x > proj1 > k > kp > c4",
			"r nx CAN_MEET_YOUR_NEED cov=1 d=5 [ca@1 cb@1] path: x > proj1 > k > kp > proj2 > r",
			"c3 nx CAN_MEET_YOUR_NEED cov=0.5 d=- [ca@5] path: none",
		}
		wantLines(t, "introductions(x)", introductionLines(t, h, `actorId: "x"`), all)
		wantLines(t, "introductions(x, first: 2)", introductionLines(t, h, `actorId: "x", first: 2`), all[:2])
		// From k's side: x could meet k's needs and k x's, but they work
		// together; c4 (k's partner) and kp (k's person) are left out too.
		// r and xp tie on distance 3: the id decides. xp is a PERSON, but a
		// warm path needs one between the two: xq. c2 and xup are reached
		// only through x and m2 or xu, where no person stands.
		wantLines(t, "introductions(k)", introductionLines(t, h, `actorId: "k"`), []string{
			"r nk3 CAN_MEET_YOUR_NEED cov=1 d=3 [ca@1 cb@1] path: k > kp > proj2 > r",
			"xp nk3 CAN_MEET_YOUR_NEED cov=1 d=3 [ca@5 cb@5] path: k > proj1 > x > xq > proj3 > xp",
			"c1 nk3 CAN_MEET_YOUR_NEED cov=1 d=4 [ca@3 cb@3] path: k > proj1 > x > xp > proj3 > c1",
			"c2 nk3 CAN_MEET_YOUR_NEED cov=1 d=4 [ca@4 cb@1] path: none",
			"xup nk3 CAN_MEET_YOUR_NEED cov=1 d=4 [ca@5 cb@5] path: none",
			"c3 nk3 CAN_MEET_YOUR_NEED cov=0.5 d=- [ca@5] path: none",
		})
	})

	// xp is x's only in 2017–2018. Outside that period xp is neither x's
	// collaborator nor its own: a candidate for nx (3 hops, through xq),
	// and xp's need nxp is one x could meet; c1's warm path goes through
	// xq instead.
	t.Run("asOf", func(t *testing.T) {
		outside := []string{
			"c1 nx CAN_MEET_YOUR_NEED cov=1 d=2 [ca@3 cb@3] path: x > xq > proj3 > c1",
			"c2 nx CAN_MEET_YOUR_NEED cov=1 d=2 [ca@4 cb@1] path: none",
			"c4 nc4 YOU_CAN_MEET_THEIRS cov=1 d=3 [cc@4] path: x > proj1 > k > kp > c4",
			"xp nx CAN_MEET_YOUR_NEED cov=1 d=3 [ca@5 cb@5] path: x > xq > proj3 > xp",
			"r nx CAN_MEET_YOUR_NEED cov=1 d=5 [ca@1 cb@1] path: x > proj1 > k > kp > proj2 > r",
			"c3 nx CAN_MEET_YOUR_NEED cov=0.5 d=- [ca@5] path: none",
		}
		during := []string{
			"c1 nx CAN_MEET_YOUR_NEED cov=1 d=2 [ca@3 cb@3] path: x > xp > proj3 > c1",
			"c2 nx CAN_MEET_YOUR_NEED cov=1 d=2 [ca@4 cb@1] path: none",
			"c4 nc4 YOU_CAN_MEET_THEIRS cov=1 d=3 [cc@4] path: x > proj1 > k > kp > c4",
			"r nx CAN_MEET_YOUR_NEED cov=1 d=5 [ca@1 cb@1] path: x > proj1 > k > kp > proj2 > r",
			"c3 nx CAN_MEET_YOUR_NEED cov=0.5 d=- [ca@5] path: none",
		}
		wantLines(t, "introductions(x) in 2016", introductionLines(t, h, `actorId: "x", asOf: "2016-06-01"`), outside)
		wantLines(t, "introductions(x) in 2018", introductionLines(t, h, `actorId: "x", asOf: "2018-06-01"`), during)
		wantLines(t, "introductions(x) in 2019", introductionLines(t, h, `actorId: "x", asOf: "2019-06-01"`), outside)
		nxp := "nxp cov=1 d=3 covered=[cc@4] missing=[]"
		wantLines(t, "needsFor(x) in 2019", needFitLines(t, h, `actorId: "x", first: 5, asOf: "2019-06-01"`), []string{
			"nk4 cov=1 d=2 covered=[cc@4] missing=[]", "nk5 cov=1 d=2 covered=[cc@4] missing=[]",
			"nk1 cov=1 d=2 covered=[cc@4] missing=[]", nxp, "nc4 cov=1 d=3 covered=[cc@4] missing=[]"})
		if got := needFitLines(t, h, `actorId: "x", first: 100, asOf: "2018-06-01"`); slices.Contains(got, nxp) {
			t.Errorf("needsFor(x) in 2018 lists its own person's need: %v", got)
		}
	})

	t.Run("refusals", func(t *testing.T) {
		for _, c := range []struct{ name, query, code, field string }{
			{"needsFor of an unknown actor", `{ needsFor(actorId: "nobody") { coverage } }`, "NOT_FOUND", "actorId"},
			{"needsFor of a need", `{ needsFor(actorId: "nx") { coverage } }`, "BAD_USER_INPUT", "actorId"},
			{"needsFor first 0", `{ needsFor(actorId: "x", first: 0) { coverage } }`, "BAD_USER_INPUT", "first"},
			{"needsFor first 101", `{ needsFor(actorId: "x", first: 101) { coverage } }`, "BAD_USER_INPUT", "first"},
			{"needsFor maxHops 9", `{ needsFor(actorId: "x", maxHops: 9) { coverage } }`, "BAD_USER_INPUT", "maxHops"},
			{"needsFor maxHops 0", `{ needsFor(actorId: "x", maxHops: 0) { coverage } }`, "BAD_USER_INPUT", "maxHops"},
			{"needsFor minLevel 6", `{ needsFor(actorId: "x", minLevel: 6) { coverage } }`, "BAD_USER_INPUT", "minLevel"},
			{"needsFor minLevel 0", `{ needsFor(actorId: "x", minLevel: 0) { coverage } }`, "BAD_USER_INPUT", "minLevel"},
			{"needsFor asOf not a date", `{ needsFor(actorId: "x", asOf: "2020-13-01") { coverage } }`, "BAD_USER_INPUT", "asOf"},
			{"introductions of a project", `{ introductions(actorId: "proj1") { coverage } }`, "BAD_USER_INPUT", "actorId"},
			{"introductions malformed id", `{ introductions(actorId: "Not an id") { coverage } }`, "BAD_USER_INPUT", "actorId"},
			{"introductions first 0", `{ introductions(actorId: "x", first: 0) { coverage } }`, "BAD_USER_INPUT", "first"},
			{"introductions first 101", `{ introductions(actorId: "x", first: 101) { coverage } }`, "BAD_USER_INPUT", "first"},
			{"introductions asOf before 1970", `{ introductions(actorId: "x", asOf: "1969-12-31") { coverage } }`, "BAD_USER_INPUT", "asOf"},
		} {
			t.Run(c.name, func(t *testing.T) {
				r := post(t, h, c.query, nil)
				if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != c.code || r.Errors[0].Extensions["field"] != c.field {
					t.Fatalf("want %s naming %s, got %s", c.code, c.field, r.Raw)
				}
			})
		}
	})
}

// The README tour's "lots" questions on the seed: a municipality and a
// company, each seen from its own side.
func TestNeedsForAndIntroductionsOnTheSeed(t *testing.T) {
	h := handler(t, seededStore(t), nil)
	wantLines(t, "needsFor(karlstads-kommun)", needFitLines(t, h, `actorId: "karlstads-kommun"`), []string{
		"difi-innovative-tjenester cov=0.1667 d=- covered=[forvaltningskunnskap@4] missing=[anskaffelser brukerinvolvering gevinstrealisering innovasjonsledelse tjenestedesign]",
	})
	// Dialogmakarna's shortest way to Karlstads kommun is Innovationsforum
	// through DigitalWell Arena (3 hops, no person); the warm path goes
	// through Thomas Wernerheim of the Innovationsråd.
	wantLines(t, "introductions(karlstads-kommun)", introductionLines(t, h, `actorId: "karlstads-kommun"`), []string{
		"dialogmakarna karlstad-systematiskt-innovationsarbete CAN_MEET_YOUR_NEED cov=0.6667 d=3 [dialog-facilitering@5 innovasjonsledelse@4 organisatorisk-tvahandighet@4] path: karlstads-kommun > thomas-wernerheim > digitalwell-arena-innovationsrad > digitalwell-arena > dialogmakarna",
		"goran-lindsjo ai-data-matematik CAN_MEET_YOUR_NEED cov=0.5 d=- [ai@3] path: none",
		"niklas-tideklev karlstad-systematiskt-innovationsarbete CAN_MEET_YOUR_NEED cov=0.4667 d=4 [innovasjonsledelse@4 organisatorisk-tvahandighet@4] path: karlstads-kommun > thomas-wernerheim > digitalwell-arena-innovationsrad > digitalwell-arena > dialogmakarna > niklas-tideklev",
		"difi innovationslots CAN_MEET_YOUR_NEED cov=0.3333 d=- [forvaltningskunnskap@5] path: none",
		"annette-alkebo karlstad-systematiskt-innovationsarbete CAN_MEET_YOUR_NEED cov=0.2667 d=- [innovasjonsledelse@4] path: none",
		"sissel-kristin-hoel karlstad-systematiskt-innovationsarbete CAN_MEET_YOUR_NEED cov=0.2667 d=- [innovasjonsledelse@3] path: none",
		"sll karlstad-systematiskt-innovationsarbete CAN_MEET_YOUR_NEED cov=0.2667 d=- [innovasjonsledelse@4] path: none",
		"aho hverdagsinnovasjon CAN_MEET_YOUR_NEED cov=0.25 d=- [designmetodikk@4] path: none",
		"doga hverdagsinnovasjon CAN_MEET_YOUR_NEED cov=0.25 d=- [designmetodikk@5] path: none",
		"marie-granander karlstad-systematiskt-innovationsarbete CAN_MEET_YOUR_NEED cov=0.2 d=3 [dialog-facilitering@3] path: karlstads-kommun > ndhc > elina-svensson > compare > marie-granander",
	})
	wantLines(t, "needsFor(dialogmakarna)", needFitLines(t, h, `actorId: "dialogmakarna"`), []string{
		"karlstad-systematiskt-innovationsarbete cov=0.6667 d=3 covered=[dialog-facilitering@5 innovasjonsledelse@4 organisatorisk-tvahandighet@4] missing=[offentlig-privat-samverkan]",
		"sll-innovativ-organisation cov=0.3846 d=- covered=[innovasjonsledelse@4] missing=[digital-transformation tjenestedesign]",
		"difi-innovative-tjenester cov=0.2917 d=- covered=[anskaffelser@3 innovasjonsledelse@4] missing=[brukerinvolvering forvaltningskunnskap gevinstrealisering tjenestedesign]",
		"hverdagsinnovasjon cov=0.1875 d=3 covered=[innovasjonsledelse@4] missing=[designmetodikk offentlig-privat-samverkan teknologikompetanse]",
	})
	wantLines(t, "introductions(dialogmakarna)", introductionLines(t, h, `actorId: "dialogmakarna"`), []string{
		"karlstads-kommun karlstad-systematiskt-innovationsarbete YOU_CAN_MEET_THEIRS cov=0.6667 d=3 [dialog-facilitering@5 innovasjonsledelse@4 organisatorisk-tvahandighet@4] path: dialogmakarna > digitalwell-arena > digitalwell-arena-innovationsrad > thomas-wernerheim > karlstads-kommun",
		"sll sll-innovativ-organisation YOU_CAN_MEET_THEIRS cov=0.3846 d=- [innovasjonsledelse@4] path: none",
		"difi difi-innovative-tjenester YOU_CAN_MEET_THEIRS cov=0.2917 d=- [anskaffelser@3 innovasjonsledelse@4] path: none",
		"landstinget-i-varmland hverdagsinnovasjon YOU_CAN_MEET_THEIRS cov=0.1875 d=5 [innovasjonsledelse@4] path: dialogmakarna > digitalwell-arena > digitalwell-arena-innovationsrad > thomas-wernerheim > karlstads-kommun > ndhc > landstinget-i-varmland",
	})
	// A summary reads the warm path for people.
	var resp struct {
		Introductions []struct{ Path struct{ Summary string } }
	}
	mustPost(t, h, `{ introductions(actorId: "dialogmakarna", first: 1) { path { summary } } }`, &resp, nil)
	if len(resp.Introductions) != 1 || resp.Introductions[0].Path.Summary !=
		"Dialogmakarna — partner of DigitalWell Arena — includes DigitalWell Arenas Innovationsråd — with member Thomas Wernerheim — member of Karlstads kommun" {
		t.Errorf("summary: %+v", resp)
	}
}

package kg_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

func fmtConsortium(c kg.Consortium) string {
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
	return fmt.Sprintf("[%s] %.9f [%s]", strings.Join(members, " "), c.Coverage, strings.Join(miss, " "))
}

// The greedy cover takes the largest marginal gain each round, and a tie
// goes to the candidate the need matching ranks first (here the closer
// one, although its id sorts later).
func TestConsortiumGreedyRounds(t *testing.T) {
	req := func(c string, imp int) kg.Rel { r := mRel(kg.RelRequires, "n", c); r.Importance = imp; return r }
	has := func(a, c string) kg.Rel { return mRel(kg.RelHasCompetency, a, c) }
	g := kg.Graph{
		Actors: []*kg.Actor{
			mActor("owner", kg.KindMunicipality, kg.SectorPublic), mActor("big", kg.KindCompany, kg.SectorPrivate),
			mActor("aaa", kg.KindCompany, kg.SectorPrivate), mActor("bc", kg.KindCompany, kg.SectorPrivate),
			mActor("cd", kg.KindCompany, kg.SectorPrivate), mActor("c-only", kg.KindCompany, kg.SectorPrivate),
		},
		Needs:        []*kg.Need{mNeed("n")},
		Competencies: []*kg.Competency{mCompetency("a"), mCompetency("b"), mCompetency("c"), mCompetency("d")},
		Rels: []kg.Rel{
			mRel(kg.RelHasNeed, "owner", "n"), mRel(kg.RelPartnersWith, "owner", "big"),
			req("a", 5), req("b", 4), req("c", 3), req("d", 1),
			has("big", "a"), has("big", "b"), has("aaa", "a"), has("aaa", "b"),
			has("bc", "b"), has("bc", "c"), has("cd", "c"), has("cd", "d"), has("c-only", "c"),
		},
	}
	a := kg.NewAnalytics(openAnalyticsStore(t, g))
	cases := []struct {
		maxSize int
		want    string
	}{
		// Round 1: big and aaa add 9; big is nearer the owner. Round 2: of
		// the missing c (3) and d (1), cd adds 4, bc and c-only 3.
		{3, "[big{a:5@3 b:4@3} cd{c:3@3 d:1@3}] 1.000000000 []"},
		{1, "[big{a:5@3 b:4@3}] 0.692307692 [c:3 d:1]"},
	}
	for _, c := range cases {
		got, err := a.Consortium(t.Context(), kg.ConsortiumQuery{NeedID: "n", MaxSize: c.maxSize})
		if err != nil {
			t.Fatal(err)
		}
		if g := fmtConsortium(got); g != c.want {
			t.Errorf("maxSize %d: got %s, want %s", c.maxSize, g, c.want)
		}
	}
}

// On random graphs the consortium is the greedy cover over the full
// need-matching list, as a direct reading of the definition computes it.
func TestConsortiumAgainstDefinition(t *testing.T) {
	for seed := range uint64(25) {
		rng := rand.New(rand.NewPCG(seed, 11))
		g := randomNeedGraph(rng)
		a := kg.NewAnalytics(openAnalyticsStore(t, g))
		for _, n := range g.Needs {
			ranked, err := a.MatchNeed(t.Context(), kg.MatchQuery{NeedID: n.ID, First: kg.MaxMatchFirst,
				MaxHops: kg.DefaultMatchMaxHops, MinLevel: kg.DefaultMatchMinLevel})
			if err != nil {
				t.Fatal(err)
			}
			for _, maxSize := range []int{1, 2, 10} {
				got, err := a.Consortium(t.Context(), kg.ConsortiumQuery{NeedID: n.ID, MaxSize: maxSize})
				if err != nil {
					t.Fatal(err)
				}
				if g, want := fmtConsortium(got), greedyOracle(g, n.ID, ranked, maxSize); g != want {
					t.Errorf("seed %d need %s maxSize %d:\n got %s\nwant %s", seed, n.ID, maxSize, g, want)
				}
			}
		}
	}
}

func greedyOracle(g kg.Graph, needID string, ranked []kg.Match, maxSize int) string {
	missing := map[string]int{}
	total := 0
	for _, r := range g.Rels {
		if r.Type == kg.RelRequires && r.From == needID {
			missing[r.To] = r.Importance
			total += r.Importance
		}
	}
	var res kg.Consortium
	covered := 0
	for len(res.Members) < maxSize {
		best, bestGain := -1, 0
		for i, m := range ranked {
			gain := 0
			for _, c := range m.Covered {
				gain += missing[c.CompetencyID]
			}
			if gain > bestGain {
				best, bestGain = i, gain
			}
		}
		if best < 0 {
			break
		}
		mem := kg.ConsortiumMember{ActorID: ranked[best].ActorID}
		for _, c := range ranked[best].Covered {
			if missing[c.CompetencyID] > 0 {
				mem.Adds = append(mem.Adds, c)
				delete(missing, c.CompetencyID)
			}
		}
		covered += bestGain
		res.Members = append(res.Members, mem)
	}
	for _, r := range g.Rels {
		if r.Type == kg.RelRequires && r.From == needID && missing[r.To] > 0 {
			res.Missing = append(res.Missing, kg.RequiredCompetency{CompetencyID: r.To, Importance: r.Importance})
		}
	}
	slices.SortFunc(res.Missing, func(x, y kg.RequiredCompetency) int { return strings.Compare(x.CompetencyID, y.CompetencyID) })
	if total > 0 {
		res.Coverage = float64(covered) / float64(total)
	}
	return fmtConsortium(res)
}

package kg_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

func TestCheckRelsOf(t *testing.T) {
	if err := kg.CheckRelsOf(kg.RelMemberOf, kg.Both); err != nil {
		t.Errorf("valid arguments: %v", err)
	}
	for _, tc := range []struct {
		t     kg.RelType
		dir   kg.Direction
		field string
		msg   string
	}{
		{"LIKES", kg.Outgoing, "type", `type: "LIKES" is not a relationship type`},
		{kg.RelMemberOf, 3, "direction", "direction: 3 is not a direction"},
		{kg.RelMemberOf, -1, "direction", "direction: -1 is not a direction"},
		{"", 7, "type", `type: "" is not a relationship type`}, // the type is checked first
	} {
		err := kg.CheckRelsOf(tc.t, tc.dir)
		var ke *kg.Error
		if !errors.As(err, &ke) || !errors.Is(err, kg.ErrInvalid) || ke.Field != tc.field || err.Error() != tc.msg {
			t.Errorf("CheckRelsOf(%q, %d) = %v, want %q", tc.t, tc.dir, err, tc.msg)
		}
	}
}

func relLine(rs []kg.Rel) string {
	s := ""
	for _, r := range rs {
		s += fmt.Sprintf("%s:%s>%s ", r.Type, r.From, r.To)
	}
	return s
}

func TestSortRelsOf(t *testing.T) {
	rels := []kg.Rel{
		{Type: kg.RelMemberOf, From: "x", To: "c"},
		{Type: kg.RelMemberOf, From: "x", To: "b"},
		{Type: kg.RelMemberOf, From: "b", To: "x"}, // the same pair, joined the other way
		{Type: kg.RelMemberOf, From: "a", To: "x"},
	}
	kg.SortRelsOf("x", rels)
	if got, want := relLine(rels), "MEMBER_OF:a>x MEMBER_OF:b>x MEMBER_OF:x>b MEMBER_OF:x>c "; got != want {
		t.Errorf("SortRelsOf = %s, want %s", got, want)
	}
}

func TestSortIncident(t *testing.T) {
	if got := kg.SortIncident(nil); got != nil {
		t.Errorf("SortIncident(nil) = %#v, want nil", got)
	}
	pw := kg.Rel{Type: kg.RelPartnersWith, From: "b", To: "a", Role: "first"}
	rels := []kg.Rel{
		pw,
		{Type: kg.RelHasCompetency, From: "a", To: "c1"},
		{Type: kg.RelMemberOf, From: "b", To: "a"},
		{Type: kg.RelParticipatesIn, From: "b", To: "p"},
		{Type: kg.RelParticipatesIn, From: "a", To: "p"},
		{Type: kg.RelPartnersWith, From: "a", To: "b", Role: "second"}, // the same key, reached the other way
		{Type: kg.RelMemberOf, From: "b", To: "a"},                     // reached from both ends
	}
	got := kg.SortIncident(rels)
	want := "PARTICIPATES_IN:a>p PARTICIPATES_IN:b>p HAS_COMPETENCY:a>c1 MEMBER_OF:b>a PARTNERS_WITH:b>a "
	if relLine(got) != want {
		t.Errorf("SortIncident = %s, want %s", relLine(got), want)
	}
	if got[len(got)-1].Role != "first" {
		t.Error("SortIncident kept a later copy of a key, not the first")
	}
}

func TestRankHits(t *testing.T) {
	hit := func(id, name string, score float64) kg.SearchHit {
		return kg.SearchHit{Node: &kg.Competency{Meta: kg.Meta{ID: id, Name: name}}, Score: score}
	}
	hits := []kg.SearchHit{
		hit("z", "Alpha", 2), hit("y", "beta", 4), hit("x", "Ålpha", 2), hit("w", "alpha", 2), hit("v", "Gamma", 1),
	}
	got := kg.RankHits(hits, 4)
	var ids string
	for _, h := range got {
		ids += h.Node.Base().ID
	}
	// Score desc; then folded name (Alpha = alpha = Ålpha), then id.
	if ids != "ywxz" {
		t.Errorf("RankHits = %s, want ywxz", ids)
	}
	if n := len(kg.RankHits(hits, 10)); n != 5 {
		t.Errorf("first beyond the hits: %d hits", n)
	}
	if got := kg.RankHits(nil, 3); len(got) != 0 {
		t.Errorf("no hits: %v", got)
	}
}

package embedded

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

// analyticsGraph is a small graph with every relationship type, an actor
// without a country, a project nobody takes part in, and a partnership set
// "backwards" (a3 → a1), so that the stored direction differs from the
// key's order.
func analyticsGraph() kg.Graph {
	return kg.Graph{
		Actors: []*kg.Actor{
			{Meta: kg.Meta{ID: "a1", Name: "Karlstads kommun"}, Kind: kg.KindMunicipality, Sector: kg.SectorPublic, Country: "SE"},
			{Meta: kg.Meta{ID: "a2", Name: "Compare"}, Kind: kg.KindCompany, Sector: kg.SectorPrivate, Country: "NO"},
			{Meta: kg.Meta{ID: "a3", Name: "DOGA"}, Kind: kg.KindCluster, Sector: kg.SectorPrivate},
		},
		Projects: []*kg.Project{
			{Meta: kg.Meta{ID: "p1", Name: "NDHC"}, Status: kg.ProjectActive},
			{Meta: kg.Meta{ID: "p2", Name: "SOL"}, Status: kg.ProjectPlanned},
		},
		Needs:        []*kg.Need{{Meta: kg.Meta{ID: "n1", Name: "Welfare technology"}, Status: kg.NeedOpen, Priority: 3}},
		Competencies: []*kg.Competency{{Meta: kg.Meta{ID: "c1", Name: "Service design"}, Category: kg.CategoryDesign}},
		Rels: []kg.Rel{
			{Type: kg.RelPartnersWith, From: "a3", To: "a1", Since: "2018-05-01"},
			{Type: kg.RelParticipatesIn, From: "a2", To: "p1", Role: string(kg.RolePartner)},
			{Type: kg.RelParticipatesIn, From: "a1", To: "p1", Role: string(kg.RoleLead), Sources: []string{"article 1"}},
			{Type: kg.RelHasCompetency, From: "a1", To: "c1", Level: 3},
			{Type: kg.RelHasNeed, From: "a1", To: "n1"},
			{Type: kg.RelRequires, From: "n1", To: "c1", Importance: 2},
			{Type: kg.RelAddresses, From: "p1", To: "n1"},
			{Type: kg.RelMemberOf, From: "a2", To: "a3", Role: "member"},
		},
	}
}

func openAnalyticsStore(t *testing.T) *Store {
	t.Helper()
	s := openStore(t, t.TempDir())
	if _, err := s.Import(context.Background(), analyticsGraph()); err != nil {
		t.Fatalf("Import: %v", err)
	}
	return s
}

func lnk(t kg.RelType, from, to string) kg.Link { return kg.Link{Type: t, From: from, To: to} }

func linksOf(rels []kg.Rel) []kg.Link {
	out := []kg.Link{}
	for _, r := range rels {
		out = append(out, kg.Link{Type: r.Type, From: r.From, To: r.To})
	}
	return out
}

func TestIncident(t *testing.T) {
	s := openAnalyticsStore(t)
	var (
		pi = kg.RelParticipatesIn
		mo = kg.RelMemberOf
		pw = kg.RelPartnersWith
	)
	tests := []struct {
		name  string
		types []kg.RelType
		ids   []string
		want  []kg.Link
	}{
		{"outgoing only of the type", []kg.RelType{pi}, []string{"a1"}, []kg.Link{lnk(pi, "a1", "p1")}},
		{"incoming, ordered by from", []kg.RelType{pi}, []string{"p1"}, []kg.Link{lnk(pi, "a1", "p1"), lnk(pi, "a2", "p1")}},
		{"other types left out", []kg.RelType{kg.RelHasCompetency}, []string{"a2", "p1"}, []kg.Link{}},
		{"default via, in type order", kg.RelTypesOf(nil), []string{"a1", "a2"},
			[]kg.Link{lnk(pi, "a1", "p1"), lnk(pi, "a2", "p1"), lnk(mo, "a2", "a3"), lnk(pw, "a3", "a1")}},
		{"types given out of order", []kg.RelType{pw, mo, pi}, []string{"a3"},
			[]kg.Link{lnk(mo, "a2", "a3"), lnk(pw, "a3", "a1")}},
		{"both endpoints among ids: once", []kg.RelType{pw}, []string{"a1", "a3"}, []kg.Link{lnk(pw, "a3", "a1")}},
		{"both endpoints, ids reversed", []kg.RelType{pw, pi}, []string{"p1", "a3", "a1"},
			[]kg.Link{lnk(pi, "a1", "p1"), lnk(pi, "a2", "p1"), lnk(pw, "a3", "a1")}},
		{"repeated ids and types", []kg.RelType{pi, pi}, []string{"a1", "a1"}, []kg.Link{lnk(pi, "a1", "p1")}},
		{"need group from the need", kg.ViaNeed.RelTypes(), []string{"n1"},
			[]kg.Link{lnk(kg.RelHasNeed, "a1", "n1"), lnk(kg.RelRequires, "n1", "c1"), lnk(kg.RelAddresses, "p1", "n1")}},
		{"unknown ids have none", kg.RelTypes, []string{"nobody", "zz"}, []kg.Link{}},
		{"unknown ids beside known", []kg.RelType{mo}, []string{"nobody", "a3"}, []kg.Link{lnk(mo, "a2", "a3")}},
		{"node without relationships", kg.RelTypes, []string{"p2"}, []kg.Link{}},
		{"no types", nil, []string{"a1"}, []kg.Link{}},
		{"no ids", kg.RelTypes, nil, []kg.Link{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.Incident(context.Background(), tc.types, tc.ids)
			if err != nil {
				t.Fatalf("Incident: %v", err)
			}
			if g := linksOf(got); !reflect.DeepEqual(g, tc.want) {
				t.Errorf("Incident(%v, %v) = %v, want %v", tc.types, tc.ids, g, tc.want)
			}
		})
	}
}

func TestIncidentReturnsPropertiesAsCopies(t *testing.T) {
	ctx := context.Background()
	s := openAnalyticsStore(t)
	got, err := s.Incident(ctx, []kg.RelType{kg.RelParticipatesIn, kg.RelHasCompetency, kg.RelPartnersWith}, []string{"a1"})
	if err != nil {
		t.Fatalf("Incident: %v", err)
	}
	if len(got) != 3 {
		t.Fatalf("Incident gave %d relationships, want 3: %v", len(got), got)
	}
	if r := got[0]; r.Role != string(kg.RoleLead) || !reflect.DeepEqual(r.Sources, []string{"article 1"}) || r.CreatedAt.IsZero() {
		t.Errorf("participation lost properties: %+v", r)
	}
	if got[1].Level != 3 || got[2].Since != "2018-05-01" {
		t.Errorf("competency level %d, partnership since %q; want 3 and 2018-05-01", got[1].Level, got[2].Since)
	}
	got[0].Sources[0] = "changed"
	again, err := s.Incident(ctx, []kg.RelType{kg.RelParticipatesIn}, []string{"a1"})
	if err != nil {
		t.Fatalf("Incident: %v", err)
	}
	if again[0].Sources[0] != "article 1" {
		t.Errorf("changing a returned relationship changed the store: sources %v", again[0].Sources)
	}
}

func TestIncidentRefusesUnknownType(t *testing.T) {
	s := openAnalyticsStore(t)
	_, err := s.Incident(context.Background(), []kg.RelType{kg.RelParticipatesIn, "KNOWS"}, []string{"a1"})
	if !errors.Is(err, kg.ErrInvalid) {
		t.Fatalf("Incident with type KNOWS: err = %v, want ErrInvalid", err)
	}
}

func TestIncidentSeesWrites(t *testing.T) {
	ctx := context.Background()
	s := openAnalyticsStore(t)
	if _, err := s.RemoveRel(ctx, kg.RelPartnersWith, "a1", "a3"); err != nil {
		t.Fatalf("RemoveRel: %v", err)
	}
	if _, err := s.DeleteNode(ctx, kg.LabelActor, "a2"); err != nil {
		t.Fatalf("DeleteNode: %v", err)
	}
	got, err := s.Incident(ctx, kg.RelTypes, []string{"a1", "a2", "a3", "p1"})
	if err != nil {
		t.Fatalf("Incident: %v", err)
	}
	want := []kg.Link{lnk(kg.RelParticipatesIn, "a1", "p1"), lnk(kg.RelHasCompetency, "a1", "c1"),
		lnk(kg.RelHasNeed, "a1", "n1"), lnk(kg.RelAddresses, "p1", "n1")}
	if g := linksOf(got); !reflect.DeepEqual(g, want) {
		t.Errorf("after removing a partnership and deleting a2: %v, want %v", g, want)
	}
}

func TestProjection(t *testing.T) {
	ctx := context.Background()
	s := openAnalyticsStore(t)
	got, err := s.Projection(ctx)
	if err != nil {
		t.Fatalf("Projection: %v", err)
	}
	v, err := s.Version(ctx)
	if err != nil {
		t.Fatalf("Version: %v", err)
	}
	want := &kg.Projection{
		Version: v,
		Actors: []kg.ProjectedActor{
			{ID: "a1", Kind: kg.KindMunicipality, Sector: kg.SectorPublic, Country: "SE"},
			{ID: "a2", Kind: kg.KindCompany, Sector: kg.SectorPrivate, Country: "NO"},
			{ID: "a3", Kind: kg.KindCluster, Sector: kg.SectorPrivate},
		},
		NodeCounts: map[kg.Label]int{kg.LabelActor: 3, kg.LabelProject: 2, kg.LabelNeed: 1, kg.LabelCompetency: 1},
		RelCounts: map[kg.RelType]int{kg.RelParticipatesIn: 2, kg.RelHasCompetency: 1, kg.RelHasNeed: 1,
			kg.RelRequires: 1, kg.RelAddresses: 1, kg.RelMemberOf: 1, kg.RelPartnersWith: 1},
		Links: []kg.Link{lnk(kg.RelParticipatesIn, "a1", "p1"), lnk(kg.RelParticipatesIn, "a2", "p1"),
			lnk(kg.RelMemberOf, "a2", "a3"), lnk(kg.RelPartnersWith, "a3", "a1")},
	}
	if v == 0 {
		t.Fatal("Version is 0 after an import")
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Projection =\n%+v\nwant\n%+v", got, want)
	}

	// After a write the projection moves to the new version and content.
	if _, err := s.DeleteNode(ctx, kg.LabelProject, "p1"); err != nil {
		t.Fatalf("DeleteNode: %v", err)
	}
	got, err = s.Projection(ctx)
	if err != nil {
		t.Fatalf("Projection: %v", err)
	}
	if v2, _ := s.Version(ctx); got.Version != v2 || v2 <= v {
		t.Errorf("after a delete: projection version %d, store version %d, before %d", got.Version, v2, v)
	}
	wantLinks := []kg.Link{lnk(kg.RelMemberOf, "a2", "a3"), lnk(kg.RelPartnersWith, "a3", "a1")}
	if !reflect.DeepEqual(got.Links, wantLinks) {
		t.Errorf("after deleting p1: links %v, want %v", got.Links, wantLinks)
	}
	if got.NodeCounts[kg.LabelProject] != 1 || got.RelCounts[kg.RelParticipatesIn] != 0 || got.RelCounts[kg.RelAddresses] != 0 {
		t.Errorf("after deleting p1: counts %v %v", got.NodeCounts, got.RelCounts)
	}
}

func TestProjectionOfEmptyStore(t *testing.T) {
	s := openStore(t, t.TempDir())
	got, err := s.Projection(context.Background())
	if err != nil {
		t.Fatalf("Projection: %v", err)
	}
	want := &kg.Projection{
		NodeCounts: map[kg.Label]int{kg.LabelActor: 0, kg.LabelProject: 0, kg.LabelNeed: 0, kg.LabelCompetency: 0},
		RelCounts: map[kg.RelType]int{kg.RelParticipatesIn: 0, kg.RelHasCompetency: 0, kg.RelHasNeed: 0,
			kg.RelRequires: 0, kg.RelAddresses: 0, kg.RelMemberOf: 0, kg.RelPartnersWith: 0},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Projection of an empty store = %+v, want %+v", got, want)
	}
}

func TestAnalyticsReadsOnClosedStore(t *testing.T) {
	s := openAnalyticsStore(t)
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := s.Incident(context.Background(), kg.RelTypes, []string{"a1"}); !errors.Is(err, kg.ErrUnavailable) {
		t.Errorf("Incident on a closed store: err = %v, want ErrUnavailable", err)
	}
	if _, err := s.Projection(context.Background()); !errors.Is(err, kg.ErrUnavailable) {
		t.Errorf("Projection on a closed store: err = %v, want ErrUnavailable", err)
	}
}

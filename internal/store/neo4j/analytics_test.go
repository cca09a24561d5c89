package neo4j

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/samverkan/samverkan/internal/kg"
)

// rows builds result records with the given columns, as the driver hands
// them back.
func rows(keys []string, values ...[]any) []record {
	recs := make([]*neo4j.Record, len(values))
	for i, v := range values {
		recs[i] = &neo4j.Record{Keys: keys, Values: v}
	}
	return records(recs)
}

// incidentRow is one row of incident.cypher for r.
func incidentRow(r kg.Rel) []any {
	return []any{r.From, r.To, dbtype.Relationship{Type: string(r.Type), Props: asDriver(relProps(r))}}
}

func TestIncidentFromDedupesAndSortsLikeTheEmbeddedStore(t *testing.T) {
	rel := func(typ kg.RelType, from, to string) kg.Rel {
		r := kg.Rel{Type: typ, From: from, To: to, CreatedAt: t0, UpdatedAt: t0}
		switch typ {
		case kg.RelParticipatesIn:
			r.Role = string(kg.RolePartner)
		case kg.RelHasCompetency:
			r.Level = 2
		}
		return r
	}
	pw := rel(kg.RelPartnersWith, "b", "a") // stored b → a: the direction stays
	pi1 := rel(kg.RelParticipatesIn, "b", "p")
	pi2 := rel(kg.RelParticipatesIn, "a", "p")
	hc := rel(kg.RelHasCompetency, "a", "c")
	mo := rel(kg.RelMemberOf, "a", "b")
	keys := []string{"from", "to", "r"}
	// The server's row order is arbitrary, and a relationship reached from
	// both ends may come twice if a statement change ever lost DISTINCT.
	got, err := incidentFrom(rows(keys, incidentRow(pw), incidentRow(mo), incidentRow(pi1), incidentRow(hc),
		incidentRow(pw), incidentRow(pi2)))
	if err != nil {
		t.Fatal(err)
	}
	want := []kg.Rel{pi2, pi1, hc, mo, pw}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("incidentFrom =\n%#v\nwant\n%#v", got, want)
	}

	if got, err := incidentFrom(nil); err != nil || got != nil {
		t.Errorf("no rows: %v, %v; want nil, nil", got, err)
	}
	bad := rows(keys, []any{"a", "b", dbtype.Relationship{Type: "KNOWS"}})
	if _, err := incidentFrom(bad); err == nil {
		t.Error("a relationship of an unknown type was accepted")
	}
	if _, err := incidentFrom(rows([]string{"from", "r"}, []any{"a", dbtype.Relationship{Type: "MEMBER_OF"}})); err == nil {
		t.Error("a row without the to column was accepted")
	}
}

func TestIncidentParamsMatchTheStatement(t *testing.T) {
	p := incidentParams([]kg.RelType{kg.RelMemberOf, kg.RelPartnersWith}, []string{"a", "b", "a"})
	if err := stmt(stmtIncident).checkParams(p); err != nil {
		t.Fatal(err)
	}
	if want := []string{"MEMBER_OF", "PARTNERS_WITH"}; !reflect.DeepEqual(p["types"], want) {
		t.Errorf("types = %v, want %v", p["types"], want)
	}
	if want := []string{"a", "b"}; !reflect.DeepEqual(p["ids"], want) {
		t.Errorf("ids = %v, want %v", p["ids"], want)
	}
}

// A Store without a driver: these calls must answer without the server.
func TestIncidentAnswersWithoutAServerWhenItCan(t *testing.T) {
	s := &Store{}
	ctx := context.Background()
	if _, err := s.Incident(ctx, []kg.RelType{kg.RelMemberOf, "KNOWS"}, []string{"a"}); !errors.Is(err, kg.ErrInvalid) {
		t.Errorf("unknown type: err = %v, want ErrInvalid", err)
	}
	for _, tc := range []struct {
		types []kg.RelType
		ids   []string
	}{{nil, []string{"a"}}, {kg.RelTypes, nil}} {
		if got, err := s.Incident(ctx, tc.types, tc.ids); err != nil || got != nil {
			t.Errorf("Incident(%v, %v) = %v, %v; want nil, nil", tc.types, tc.ids, got, err)
		}
	}
}

func TestProjectionFrom(t *testing.T) {
	in := projectionRows{
		actors: rows([]string{"id", "kind", "sector", "country"},
			[]any{"b", "COMPANY", "PRIVATE", "NO"},
			[]any{"a", "MUNICIPALITY", "PUBLIC", "SE"},
			[]any{"c", "CLUSTER", "PRIVATE", ""},
			[]any{"d", nil, nil, nil}, // written by another tool
		),
		labels: rows([]string{"label", "count"},
			[]any{"Actor", int64(4)}, []any{"Project", int64(2)}, []any{"Need", int64(0)}), // no Competency row
		types: rows([]string{"type", "count"},
			[]any{"PARTNERS_WITH", int64(1)}, []any{"PARTICIPATES_IN", int64(3)}, []any{"REQUIRES", int64(0)}),
		links: rows([]string{"type", "from", "to"},
			[]any{"PARTNERS_WITH", "c", "a"},
			[]any{"PARTICIPATES_IN", "b", "p1"},
			[]any{"MEMBER_OF", "b", "c"},
			[]any{"PARTICIPATES_IN", "a", "p2"},
			[]any{"PARTICIPATES_IN", "a", "p1"},
		),
	}
	got, err := projectionFrom(42, in)
	if err != nil {
		t.Fatal(err)
	}
	want := &kg.Projection{
		Version: 42,
		Actors: []kg.ProjectedActor{
			{ID: "a", Kind: kg.KindMunicipality, Sector: kg.SectorPublic, Country: "SE"},
			{ID: "b", Kind: kg.KindCompany, Sector: kg.SectorPrivate, Country: "NO"},
			{ID: "c", Kind: kg.KindCluster, Sector: kg.SectorPrivate},
			{ID: "d"},
		},
		NodeCounts: map[kg.Label]int{kg.LabelActor: 4, kg.LabelProject: 2, kg.LabelNeed: 0, kg.LabelCompetency: 0},
		RelCounts: map[kg.RelType]int{kg.RelParticipatesIn: 3, kg.RelHasCompetency: 0, kg.RelHasNeed: 0,
			kg.RelRequires: 0, kg.RelAddresses: 0, kg.RelMemberOf: 0, kg.RelPartnersWith: 1},
		Links: []kg.Link{
			{Type: kg.RelParticipatesIn, From: "a", To: "p1"},
			{Type: kg.RelParticipatesIn, From: "a", To: "p2"},
			{Type: kg.RelParticipatesIn, From: "b", To: "p1"},
			{Type: kg.RelMemberOf, From: "b", To: "c"},
			{Type: kg.RelPartnersWith, From: "c", To: "a"},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("projectionFrom =\n%+v\nwant\n%+v", got, want)
	}

	empty, err := projectionFrom(0, projectionRows{})
	if err != nil {
		t.Fatal(err)
	}
	if len(empty.NodeCounts) != len(kg.Labels) || len(empty.RelCounts) != len(kg.RelTypes) || empty.Actors != nil || empty.Links != nil {
		t.Errorf("empty projection = %+v; want every label and type counted 0, no actors or links", empty)
	}
}

func TestProjectionFromRefusesMalformedRows(t *testing.T) {
	tests := []struct {
		name string
		rows projectionRows
	}{
		{"actor without id", projectionRows{actors: rows([]string{"id", "kind", "sector", "country"}, []any{nil, "COMPANY", "PRIVATE", "SE"})}},
		{"actor kind not a string", projectionRows{actors: rows([]string{"id", "kind", "sector", "country"}, []any{"a", int64(3), "PRIVATE", "SE"})}},
		{"unknown label", projectionRows{labels: rows([]string{"label", "count"}, []any{"Organisation", int64(1)})}},
		{"count not an integer", projectionRows{labels: rows([]string{"label", "count"}, []any{"Actor", "many"})}},
		{"negative count", projectionRows{types: rows([]string{"type", "count"}, []any{"MEMBER_OF", int64(-1)})}},
		{"unknown type", projectionRows{types: rows([]string{"type", "count"}, []any{"KNOWS", int64(1)})}},
		{"link of a non-link type", projectionRows{links: rows([]string{"type", "from", "to"}, []any{"HAS_NEED", "a", "n"})}},
		{"link without to", projectionRows{links: rows([]string{"type", "from"}, []any{"MEMBER_OF", "a"})}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if p, err := projectionFrom(1, tc.rows); err == nil {
				t.Errorf("accepted: %+v", p)
			}
		})
	}
}

// Cypher cannot take labels or types as parameters, so the count and link
// statements spell them out; they must stay in step with the domain.
func TestProjectionStatementsCoverTheDomain(t *testing.T) {
	labels := statements[stmtProjectionLabelCounts].text
	for _, l := range kg.Labels {
		if !strings.Contains(labels, "MATCH (n:"+string(l)+") RETURN '"+string(l)+"' AS label") {
			t.Errorf("%s.cypher does not count %s", stmtProjectionLabelCounts, l)
		}
	}
	types := statements[stmtProjectionRelCounts].text
	for _, typ := range kg.RelTypes {
		if !strings.Contains(types, "MATCH ()-[r:"+string(typ)+"]->() RETURN '"+string(typ)+"' AS type") {
			t.Errorf("%s.cypher does not count %s", stmtProjectionRelCounts, typ)
		}
	}
	names := make([]string, len(kg.LinkTypes))
	for i, typ := range kg.LinkTypes {
		names[i] = string(typ)
	}
	if !strings.Contains(statements[stmtProjectionLinks].text, "[r:"+strings.Join(names, "|")+"]") {
		t.Errorf("%s.cypher does not read exactly the link types %v", stmtProjectionLinks, names)
	}
	for _, name := range []string{stmtProjectionActors, stmtProjectionLabelCounts, stmtProjectionRelCounts, stmtProjectionLinks} {
		if err := stmt(name).checkParams(map[string]any{}); err != nil {
			t.Errorf("Projection runs %s without parameters: %v", name, err)
		}
	}
}

func TestReadVersion(t *testing.T) {
	answer := func(recs []record) queryRunner {
		return func(name string, params map[string]any) ([]record, error) {
			if name != stmtVersionGet {
				t.Errorf("ran %s, want %s", name, stmtVersionGet)
			}
			if err := stmt(name).checkParams(params); err != nil {
				t.Error(err)
			}
			return recs, nil
		}
	}
	if v, err := readVersion(answer(rows([]string{"version"}, []any{int64(7)}))); err != nil || v != 7 {
		t.Errorf("readVersion = %d, %v; want 7", v, err)
	}
	for name, recs := range map[string][]record{
		"no row":   nil,
		"negative": rows([]string{"version"}, []any{int64(-1)}),
		"a string": rows([]string{"version"}, []any{"7"}),
	} {
		if _, err := readVersion(answer(recs)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

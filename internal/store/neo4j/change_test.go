package neo4j

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

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

// What version_bump.cypher stores is exactly json.Marshal of the change at
// the new version.
func TestChangeRestIsTheRecordWithoutItsVersion(t *testing.T) {
	a := &kg.Actor{Meta: kg.Meta{ID: "a", Name: "A"}, Kind: kg.KindCompany, Sector: kg.SectorPrivate, Country: "SE"}
	for _, ch := range []kg.Change{
		{},
		{Version: 99, Nodes: []kg.ChangedNode{kg.ChangedNodeOf(a)}},
		{DeletedNodes: []kg.NodeRef{{ID: "a", Label: kg.LabelActor}}},
		{RemovedRels: []kg.RelKey{kg.KeyOf(kg.RelPartnersWith, "b", "a")}},
		{Rels: []kg.ChangedRel{{Type: kg.RelParticipatesIn, From: "a", To: "p", Role: "LEAD", Start: "2020-01-01"}}},
	} {
		rest, err := changeRest(ch)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []uint64{1, 12345678901} {
			stored := `{"version":` + strconv.FormatUint(v, 10) + rest
			ch.Version = v
			want, _ := json.Marshal(ch)
			if stored != string(want) {
				t.Errorf("stored %s, want %s", stored, want)
			}
			var back kg.Change
			if err := json.Unmarshal([]byte(stored), &back); err != nil || !reflect.DeepEqual(back, ch) {
				t.Errorf("%s reads back as %+v (%v), want %+v", stored, back, err, ch)
			}
		}
	}
}

func changesAt(versions ...uint64) []kg.Change {
	out := make([]kg.Change, len(versions))
	for i, v := range versions {
		out[i] = kg.Change{Version: v}
	}
	return out
}

func TestChangeLogNext(t *testing.T) {
	limit := make([]uint64, catchUpLimit)
	for i := range limit {
		limit[i] = uint64(11 + i)
	}
	tests := []struct {
		name    string
		log     changeLog
		after   uint64
		n       int
		reach   uint64
		wantOK  bool
		comment string
	}{
		{"up to date", changeLog{version: 10}, 10, 0, 10, true, ""},
		{"behind, every record", changeLog{version: 13, changes: changesAt(11, 12, 13)}, 10, 3, 13, true, ""},
		{"the newest record not visible yet", changeLog{version: 13, changes: changesAt(11, 12)}, 10, 2, 12, true, "a write committing meanwhile"},
		{"one write committing, none visible", changeLog{version: 11}, 10, 0, 10, true, ""},
		{"pruned: the first records are gone", changeLog{version: 13, changes: changesAt(12, 13)}, 10, 0, 10, false, ""},
		{"pruned: none left", changeLog{version: 13}, 10, 0, 10, false, ""},
		{"a hole in the middle", changeLog{version: 14, changes: changesAt(11, 13, 14)}, 10, 1, 11, false, ""},
		{"the version went back", changeLog{version: 3, changes: nil}, 10, 0, 10, false, "another database"},
		{"too many", changeLog{version: 11 + catchUpLimit, changes: changesAt(limit...)}, 10, catchUpLimit, 10 + catchUpLimit, false, "cut by the limit"},
		{"exactly the limit", changeLog{version: 10 + catchUpLimit, changes: changesAt(limit...)}, 10, catchUpLimit, 10 + catchUpLimit, true, ""},
	}
	for _, tc := range tests {
		n, reach, ok := tc.log.next(tc.after)
		if n != tc.n || reach != tc.reach || ok != tc.wantOK {
			t.Errorf("%s: next(%d) = %d, %d, %v; want %d, %d, %v", tc.name, tc.after, n, reach, ok, tc.n, tc.reach, tc.wantOK)
		}
	}
}

func TestChangeLogFrom(t *testing.T) {
	rec := func(v int64, ch kg.Change) map[string]any {
		b, _ := json.Marshal(ch)
		return map[string]any{"version": v, "change": string(b)}
	}
	keys := []string{"version", "changes"}
	got, err := changeLogFrom(rows(keys, []any{int64(7), []any{
		rec(7, kg.Change{Version: 7, DeletedNodes: []kg.NodeRef{{ID: "x", Label: kg.LabelNeed}}}),
		rec(6, kg.Change{Version: 6}),
	}}))
	if err != nil {
		t.Fatal(err)
	}
	want := changeLog{version: 7, changes: []kg.Change{{Version: 6}, {Version: 7, DeletedNodes: []kg.NodeRef{{ID: "x", Label: kg.LabelNeed}}}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("changeLogFrom = %+v, want %+v", got, want)
	}
	for name, recs := range map[string][]record{
		"no row":            nil,
		"two rows":          rows(keys, []any{int64(1), []any{}}, []any{int64(1), []any{}}),
		"negative version":  rows(keys, []any{int64(-1), []any{}}),
		"changes not list":  rows(keys, []any{int64(1), "x"}),
		"record not a map":  rows(keys, []any{int64(1), []any{"x"}}),
		"change not text":   rows(keys, []any{int64(1), []any{map[string]any{"version": int64(1), "change": int64(3)}}}),
		"change not JSON":   rows(keys, []any{int64(1), []any{map[string]any{"version": int64(1), "change": "{"}}}),
		"version disagrees": rows(keys, []any{int64(2), []any{rec(2, kg.Change{Version: 1})}}),
	} {
		if got, err := changeLogFrom(recs); err == nil {
			t.Errorf("%s: accepted as %+v", name, got)
		}
	}
}

func TestTopologyRowsMap(t *testing.T) {
	nodeKeys := []string{"label", "id", "kind", "sector", "country"}
	n, err := changedNodeFrom(rows(nodeKeys, []any{"Actor", "a", "COMPANY", "PRIVATE", "SE"})[0])
	if want := (kg.ChangedNode{ID: "a", Label: kg.LabelActor, Kind: kg.KindCompany, Sector: kg.SectorPrivate, Country: "SE"}); err != nil || n != want {
		t.Errorf("actor row = %+v, %v; want %+v", n, err, want)
	}
	n, err = changedNodeFrom(rows(nodeKeys, []any{"Need", "n", nil, nil, nil})[0])
	if want := (kg.ChangedNode{ID: "n", Label: kg.LabelNeed}); err != nil || n != want {
		t.Errorf("need row = %+v, %v; want %+v", n, err, want)
	}
	for _, bad := range [][]any{{"Organisation", "x", nil, nil, nil}, {"Actor", nil, nil, nil, nil}, {"Actor", "a", int64(1), nil, nil}} {
		if n, err := changedNodeFrom(rows(nodeKeys, bad)[0]); err == nil {
			t.Errorf("row %v accepted as %+v", bad, n)
		}
	}

	relKeys := []string{"type", "from", "to", "role", "level", "importance", "startDate", "endDate", "since"}
	day := dbtype.Date(time.Date(2020, 3, 4, 0, 0, 0, 0, time.UTC)) // written by another tool
	r, err := changedRelFrom(rows(relKeys, []any{"PARTICIPATES_IN", "a", "p", "LEAD", nil, nil, "2019-01-01", day, nil})[0])
	if want := (kg.ChangedRel{Type: kg.RelParticipatesIn, From: "a", To: "p", Role: "LEAD", Start: "2019-01-01", End: "2020-03-04"}); err != nil || r != want {
		t.Errorf("participation row = %+v, %v; want %+v", r, err, want)
	}
	r, err = changedRelFrom(rows(relKeys, []any{"HAS_COMPETENCY", "a", "c", nil, int64(4), nil, nil, nil, nil})[0])
	if want := (kg.ChangedRel{Type: kg.RelHasCompetency, From: "a", To: "c", Level: 4}); err != nil || r != want {
		t.Errorf("competency row = %+v, %v; want %+v", r, err, want)
	}
	for _, bad := range [][]any{
		{"KNOWS", "a", "b", nil, nil, nil, nil, nil, nil},
		{"REQUIRES", "n", "c", nil, nil, "high", nil, nil, nil},
		{"PARTNERS_WITH", "a", nil, nil, nil, nil, nil, nil, nil},
		{"PARTNERS_WITH", "a", "b", nil, nil, nil, nil, nil, int64(2019)},
	} {
		if r, err := changedRelFrom(rows(relKeys, bad)[0]); err == nil {
			t.Errorf("row %v accepted as %+v", bad, r)
		}
	}
}

// The per-type statements spell out every label and type (neither can be
// a parameter); they must stay in step with the domain.
func TestTopologyStatementsCoverTheDomain(t *testing.T) {
	nodes := statements[stmtTopologyNodes].text
	for _, l := range kg.Labels {
		if !strings.Contains(nodes, "MATCH (n:"+string(l)+")") {
			t.Errorf("%s.cypher does not read %s nodes", stmtTopologyNodes, l)
		}
	}
	for _, name := range []string{stmtTopologyRels, stmtRelsByKey} {
		text := statements[name].text
		for _, typ := range kg.RelTypes {
			from, to := typ.Endpoints()
			arrow := "->"
			if typ.Symmetric() && name == stmtRelsByKey {
				arrow = "-"
			}
			want := "(a:" + string(from) + ")-[r:" + string(typ) + "]" + arrow + "(b:" + string(to) + ")"
			if name == stmtRelsByKey {
				// Both ends by their id index, then the tie between them.
				want = fmt.Sprintf("WITH k WHERE k.type = '%s'\n"+
					"  MATCH (a:%s {id: k.from}) USING INDEX SEEK a:%s(id)\n"+
					"  MATCH (b:%s {id: k.to}) USING INDEX SEEK b:%s(id)\n"+
					"  CALL (a, b) { MATCH (a)-[r:%s]%s(b) RETURN r }\n", typ, from, from, to, to, typ, arrow)
			}
			if !strings.Contains(text, want) {
				t.Errorf("%s.cypher has no %s", name, want)
			}
		}
	}
}

func TestNodeGone(t *testing.T) {
	keys := []string{"node", "labels"}
	for _, tc := range []struct {
		row  []any
		want bool
	}{
		{[]any{map[string]any{"id": "a", "name": "A"}, []any{"Node", "Actor"}}, false},
		{[]any{map[string]any{"id": nil, "name": nil}, []any{}}, true}, // deleted while read
		{[]any{nil, []any{}}, true},
		// The properties were read before a concurrent delete, the labels
		// after it: the row is as gone as one without its id.
		{[]any{map[string]any{"id": "a", "name": "A"}, []any{}}, true},
		{[]any{map[string]any{"id": "a", "name": "A"}, nil}, true},
	} {
		if got := nodeGone(rows(keys, tc.row)[0]); got != tc.want {
			t.Errorf("nodeGone(%v) = %v, want %v", tc.row, got, tc.want)
		}
	}
	if nodeGone(rows([]string{"id"}, []any{"a"})[0]) {
		t.Error("a row without a node column reads as gone")
	}
}

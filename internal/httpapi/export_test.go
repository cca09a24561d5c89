package httpapi

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/graph/model"
	"github.com/samverkan/samverkan/internal/kg"
)

// exportJSON downloads path with the reader key and decodes the JSON
// export as an importGraph variable (no field unknown).
func exportJSON(t *testing.T, s *testServer, path string) model.GraphInput {
	t.Helper()
	resp, body := s.get(t, path, map[string]string{"Authorization": "Bearer " + testReaderKey})
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET %s: %d %s\n%.300s", path, resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	dec := json.NewDecoder(strings.NewReader(body))
	dec.DisallowUnknownFields()
	var g model.GraphInput
	if err := dec.Decode(&g); err != nil {
		t.Fatalf("GET %s is not a GraphInput: %v", path, err)
	}
	return g
}

func inputIDs(g model.GraphInput) []string {
	var ids []string
	for _, a := range g.Actors {
		ids = append(ids, *a.ID)
	}
	for _, p := range g.Projects {
		ids = append(ids, *p.ID)
	}
	for _, n := range g.Needs {
		ids = append(ids, *n.ID)
	}
	for _, c := range g.Competencies {
		ids = append(ids, *c.ID)
	}
	slices.Sort(ids)
	return ids
}

// GET /export: the whole graph in each format with the same nodes and
// relationships, a filter by labels, kinds, types and an id's
// neighbourhood (the neighbourhood query's nodes), and clear refusals.
func TestExportEndpoint(t *testing.T) {
	parallel(t)
	s := start(t, keyedEnv(t, nil), "-data-dir", t.TempDir())
	reader := map[string]string{"Authorization": "Bearer " + testReaderKey}

	all := exportJSON(t, s, "/export?format=json")
	stats := s.send(t, testReaderKey, `{ ecosystemStats { labels { key count } relationships { key count } } }`, nil, nil)
	total := func(key string) int {
		n := 0
		for _, e := range dig(stats.Data, "ecosystemStats", key).([]any) {
			n += int(dig(e, "count").(float64))
		}
		return n
	}
	nodes, rels := len(inputIDs(all)), len(all.Relationships)
	if nodes != total("labels") || rels != total("relationships") || len(all.Actors) != 40 {
		t.Fatalf("the JSON export has %d nodes (%d actors) and %d relationships; the graph %d and %d",
			nodes, len(all.Actors), rels, total("labels"), total("relationships"))
	}

	for format, ctype := range map[string]string{"graphml": "application/graphml+xml", "gexf": "application/gexf+xml"} {
		resp, body := s.get(t, "/export?format="+format, reader)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != ctype ||
			!strings.Contains(resp.Header.Get("Content-Disposition"), "."+format+`"`) {
			t.Fatalf("%s: %d %v", format, resp.StatusCode, resp.Header)
		}
		if n, e := strings.Count(body, "<node "), strings.Count(body, "<edge "); n != nodes || e != rels {
			t.Errorf("%s: %d nodes and %d edges, want %d and %d", format, n, e, nodes, rels)
		}
		if !strings.Contains(body, `Arkitektur- og designh&#xF8;gskolen i Oslo`) && !strings.Contains(body, "Arkitektur- og designhøgskolen i Oslo") {
			t.Errorf("%s: no name of AHO", format)
		}
	}

	resp, body := s.get(t, "/export?format=CSV", reader)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("csv: %d %v", resp.StatusCode, resp.Header)
	}
	z, err := zip.NewReader(bytes.NewReader([]byte(body)), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string][][]string{}
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(rc).ReadAll()
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		rows[f.Name] = recs
	}
	csvNodes, csvRels := 0, 0
	for name, recs := range rows {
		if stem := strings.TrimSuffix(name, ".csv"); stem == strings.ToUpper(stem) { // PARTICIPATES_IN.csv …
			csvRels += len(recs) - 1
		} else {
			csvNodes += len(recs) - 1
		}
	}
	if csvNodes != nodes || csvRels != rels || len(rows) != len(kg.Labels)+len(kg.RelTypes) {
		t.Errorf("csv: %d files, %d node rows, %d relationship rows; want %d and %d", len(rows), csvNodes, csvRels, nodes, rels)
	}
	if h := rows["actors.csv"][0]; h[0] != "id" || !slices.Contains(h, "kind") || !slices.Contains(h, "city") {
		t.Errorf("actors.csv header %v", h)
	}
	if h := rows["PARTICIPATES_IN.csv"][0]; h[0] != "fromId" || h[1] != "toId" || !slices.Contains(h, "amount") || !slices.Contains(h, "quote") {
		t.Errorf("PARTICIPATES_IN.csv header %v", h)
	}

	// Filters.
	munis := exportJSON(t, s, "/export?format=json&labels=actor&kinds=MUNICIPALITY")
	if len(munis.Projects)+len(munis.Needs)+len(munis.Competencies) > 0 || len(munis.Actors) == 0 {
		t.Errorf("labels=actor&kinds=MUNICIPALITY: %v", inputIDs(munis))
	}
	for _, a := range munis.Actors {
		if a.Kind != "MUNICIPALITY" {
			t.Errorf("kinds=MUNICIPALITY exported %s, a %s", *a.ID, a.Kind)
		}
	}
	members := exportJSON(t, s, "/export?format=json&types=MEMBER_OF")
	if len(members.Relationships) == 0 || len(inputIDs(members)) != nodes {
		t.Errorf("types=MEMBER_OF: %d relationships, %d nodes", len(members.Relationships), len(inputIDs(members)))
	}
	for _, r := range members.Relationships {
		if r.Type != "MEMBER_OF" {
			t.Errorf("types=MEMBER_OF exported a %s", r.Type)
		}
	}
	hood := exportJSON(t, s, "/export?format=json&id=compare&depth=2")
	nb := s.send(t, testReaderKey, `{ neighborhood(id: "compare", depth: 2, via: [PARTICIPATION, MEMBERSHIP, PARTNERSHIP, COMPETENCY, NEED, SUPPLY]) { nodes { node { id } } edges { type } } }`, nil, nil)
	var want []string
	for _, n := range dig(nb.Data, "neighborhood", "nodes").([]any) {
		want = append(want, dig(n, "node", "id").(string))
	}
	slices.Sort(want)
	if got := inputIDs(hood); !slices.Equal(got, want) {
		t.Errorf("id=compare&depth=2 exported %v\nthe neighbourhood is %v", got, want)
	}
	if one := exportJSON(t, s, "/export?format=json&id=compare&depth=0"); !slices.Equal(inputIDs(one), []string{"compare"}) {
		t.Errorf("depth=0: %v", inputIDs(one))
	}

	// Refusals: a clear 400 naming the parameter, 404 for an unknown id, 401 without a key.
	for path, want := range map[string]string{
		"/export":                                "format",
		"/export?format=pdf":                     "format",
		"/export?format=json&labels=PERSON":      "labels",
		"/export?format=json&types=KNOWS":        "types",
		"/export?format=json&kinds=ROBOT":        "kinds",
		"/export?format=json&id=compare&depth=9": "depth",
		"/export?format=json&depth=2":            "depth",
		"/export?format=json&id=compare&depth=x": "depth",
		"/export?format=json&colour=blue":        "colour",
		"/export?format=json&format=gexf":        "format",
	} {
		resp, body := s.get(t, path, reader)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "BAD_USER_INPUT") || !strings.Contains(body, want) {
			t.Errorf("%s: %d %s; want 400 naming %s", path, resp.StatusCode, body, want)
		}
	}
	if resp, body := s.get(t, "/export?format=gexf&id=nobody", reader); resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "nobody") {
		t.Errorf("an unknown id: %d %s", resp.StatusCode, body)
	}
	if resp, _ := s.get(t, "/export?format=json", nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("without a key: %d", resp.StatusCode)
	}
	if resp, _ := s.get(t, "/export?format=json", map[string]string{"Authorization": "Bearer " + testWrongKey}); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a wrong key: %d", resp.StatusCode)
	}
}

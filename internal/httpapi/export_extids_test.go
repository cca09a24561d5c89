package httpapi

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// External ids travel in every export: the JSON export (importGraph form)
// carries them and importGraph on another server reads them back, so that
// the lookup finds the actor there; GraphML, GEXF and CSV carry one
// externalIds attribute, "scheme:value | …".
func TestExportCarriesExternalIDs(t *testing.T) {
	parallel(t)
	src := start(t, keyedEnv(t, nil), "-data-dir", t.TempDir())
	r := src.send(t, testEditorKey, `mutation { upsertActor(input: {id: "compare", name: "Compare", kind: CLUSTER, sector: PRIVATE,
		externalIds: [{scheme: "se-orgnr", value: "556000-0001"}, {scheme: "gln", value: "7350000000001"}]}) { id } }`, nil, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("upsertActor: %+v", r.Errors)
	}
	const attr = "se-orgnr:556000-0001 | gln:7350000000001"

	all := exportJSON(t, src, "/export?format=json")
	var compare string
	for _, a := range all.Actors {
		if *a.ID == "compare" {
			b, _ := json.Marshal(a.ExternalIds)
			compare = string(b)
		}
	}
	if compare != `[{"scheme":"se-orgnr","value":"556000-0001"},{"scheme":"gln","value":"7350000000001"}]` {
		t.Errorf("the JSON export gives compare the external ids %s", compare)
	}

	dst := start(t, keyedEnv(t, map[string]string{"SEED": "never"}), "-data-dir", t.TempDir())
	imp := dst.send(t, testAdminKey, `mutation($g: GraphInput!) { importGraph(input: $g) { nodesCreated } }`, map[string]any{"g": all}, nil)
	if len(imp.Errors) > 0 {
		t.Fatalf("importGraph of the JSON export: %+v", imp.Errors)
	}
	found := dst.send(t, testReaderKey, `{ actorByExternalId(scheme: "gln", value: "7350000000001") { id externalIds { scheme value } } }`, nil, nil)
	if got := fmt.Sprint(dig(found.Data, "actorByExternalId")); got != "map[externalIds:[map[scheme:se-orgnr value:556000-0001] map[scheme:gln value:7350000000001]] id:compare]" {
		t.Errorf("after importing the export actorByExternalId = %s (%+v)", got, found.Errors)
	}

	reader := map[string]string{"Authorization": "Bearer " + testReaderKey}
	for _, format := range []string{"graphml", "gexf"} {
		_, body := src.get(t, "/export?format="+format+"&id=compare&depth=0", reader)
		// GraphML: <key … attr.name="externalIds"/> and <data …>value</data>;
		// GEXF: <attribute … title="externalIds"/> and <attvalue … value="value"/>.
		if !strings.Contains(body, `"externalIds"`) || (!strings.Contains(body, ">"+attr+"<") && !strings.Contains(body, `value="`+attr+`"`)) {
			t.Errorf("%s: no externalIds attribute %q:\n%s", format, attr, body)
		}
	}
	_, body := src.get(t, "/export?format=csv&id=compare&depth=0", reader)
	z, err := zip.NewReader(bytes.NewReader([]byte(body)), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range z.File {
		if f.Name != "actors.csv" {
			continue
		}
		rc, _ := f.Open()
		recs, err := csv.NewReader(rc).ReadAll()
		rc.Close()
		if err != nil || len(recs) != 2 {
			t.Fatalf("actors.csv: %v %v", recs, err)
		}
		i := slices.Index(recs[0], "externalIds")
		if i < 0 || recs[1][i] != attr {
			t.Errorf("actors.csv: header %v, row %v; want externalIds %q", recs[0], recs[1], attr)
		}
	}
	if resp, _ := src.get(t, "/export?format=json", nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("without a key: %d", resp.StatusCode)
	}
}

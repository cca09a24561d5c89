package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/graph/model"
	"github.com/samverkan/samverkan/internal/cli"
	"github.com/samverkan/samverkan/internal/config"
	"github.com/samverkan/samverkan/internal/gen"
	"github.com/samverkan/samverkan/internal/kg"
	"github.com/samverkan/samverkan/internal/seed"
	"github.com/samverkan/samverkan/internal/store/embedded"
	"github.com/samverkan/samverkan/internal/store/teststore"
)

const why = "samverkan import and export work on the embedded store's file"

func env(dataDir string) func(string) string {
	return func(k string) string {
		if k == "DATA_DIR" {
			return dataDir
		}
		return ""
	}
}

func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	dir := ""
	for i, a := range args {
		if a == "-data-dir" {
			dir = args[i+1]
		}
	}
	err := cli.Run(context.Background(), args, env(dir), &out)
	return out.String(), err
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, err := run(t, args...)
	if err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	return out
}

// contents reads the whole graph of the store in dir through Open (which
// checks every relationship's endpoints), times zeroed and in a fixed
// order, so that two stores compare with reflect.DeepEqual.
func contents(t *testing.T, dir string) kg.Graph {
	t.Helper()
	s, err := embedded.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var g kg.Graph
	for _, l := range kg.Labels {
		o := kg.Order{Field: kg.OrderByName}
		for after := (*kg.Cursor)(nil); ; {
			page, err := s.List(context.Background(), kg.ListQuery{Label: l, First: 100, After: after, Order: o})
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range page.Nodes {
				c := kg.CursorOf(n, o)
				after = &c
				addNode(&g, n)
			}
			if !page.HasNextPage {
				break
			}
		}
	}
	var ids []string
	for _, n := range g.Nodes() {
		ids = append(ids, n.Base().ID)
	}
	rels, err := kg.RelsFrom(context.Background(), s, ids)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rels {
		r.CreatedAt, r.UpdatedAt = zero.CreatedAt, zero.UpdatedAt
		g.Rels = append(g.Rels, r)
	}
	return sorted(g)
}

var zero kg.Meta

func addNode(g *kg.Graph, n kg.Node) {
	n.Base().CreatedAt, n.Base().UpdatedAt = zero.CreatedAt, zero.UpdatedAt
	g.Add(n)
}

func sorted(g kg.Graph) kg.Graph {
	byID := func(a, b kg.Node) int { return strings.Compare(a.Base().ID, b.Base().ID) }
	slices.SortFunc(g.Actors, func(a, b *kg.Actor) int { return byID(a, b) })
	slices.SortFunc(g.Projects, func(a, b *kg.Project) int { return byID(a, b) })
	slices.SortFunc(g.Needs, func(a, b *kg.Need) int { return byID(a, b) })
	slices.SortFunc(g.Competencies, func(a, b *kg.Competency) int { return byID(a, b) })
	slices.SortFunc(g.Rels, func(a, b kg.Rel) int { return kg.CompareLinks(a.Type, a.From, a.To, b.Type, b.From, b.To) })
	return g
}

// The generated file is an importGraph variable: it decodes into the
// GraphQL GraphInput with no field unknown, entry for entry.
func TestGenWritesAGraphInput(t *testing.T) {
	file := filepath.Join(t.TempDir(), "s.json")
	mustRun(t, "gen", "-scale", "s", "-seed", "1", file)
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var in model.GraphInput
	if err := dec.Decode(&in); err != nil {
		t.Fatalf("the file is not a GraphInput: %v", err)
	}
	g := gen.MustScale(gen.ScaleS)
	if len(in.Actors) != len(g.Actors) || len(in.Projects) != len(g.Projects) || len(in.Needs) != len(g.Needs) ||
		len(in.Competencies) != len(g.Competencies) || len(in.Relationships) != len(g.Rels) {
		t.Fatalf("the file has %d/%d/%d/%d nodes and %d relationships; S has %d/%d/%d/%d and %d",
			len(in.Actors), len(in.Projects), len(in.Needs), len(in.Competencies), len(in.Relationships),
			len(g.Actors), len(g.Projects), len(g.Needs), len(g.Competencies), len(g.Rels))
	}
	r, want := in.Relationships[0], g.Rels[0]
	if r.Type != want.Type || r.FromID != want.From || r.ToID != want.To {
		t.Errorf("relationships[0] is %v %s %s; want %v", r.Type, r.FromID, r.ToID, want.Key())
	}
	// Deterministic: the same command gives the same bytes.
	again := filepath.Join(t.TempDir(), "again.json")
	mustRun(t, "gen", "-scale", "S", again)
	if b2, _ := os.ReadFile(again); !bytes.Equal(b, b2) {
		t.Error("two runs of gen -scale S gave different files")
	}
}

// gen → import → export → import into an empty store → export: both
// stores hold S exactly (as Store.Import of gen's batches would), and both
// exports are the same bytes.
func TestImportExportRoundTrip(t *testing.T) {
	teststore.EmbeddedOnly(t, why)
	tmp := t.TempDir()
	file, a, b := filepath.Join(tmp, "s.json"), filepath.Join(tmp, "a"), filepath.Join(tmp, "b")
	mustRun(t, "gen", "-scale", "S", file)
	out := mustRun(t, "import", "-data-dir", a, file)
	g := gen.MustScale(gen.ScaleS)
	if !strings.Contains(out, fmt.Sprintf("1416 nodes created, 0 updated; %d relationships created", len(g.Rels))) {
		t.Errorf("import said %q", out)
	}
	mustRun(t, "export", "-data-dir", a, filepath.Join(tmp, "a.json"))
	mustRun(t, "import", "-data-dir", b, filepath.Join(tmp, "a.json"))
	mustRun(t, "export", "-data-dir", b, filepath.Join(tmp, "b.json"))
	ea, _ := os.ReadFile(filepath.Join(tmp, "a.json"))
	eb, _ := os.ReadFile(filepath.Join(tmp, "b.json"))
	if len(ea) == 0 || !bytes.Equal(ea, eb) {
		t.Error("exporting the re-imported store gave another file")
	}
	ga, gb := contents(t, a), contents(t, b)
	if len(ga.Nodes()) != 1416 || len(ga.Rels) != len(g.Rels) {
		t.Fatalf("the store holds %d nodes and %d relationships; S has 1416 and %d", len(ga.Nodes()), len(ga.Rels), len(g.Rels))
	}
	if !reflect.DeepEqual(ga, gb) {
		t.Fatal("the re-imported store differs from the first")
	}
	// What Store.Import makes of the same graph, in batches within the API's limits.
	ref := filepath.Join(tmp, "ref")
	s, err := embedded.Open(ref)
	if err != nil {
		t.Fatal(err)
	}
	for _, batch := range gen.Batches(g, kg.MaxImportNodes, kg.MaxImportRels) {
		if _, err := s.Import(context.Background(), batch); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	if !reflect.DeepEqual(ga, contents(t, ref)) {
		t.Fatal("the imported store differs from Store.Import of the same graph")
	}
	// Importing the same file again updates everything and creates nothing.
	out = mustRun(t, "import", "-data-dir", a, file)
	if !strings.Contains(out, fmt.Sprintf("0 nodes created, 1416 updated; 0 relationships created, %d updated", len(g.Rels))) {
		t.Errorf("the second import said %q", out)
	}
	if !reflect.DeepEqual(ga, contents(t, a)) {
		t.Fatal("importing the same file again changed the graph")
	}
}

// A file with an invalid entry anywhere changes nothing, and the error
// names the entry.
func TestImportIsAllOrNothing(t *testing.T) {
	teststore.EmbeddedOnly(t, why)
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "data")
	base := `{"actors":[{"id":"x","name":"X","kind":"COMPANY","sector":"PRIVATE"},{"id":"w","name":"W","kind":"COMPANY","sector":"PRIVATE"}],` +
		`"relationships":[{"type":"PART_OF","fromId":"w","toId":"x"}]}`
	write := func(name, body string) string {
		p := filepath.Join(tmp, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	mustRun(t, "import", "-data-dir", dir, write("base.json", base))
	before := contents(t, dir)
	actor := func(id string) string {
		return `{"id":"` + id + `","name":"N","kind":"COMPANY","sector":"PRIVATE"}`
	}
	for _, tc := range []struct{ name, body, want string }{
		{"bad field", `{"actors":[` + actor("y") + `,{"id":"z","name":"","kind":"COMPANY","sector":"PRIVATE"}]}`,
			`actors[1] (id "z"): actors[1].name`},
		{"duplicate id", `{"actors":[` + actor("y") + `,` + actor("y") + `]}`, `actors[1].id: "y" appears twice`},
		{"label conflict", `{"projects":[{"id":"x","name":"P","status":"ACTIVE"}]}`, `projects[0]`},
		{"missing endpoint", `{"actors":[` + actor("y") + `],"relationships":[{"type":"PARTNERS_WITH","fromId":"y","toId":"x"},` +
			`{"type":"PARTNERS_WITH","fromId":"y","toId":"nobody"}]}`, `refused at relationships[1] (PARTNERS_WITH "y" → "nobody")`},
		{"repeated relationship", `{"actors":[` + actor("y") + `],"relationships":[{"type":"PARTNERS_WITH","fromId":"y","toId":"x"},` +
			`{"type":"PARTNERS_WITH","fromId":"x","toId":"y"}]}`, `relationships[1]: repeats relationships[0]`},
		{"bad level", `{"competencies":[{"id":"c","name":"C","category":"OTHER"}],"relationships":[` +
			`{"type":"HAS_COMPETENCY","fromId":"x","toId":"c","level":9}]}`, `relationships[0].level`},
		{"unknown field", `{"actors":[{"id":"y","name":"N","kind":"COMPANY","sector":"PRIVATE","colour":"red"}]}`, `actors[0]`},
		{"unknown key", `{"actors":[` + actor("y") + `],"people":[]}`, `unknown key "people"`},
		{"nodes after relationships", `{"relationships":[],"actors":[` + actor("y") + `]}`, `every node section must come first`},
		{"PART_OF cycle", `{"actors":[` + actor("y") + `],"relationships":[{"type":"PART_OF","fromId":"x","toId":"y"},` +
			`{"type":"PART_OF","fromId":"y","toId":"w"}]}`, `relationships[0]: PART_OF x → y would close a cycle: x → y → w → x`},
		{"truncated", `{"actors":[` + actor("y") + `,`, `graph file`},
		// The file is read ahead of the checks, in batches: the first
		// error in file order is the one reported, however far in.
		{"invalid entry before broken JSON", `{"actors":[` + many(actor, 3000) + `,` + actor("Bad") + `,` + actor("z") + `,{"id":`,
			`refused at actors[3000] (id "Bad")`},
		{"broken JSON after valid entries", `{"actors":[` + many(actor, 3000) + `,{"id":"z","name":}]}`, `actors[3000]`},
		{"trailing data", `{"actors":[` + actor("y") + `]} {}`, `after the end`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := run(t, "import", "-data-dir", dir, write(strings.ReplaceAll(tc.name, " ", "-")+".json", tc.body))
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "nothing was imported") {
				t.Fatalf("import = %v; want an error naming %s", err, tc.want)
			}
			if !reflect.DeepEqual(before, contents(t, dir)) {
				t.Fatal("a refused import changed the store")
			}
		})
	}
}

// many joins entry("n-0"), …, entry("n-<n-1>") with commas.
func many(entry func(string) string, n int) string {
	es := make([]string, n)
	for i := range es {
		es[i] = entry(fmt.Sprintf("n-%d", i))
	}
	return strings.Join(es, ",")
}

func TestImportRefusesNeo4jAndBadArguments(t *testing.T) {
	var out bytes.Buffer
	getenv := func(k string) string {
		if k == "NEO4J_URI" {
			return "bolt://127.0.0.1:1"
		}
		return ""
	}
	for _, args := range [][]string{{"import", "x.json"}, {"export", "x.json"}} {
		err := cli.Run(context.Background(), args, getenv, &out)
		if err == nil || !strings.Contains(err.Error(), "embedded store only") {
			t.Errorf("%v on Neo4j = %v", args, err)
		}
	}
	for _, args := range [][]string{{"import"}, {"gen"}, {"gen", "-scale", "XXL", "f"}, {"export", "-nope", "f"}} {
		if err := cli.Run(context.Background(), args, env(t.TempDir()), &out); err == nil {
			t.Errorf("%v succeeded", args)
		}
	}
	if err := cli.Import(context.Background(), config.Config{DataDir: t.TempDir()}, filepath.Join(t.TempDir(), "none.json"), &out); err == nil {
		t.Error("importing a missing file succeeded")
	}
	if err := cli.Export(context.Background(), config.Config{DataDir: filepath.Join(t.TempDir(), "none")}, "-", &out); err == nil {
		t.Error("exporting a missing store succeeded")
	}
}

// The seed, which uses every field of the second version (project type,
// place and aliases; funders' amounts and currencies; basis and quotes),
// goes through export and import into an empty store unchanged, and the
// file is still an importGraph variable.
func TestSeedRoundTrip(t *testing.T) {
	teststore.EmbeddedOnly(t, why)
	tmp := t.TempDir()
	a, b, file := filepath.Join(tmp, "a"), filepath.Join(tmp, "b"), filepath.Join(tmp, "seed.json")
	s, err := embedded.Open(a)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Load(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	// The seed funds nothing in money: a grant.
	if _, err := s.SetRel(context.Background(), kg.Rel{Type: kg.RelParticipatesIn, From: "vinnova", To: "ndhc",
		Role: string(kg.RoleFunder), Amount: 1_250_000.5, Currency: "SEK", Basis: kg.BasisStated, Quote: "beviljade medel"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	mustRun(t, "export", "-data-dir", a, file)
	mustRun(t, "import", "-data-dir", b, file)
	ga, gb := contents(t, a), contents(t, b)
	if len(ga.Actors) == 0 || len(ga.Rels) == 0 {
		t.Fatalf("the seed store is empty")
	}
	// The second version's fields are there to lose.
	var typed, placed, funded, quoted bool
	for _, p := range ga.Projects {
		typed = typed || p.Type != ""
		placed = placed || p.City != "" || len(p.Aliases) > 0
	}
	for _, r := range ga.Rels {
		funded = funded || (r.Amount != 0 && r.Currency != "")
		quoted = quoted || (r.Quote != "" && r.Basis != "")
	}
	if !typed || !placed || !funded || !quoted {
		t.Fatalf("the seed lacks second-version fields: type %v place %v amount %v quote %v", typed, placed, funded, quoted)
	}
	if !reflect.DeepEqual(ga, gb) {
		for i := range min(len(ga.Projects), len(gb.Projects)) {
			if !reflect.DeepEqual(ga.Projects[i], gb.Projects[i]) {
				t.Errorf("project %+v\nbecame %+v", ga.Projects[i], gb.Projects[i])
				break
			}
		}
		for i := range min(len(ga.Rels), len(gb.Rels)) {
			if !reflect.DeepEqual(ga.Rels[i], gb.Rels[i]) {
				t.Errorf("relationship %+v\nbecame %+v", ga.Rels[i], gb.Rels[i])
				break
			}
		}
		t.Fatal("the seed re-imported from its export differs")
	}
	raw, _ := os.ReadFile(file)
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var in model.GraphInput
	if err := dec.Decode(&in); err != nil {
		t.Fatalf("the export is not a GraphInput: %v", err)
	}
}

// samverkan export --format graphml|gexf|csv and the filters write through
// internal/export; a bad flag value is refused naming it.
func TestExportFormats(t *testing.T) {
	teststore.EmbeddedOnly(t, why)
	tmp := t.TempDir()
	a := filepath.Join(tmp, "a")
	s, err := embedded.Open(a)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Load(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	s.Close()
	whole := filepath.Join(tmp, "whole.json")
	mustRun(t, "export", "-data-dir", a, whole)
	var g model.GraphInput
	raw, _ := os.ReadFile(whole)
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"graphml", "gexf"} {
		file := filepath.Join(tmp, "seed."+format)
		out := mustRun(t, "export", "--format", format, "-data-dir", a, file)
		b, _ := os.ReadFile(file)
		nodes := len(g.Actors) + len(g.Projects) + len(g.Needs) + len(g.Competencies)
		if strings.Count(string(b), "<node ") != nodes || strings.Count(string(b), "<edge ") != len(g.Relationships) ||
			!strings.Contains(out, fmt.Sprintf("%d nodes, %d relationships", nodes, len(g.Relationships))) {
			t.Errorf("%s: %d nodes, %d edges (want %d, %d); said %q", format, strings.Count(string(b), "<node "),
				strings.Count(string(b), "<edge "), nodes, len(g.Relationships), out)
		}
	}
	zipFile := filepath.Join(tmp, "seed.zip")
	mustRun(t, "export", "-format=csv", "-data-dir", a, zipFile)
	if b, _ := os.ReadFile(zipFile); len(b) < 4 || string(b[:2]) != "PK" {
		t.Errorf("csv: not a zip")
	}
	part := filepath.Join(tmp, "part.json")
	mustRun(t, "export", "-data-dir", a, "-labels", "Actor", "-kinds", "municipality", "-format", "json", part)
	var p model.GraphInput
	raw, _ = os.ReadFile(part)
	if err := json.Unmarshal(raw, &p); err != nil {
		t.Fatal(err)
	}
	if len(p.Actors) == 0 || len(p.Projects) > 0 {
		t.Errorf("-labels Actor -kinds municipality: %d actors, %d projects", len(p.Actors), len(p.Projects))
	}
	for _, a := range p.Actors {
		if a.Kind != kg.KindMunicipality {
			t.Errorf("exported %s, a %s", *a.ID, a.Kind)
		}
	}
	for args, want := range map[string]string{
		"-format pdf": "format", "-labels Person": "labels", "-id compare -depth 12": "depth", "-depth 2": "depth",
	} {
		full := append(append([]string{"export"}, strings.Fields(args)...), "-data-dir", a, filepath.Join(tmp, "x"))
		if _, err := run(t, full...); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an error naming %s", args, err, want)
		}
	}
}

package neo4j

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/samverkan/samverkan/internal/kg"
)

// stmtConstants parses this package's Go files (tests included, since the
// contract hookup uses clean_database) and returns the stmt* string
// constants with their values, and how often each identifier is used
// outside its declaration.
func stmtConstants(t *testing.T) (map[string]string, map[string]int) {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]string{}
	uses := map[string]int{}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		file, err := parser.ParseFile(fset, f, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		declared := map[*ast.Ident]bool{}
		for _, d := range file.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if !strings.HasPrefix(name.Name, "stmt") || i >= len(vs.Values) {
						continue
					}
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						continue
					}
					v, _ := strconv.Unquote(lit.Value)
					values[name.Name] = v
					declared[name] = true
				}
			}
		}
		ast.Inspect(file, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && strings.HasPrefix(id.Name, "stmt") && !declared[id] {
				uses[id.Name]++
			}
			return true
		})
	}
	return values, uses
}

func TestEveryStatementFileIsUsedAndEveryNameHasAFile(t *testing.T) {
	values, uses := stmtConstants(t)
	if len(values) == 0 {
		t.Fatal("found no stmt* constants; the test is looking in the wrong place")
	}
	named := map[string]string{}
	for c, v := range values {
		if other, dup := named[v]; dup {
			t.Errorf("constants %s and %s both name %s", c, other, v)
		}
		named[v] = c
		if _, ok := statements[v]; !ok {
			t.Errorf("constant %s names %s, but cypher/%s.cypher does not exist", c, v, v)
		}
		if uses[c] == 0 {
			t.Errorf("constant %s (%s.cypher) is declared but never used", c, v)
		}
	}
	for name := range statements {
		if _, ok := named[name]; !ok {
			t.Errorf("cypher/%s.cypher is not referenced by any stmt* constant", name)
		}
	}
}

// paramUse finds $name references outside comments and string literals.
var paramUse = regexp.MustCompile(`\$([A-Za-z_][A-Za-z0-9_]*)`)
var stringLit = regexp.MustCompile(`'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"`)

func usedParams(text string) []string {
	seen := map[string]bool{}
	for _, line := range strings.Split(text, "\n") {
		if i := strings.Index(line, "//"); i >= 0 {
			line = line[:i]
		}
		line = stringLit.ReplaceAllString(line, "''")
		for _, m := range paramUse.FindAllStringSubmatch(line, -1) {
			seen[m[1]] = true
		}
	}
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

func TestDeclaredParametersAreExactlyTheUsedOnes(t *testing.T) {
	for name, st := range statements {
		used := usedParams(st.text)
		if !slices.Equal(used, st.params) {
			t.Errorf("%s.cypher: header declares %v, statement uses %v", name, st.params, used)
		}
	}
}

func TestStatementTextHasNoFormattingVerbs(t *testing.T) {
	// Values go in as parameters only: a %s or %v in Cypher text would mean
	// someone meant to format values into it.
	verb := regexp.MustCompile(`%[-+# 0-9.]*[sdvqx]`)
	for name, st := range statements {
		if verb.MatchString(st.text) {
			t.Errorf("%s.cypher contains a formatting verb", name)
		}
	}
}

func TestParseHeader(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		want    []string
		wantErr string
	}{
		{"one line", "// params: $id: STRING, $props: MAP\nRETURN 1", []string{"id", "props"}, ""},
		{"several lines and prose", "// params: $b: LIST<MAP>\n// why this exists\n// params: $a: INTEGER\nRETURN 1", []string{"a", "b"}, ""},
		{"none", "// params: none\nRETURN 1", nil, ""},
		{"missing", "RETURN 1", nil, "missing"},
		{"after the statement does not count", "RETURN 1\n// params: $a: STRING", nil, "missing"},
		{"no type", "// params: $id\nRETURN 1", nil, "malformed"},
		{"no dollar", "// params: id: STRING\nRETURN 1", nil, "malformed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseHeader(tt.text)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("params = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestLoadStatementsRefusesAFileWithoutHeader(t *testing.T) {
	fsys := fstest.MapFS{"cypher/bad.cypher": {Data: []byte("MATCH (n) RETURN n")}}
	if _, err := loadStatements(fsys); err == nil || !strings.Contains(err.Error(), "bad.cypher") {
		t.Fatalf("err = %v, want one naming bad.cypher", err)
	}
}

func TestCheckParams(t *testing.T) {
	st := statement{name: "x", params: []string{"id", "rows"}}
	if err := st.checkParams(map[string]any{"id": "a", "rows": nil}); err != nil {
		t.Errorf("exact parameters refused: %v", err)
	}
	for _, p := range []map[string]any{
		{"id": "a"},
		{"id": "a", "row": nil},
		{"id": "a", "rows": nil, "extra": 1},
	} {
		if err := st.checkParams(p); err == nil {
			t.Errorf("parameters %v accepted for %v", p, st.params)
		}
	}
}

func TestPerLabelAndPerTypeStatementsCoverTheDomain(t *testing.T) {
	for _, l := range []string{"Actor", "Project", "Need", "Competency"} {
		s, ok := upsertStmt[kg.Label(l)]
		if !ok || !strings.Contains(statements[s].text, ":"+l) {
			t.Errorf("no upsert statement for %s", l)
		}
		ls := listStmt[kg.Label(l)]
		names := []string{ls.count, ls.countAll}
		for _, f := range kg.OrderFields {
			names = append(names, ls.order[f][0], ls.order[f][1])
		}
		for _, f := range ls.by {
			names = append(names, f.asc, f.desc, f.count)
		}
		for _, name := range names {
			if name == "" && l == "Competency" {
				continue // no unindexed filter, no label scan
			}
			if !strings.Contains(statements[name].text, "MATCH (n:"+l+")") {
				t.Errorf("%q does not list %s", name, l)
			}
		}
	}
	for typ, name := range setRelStmt {
		if !strings.Contains(statements[name].text, "[r:"+string(typ)+"]") {
			t.Errorf("%s does not merge a %s relationship", name, typ)
		}
	}
	// Every type of the domain has one, and nothing else does.
	for _, typ := range kg.RelTypes {
		if _, ok := setRelStmt[typ]; !ok {
			t.Errorf("relationship type %s has no set statement", typ)
		}
	}
	for typ := range setRelStmt {
		if !typ.Valid() {
			t.Errorf("set statement for %q, which is not a relationship type", typ)
		}
	}
	for _, l := range kg.Labels {
		if _, ok := upsertStmt[l]; !ok {
			t.Errorf("label %s has no upsert statement", l)
		}
		if _, ok := listStmt[l]; !ok {
			t.Errorf("label %s has no list statements", l)
		}
	}
}

func TestMigrationsAreOrderedAndExist(t *testing.T) {
	var last int64
	for _, m := range migrations {
		if m.version <= last {
			t.Errorf("migration %d follows %d", m.version, last)
		}
		last = m.version
		for _, name := range m.statements {
			if _, ok := statements[name]; !ok {
				t.Errorf("migration %d runs missing statement %s", m.version, name)
			}
			if text := statements[name].text; strings.Contains(text, "CREATE CONSTRAINT") || strings.Contains(text, "CREATE INDEX") || strings.Contains(text, "CREATE FULLTEXT INDEX") {
				if !strings.Contains(text, "IF NOT EXISTS") {
					t.Errorf("%s is not idempotent (no IF NOT EXISTS)", name)
				}
			}
		}
	}
}

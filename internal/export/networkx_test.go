package export_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/samverkan/samverkan/internal/export"
	"github.com/samverkan/samverkan/internal/kg"
	"github.com/samverkan/samverkan/internal/seed"
	"github.com/samverkan/samverkan/internal/store/embedded"
)

// python returns the interpreter with NetworkX (SAMVERKAN_PYTHON or
// python3); without one the test skips, or fails under
// SAMVERKAN_REQUIRE_ORACLE=1 (CI).
func python(t *testing.T) string {
	t.Helper()
	p := os.Getenv("SAMVERKAN_PYTHON")
	if p == "" {
		p = "python3"
	}
	if out, err := exec.Command(p, "-c", "import networkx").CombinedOutput(); err != nil {
		msg := fmt.Sprintf("NetworkX is not available to %q: %v %s (install Debian's python3-networkx)", p, err, strings.TrimSpace(string(out)))
		if os.Getenv("SAMVERKAN_REQUIRE_ORACLE") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return p
}

// NetworkX reads the seed's GraphML and GEXF exports back with every node,
// edge and attribute of its JSON export (tools/exportcheck), the whole
// graph and a neighbourhood; the seed gets a funder's amount and a name
// that XML must escape and external ids, so that numbers, escaping and
// the external ids' attribute are checked too.
func TestNetworkXReadsExports(t *testing.T) {
	py := python(t)
	ctx := context.Background()
	s, err := embedded.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := seed.Load(ctx, s); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpsertNode(ctx, &kg.Actor{Meta: kg.Meta{ID: "esc", Name: `A & B <"Ö">` + "\u00e5", Sources: []string{"x", "y"}},
		Kind: kg.KindCompany, Sector: kg.SectorPrivate, Aliases: []string{"AB", "A&B"},
		ExternalIDs: []kg.ExternalID{{Scheme: "se-orgnr", Value: "556000-0001"}, {Scheme: "gln", Value: "<7350>&1"}}}); err != nil {
		t.Fatal(err)
	}
	for _, r := range []kg.Rel{
		{Type: kg.RelParticipatesIn, From: "vinnova", To: "ndhc", Role: string(kg.RoleFunder), Amount: 1_250_000.5, Currency: "SEK", Quote: "beviljade <medel>"},
		{Type: kg.RelPartnersWith, From: "esc", To: "compare", Start: "2020-01-01", Description: "tabs\tand\nnewlines"},
	} {
		if _, err := s.SetRel(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	script := filepath.Join(repoRoot(t), "tools", "exportcheck", "networkx_reads.py")
	for name, f := range map[string]export.Filter{
		"whole graph":   {},
		"neighbourhood": {ID: "compare", Depth: 2, Types: []kg.RelType{kg.RelParticipatesIn, kg.RelMemberOf, kg.RelPartnersWith}},
	} {
		dir := t.TempDir()
		var files []string
		for _, format := range []export.Format{export.JSON, export.GraphML, export.GEXF} {
			file := filepath.Join(dir, "seed."+format.Ext())
			out, err := os.Create(file)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := export.Write(ctx, s, f, format, out); err != nil {
				t.Fatal(err)
			}
			out.Close()
			files = append(files, file)
		}
		cctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
		out, err := exec.CommandContext(cctx, py, append([]string{script}, files...)...).CombinedOutput()
		cancel()
		if err != nil {
			t.Errorf("%s: NetworkX does not read the exports back whole: %v\n%s", name, err, out)
		} else {
			t.Logf("%s:\n%s", name, out)
		}
	}
}

func repoRoot(t *testing.T) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/internal/store/teststore"
)

// run dispatches gen, import and export to internal/cli, with the server's
// configuration (DATA_DIR here).
func TestRunSubcommands(t *testing.T) {
	teststore.EmbeddedOnly(t, "samverkan import and export work on the embedded store's file")
	tmp := t.TempDir()
	getenv := func(k string) string {
		if k == "DATA_DIR" {
			return filepath.Join(tmp, "data")
		}
		return ""
	}
	file := filepath.Join(tmp, "s.json")
	for _, args := range [][]string{{"gen", "-scale", "S", file}, {"import", file}, {"export", filepath.Join(tmp, "out.json")}} {
		var out bytes.Buffer
		if err := run(context.Background(), args, getenv, &out); err != nil {
			t.Fatalf("run %v: %v", args, err)
		}
		if !strings.HasPrefix(out.String(), args[0]) {
			t.Errorf("run %v said %q", args, out.String())
		}
	}
}

package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The repository's scripts build the server and run the binary: a signal
// sent to `go run` ends the go command and leaves the server it started
// running, holding the port and the store's lock.
func TestScriptsBuildInsteadOfGoRun(t *testing.T) {
	goRun := regexp.MustCompile(`\bgo\s+run\b`)
	var checked int
	for _, root := range []string{"tools", "bench", ".ci"} {
		err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && d.Name() == "node_modules" {
				return filepath.SkipDir
			}
			if d.IsDir() || (!strings.HasSuffix(path, ".sh") && filepath.Base(path) != "run") {
				return nil
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			checked++
			for i, line := range strings.Split(string(b), "\n") {
				if strings.HasPrefix(strings.TrimSpace(line), "#") {
					continue
				}
				if goRun.MatchString(line) {
					t.Errorf("%s:%d runs `go run`; build with `go build -o …` and run the binary: %s", path, i+1, strings.TrimSpace(line))
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if checked < 3 {
		t.Fatalf("checked only %d scripts; the layout changed", checked)
	}
}

// A clone holds the README and docs/ without the project's shared folder,
// so they link to nothing outside the repository.
func TestDocsLinkNothingOutsideTheRepository(t *testing.T) {
	files, _ := filepath.Glob("docs/*.md")
	files = append(files, "README.md")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if strings.Contains(line, "../shared") || strings.Contains(line, "](../") {
				t.Errorf("%s:%d points outside the repository: %s", f, i+1, strings.TrimSpace(line))
			}
		}
	}
}

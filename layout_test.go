package main

import (
	"os/exec"
	"strings"
	"testing"
)

// Dependencies point inward (README "Layout"): the domain and the
// cross-cutting packages import neither the GraphQL adapter nor a store,
// and the HTTP server imports no store.
func TestDependenciesPointInward(t *testing.T) {
	const mod = "github.com/samverkan/samverkan/"
	graph := []string{mod + "graph"}
	stores := []string{mod + "internal/store/embedded", mod + "internal/store/neo4j"}
	for pkg, forbidden := range map[string][]string{
		"internal/kg":      append(append([]string{mod + "internal/httpapi"}, graph...), stores...),
		"internal/auth":    append(append([]string{}, graph...), stores...),
		"internal/limits":  append(append([]string{}, graph...), stores...),
		"internal/metrics": append(append([]string{}, graph...), stores...),
		"internal/config":  append(append([]string{}, graph...), stores...),
		"internal/errcode": append(append([]string{mod + "internal/kg"}, graph...), stores...),
		"internal/httpapi": stores,
		"graph":            append([]string{mod + "internal/httpapi"}, stores...),
	} {
		out, err := exec.Command("go", "list", "-deps", "./"+pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps ./%s: %v", pkg, err)
		}
		for _, dep := range strings.Fields(string(out)) {
			for _, f := range forbidden {
				if dep == f || strings.HasPrefix(dep, f+"/") {
					t.Errorf("%s depends on %s", pkg, dep)
				}
			}
		}
	}
}

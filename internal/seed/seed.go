// Package seed holds the Nordic ecosystem dataset built from the five seed
// articles (see README.md) and loads it into an empty store.
package seed

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/samverkan/samverkan/internal/kg"
)

//go:embed nordic.json
var nordicJSON []byte

// Article is one of the seed articles the dataset is built from.
type Article struct {
	File     string // file name in the shared seeds folder
	Language string // ISO 639-1
	// Citation is the exact string that nodes and relationships built from
	// this article carry in their sources.
	Citation string
}

var articles = []Article{
	{"000_4e18d980f843fac4.txt", "no", "Artikel 000: Nordic Digital Health Center og SOL (seeds/000_4e18d980f843fac4.txt)"},
	{"001_2fe52e06602d8022.txt", "no", "Artikel 001: Difi og DOGA i partnerskap om Stimuleringsordningen (seeds/001_2fe52e06602d8022.txt)"},
	{"002_a1c1791042df9db0.txt", "sv", "Artikel 002: Innovationsforum kan ge insikt om offentlig sektor (seeds/002_a1c1791042df9db0.txt)"},
	{"003_68af6e4b248ea9e8.txt", "sv", "Artikel 003: Nytänkande som ger offentlig sektor tid för innovation (seeds/003_68af6e4b248ea9e8.txt)"},
	{"004_7d8a2cac1924e3b4.txt", "sv", "Artikel 004: Digitaliseringen av offentlig sektor – en spaning från Offentliga Rummet (seeds/004_7d8a2cac1924e3b4.txt)"},
}

// Articles returns the seed articles in file order.
func Articles() []Article { return append([]Article(nil), articles...) }

// Graph returns a fresh copy of the dataset, so callers may change it.
func Graph() (kg.Graph, error) { return decode(nordicJSON) }

// decode is strict: a misspelt field in the dataset would otherwise be
// dropped silently and the fact it carries lost.
func decode(data []byte) (kg.Graph, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var g kg.Graph
	if err := dec.Decode(&g); err != nil {
		return kg.Graph{}, fmt.Errorf("seed: decode nordic.json: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return kg.Graph{}, errors.New("seed: decode nordic.json: data after the top-level object")
	}
	return g, nil
}

// Load imports the dataset when the store holds no node of any label, and
// reports whether it did. A store with any content is left alone, so that
// data a user has changed or deleted is never brought back. Two processes
// that load at once both import; the import is an idempotent upsert, so the
// result is the same.
func Load(ctx context.Context, s kg.Store) (loaded bool, err error) {
	// The topology's counts, not a list: the embedded store builds its list
	// indexes in the background after a start, and a list would wait for
	// them (seconds at L) before the server listens. Neo4j loads the
	// topology here, at the start, as DESIGN.md §3 has it.
	snap, err := s.Topology(ctx)
	if err != nil {
		return false, fmt.Errorf("seed: check whether the store is empty: %w", err)
	}
	for _, l := range kg.Labels {
		if snap.Count(kg.LabelCode(l)) > 0 {
			return false, nil
		}
	}
	g, err := Graph()
	if err != nil {
		return false, err
	}
	if _, err := s.Import(ctx, g); err != nil {
		return false, fmt.Errorf("seed: import the Nordic dataset: %w", err)
	}
	return true, nil
}

// Package examples holds the example operations GraphiQL opens with.
package examples

import _ "embed"

// Tour is the tour of named queries on the seed dataset, picked with
// GraphiQL's run button (tested against the seed).
//
//go:embed tour.graphql
var Tour string

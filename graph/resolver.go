// Package graph is the GraphQL layer: gqlgen's generated executor, thin
// resolvers that call the domain store, per-request batch loaders and the
// error presenter.
package graph

//go:generate go tool gqlgen generate

import "github.com/samverkan/samverkan/internal/kg"

// Resolver is the root resolver; it holds the store and the analytics
// service every request uses.
type Resolver struct {
	Store     kg.Store
	Analytics *kg.Analytics
	Feed      *kg.Feed // graphChanged's source (subscriptions.go)
}

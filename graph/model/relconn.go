package model

import "github.com/samverkan/samverkan/internal/kg"

// RelConnection is every nested connection (Actor.projectsConnection and
// the like): one page of a node's relationships of one type and direction.
type RelConnection struct {
	Edges      []*RelEdge
	PageInfo   *PageInfo
	TotalCount int
}

// RelEdge is one edge of a nested connection: the relationship, seen from
// the node whose connection it is (Other is the edge's node).
type RelEdge struct {
	Cursor     string
	Properties *kg.Rel
	// Other is the id of the edge's node, the relationship's other end.
	Other string
}

// NodeAggregate is actorsAggregate and the like: the answer of the store's
// ungrouped Aggregate call, and the query for groupBy's own call.
type NodeAggregate struct {
	Query kg.AggregateQuery
	Agg   kg.Aggregate
}

// RelAggregate is a nested aggregate (holdersAggregate and the like), over
// relationships the loaders read.
type RelAggregate struct {
	Count int
	Stats kg.IntStats
}

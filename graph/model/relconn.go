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

package kg

import (
	"slices"
	"time"

	"github.com/samverkan/samverkan/internal/engine"
)

// The analytics engine (internal/engine) knows nodes and ties by small
// codes; these functions are the one mapping between the domain's names
// and those codes, used by every store to keep its topology current and by
// the analytics to read it.

// TypeCode is the engine code of a relationship type: its index in RelTypes.
func TypeCode(t RelType) uint8 { return uint8(typeIndex(t)) }

// TypeOfCode is the relationship type of an engine code.
func TypeOfCode(c uint8) RelType { return RelTypes[c] }

// LabelCode is the engine code of a label: its index in Labels.
func LabelCode(l Label) uint8 { return uint8(slices.Index(Labels, l)) }

// LabelOfCode is the label of an engine code.
func LabelOfCode(c uint8) Label { return Labels[c] }

// kind and sector codes are 1 + the index in ActorKinds / Sectors; 0 is
// "not an actor".
func kindCode(k ActorKind) uint8 { return uint8(slices.Index(ActorKinds, k) + 1) }
func sectorCode(s Sector) uint8  { return uint8(slices.Index(Sectors, s) + 1) }

// KindOfCode and SectorOfCode read a node's kind and sector back.
func KindOfCode(c uint8) ActorKind {
	if c == 0 || int(c) > len(ActorKinds) {
		return ""
	}
	return ActorKinds[c-1]
}

func SectorOfCode(c uint8) Sector {
	if c == 0 || int(c) > len(Sectors) {
		return ""
	}
	return Sectors[c-1]
}

// typeMask is a set of relationship types as a bit mask of their codes.
type typeMask uint32

func maskOf(types []RelType) typeMask {
	var m typeMask
	for _, t := range types {
		m |= 1 << TypeCode(t)
	}
	return m
}

func (m typeMask) has(c uint8) bool { return m&(1<<c) != 0 }

// TopoNode is the engine's view of a node.
func TopoNode(n Node) engine.Node {
	out := engine.Node{Label: LabelCode(n.NodeLabel())}
	switch v := n.(type) {
	case *Actor:
		out.Kind, out.Sector, out.Country = kindCode(v.Kind), sectorCode(v.Sector), v.Country
	case *Project:
		out.Kind, out.Country = projectTypeCode(v.Type), v.Country
		out.Start, out.End = dayOf(v.StartDate), dayOf(v.EndDate)
	}
	return out
}

// A project's type is kept in the engine's kind field: 1 + its index in
// ProjectTypes, and an empty type (stored before the second version) is
// PROJECT's code.
func projectTypeCode(t ProjectType) uint8 {
	if t == "" {
		t = ProjectTypeProject
	}
	return uint8(slices.Index(ProjectTypes, t) + 1)
}

// ProjectTypeOfCode reads a project node's type back.
func ProjectTypeOfCode(c uint8) ProjectType {
	if c == 0 || int(c) > len(ProjectTypes) {
		return ProjectTypeProject
	}
	return ProjectTypes[c-1]
}

// TopoTie is the engine's view of a relationship: its weight is the
// competency level, the importance or the participation role's code, its
// dates the tie's from and to (a partnership's since before the second
// version).
func TopoTie(r Rel) engine.Tie {
	t := engine.Tie{Type: TypeCode(r.Type), From: r.From, To: r.To}
	switch r.Type {
	case RelHasCompetency:
		t.W = uint8(r.Level)
	case RelRequires:
		t.W = uint8(r.Importance)
	case RelParticipatesIn:
		t.W = uint8(slices.Index(ParticipationRoles, ParticipationRole(r.Role)) + 1)
	}
	if r.Type.Dated() {
		t.Start, t.End = dayOf(r.Begin()), dayOf(r.End)
	}
	return t
}

// RoleOfCode reads a participation's role back from its tie weight.
func RoleOfCode(w uint8) ParticipationRole {
	if w == 0 || int(w) > len(ParticipationRoles) {
		return ""
	}
	return ParticipationRoles[w-1]
}

// dayOf is a date as days since 1970-01-01 (1 + that, so that 0 stays
// "open"); an empty or bad date is 0.
func dayOf(d Date) int32 {
	if d == "" {
		return 0
	}
	t, err := time.Parse(DateLayout, string(d))
	if err != nil {
		return 0
	}
	return int32(t.Unix()/86400) + 1
}

// Change is the change record of one committed write (DESIGN.md §3): its
// graph version and what it changed, in the order to apply it. It is what
// the Neo4j store writes in each write's transaction and what every API
// process applies to its topology; the partners' change feed reads it too.
type Change struct {
	Version      uint64        `json:"version"`
	DeletedNodes []NodeRef     `json:"deletedNodes,omitempty"`
	RemovedRels  []RelKey      `json:"removedRels,omitempty"`
	Nodes        []ChangedNode `json:"nodes,omitempty"`
	Rels         []ChangedRel  `json:"rels,omitempty"`
	// At is when the write was made (the writer's clock, UTC); zero on
	// records written before the change feed had it.
	At time.Time `json:"at,omitzero"`
}

// NodeRef names a node.
type NodeRef struct {
	ID    string `json:"id"`
	Label Label  `json:"label"`
}

// ChangedNode is a node created or updated, with the fields analytics read.
type ChangedNode struct {
	ID      string      `json:"id"`
	Label   Label       `json:"label"`
	Kind    ActorKind   `json:"kind,omitempty"`
	Sector  Sector      `json:"sector,omitempty"`
	Country string      `json:"country,omitempty"`
	Type    ProjectType `json:"type,omitempty"`  // a project's
	Start   Date        `json:"start,omitempty"` // a project's startDate
	End     Date        `json:"end,omitempty"`   // a project's endDate
}

// ChangedRel is a relationship created or updated, with the fields
// analytics read, in the stored direction.
type ChangedRel struct {
	Type       RelType `json:"type"`
	From       string  `json:"from"`
	To         string  `json:"to"`
	Role       string  `json:"role,omitempty"`
	Level      int     `json:"level,omitempty"`
	Importance int     `json:"importance,omitempty"`
	Start      Date    `json:"start,omitempty"`
	End        Date    `json:"end,omitempty"`
	Since      Date    `json:"since,omitempty"`
}

// ChangedNodeOf is the change entry of a stored node.
func ChangedNodeOf(n Node) ChangedNode {
	c := ChangedNode{ID: n.Base().ID, Label: n.NodeLabel()}
	switch v := n.(type) {
	case *Actor:
		c.Kind, c.Sector, c.Country = v.Kind, v.Sector, v.Country
	case *Project:
		c.Type, c.Country = v.Type, v.Country
		c.Start, c.End = v.StartDate, v.EndDate
	}
	return c
}

// ChangedRelOf is the change entry of a stored relationship.
func ChangedRelOf(r Rel) ChangedRel {
	return ChangedRel{Type: r.Type, From: r.From, To: r.To, Role: r.Role, Level: r.Level,
		Importance: r.Importance, Start: r.Start, End: r.End, Since: r.Since}
}

func (c ChangedRel) rel() Rel {
	return Rel{Type: c.Type, From: c.From, To: c.To, Role: c.Role, Level: c.Level, Importance: c.Importance,
		Start: c.Start, End: c.End, Since: c.Since}
}

func (c ChangedNode) topo() engine.Node {
	if c.Label == LabelProject {
		return engine.Node{Label: LabelCode(c.Label), Kind: projectTypeCode(c.Type), Country: c.Country,
			Start: dayOf(c.Start), End: dayOf(c.End)}
	}
	return engine.Node{Label: LabelCode(c.Label), Kind: kindCode(c.Kind), Sector: sectorCode(c.Sector), Country: c.Country}
}

// Apply adds the change to a batch: deletions first, then nodes, then
// relationships, so that a relationship may join nodes of the same change.
func (c Change) Apply(b *engine.Batch) {
	for _, n := range c.DeletedNodes {
		b.DeleteNode(n.ID)
	}
	for _, k := range c.RemovedRels {
		b.RemoveEdge(TypeCode(k.Type), k.From, k.To, k.Type.Symmetric())
	}
	for _, n := range c.Nodes {
		b.PutNode(n.ID, n.topo())
	}
	for _, r := range c.Rels {
		b.PutEdge(TopoTie(r.rel()), r.Type.Symmetric())
	}
}

// Empty reports whether the change changes nothing.
func (c Change) Empty() bool {
	return len(c.DeletedNodes) == 0 && len(c.RemovedRels) == 0 && len(c.Nodes) == 0 && len(c.Rels) == 0
}

// LoadTopology builds a topology at version from every node and
// relationship of a store, given by the two iterators (each relationship
// once): what a store does at start.
func LoadTopology(version uint64, nodes func(yield func(ChangedNode) bool), rels func(yield func(ChangedRel) bool)) *engine.Topology {
	t := engine.New()
	b := t.Begin()
	for n := range nodes {
		b.PutNode(n.ID, n.topo())
	}
	for r := range rels {
		b.AddEdge(TopoTie(r.rel()))
	}
	b.Commit(version)
	return t
}

package kg

import (
	"fmt"
	"time"
)

// The prepare step of the write path (see write.go): each checks input
// against what a store holds, given as callbacks. Stores do not call these
// directly; the plans of write.go do, after their own lookups.

// LabelOf looks up the label of an existing node; "" when there is none.
type LabelOf func(id string) Label

// PrepareNode normalizes n, gives it an id when it has none, and validates
// it against the store's current content. existing is the node stored under
// that id, or nil. On success n is ready to store: CreatedAt is kept from
// existing or set to now, UpdatedAt is now.
func PrepareNode(n Node, existing Node, now time.Time) error {
	if IsNil(n) {
		return Invalid("input", "no node given")
	}
	Normalize(n)
	m := n.Base()
	if m.ID == "" {
		m.ID = NewID(n.NodeLabel())
	}
	if err := ValidateNode(n); err != nil {
		return err
	}
	if existing != nil && existing.NodeLabel() != n.NodeLabel() {
		return Conflict(m.ID, "id %q already belongs to a %s; ids are unique across every label", m.ID, existing.NodeLabel())
	}
	m.UpdatedAt = now
	m.CreatedAt = now
	if existing != nil {
		m.CreatedAt = existing.Base().CreatedAt
	}
	return nil
}

// PrepareRel normalizes and validates r against the labels of its
// endpoints, and orients a symmetric relationship like the one already
// stored (existing, or nil). On success r is ready to store.
func PrepareRel(r *Rel, labelOf LabelOf, existing *Rel, now time.Time) error {
	NormalizeRel(r)
	if err := ValidateRel(*r); err != nil {
		return err
	}
	if err := CheckEndpoints(r.Type, r.From, r.To, labelOf(r.From), labelOf(r.To)); err != nil {
		return err
	}
	r.UpdatedAt = now
	r.CreatedAt = now
	if existing != nil {
		r.CreatedAt = existing.CreatedAt
		if r.Type.Symmetric() {
			r.From, r.To = existing.From, existing.To
		}
	}
	return nil
}

// CheckRemove validates the arguments of a relationship removal.
func CheckRemove(t RelType, from, to string, labelOf LabelOf) error {
	if !t.Valid() {
		return Invalid("type", "%q is not a relationship type", clip(string(t)))
	}
	fromField, toField := RelFieldNames(t)
	if err := CheckID(fromField, from); err != nil {
		return err
	}
	if err := CheckID(toField, to); err != nil {
		return err
	}
	return CheckEndpoints(t, from, to, labelOf(from), labelOf(to))
}

// CheckDelete validates a node deletion of label l; stored is the label of
// the node under id ("" when none).
func CheckDelete(l Label, id string, stored Label) error {
	if !l.Valid() {
		return Invalid("label", "%q is not a label", clip(string(l)))
	}
	if err := CheckID("id", id); err != nil {
		return err
	}
	if stored != "" && stored != l {
		return Invalid("id", "%q is a %s, not a %s", id, stored, l)
	}
	return nil
}

// PreparedImport is an import checked against a store's content.
type PreparedImport struct {
	Nodes  []Node // ready to store, with CreatedAt kept for existing ids
	Rels   []Rel  // ready to store, symmetric ones oriented like stored ones
	Result ImportResult
}

// PrepareImport validates a whole import as PrepareNode and PrepareRel
// would, in one pass, so that nothing is written unless everything is
// valid. Relationships may refer to nodes of the same import. Errors name
// the entry at fault, e.g. "relationships[999].level". existingNode and
// existingRel look up what the store holds now.
func PrepareImport(g Graph, existingNode func(id string) Node, existingRel func(RelKey) *Rel, now time.Time) (PreparedImport, error) {
	var p PreparedImport
	nodes := g.Nodes()
	if len(nodes) > MaxImportNodes {
		return p, Invalid("actors", "an import holds %d nodes; the limit is %d", len(nodes), MaxImportNodes)
	}
	if len(g.Rels) > MaxImportRels {
		return p, Invalid("relationships", "an import holds %d relationships; the limit is %d", len(g.Rels), MaxImportRels)
	}
	batch := make(map[string]Label, len(nodes))
	fieldOf := func(i int) string {
		switch {
		case i < len(g.Actors):
			return fmt.Sprintf("actors[%d]", i)
		case i < len(g.Actors)+len(g.Projects):
			return fmt.Sprintf("projects[%d]", i-len(g.Actors))
		case i < len(g.Actors)+len(g.Projects)+len(g.Needs):
			return fmt.Sprintf("needs[%d]", i-len(g.Actors)-len(g.Projects))
		}
		return fmt.Sprintf("competencies[%d]", i-len(g.Actors)-len(g.Projects)-len(g.Needs))
	}
	for i, n := range nodes {
		if IsNil(n) {
			return p, Invalid(fieldOf(i), "is null")
		}
		n = Clone(n)
		// Normalize before the lookup, so that " x " finds the stored "x".
		Normalize(n)
		if n.Base().ID == "" {
			// An import must name its nodes, so that relationships can refer
			// to them and a repeated import changes nothing.
			return p, Invalid(fieldOf(i)+".id", "is required in an import")
		}
		existing := existingNode(n.Base().ID)
		if err := PrepareNode(n, existing, now); err != nil {
			return p, WithField(err, fieldOf(i))
		}
		id := n.Base().ID
		if _, dup := batch[id]; dup {
			return p, Invalid(fieldOf(i)+".id", "%q appears twice in the import", id)
		}
		batch[id] = n.NodeLabel()
		if existing == nil {
			p.Result.NodesCreated++
		} else {
			p.Result.NodesUpdated++
		}
		p.Nodes = append(p.Nodes, n)
	}
	labelOf := func(id string) Label {
		if l, ok := batch[id]; ok {
			return l
		}
		if n := existingNode(id); n != nil {
			return n.NodeLabel()
		}
		return ""
	}
	seen := make(map[RelKey]int, len(g.Rels))
	for i, r := range g.Rels {
		r = CloneRel(r)
		field := fmt.Sprintf("relationships[%d]", i)
		NormalizeRel(&r)
		existing := (*Rel)(nil)
		if r.Type.Valid() {
			existing = existingRel(r.Key())
		}
		if err := PrepareRel(&r, labelOf, existing, now); err != nil {
			return p, WithField(err, field)
		}
		if j, dup := seen[r.Key()]; dup {
			return p, Invalid(field, "repeats relationships[%d] (%s %s–%s)", j, r.Type, r.From, r.To)
		}
		seen[r.Key()] = i
		if existing == nil {
			p.Result.RelsCreated++
		} else {
			p.Result.RelsUpdated++
		}
		p.Rels = append(p.Rels, r)
	}
	return p, nil
}

package kg

import (
	"fmt"
	"time"
)

// The write path. kg owns the sequence of every Store write: validate →
// look up → prepare; the store owns only its lookups and the final write.
//
//  1. Plan* validates the input on its own: everything that can be refused
//     whatever the store holds. A store calls it before it takes any lock
//     or opens a transaction, so that such input costs no round trip.
//  2. The plan's Prepare looks up, through the store's Lookup, what the
//     write depends on (existing nodes, labels, relationships) and checks
//     and prepares the write against it: labels of endpoints, id conflicts,
//     CreatedAt kept, symmetric relationships oriented like the stored one.
//     A store calls it inside its write transaction (Neo4j) or under its
//     writer lock (embedded). Prepare does not change the plan, so a store
//     may call it again when it retries a transaction.
//  3. The store writes what Prepare returned.
//
// So every store refuses the same input with the same error, in the same
// order, and no store mirrors kg's checks. PrepareNode, PrepareRel and
// PrepareImport are step 2 over callbacks; stores use the plans.

// Lookup is what the write path reads from a store: its content as the
// write transaction sees it. Each method returns entries only for what
// exists; an error (the store failed) is returned by Prepare as is.
type Lookup interface {
	// Labels returns the labels of the nodes with these ids: an entry for
	// every node found, "" for one with none of Labels (data written by
	// other tools). A store whose writers run concurrently (Neo4j) locks
	// these nodes until its transaction ends, so that they cannot go
	// before the write.
	Labels(ids []string) (map[string]Label, error)
	// Nodes returns the nodes with these ids, by id. Prepare only reads
	// them.
	Nodes(ids []string) (map[string]Node, error)
	// Rels returns the relationships with these keys, by key; a
	// symmetric one is found whichever direction it is stored in. Prepare
	// only reads them.
	Rels(keys []RelKey) (map[RelKey]*Rel, error)
	// PartOf returns, for each of these ids that is PART_OF anything, the
	// ids it is PART_OF. A store whose writers run concurrently locks the
	// nodes asked about, as Labels does (see partof.go).
	PartOf(ids []string) (map[string][]string, error)
	// ExternalIDOwners returns, for each of these external ids that an
	// actor holds, that actor's id. Prepare only reads them; a store whose
	// writers run concurrently enforces the uniqueness itself as well (a
	// constraint), since what this reads may change before its commit.
	ExternalIDOwners(ids []ExternalID) (map[ExternalID]string, error)
}

// NodeUpsert is a Store.UpsertNode that passed every check of the node on
// its own.
type NodeUpsert struct {
	n         Node // normalized, with its id
	generated bool // the id was given by PlanUpsertNode: no node has it
}

// PlanUpsertNode validates n on its own (see PrepareNode): a nil node,
// normalization, a new id when it has none, ValidateNode.
func PlanUpsertNode(n Node) (*NodeUpsert, error) {
	if IsNil(n) {
		return nil, PrepareNode(nil, nil, time.Time{})
	}
	c := Clone(n)
	Normalize(c)
	u := &NodeUpsert{n: c}
	if c.Base().ID == "" {
		c.Base().ID = NewID(c.NodeLabel())
		u.generated = true
	}
	if err := ValidateNode(c); err != nil {
		return nil, err
	}
	return u, nil
}

// ID is the id the node is stored under.
func (u *NodeUpsert) ID() string { return u.n.Base().ID }

// Prepare looks up the node stored under the id and returns the node to
// store: ErrConflict when the id belongs to a node of another label;
// CreatedAt kept from the stored node or set to now, UpdatedAt now.
func (u *NodeUpsert) Prepare(lk Lookup, now time.Time) (Node, error) {
	var existing Node
	if !u.generated {
		found, err := lk.Nodes([]string{u.ID()})
		if err != nil {
			return nil, err
		}
		if n, ok := found[u.ID()]; ok && !IsNil(n) {
			existing = n
		}
	}
	c := Clone(u.n)
	if err := PrepareNode(c, existing, now); err != nil {
		return nil, err
	}
	if err := checkExternalIDOwners([]Node{c}, []string{""}, lk); err != nil {
		return nil, err
	}
	return c, nil
}

// RelSet is a Store.SetRel that passed every check of the relationship on
// its own.
type RelSet struct {
	r Rel // normalized
}

// PlanSetRel validates r on its own: normalization, then ValidateRel.
func PlanSetRel(r Rel) (*RelSet, error) {
	c := CloneRel(r)
	NormalizeRel(&c)
	if err := ValidateRel(c); err != nil {
		return nil, err
	}
	return &RelSet{r: c}, nil
}

// Prepare looks up (and, on a store that locks, locks) both endpoints and
// the relationship stored under the key, and returns the relationship to
// store (see PrepareRel): ErrNotFound or ErrInvalid for a missing endpoint
// or one of the wrong label.
func (s *RelSet) Prepare(lk Lookup, now time.Time) (Rel, error) {
	c := CloneRel(s.r)
	labels, err := lk.Labels([]string{c.From, c.To})
	if err != nil {
		return Rel{}, err
	}
	stored, err := lk.Rels([]RelKey{c.Key()})
	if err != nil {
		return Rel{}, err
	}
	labelOf := func(id string) Label { return labels[id] }
	if err := PrepareRel(&c, labelOf, stored[c.Key()], now); err != nil {
		return Rel{}, err
	}
	if c.Type == RelPartOf && stored[c.Key()] == nil {
		if err := checkPartOf([]Rel{c}, []string{"wholeId"}, lk); err != nil {
			return Rel{}, err
		}
	}
	return c, nil
}

// RelRemoval is a Store.RemoveRel whose arguments passed every check on
// their own.
type RelRemoval struct {
	t        RelType
	from, to string
}

// PlanRemoveRel validates the arguments of a relationship removal on their
// own: the type, then both ids (see CheckRemove).
func PlanRemoveRel(t RelType, from, to string) (*RelRemoval, error) {
	if !t.Valid() || !ValidID(from) || !ValidID(to) {
		// Refused whatever the endpoints' labels: CheckRemove names the
		// argument at fault before it looks at them.
		return nil, CheckRemove(t, from, to, func(string) Label { return "" })
	}
	return &RelRemoval{t: t, from: from, to: to}, nil
}

// Key is the identity of the relationship to remove.
func (r *RelRemoval) Key() RelKey { return KeyOf(r.t, r.from, r.to) }

// Prepare looks up (and locks) both endpoints: ErrNotFound or ErrInvalid
// when one is missing or of the wrong label. On success the store removes
// the relationship Key names, if there is one.
func (r *RelRemoval) Prepare(lk Lookup) error {
	labels, err := lk.Labels([]string{r.from, r.to})
	if err != nil {
		return err
	}
	return CheckRemove(r.t, r.from, r.to, func(id string) Label { return labels[id] })
}

// NodeDeletion is a Store.DeleteNode whose arguments passed every check on
// their own.
type NodeDeletion struct {
	l  Label
	id string
}

// PlanDeleteNode validates the label and id of a deletion on their own.
func PlanDeleteNode(l Label, id string) (*NodeDeletion, error) {
	if err := CheckDelete(l, id, ""); err != nil {
		return nil, err
	}
	return &NodeDeletion{l: l, id: id}, nil
}

// ID is the id of the node to delete.
func (d *NodeDeletion) ID() string { return d.id }

// Prepare looks up (and locks) the node: false when there is none (the
// deletion changes nothing), ErrInvalid when it has another label, true
// when the store is to delete it with its relationships (also when it has
// no label of the domain at all).
func (d *NodeDeletion) Prepare(lk Lookup) (bool, error) {
	labels, err := lk.Labels([]string{d.id})
	if err != nil {
		return false, err
	}
	stored, ok := labels[d.id]
	if !ok {
		return false, nil
	}
	if err := CheckDelete(d.l, d.id, stored); err != nil {
		return false, err
	}
	return true, nil
}

// ImportPlan is a Store.Import within the size limits.
type ImportPlan struct {
	g Graph
}

// PlanImport refuses an import over MaxImportNodes or MaxImportRels,
// before anything is read for it. Every other check needs the store's
// content and is Prepare's.
func PlanImport(g Graph) (*ImportPlan, error) {
	if n := len(g.Nodes()); n > MaxImportNodes || len(g.Rels) > MaxImportRels {
		_, err := PrepareImport(g, func(string) Node { return nil }, func(RelKey) *Rel { return nil }, time.Time{})
		return nil, err
	}
	return &ImportPlan{g: g}, nil
}

// Prepare looks up, in one batch each, every node id and relationship key
// the import names (as normalized), and validates and prepares the whole
// import against them (see PrepareImport).
func (p *ImportPlan) Prepare(lk Lookup, now time.Time) (PreparedImport, error) {
	var ids []string
	for _, n := range p.g.Nodes() {
		if IsNil(n) {
			continue
		}
		c := Clone(n)
		Normalize(c)
		if id := c.Base().ID; id != "" {
			ids = append(ids, id)
		}
	}
	var keys []RelKey
	for _, r := range p.g.Rels {
		c := Rel{Type: r.Type, From: r.From, To: r.To}
		NormalizeRel(&c)
		ids = append(ids, c.From, c.To)
		if c.Type.Valid() {
			keys = append(keys, c.Key())
		}
	}
	nodes, err := lk.Nodes(ids)
	if err != nil {
		return PreparedImport{}, err
	}
	rels, err := lk.Rels(keys)
	if err != nil {
		return PreparedImport{}, err
	}
	existingNode := func(id string) Node {
		if n, ok := nodes[id]; ok && !IsNil(n) {
			return n
		}
		return nil // never a typed nil inside the interface
	}
	prep, err := PrepareImport(p.g, existingNode, func(k RelKey) *Rel { return rels[k] }, now)
	if err != nil {
		return prep, err
	}
	actorFields := make([]string, len(prep.Nodes))
	for i := range actorFields {
		actorFields[i] = fmt.Sprintf("actors[%d]", i) // actors come first; only theirs are used
	}
	if err := checkExternalIDOwners(prep.Nodes, actorFields, lk); err != nil {
		return PreparedImport{}, err
	}
	var added []Rel
	var fields []string
	for i, r := range prep.Rels {
		if r.Type == RelPartOf && rels[r.Key()] == nil {
			added = append(added, r)
			fields = append(fields, fmt.Sprintf("relationships[%d]", i))
		}
	}
	if err := checkPartOf(added, fields, lk); err != nil {
		return PreparedImport{}, err
	}
	return prep, nil
}

package kg

import (
	"context"
	"io"

	"github.com/samverkan/samverkan/internal/engine"
)

// Store is what Samverkan needs of a graph store. Every store (embedded,
// Neo4j) passes the contract suite in internal/store/storetest, so that the
// API answers the same on each.
//
// Writes validate their input with this package's rules and return *Error
// values wrapping ErrInvalid, ErrNotFound or ErrConflict; a refused write
// changes nothing. A write returns only after it is durable. Every
// successful write bumps Version.
type Store interface {
	// GetNodes returns the nodes with the given ids, aligned with ids: nil
	// where no node has that id. It is the batch call behind the API's
	// loaders. Unknown ids are not an error.
	GetNodes(ctx context.Context, ids []string) ([]Node, error)

	// ActorByExternalID returns the actor that holds the external id, nil
	// when none does. The id is as CheckExternalIDQuery returns it
	// (normalized and valid); a store refuses any other with ErrInvalid.
	ActorByExternalID(ctx context.Context, x ExternalID) (*Actor, error)

	// UpsertNode creates the node, or replaces every field of the node with
	// the same id and label (keeping CreatedAt). An empty id is replaced by
	// a new one (see NewID). An id held by a node of another label is
	// ErrConflict. It returns the node as stored.
	UpsertNode(ctx context.Context, n Node) (Node, error)

	// DeleteNode deletes the node of label l with this id and every
	// relationship it has. It returns false when no node has the id, and
	// ErrInvalid when the id belongs to a node of another label.
	DeleteNode(ctx context.Context, l Label, id string) (bool, error)

	// SetRel creates or replaces the relationship r.Key() names. Both
	// endpoints must exist with the labels of r.Type (ErrNotFound,
	// ErrInvalid). For a symmetric type the direction of the first set is
	// kept. It returns the relationship as stored.
	SetRel(ctx context.Context, r Rel) (Rel, error)

	// RemoveRel removes the relationship of type t between from and to. It
	// returns false when there was none; an endpoint that does not exist is
	// ErrNotFound.
	RemoveRel(ctx context.Context, t RelType, from, to string) (bool, error)

	// RelsOf returns, for each id, the relationships of type t that the node
	// has in direction dir, ordered by the other endpoint's id. It is the
	// batch call behind the API's nested-field loaders: ids without any get
	// no entry.
	RelsOf(ctx context.Context, t RelType, dir Direction, ids []string) (map[string][]Rel, error)

	// List returns one page of nodes of a label, filtered and ordered, with
	// keyset pagination.
	List(ctx context.Context, q ListQuery) (Page, error)

	// Aggregate counts the nodes of a label that pass a filter, grouped by
	// one field, with the statistics of their priorities, levels and
	// importances (see Aggregate and AggregateNodes, its reference).
	Aggregate(ctx context.Context, q AggregateQuery) (Aggregate, error)

	// Search ranks nodes by Query.Score, then folded name, then id.
	Search(ctx context.Context, q SearchQuery) ([]SearchHit, error)

	// Import upserts every node, then sets every relationship, in one
	// transaction: all or nothing. Relationships may refer to nodes of the
	// same import.
	Import(ctx context.Context, g Graph) (ImportResult, error)

	// GetRels returns the relationships with the given keys, aligned with
	// keys: nil where there is none. It is how analytic answers (paths,
	// neighbourhoods) get the properties of the ties the engine found.
	GetRels(ctx context.Context, keys []RelKey) ([]*Rel, error)

	// Topology returns the compact topology of the whole graph (DESIGN.md
	// §3) at a version at least as new as every write this process has
	// seen committed, and in Neo4j mode every write committed before the
	// call. Every analytic runs on it. The snapshot is immutable.
	Topology(ctx context.Context) (*engine.Snapshot, error)

	// Changes returns the graph version and the change records (one per
	// version, DESIGN.md §3) of the versions after after, in version
	// order, at most limit of them. A store keeps the records of the
	// newest versions (its retention); older ones are gone, and a write
	// that made no record (a bulk load) leaves a gap. ReadChanges turns
	// them into the change feed.
	Changes(ctx context.Context, after uint64, limit int) (ChangeRecords, error)

	// Version is a counter that every successful write increases; caches of
	// whole-graph analytics are keyed by it.
	Version(ctx context.Context) (uint64, error)

	// Ping reports whether the store can answer.
	Ping(ctx context.Context) error

	// Close releases the store; a store is not used after Close.
	Close() error
}

// Backuper is the optional capability of a store that can write a
// consistent copy of its whole graph while it keeps serving (the embedded
// store; GET /admin/backup serves it). What the copy is, and how it is
// opened again, is the store's own: the contract suite checks the
// capability with a store-specific opener (storetest.OpenBackup).
type Backuper interface {
	// Backup writes the copy to w and returns the bytes written.
	Backup(w io.Writer) (int64, error)
}

// Limits of one call.
const (
	MaxSearchResults = 100
	MaxBatchIDs      = 1_000 // ids in one GetNodes call from the API (nodes(ids))
	MaxImportNodes   = 10_000
	MaxImportRels    = 50_000
	MaxSearchText    = 200 // characters
)

// SearchQuery asks for the nodes whose name, aliases or description match.
type SearchQuery struct {
	Text   string
	Labels []Label // empty: every label
	First  int     // 1..MaxSearchResults
	// After, when set, asks for the hits ranked after it: the next page.
	After *SearchCursor
}

// SearchHit is one search result; Score is its tier (TierExact ...).
type SearchHit struct {
	Node  Node
	Score float64
	// Cursor is the hit's position for the next page's after; the API
	// sets it (SearchCursorOf), stores leave it empty.
	Cursor string `json:"-"`
}

// Graph is a batch of nodes and relationships for Import, and the form of
// the seed dataset.
type Graph struct {
	Actors       []*Actor      `json:"actors,omitempty"`
	Projects     []*Project    `json:"projects,omitempty"`
	Needs        []*Need       `json:"needs,omitempty"`
	Competencies []*Competency `json:"competencies,omitempty"`
	Rels         []Rel         `json:"relationships,omitempty"`
}

// Add appends n to the list of its label.
func (g *Graph) Add(n Node) {
	switch v := n.(type) {
	case *Actor:
		g.Actors = append(g.Actors, v)
	case *Project:
		g.Projects = append(g.Projects, v)
	case *Need:
		g.Needs = append(g.Needs, v)
	case *Competency:
		g.Competencies = append(g.Competencies, v)
	}
}

// Nodes returns every node of g in the order actors, projects, needs,
// competencies.
func (g Graph) Nodes() []Node {
	out := make([]Node, 0, len(g.Actors)+len(g.Projects)+len(g.Needs)+len(g.Competencies))
	for _, n := range g.Actors {
		out = append(out, n)
	}
	for _, n := range g.Projects {
		out = append(out, n)
	}
	for _, n := range g.Needs {
		out = append(out, n)
	}
	for _, n := range g.Competencies {
		out = append(out, n)
	}
	return out
}

// ImportResult counts what an import did.
type ImportResult struct {
	NodesCreated int
	NodesUpdated int
	RelsCreated  int
	RelsUpdated  int
}

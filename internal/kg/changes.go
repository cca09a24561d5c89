package kg

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"
)

// The change feed (DESIGN.md §3, §4): every store keeps the change record
// of each write (Change, one per graph version) for the newest
// ChangeRetention versions; ReadChanges turns the records into the
// partners' feed of entries, one per node or relationship a write
// touched, in version order, and pages it with opaque cursors that stay
// valid across restarts (they hold a version and a position, nothing of
// the process).

// DefaultChangeRetention is how many versions of change records a store
// keeps unless configured otherwise (CHANGE_RETENTION).
const DefaultChangeRetention = 10_000

// ReasonChangesExpired is extensions.reason of a changes cursor whose
// records are no longer kept.
const ReasonChangesExpired = "CHANGES_EXPIRED"

// ChangeKind is what happened to a node or relationship.
type ChangeKind string

const (
	ChangeNodeUpserted        ChangeKind = "NODE_UPSERTED"
	ChangeNodeDeleted         ChangeKind = "NODE_DELETED"
	ChangeRelationshipSet     ChangeKind = "RELATIONSHIP_SET"
	ChangeRelationshipRemoved ChangeKind = "RELATIONSHIP_REMOVED"
)

// ChangeEntry is one entry of the change feed: a node (ID, Label) or a
// relationship (Type, From, To, in its stored direction) that the write of
// Version changed. Seq is its position among the entries of that version.
// A deleted node's relationships go with it: they get no entries of their
// own.
type ChangeEntry struct {
	Version uint64
	Seq     int
	At      *time.Time // when the write was made; nil on records written before the feed had it
	Kind    ChangeKind
	ID      string
	Label   Label
	Type    RelType
	From    string
	To      string
}

// Entries lists what the change record changed, in the order it applies:
// deleted nodes, removed relationships, upserted nodes, set relationships.
func (c Change) Entries() []ChangeEntry {
	out := make([]ChangeEntry, 0, len(c.DeletedNodes)+len(c.RemovedRels)+len(c.Nodes)+len(c.Rels))
	add := func(e ChangeEntry) {
		e.Version, e.Seq = c.Version, len(out)
		if !c.At.IsZero() {
			at := c.At
			e.At = &at
		}
		out = append(out, e)
	}
	for _, n := range c.DeletedNodes {
		add(ChangeEntry{Kind: ChangeNodeDeleted, ID: n.ID, Label: n.Label})
	}
	for _, k := range c.RemovedRels {
		add(ChangeEntry{Kind: ChangeRelationshipRemoved, Type: k.Type, From: k.From, To: k.To})
	}
	for _, n := range c.Nodes {
		add(ChangeEntry{Kind: ChangeNodeUpserted, ID: n.ID, Label: n.Label})
	}
	for _, r := range c.Rels {
		add(ChangeEntry{Kind: ChangeRelationshipSet, Type: r.Type, From: r.From, To: r.To})
	}
	return out
}

// Touches reports whether the entry is about one of the ids (a node's id,
// or either end of a relationship) and one of the labels (a node's label,
// or the label of either end of a relationship as its type says). Empty
// lists match everything.
func (e ChangeEntry) Touches(labels []Label, ids []string) bool {
	if len(ids) > 0 {
		hit := false
		for _, id := range ids {
			if id == e.ID && e.ID != "" || e.ID == "" && (id == e.From || id == e.To) {
				hit = true
				break
			}
		}
		if !hit {
			return false
		}
	}
	if len(labels) == 0 {
		return true
	}
	ends := []Label{e.Label}
	if e.ID == "" {
		ends = ends[:0]
		for _, p := range e.Type.EndpointPairs() {
			ends = append(ends, p[0], p[1])
		}
	}
	for _, l := range labels {
		for _, end := range ends {
			if l == end {
				return true
			}
		}
	}
	return false
}

// ChangeCursor points just after one entry of the feed.
type ChangeCursor struct {
	Version uint64 `json:"v"`
	Seq     int    `json:"s"`
}

var changeCursorKey = []byte("samverkan change cursor v1")

// Encode returns the opaque form of c.
func (c ChangeCursor) Encode() string {
	body, _ := json.Marshal(c)
	mac := hmac.New(sha256.New, changeCursorKey)
	mac.Write(body)
	return base64.RawURLEncoding.EncodeToString(append(mac.Sum(nil)[:12], body...))
}

// DecodeChangeCursor parses a cursor of the change feed; field names the
// argument for the error.
func DecodeChangeCursor(field, s string) (ChangeCursor, error) {
	bad := Invalid(field, "is not a change feed cursor this API issued; use a pageInfo.endCursor or edges.cursor value of changes unchanged")
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if len(s) > 256 || err != nil || len(raw) < 13 || base64.RawURLEncoding.EncodeToString(raw) != s {
		return ChangeCursor{}, bad
	}
	mac := hmac.New(sha256.New, changeCursorKey)
	mac.Write(raw[12:])
	var c ChangeCursor
	if !hmac.Equal(raw[:12], mac.Sum(nil)[:12]) || json.Unmarshal(raw[12:], &c) != nil || c.Version == 0 || c.Seq < 0 {
		return ChangeCursor{}, bad
	}
	return c, nil
}

// ChangesPage is one page of the feed.
type ChangesPage struct {
	Entries     []ChangeEntry
	HasNextPage bool
	// Version is the graph version when the page was read: a client that
	// got every entry up to it has seen every write up to it.
	Version uint64
}

// ChangeRecords is what Store.Changes reads: the graph version and the
// change records after a version, in version order.
type ChangeRecords struct {
	Version uint64
	Changes []Change
}

// changesExpired is the error of a cursor the store can no longer serve.
func changesExpired(field, format string, args ...any) error {
	return &Error{Kind: ErrInvalid, Field: field, Reason: ReasonChangesExpired, Msg: fmt.Sprintf(format, args...)}
}

// ReadChanges reads first entries of the feed after the cursor (from the
// oldest kept record when after is nil). A cursor whose next records are
// no longer kept (older than the retention, or the store was restored or
// replaced) is ErrInvalid with Reason ReasonChangesExpired: the client
// must read the graph afresh and start again without a cursor.
func ReadChanges(ctx context.Context, s Store, after *ChangeCursor, first int) (ChangesPage, error) {
	var from uint64 // read records of versions > from
	if after != nil {
		from = after.Version - 1 // the cursor's own version may have entries left
	}
	var page ChangesPage
	checked := after == nil
	for {
		recs, err := s.Changes(ctx, from, first+1)
		if err != nil {
			return ChangesPage{}, err
		}
		page.Version = recs.Version
		if !checked {
			checked = true
			if after.Version > recs.Version {
				return ChangesPage{}, changesExpired("after", "the cursor is at version %d but the graph is at version %d (the store was restored or replaced); read the graph afresh and start again without after", after.Version, recs.Version)
			}
			if len(recs.Changes) == 0 || recs.Changes[0].Version != after.Version {
				if after.Version < recs.Version || len(recs.Changes) > 0 {
					return ChangesPage{}, changesExpired("after", "the changes after this cursor are no longer kept (the store keeps the newest %s versions); read the graph afresh and start again without after", "CHANGE_RETENTION")
				}
				return page, nil // the cursor's version is the newest: nothing after it yet
			}
		}
		want := from + 1
		for _, c := range recs.Changes {
			if c.Version != want && from != 0 || c.Version <= from {
				return page, nil // a record not yet visible: the rest comes next time
			}
			want = c.Version + 1
			for _, e := range c.Entries() {
				if after != nil && (e.Version < after.Version || e.Version == after.Version && e.Seq <= after.Seq) {
					continue
				}
				if len(page.Entries) == first {
					page.HasNextPage = true
					return page, nil
				}
				page.Entries = append(page.Entries, e)
			}
			from = c.Version
		}
		if len(recs.Changes) < first+1 {
			return page, nil
		}
	}
}

package kg

import (
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"
)

// Page sizes of connections.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// OrderField is what a list is sorted by. Ties are always broken by id.
type OrderField string

const (
	OrderByName      OrderField = "NAME" // folded name, see Fold
	OrderByID        OrderField = "ID"
	OrderByCreatedAt OrderField = "CREATED_AT"
	OrderByUpdatedAt OrderField = "UPDATED_AT"
)

var OrderFields = []OrderField{OrderByName, OrderByID, OrderByCreatedAt, OrderByUpdatedAt}

func (f OrderField) Valid() bool { return oneOf(f, OrderFields) }

// Order is a list's sort order.
type Order struct {
	Field OrderField
	Desc  bool
}

// SortKey returns the string by which n sorts under field; two nodes with
// equal keys sort by id. Stores keep these keys so that keyset pagination
// is the same everywhere.
func SortKey(n Node, field OrderField) string {
	m := n.Base()
	switch field {
	case OrderByName:
		return Fold(m.Name)
	case OrderByCreatedAt:
		return timeKey(m.CreatedAt)
	case OrderByUpdatedAt:
		return timeKey(m.UpdatedAt)
	}
	return ""
}

func timeKey(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z") }

// Filter selects the nodes of a list. Every set field must match; a list
// field matches when the node's value is any of its entries. Fields that do
// not apply to the listed label must be empty.
type Filter struct {
	IDs          []string
	NameContains string // folded substring of the name or an alias
	Kinds        []ActorKind
	Sectors      []Sector
	Countries    []string // upper case
	Regions      []string // compared folded
	Cities       []string // compared folded
	Statuses     []string // ProjectStatus or NeedStatus
	Categories   []CompetencyCategory
	Programmes   []string // compared folded
	MinPriority  int
}

// Match reports whether n passes f. It is the reference semantics that the
// Neo4j store's Cypher reproduces.
func (f Filter) Match(n Node) bool {
	m := n.Base()
	if len(f.IDs) > 0 && !oneOf(m.ID, f.IDs) {
		return false
	}
	if f.NameContains != "" {
		needle := Fold(strings.TrimSpace(f.NameContains))
		found := strings.Contains(Fold(m.Name), needle)
		for _, a := range Aliases(n) {
			found = found || strings.Contains(Fold(a), needle)
		}
		if !found {
			return false
		}
	}
	switch v := n.(type) {
	case *Actor:
		return (len(f.Kinds) == 0 || oneOf(v.Kind, f.Kinds)) &&
			(len(f.Sectors) == 0 || oneOf(v.Sector, f.Sectors)) &&
			(len(f.Countries) == 0 || oneOf(v.Country, f.Countries)) &&
			foldedIn(v.Region, f.Regions) && foldedIn(v.City, f.Cities)
	case *Project:
		return (len(f.Statuses) == 0 || oneOf(string(v.Status), f.Statuses)) && foldedIn(v.Programme, f.Programmes)
	case *Need:
		return (len(f.Statuses) == 0 || oneOf(string(v.Status), f.Statuses)) && v.Priority >= f.MinPriority
	case *Competency:
		return len(f.Categories) == 0 || oneOf(v.Category, f.Categories)
	}
	return true
}

func foldedIn(v string, set []string) bool {
	if len(set) == 0 {
		return true
	}
	fv := Fold(v)
	for _, s := range set {
		if Fold(strings.TrimSpace(s)) == fv {
			return true
		}
	}
	return false
}

// ListQuery asks a store for one page of nodes of a label.
type ListQuery struct {
	Label  Label
	Filter Filter
	Where  *Where // nil: none; with Filter, both must hold
	Order  Order
	First  int     // 1..MaxPageSize; callers apply the default
	After  *Cursor // nil: from the start
}

// Page is one page of a list.
type Page struct {
	Nodes       []Node
	HasNextPage bool
	TotalCount  int // nodes matching the filter, over all pages
}

// Cursor is a keyset position: the sort key and id of the last node seen,
// and the order it belongs to. Clients see it only encoded, as an opaque
// string that is signed so that a changed cursor is refused.
type Cursor struct {
	Field OrderField `json:"f"`
	Desc  bool       `json:"d,omitempty"`
	Key   string     `json:"k"`
	ID    string     `json:"i"`
}

// CursorOf returns the cursor that points just after n in order o.
func CursorOf(n Node, o Order) Cursor {
	return Cursor{Field: o.Field, Desc: o.Desc, Key: SortKey(n, o.Field), ID: n.Base().ID}
}

// cursorKey signs cursors. It is not a secret: the signature only makes a
// hand-edited or truncated cursor detectable, and it must be the same for
// every replica and across restarts.
var cursorKey = []byte("samverkan cursor v1")

// Encode returns the opaque form of c.
func (c Cursor) Encode() string { return sealCursor(c) }

// sealCursor returns v as JSON, signed, in URL-safe base64.
func sealCursor(v any) string {
	body, _ := json.Marshal(v)
	mac := hmac.New(sha256.New, cursorKey)
	mac.Write(body)
	sum := mac.Sum(nil)[:12]
	return base64.RawURLEncoding.EncodeToString(append(sum, body...))
}

// openCursor checks s's signature and returns its JSON body; false when s
// is not a cursor this API issued, unchanged.
func openCursor(s string) ([]byte, bool) {
	if len(s) > 2048 {
		return nil, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	// The decoder skips newlines and ignores unused trailing bits, so only
	// the canonical encoding counts as unchanged.
	if err != nil || len(raw) < 13 || base64.RawURLEncoding.EncodeToString(raw) != s {
		return nil, false
	}
	sum, body := raw[:12], raw[12:]
	mac := hmac.New(sha256.New, cursorKey)
	mac.Write(body)
	if !hmac.Equal(sum, mac.Sum(nil)[:12]) {
		return nil, false
	}
	return body, true
}

// DecodeCursor parses an opaque cursor and checks that it was made for
// order o. field names the argument for the error.
func DecodeCursor(field, s string, o Order) (*Cursor, error) {
	bad := Invalid(field, "is not a cursor this API issued; use a pageInfo.endCursor or edges.cursor value unchanged")
	body, ok := openCursor(s)
	if !ok {
		return nil, bad
	}
	var c Cursor
	if err := json.Unmarshal(body, &c); err != nil || !c.Field.Valid() {
		return nil, bad
	}
	if c.Field != o.Field || c.Desc != o.Desc {
		return nil, Invalid(field, "cursor belongs to another ordering (%s); use the same orderBy as the page it came from", c.Field)
	}
	return &c, nil
}

// After reports whether a node with sort key and id comes after c in its
// order: the keyset comparison every store uses.
func (c Cursor) After(key, id string) bool {
	if key != c.Key {
		return (key > c.Key) != c.Desc
	}
	// The cursor's own node is not after itself in either direction.
	return id != c.ID && (id > c.ID) != c.Desc
}

// Less reports whether node a sorts before node b in order o.
func Less(a, b Node, o Order) bool {
	return CompareKeys(SortKey(a, o.Field), a.Base().ID, SortKey(b, o.Field), b.Base().ID, o.Desc) < 0
}

// CompareKeys is the list order over precomputed sort keys: by key, then
// by id, both reversed when desc. A store that sorts many nodes computes
// each SortKey once and compares with it; Less is the same order.
func CompareKeys(keyA, idA, keyB, idB string, desc bool) int {
	c := cmp.Or(strings.Compare(keyA, keyB), strings.Compare(idA, idB))
	if desc {
		return -c
	}
	return c
}

package kg

import (
	"cmp"
	"strings"
	"time"
)

// RelType is a relationship type of the graph.
type RelType string

const (
	RelParticipatesIn RelType = "PARTICIPATES_IN" // Actor → Project
	RelHasCompetency  RelType = "HAS_COMPETENCY"  // Actor → Competency
	RelHasNeed        RelType = "HAS_NEED"        // Actor → Need
	RelRequires       RelType = "REQUIRES"        // Need → Competency
	RelAddresses      RelType = "ADDRESSES"       // Project → Need
	RelMemberOf       RelType = "MEMBER_OF"       // Actor → Actor
	RelPartnersWith   RelType = "PARTNERS_WITH"   // Actor → Actor, symmetric, stored once
)

// RelTypes lists every relationship type in a fixed order.
var RelTypes = []RelType{RelParticipatesIn, RelHasCompetency, RelHasNeed, RelRequires, RelAddresses,
	RelMemberOf, RelPartnersWith}

func (t RelType) Valid() bool { return oneOf(t, RelTypes) }

// Endpoints returns the labels a relationship of type t joins, from → to.
func (t RelType) Endpoints() (from, to Label) {
	switch t {
	case RelParticipatesIn:
		return LabelActor, LabelProject
	case RelHasCompetency:
		return LabelActor, LabelCompetency
	case RelHasNeed:
		return LabelActor, LabelNeed
	case RelRequires:
		return LabelNeed, LabelCompetency
	case RelAddresses:
		return LabelProject, LabelNeed
	case RelMemberOf, RelPartnersWith:
		return LabelActor, LabelActor
	}
	return "", ""
}

// Symmetric reports whether the relationship means the same in both
// directions; such a relationship is stored once per unordered pair.
func (t RelType) Symmetric() bool { return t == RelPartnersWith }

// ParticipationRole is an actor's role in a project.
type ParticipationRole string

const (
	RoleLead        ParticipationRole = "LEAD"
	RolePartner     ParticipationRole = "PARTNER"
	RoleFunder      ParticipationRole = "FUNDER"
	RoleParticipant ParticipationRole = "PARTICIPANT"
	RoleAdvisor     ParticipationRole = "ADVISOR"
)

var ParticipationRoles = []ParticipationRole{RoleLead, RolePartner, RoleFunder, RoleParticipant, RoleAdvisor}

func (r ParticipationRole) Valid() bool { return oneOf(r, ParticipationRoles) }

// Rel is one relationship. Which property fields apply depends on Type:
//
//	PARTICIPATES_IN  Role (a ParticipationRole), Start, End
//	HAS_COMPETENCY   Level (1–5), Evidence
//	REQUIRES         Importance (1–5)
//	MEMBER_OF        Role (free text)
//	PARTNERS_WITH    Since, Description
//
// Every type has Sources. Fields that do not apply are zero and are refused
// by validation when set.
type Rel struct {
	Type        RelType   `json:"type"`
	From        string    `json:"from"`
	To          string    `json:"to"`
	Role        string    `json:"role,omitempty"`
	Start       Date      `json:"start,omitempty"`
	End         Date      `json:"end,omitempty"`
	Level       int       `json:"level,omitempty"`
	Evidence    string    `json:"evidence,omitempty"`
	Importance  int       `json:"importance,omitempty"`
	Since       Date      `json:"since,omitempty"`
	Description string    `json:"description,omitempty"`
	Sources     []string  `json:"sources,omitempty"`
	CreatedAt   time.Time `json:"createdAt"`
	UpdatedAt   time.Time `json:"updatedAt"`
}

// RelKey identifies a relationship: at most one relationship of a type
// joins two nodes. For a symmetric type the key is the same whichever
// direction it is given in.
type RelKey struct {
	Type     RelType
	From, To string
}

// Key returns the relationship's identity.
func (r Rel) Key() RelKey { return KeyOf(r.Type, r.From, r.To) }

// KeyOf returns the identity of the relationship of type t between from and
// to, ordering the ids for a symmetric type.
func KeyOf(t RelType, from, to string) RelKey {
	if t.Symmetric() && to < from {
		from, to = to, from
	}
	return RelKey{Type: t, From: from, To: to}
}

// Other returns the endpoint of r that is not id.
func (r Rel) Other(id string) string {
	if r.From == id {
		return r.To
	}
	return r.From
}

// CloneRel returns a deep copy of r.
func CloneRel(r Rel) Rel {
	r.Sources = cloneStrings(r.Sources)
	return r
}

// Direction selects relationships by how they are stored relative to a node.
type Direction int

const (
	Outgoing Direction = iota // the node is the relationship's From
	Incoming                  // the node is the relationship's To
	Both                      // either
)

// CheckRelTypes validates the relationship types a store call asks for
// (field "types") and returns them once each, in the order given.
func CheckRelTypes(types []RelType) ([]RelType, error) {
	var out []RelType
	for _, t := range types {
		if !t.Valid() {
			return nil, Invalid("types", "%q is not a relationship type", clip(string(t)))
		}
		if !oneOf(t, out) {
			out = append(out, t)
		}
	}
	return out, nil
}

// CompareLinks orders relationships by type in RelTypes order, then from,
// then to: the order of Incident and Projection.Links in every store.
func CompareLinks(t1 RelType, from1, to1 string, t2 RelType, from2, to2 string) int {
	return cmp.Or(cmp.Compare(typeIndex(t1), typeIndex(t2)), strings.Compare(from1, from2), strings.Compare(to1, to2))
}

func typeIndex(t RelType) int {
	for i, x := range RelTypes {
		if x == t {
			return i
		}
	}
	return len(RelTypes)
}

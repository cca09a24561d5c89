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
	RelPartOf         RelType = "PART_OF"         // Actor → Actor (a unit) or Project → Project (in a programme or series)
	RelSupplies       RelType = "SUPPLIES"        // Actor → Actor: supplier → client
)

// RelTypes lists every relationship type in a fixed order. A new type is
// appended: a type's position is its engine code, kept in change records
// and in the embedded store's file.
var RelTypes = []RelType{RelParticipatesIn, RelHasCompetency, RelHasNeed, RelRequires, RelAddresses,
	RelMemberOf, RelPartnersWith, RelPartOf, RelSupplies}

func (t RelType) Valid() bool { return oneOf(t, RelTypes) }

// Endpoints returns the labels a relationship of type t joins, from → to.
// PART_OF also joins a Project to a Project (EndpointPairs lists both).
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
	case RelMemberOf, RelPartnersWith, RelPartOf, RelSupplies:
		return LabelActor, LabelActor
	}
	return "", ""
}

// EndpointPairs returns every (from, to) label pair a relationship of type
// t may join; the first is Endpoints'.
func (t RelType) EndpointPairs() [][2]Label {
	f, to := t.Endpoints()
	if t == RelPartOf {
		return [][2]Label{{LabelActor, LabelActor}, {LabelProject, LabelProject}}
	}
	return [][2]Label{{f, to}}
}

// Dated reports whether a relationship of type t is a tie with a period:
// from and to (Start, End) apply to it (DESIGN.md §1.1).
func (t RelType) Dated() bool {
	switch t {
	case RelParticipatesIn, RelMemberOf, RelPartnersWith, RelSupplies, RelPartOf:
		return true
	}
	return false
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
	// The roles of an event (DESIGN.md §1.1): taking part in one in these
	// roles is not collaborating (§2.1, cross-sector projects).
	RoleOrganiser ParticipationRole = "ORGANISER"
	RoleHost      ParticipationRole = "HOST"
	RoleSpeaker   ParticipationRole = "SPEAKER"
	RoleAttendee  ParticipationRole = "ATTENDEE"
)

// ParticipationRoles lists the roles; new ones are appended, because a
// role's position is its engine code.
var ParticipationRoles = []ParticipationRole{RoleLead, RolePartner, RoleFunder, RoleParticipant, RoleAdvisor,
	RoleOrganiser, RoleHost, RoleSpeaker, RoleAttendee}

// Collaborating reports whether taking part in this role counts for the
// cross-sector rule of DESIGN.md §2.1 (LEAD, PARTNER, PARTICIPANT, FUNDER).
func (r ParticipationRole) Collaborating() bool {
	switch r {
	case RoleLead, RolePartner, RoleParticipant, RoleFunder:
		return true
	}
	return false
}

// Basis is how well a source supports a relationship (DESIGN.md §1.1).
type Basis string

const (
	BasisStated   Basis = "STATED"   // the source says it
	BasisInferred Basis = "INFERRED" // it follows from the source
	BasisAssessed Basis = "ASSESSED" // a judgement, such as a competency level
)

var Bases = []Basis{BasisStated, BasisInferred, BasisAssessed}

func (b Basis) Valid() bool { return oneOf(b, Bases) }

func (r ParticipationRole) Valid() bool { return oneOf(r, ParticipationRoles) }

// Rel is one relationship. Which property fields apply depends on Type:
//
//	PARTICIPATES_IN  Role (a ParticipationRole), Start, End; Amount and
//	                 Currency on a FUNDER participation
//	HAS_COMPETENCY   Level (1–5), Evidence
//	REQUIRES         Importance (1–5)
//	MEMBER_OF        Role (free text), Start, End
//	PARTNERS_WITH    Start, End, Description; Since is the deprecated
//	                 alias of Start (NormalizeRel keeps the two equal)
//	SUPPLIES         Start, End, Description
//	PART_OF          Start, End
//
// Start and End are the API's from and to. Every type has Sources, Basis
// (empty reads as STATED: data written before the second version) and
// Quote. Fields that do not apply are zero and are refused
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
	Amount      float64   `json:"amount,omitempty"`
	Currency    string    `json:"currency,omitempty"`
	Basis       Basis     `json:"basis,omitempty"`
	Quote       string    `json:"quote,omitempty"`
	Sources     []string  `json:"sources,omitempty"`
	CreatedAt   time.Time `json:"createdAt"`
	UpdatedAt   time.Time `json:"updatedAt"`
}

// Begin is the tie's start: Start, or for a partnership stored before the
// second version its Since.
func (r Rel) Begin() Date {
	if r.Start == "" && r.Type == RelPartnersWith {
		return r.Since
	}
	return r.Start
}

// BasisOrDefault is the relationship's basis, STATED when none was stored.
func (r Rel) BasisOrDefault() Basis {
	if r.Basis == "" {
		return BasisStated
	}
	return r.Basis
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

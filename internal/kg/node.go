// Package kg is the domain of Samverkan: the knowledge graph's node and
// relationship types, their validation, the Store interface every store
// implements, and the semantics (search ranking, list ordering, cursors)
// that make the stores give identical answers. It knows nothing of GraphQL.
//
// Who owns what. Every rule a store's answer depends on is one function
// here, which every store calls; a store owns only how it finds, locks and
// writes data.
//
//   - Writes (write.go): kg owns the sequence validate → look up →
//     prepare. A store calls Plan* before any lock or transaction, then
//     the plan's Prepare over its Lookup inside its write transaction, and
//     writes what Prepare returns. Refusals are kg's *Error values, the
//     same on every store.
//   - Reads (reads.go, list.go, check.go): argument checks (CheckRelsOf,
//     CheckRelTypes, CheckListQuery, CheckSearchQuery), orders (SortRelsOf,
//     SortIncident, Less and SortKey, RankHits), and the topology's codes
//     (topo.go: TopoNode, TopoTie, Change.Apply, LoadTopology).
//     A store may push an order into its query language for speed, but
//     still passes what it read through kg's function.
//   - Analytics (analytics.go and the files it names): computed here, over
//     Store.Incident and Store.Projection, so no store implements one.
//
// A store adds only what is its own: durability, concurrency, its query
// plans, and the mapping of its failures to ErrUnavailable and ErrTimeout.
package kg

import "time"

// Label is a node label of the graph.
type Label string

const (
	LabelActor      Label = "Actor"
	LabelProject    Label = "Project"
	LabelNeed       Label = "Need"
	LabelCompetency Label = "Competency"
)

// Labels lists every label in a fixed order.
var Labels = []Label{LabelActor, LabelProject, LabelNeed, LabelCompetency}

// Valid reports whether l is one of Labels.
func (l Label) Valid() bool { return oneOf(l, Labels) }

// ActorKind says what sort of actor it is.
type ActorKind string

const (
	KindMunicipality ActorKind = "MUNICIPALITY"
	KindRegion       ActorKind = "REGION"
	KindStateAgency  ActorKind = "STATE_AGENCY"
	KindCompany      ActorKind = "COMPANY"
	KindCluster      ActorKind = "CLUSTER"
	KindResearch     ActorKind = "RESEARCH"
	KindArena        ActorKind = "ARENA"
	KindNGO          ActorKind = "NGO"
	KindFunder       ActorKind = "FUNDER"
	KindNetwork      ActorKind = "NETWORK"
	KindPerson       ActorKind = "PERSON"
)

var ActorKinds = []ActorKind{KindMunicipality, KindRegion, KindStateAgency, KindCompany, KindCluster,
	KindResearch, KindArena, KindNGO, KindFunder, KindNetwork, KindPerson}

func (k ActorKind) Valid() bool { return oneOf(k, ActorKinds) }

// Sector is the part of society an actor belongs to.
type Sector string

const (
	SectorPublic   Sector = "PUBLIC"
	SectorPrivate  Sector = "PRIVATE"
	SectorAcademic Sector = "ACADEMIC"
	SectorCivil    Sector = "CIVIL"
)

var Sectors = []Sector{SectorPublic, SectorPrivate, SectorAcademic, SectorCivil}

func (s Sector) Valid() bool { return oneOf(s, Sectors) }

// ProjectStatus is where a project is in its life.
type ProjectStatus string

const (
	ProjectPlanned   ProjectStatus = "PLANNED"
	ProjectActive    ProjectStatus = "ACTIVE"
	ProjectCompleted ProjectStatus = "COMPLETED"
	ProjectCancelled ProjectStatus = "CANCELLED"
)

var ProjectStatuses = []ProjectStatus{ProjectPlanned, ProjectActive, ProjectCompleted, ProjectCancelled}

func (s ProjectStatus) Valid() bool { return oneOf(s, ProjectStatuses) }

// ProjectType says what sort of undertaking a Project is (DESIGN.md §1.1).
type ProjectType string

const (
	ProjectTypeProject   ProjectType = "PROJECT"
	ProjectTypeProgramme ProjectType = "PROGRAMME" // a funding scheme or umbrella
	ProjectTypeService   ProjectType = "SERVICE"   // a standing offer such as an innovation support
	ProjectTypeEvent     ProjectType = "EVENT"     // a conference, a workshop, a meeting
)

var ProjectTypes = []ProjectType{ProjectTypeProject, ProjectTypeProgramme, ProjectTypeService, ProjectTypeEvent}

func (t ProjectType) Valid() bool { return oneOf(t, ProjectTypes) }

// NeedStatus is whether a need is still open.
type NeedStatus string

const (
	NeedOpen       NeedStatus = "OPEN"
	NeedInProgress NeedStatus = "IN_PROGRESS"
	NeedMet        NeedStatus = "MET"
)

var NeedStatuses = []NeedStatus{NeedOpen, NeedInProgress, NeedMet}

func (s NeedStatus) Valid() bool { return oneOf(s, NeedStatuses) }

// CompetencyCategory groups competencies.
type CompetencyCategory string

const (
	CategoryDesign           CompetencyCategory = "DESIGN"
	CategoryTechnology       CompetencyCategory = "TECHNOLOGY"
	CategoryDataAI           CompetencyCategory = "DATA_AI"
	CategoryProcurement      CompetencyCategory = "PROCUREMENT"
	CategoryGovernance       CompetencyCategory = "GOVERNANCE"
	CategoryHealthCare       CompetencyCategory = "HEALTH_CARE"
	CategoryEducation        CompetencyCategory = "EDUCATION"
	CategoryInnovationMethod CompetencyCategory = "INNOVATION_METHOD"
	CategoryBusiness         CompetencyCategory = "BUSINESS"
	CategoryLegal            CompetencyCategory = "LEGAL"
	CategoryOther            CompetencyCategory = "OTHER"
)

var CompetencyCategories = []CompetencyCategory{CategoryDesign, CategoryTechnology, CategoryDataAI,
	CategoryProcurement, CategoryGovernance, CategoryHealthCare, CategoryEducation, CategoryInnovationMethod,
	CategoryBusiness, CategoryLegal, CategoryOther}

func (c CompetencyCategory) Valid() bool { return oneOf(c, CompetencyCategories) }

// Meta holds the fields every node has. CreatedAt and UpdatedAt are set by
// the store; what a client sends for them is ignored.
type Meta struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description,omitempty"`
	Sources     []string  `json:"sources,omitempty"`
	CreatedAt   time.Time `json:"createdAt"`
	UpdatedAt   time.Time `json:"updatedAt"`
}

// Base gives access to the common fields of any node.
func (m *Meta) Base() *Meta { return m }

// Node is any node of the graph: *Actor, *Project, *Need or *Competency.
type Node interface {
	Base() *Meta
	NodeLabel() Label
}

// Actor is an organisation or a person.
type Actor struct {
	Meta
	Kind    ActorKind `json:"kind"`
	Sector  Sector    `json:"sector"`
	Country string    `json:"country,omitempty"` // ISO 3166-1 alpha-2, upper case
	Region  string    `json:"region,omitempty"`
	City    string    `json:"city,omitempty"`
	Website string    `json:"website,omitempty"`
	Aliases []string  `json:"aliases,omitempty"`
	// ExternalIDs are the actor's ids in other registers (externalid.go).
	ExternalIDs []ExternalID `json:"externalIds,omitempty"`
}

// Project is a joint undertaking of actors: a project, a programme, a
// standing service or an event (Type; empty reads as PROJECT, the type of
// everything stored before the second version).
type Project struct {
	Meta
	Type      ProjectType   `json:"type,omitempty"`
	Status    ProjectStatus `json:"status"`
	StartDate Date          `json:"startDate,omitempty"`
	EndDate   Date          `json:"endDate,omitempty"`
	URL       string        `json:"url,omitempty"`
	Programme string        `json:"programme,omitempty"` // a label; PART_OF is the structure
	Country   string        `json:"country,omitempty"`   // where it happens, ISO 3166-1 alpha-2
	Region    string        `json:"region,omitempty"`
	City      string        `json:"city,omitempty"`
	Aliases   []string      `json:"aliases,omitempty"`
}

// TypeOrDefault is the project's type, PROJECT when none was stored.
func (p *Project) TypeOrDefault() ProjectType {
	if p.Type == "" {
		return ProjectTypeProject
	}
	return p.Type
}

// Need is something the public side needs.
type Need struct {
	Meta
	Status   NeedStatus `json:"status"`
	Priority int        `json:"priority"` // 1 (low) to 5 (high)
}

// Competency is a skill or field of knowledge.
type Competency struct {
	Meta
	Category CompetencyCategory `json:"category"`
	Aliases  []string           `json:"aliases,omitempty"`
}

func (*Actor) NodeLabel() Label      { return LabelActor }
func (*Project) NodeLabel() Label    { return LabelProject }
func (*Need) NodeLabel() Label       { return LabelNeed }
func (*Competency) NodeLabel() Label { return LabelCompetency }

// Aliases returns a node's aliases (needs have none).
func Aliases(n Node) []string {
	switch v := n.(type) {
	case *Actor:
		return v.Aliases
	case *Project:
		return v.Aliases
	case *Competency:
		return v.Aliases
	}
	return nil
}

// Clone returns a deep copy of n, so that a store can hand out nodes that
// callers may change without touching the store's own copy.
func Clone(n Node) Node {
	switch v := n.(type) {
	case *Actor:
		c := *v
		c.Sources = cloneStrings(v.Sources)
		c.Aliases = cloneStrings(v.Aliases)
		if v.ExternalIDs != nil {
			c.ExternalIDs = append([]ExternalID(nil), v.ExternalIDs...)
		}
		return &c
	case *Project:
		c := *v
		c.Sources = cloneStrings(v.Sources)
		c.Aliases = cloneStrings(v.Aliases)
		return &c
	case *Need:
		c := *v
		c.Sources = cloneStrings(v.Sources)
		return &c
	case *Competency:
		c := *v
		c.Sources = cloneStrings(v.Sources)
		c.Aliases = cloneStrings(v.Aliases)
		return &c
	}
	return nil
}

// NewNode returns an empty node of the label, or nil for an unknown label.
func NewNode(l Label) Node {
	switch l {
	case LabelActor:
		return &Actor{}
	case LabelProject:
		return &Project{}
	case LabelNeed:
		return &Need{}
	case LabelCompetency:
		return &Competency{}
	}
	return nil
}

func cloneStrings(s []string) []string {
	if s == nil {
		return nil
	}
	return append([]string(nil), s...)
}

func oneOf[T comparable](v T, all []T) bool {
	for _, a := range all {
		if a == v {
			return true
		}
	}
	return false
}

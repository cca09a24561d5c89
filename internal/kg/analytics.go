package kg

import (
	"context"
	"sync"
	"time"
)

// The analytic answers of DESIGN.md §2 are computed once, in Go, in this
// package, over the compact topology every store keeps (internal/engine,
// Store.Topology; DESIGN.md §3). So every store answers exactly alike, and
// no answer copies relationships out of the store: only the payloads an
// answer shows (names, relationship properties) are read, in one batch.

// Analytics answers the analytic questions of DESIGN.md §2 over a Store.
// Whole-graph answers (brokers, statistics) derive a collaboration graph
// from the topology and are cached until the graph version changes.
type Analytics struct {
	store Store

	mu sync.Mutex
	// cached is for cached.version; nil until first use. There are two:
	// the whole graph, and the graph without PERSON actors that a
	// HidePeople store shows a request marked HidingPeople.
	cached [2]*wholeGraph
}

// NewAnalytics returns the analytics over s.
func NewAnalytics(s Store) *Analytics { return &Analytics{store: s} }

// wholeGraph is what whole-graph analytics derive from one snapshot: in
// typed single-flight cells, the values computed from it on first use,
// kept as long as the version is current.
type wholeGraph struct {
	version uint64
	view    view
	ctx     context.Context // ends when a newer version replaces this one
	cancel  context.CancelFunc

	mu     sync.Mutex
	graphs map[collabKey]*wholeGraphs // per scope, kinds and day, on first use
	dated  []collabKey                // the keys of graphs with a day, least recently used first
}

// whole returns the cached whole-graph view, renewed when the topology's
// version moved on.
func (a *Analytics) whole(ctx context.Context) (*wholeGraph, error) {
	v, err := a.topology(ctx)
	if err != nil {
		return nil, err
	}
	audience := 0
	if PeopleHidden(ctx) {
		audience = 1
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if c := a.cached[audience]; c != nil && c.version >= v.s.Version() {
		return c, nil
	}
	if a.cached[audience] != nil {
		a.cached[audience].cancel() // its background computations are of no use now
	}
	wctx, cancel := context.WithCancel(context.Background())
	if audience == 1 {
		wctx = HidingPeople(wctx) // its payload reads hide people too
	}
	a.cached[audience] = &wholeGraph{version: v.s.Version(), view: v, ctx: wctx, cancel: cancel}
	return a.cached[audience], nil
}

// Via is a group of relationship types a traversal may follow.
type Via string

const (
	ViaParticipation Via = "PARTICIPATION" // PARTICIPATES_IN
	ViaMembership    Via = "MEMBERSHIP"    // MEMBER_OF, PART_OF
	ViaPartnership   Via = "PARTNERSHIP"   // PARTNERS_WITH
	ViaCompetency    Via = "COMPETENCY"    // HAS_COMPETENCY
	ViaNeed          Via = "NEED"          // HAS_NEED, REQUIRES, ADDRESSES
	ViaSupply        Via = "SUPPLY"        // SUPPLIES: not in the default, not collaboration
)

// Vias lists the groups. PART_OF belongs to MEMBERSHIP: a unit is tied to
// its organisation, and a project to its programme, as a member is to its
// organisation (a decision of ours; DESIGN.md §1.1 leaves the group open).
var Vias = []Via{ViaParticipation, ViaMembership, ViaPartnership, ViaCompetency, ViaNeed, ViaSupply}

// DefaultVia is what traversals follow when no via is given.
var DefaultVia = []Via{ViaParticipation, ViaMembership, ViaPartnership}

func (v Via) Valid() bool { return oneOf(v, Vias) }

// RelTypes returns the relationship types of the group.
func (v Via) RelTypes() []RelType {
	switch v {
	case ViaParticipation:
		return []RelType{RelParticipatesIn}
	case ViaMembership:
		return []RelType{RelMemberOf, RelPartOf}
	case ViaPartnership:
		return []RelType{RelPartnersWith}
	case ViaCompetency:
		return []RelType{RelHasCompetency}
	case ViaNeed:
		return []RelType{RelHasNeed, RelRequires, RelAddresses}
	case ViaSupply:
		return []RelType{RelSupplies}
	}
	return nil
}

// RelTypesOf returns the relationship types of the groups (DefaultVia when
// via is empty), each once, in the order of RelTypes.
func RelTypesOf(via []Via) []RelType {
	if len(via) == 0 {
		via = DefaultVia
	}
	want := map[RelType]bool{}
	for _, v := range via {
		for _, t := range v.RelTypes() {
			want[t] = true
		}
	}
	var out []RelType
	for _, t := range RelTypes {
		if want[t] {
			out = append(out, t)
		}
	}
	return out
}

// Dimension is a kind of neighbour an actor has.
type Dimension string

const (
	DimProjects      Dimension = "PROJECTS"      // projects it takes part in
	DimCompetencies  Dimension = "COMPETENCIES"  // competencies it has
	DimNeeds         Dimension = "NEEDS"         // needs it has expressed
	DimCollaborators Dimension = "COLLABORATORS" // see DESIGN.md §2
)

var Dimensions = []Dimension{DimProjects, DimCompetencies, DimNeeds, DimCollaborators}

// DefaultSimilarBy is what similarActors compares when no dimension is given.
var DefaultSimilarBy = []Dimension{DimProjects, DimCompetencies, DimCollaborators}

func (d Dimension) Valid() bool { return oneOf(d, Dimensions) }

// Defaults and hard caps of the analytics' arguments.
const (
	DefaultPathK              = 3
	MaxPathK                  = 10
	DefaultPathMaxHops        = 6
	MaxPathMaxHops            = 8
	MinOverlapActors          = 2
	MaxOverlapActors          = 10
	DefaultSimilarFirst       = 10
	MaxSimilarFirst           = 100
	DefaultMatchFirst         = 10
	MaxMatchFirst             = 100
	DefaultMatchMaxHops       = 4
	MaxMatchMaxHops           = 8
	DefaultMatchMinLevel      = 1
	DefaultConsortiumMaxSize  = 3
	MaxConsortiumMaxSize      = 10
	DefaultNeighbourhoodDepth = 1
	MaxNeighbourhoodDepth     = 3
	DefaultNeighbourhoodLimit = 500
	MaxNeighbourhoodLimit     = 2000
	DefaultBrokersFirst       = 10
	MaxBrokersFirst           = 100

	// Betweenness is exact up to ExactBetweennessMaxActors actors; above
	// that it is estimated from BetweennessSamples source actors drawn with
	// BetweennessSeed (fewer, never below BetweennessMinSamples, on graphs
	// far larger than L: see Brokers), and the answer says so.
	ExactBetweennessMaxActors = 10_000
	BetweennessSamples        = 500
	BetweennessMinSamples     = 50
	BetweennessSeed           = 20181

	// StructuralMeasuresMaxPairWork is the most collaborator pairs
	// (counted with their multiplicity: the sum over projects of their
	// size squared, and the direct links) of a graph on which CONSTRAINT,
	// EFFECTIVE_SIZE and REACH are computed: L has 0.20·10⁹ at ALL and
	// 0.27·10⁹ at ORGANISATIONS (15 s on two cores), XL 16·10⁹ and 21·10⁹,
	// which no request would see the end of. Beyond it measures answers
	// BAD_USER_INPUT on by at once.
	StructuralMeasuresMaxPairWork = 2_000_000_000

	// WholeGraphComputeLimit bounds a betweenness computation, which goes
	// on after the request that started it timed out, so that the next
	// request gets its answer at once.
	WholeGraphComputeLimit = 10 * time.Minute
)

// PathQuery asks for partnership paths between two nodes.
type PathQuery struct {
	From, To string
	K        int // 1..MaxPathK
	MaxHops  int // 1..MaxPathMaxHops
	Via      []Via
	Exclude  []string
	AsOf     Date // only the ties active then (asof.go); "" every tie
}

// Path is a simple path: Steps[i] joins Nodes[i] and Nodes[i+1], with its
// stored direction and properties.
type Path struct {
	Nodes []Node
	Steps []Rel
}

// Length is the number of steps.
func (p Path) Length() int { return len(p.Steps) }

// Overlap is what 2–10 actors share.
type Overlap struct {
	ActorIDs      []string // as given
	Projects      []string // ids linked to every given actor, sorted
	Competencies  []string
	Needs         []string
	Collaborators []string        // the given actors themselves left out
	Jaccard       *OverlapJaccard // only for exactly two actors
	Complementary []Complement    // one per given actor, in the given order
}

// OverlapJaccard holds |A∩B| / |A∪B| per dimension; Overall is over
// competencies ∪ projects ∪ collaborators. An empty union gives 0.
type OverlapJaccard struct {
	Projects, Competencies, Needs, Collaborators, Overall float64
}

// Complement lists the competencies an actor has that none of the other
// given actors has (for two actors: what each has that the other lacks).
type Complement struct {
	ActorID       string
	CompetencyIDs []string // sorted
}

// SimilarQuery asks for the actors most like one actor.
type SimilarQuery struct {
	ID    string
	Scope Scope       // "" is ALL
	By    []Dimension // empty: DefaultSimilarBy
	First int         // 1..MaxSimilarFirst
	AsOf  Date        // only the ties active then (asof.go); "" every tie
}

// Similar is one similar actor: its Jaccard score over the chosen
// neighbour sets and the neighbours both share (sorted ids).
type Similar struct {
	ActorID string
	Score   float64
	Shared  []string
}

// MatchQuery asks who could meet a need.
type MatchQuery struct {
	NeedID   string
	First    int // 1..MaxMatchFirst
	MaxHops  int // 1..MaxMatchMaxHops
	MinLevel int // 1..5
	// ExcludeEngaged leaves out the actors that take part in a project
	// that ADDRESSES the need.
	ExcludeEngaged bool
	AsOf           Date // only the ties active then (asof.go); "" every tie
}

// RequiredCompetency is a competency a need requires, with its importance.
type RequiredCompetency struct {
	CompetencyID string
	Importance   int
}

// CoveredCompetency is a required competency a candidate has.
type CoveredCompetency struct {
	CompetencyID string
	Importance   int
	Level        int
}

// Match is one candidate for a need. Distance is the length of the
// shortest default-via path to the nearest owner of the need, nil beyond
// MaxHops or when there is none.
type Match struct {
	ActorID  string
	Coverage float64
	Distance *int
	LevelSum int
	Covered  []CoveredCompetency // by competency id
	Missing  []RequiredCompetency
}

// ConsortiumQuery asks for a small team that together meets a need.
type ConsortiumQuery struct {
	NeedID  string
	MaxSize int  // 1..MaxConsortiumMaxSize
	AsOf    Date // only the ties active then (asof.go); "" every tie
}

// Consortium is the greedy cover: members in the order they were added,
// each with the competencies it newly covered.
type Consortium struct {
	Members  []ConsortiumMember
	Coverage float64
	Missing  []RequiredCompetency
}

type ConsortiumMember struct {
	ActorID string
	Adds    []CoveredCompetency
}

// NeighbourhoodQuery asks for the subgraph around a node.
type NeighbourhoodQuery struct {
	ID    string
	Depth int // 1..MaxNeighbourhoodDepth
	Via   []Via
	Limit int  // 1..MaxNeighbourhoodLimit
	AsOf  Date // only the ties active then (asof.go); "" every tie
}

// Subgraph is a neighbourhood: nodes by distance then id, the via
// relationships among them (by type, from, to), and whether the limit cut
// it.
type Subgraph struct {
	Nodes     []SubgraphNode
	Edges     []Rel
	Truncated bool
}

type SubgraphNode struct {
	Node     Node
	Distance int
}

// BrokerQuery asks for the actors with the highest betweenness.
type BrokerQuery struct {
	First int         // 1..MaxBrokersFirst
	Scope Scope       // "" is ALL
	Kinds []ActorKind // the graph keeps only these kinds (all when empty)
	AsOf  Date        // only the ties active then (asof.go); "" every tie
}

// BrokerRanking is betweenness centrality on the collaboration graph.
type BrokerRanking struct {
	Scope      Scope
	Exact      bool // false: estimated from Samples source actors
	Samples    int
	ActorCount int
	Version    uint64
	Brokers    []Broker // score desc, id
}

// Broker is an actor with its raw and normalised (÷ (n−1)(n−2)/2) betweenness.
type Broker struct {
	ActorID    string
	Score      float64
	Normalized float64
}

// Count is one entry of a breakdown.
type Count struct {
	Key   string
	Count int
}

// Stats describe the whole ecosystem.
type Stats struct {
	Version             uint64
	Scope               Scope
	Labels              []Count // per label, in Labels order
	Kinds               []Count // per actor kind, count desc then key; kinds with no actor left out
	Sectors             []Count
	Countries           []Count // actors without a country are not counted
	Relationships       []Count // per type, in RelTypes order
	Actors              int
	CollaborationEdges  int
	Components          int // of the collaboration graph; an isolated actor is a component
	LargestComponent    int
	Density             float64 // 2m / (n(n−1)); 0 below two actors
	AverageDegree       float64 // 2m / n; 0 without actors
	Projects            int
	ProjectTypes        []Count // per project type, in ProjectTypes order
	CrossSectorProjects int     // by the rule of DESIGN.md §2.1 (see CrossSector)
	CrossSectorShare    float64 // CrossSectorProjects / projects that are not events; 0 without such projects
}

// ProjectedActor is an actor as whole-graph analytics see it.
type ProjectedActor struct {
	ID      string
	Kind    ActorKind
	Sector  Sector
	Country string
}

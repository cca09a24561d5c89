// Package gen generates synthetic innovation ecosystems: deterministic,
// valid kg.Graphs of a chosen size, for benchmarks, load tests and demos.
//
// A graph has every label (actors of every kind and sector, persons
// included; projects; needs; competencies) and every relationship type with
// the properties validation requires. Its shape is the one real ecosystems
// have and the analytics care about: actors live in regional communities and
// mostly work within them; project sizes are heavy-tailed (a few very large
// programmes, many small projects); a few hub actors take part far more often
// than the rest; persons are members of organisations; and besides the main
// component there are a few small islands and some isolated actors.
//
// The same Config always gives the same graph (math/rand/v2's PCG, seeded
// from Config.Seed; no map iteration decides anything).
package gen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/samverkan/samverkan/internal/kg"
)

// Config says what to generate. Zero counts are derived from Actors (see
// Config.withDefaults); Actors must be at least MinActors.
type Config struct {
	Seed   uint64
	Actors int

	Projects     int // default Actors/4
	Competencies int // default 40 + Actors/50
	Needs        int // default Actors/10

	// PersonShare is the share of actors that are persons (default 0.4).
	PersonShare float64
	// Hubs is the number of hub actors of the main component (default
	// max(3, Actors/1000)).
	Hubs int
	// Islands is the number of small components besides the main one
	// (default 3), each of IslandSize actors (default 6).
	Islands    int
	IslandSize int
	// Isolated is the number of actors without any relationship (default
	// max(2, Actors/500)).
	Isolated int
	// Communities is the number of communities in the main component
	// (default max(2, Actors/250)).
	Communities int
	// MeanProjectSize is the mean participants of an ordinary project
	// (default 16); the flagship projects come on top (FlagshipProjects,
	// default 3, of Actors/10, Actors/20 and Actors/40 participants …).
	MeanProjectSize  float64
	FlagshipProjects int
	// CompetenciesPerActor is the mean HAS_COMPETENCY relationships of an
	// actor (default 4).
	CompetenciesPerActor float64
	// PartnersPerOrganisation is the mean PARTNERS_WITH relationships an
	// organisation starts (default 1).
	PartnersPerOrganisation float64
}

// MinActors is the smallest graph Generate makes.
const MinActors = 50

// Scale is a named preset size.
type Scale string

const (
	// ScaleS: about 1 000 actors and 10 000 relationships.
	ScaleS Scale = "S"
	// ScaleM: about 10 000 actors and 100 000 relationships.
	ScaleM Scale = "M"
	// ScaleL: 100 000 actors, about 144 000 nodes and 1 000 000
	// relationships.
	ScaleL Scale = "L"
	// ScaleXL: 1 000 000 actors and about 10 000 000 relationships. Write it
	// with Stream; as a kg.Graph it takes several gigabytes.
	ScaleXL Scale = "XL"
)

// Scales lists the presets that tests and in-memory benchmarks generate,
// smallest first. AllScales adds the big ones, for Stream and the
// `samverkan gen` command.
var Scales = []Scale{ScaleS, ScaleM}

// AllScales lists every preset, smallest first.
var AllScales = []Scale{ScaleS, ScaleM, ScaleL, ScaleXL}

// Config returns the preset's configuration with the given seed.
func (s Scale) Config(seed uint64) (Config, error) {
	switch s {
	case ScaleS:
		return Config{Seed: seed, Actors: 1_000}, nil
	case ScaleM:
		return Config{Seed: seed, Actors: 10_000}, nil
	case ScaleL:
		return Config{Seed: seed, Actors: 100_000}, nil
	case ScaleXL:
		return Config{Seed: seed, Actors: 1_000_000}, nil
	}
	return Config{}, fmt.Errorf("gen: unknown scale %q (want one of %v)", s, AllScales)
}

// DefaultSeed is the seed of the presets when none is given.
const DefaultSeed = 1

// MustScale is Generate over the preset with DefaultSeed; it panics on an
// unknown scale.
func MustScale(s Scale) kg.Graph {
	c, err := s.Config(DefaultSeed)
	if err != nil {
		panic(err)
	}
	return Generate(c)
}

// NodeCount is the number of nodes Generate(c) makes, computed without
// generating: actors, projects, needs and competencies, with a project and
// a competency of each island's own. (The relationships are drawn at
// random: about ten per actor.)
func NodeCount(c Config) int {
	c = c.withDefaults()
	return c.Actors + c.Projects + c.Needs + c.Competencies + 2*c.Islands
}

// withDefaults fills the zero fields.
func (c Config) withDefaults() Config {
	n := c.Actors
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	deff := func(v *float64, d float64) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&c.Projects, max(4, n/4))
	def(&c.Competencies, 40+n/50)
	def(&c.Needs, max(3, n/10))
	deff(&c.PersonShare, 0.4)
	def(&c.Hubs, max(3, n/1000))
	def(&c.Islands, 3)
	def(&c.IslandSize, 6)
	def(&c.Isolated, max(2, n/500))
	def(&c.Communities, max(2, n/250))
	deff(&c.MeanProjectSize, 16)
	def(&c.FlagshipProjects, 3)
	deff(&c.CompetenciesPerActor, 4)
	deff(&c.PartnersPerOrganisation, 1)
	return c
}

// Ids. They are not zero-padded, so that their order ("a-10" < "a-9")
// differs from the order of generation and ordering bugs show.
func ActorID(i int) string      { return fmt.Sprintf("a-%d", i) }
func ProjectID(i int) string    { return fmt.Sprintf("p-%d", i) }
func NeedID(i int) string       { return fmt.Sprintf("n-%d", i) }
func CompetencyID(i int) string { return fmt.Sprintf("c-%d", i) }

// Word lists for names. Some carry diacritics, so that search's folding is
// exercised ("goteborg" finds Göteborg).
var (
	places = []string{"Göteborg", "Värmland", "Malmö", "Umeå", "Luleå", "Karlstad", "Örebro", "Uppsala",
		"Bergen", "Tromsø", "Trondheim", "Aarhus", "Odense", "Tampere", "Oulu", "Turku", "Reykjavík", "Jönköping"}
	fields = []string{"Health", "Mobility", "Energy", "Care", "Food", "Forest", "Water", "Digital", "Welfare",
		"Housing", "Learning", "Climate", "Maritime", "Steel", "Textile", "Circular"}
	suffixes = map[kg.ActorKind][]string{
		kg.KindMunicipality: {"Municipality", "Kommun"},
		kg.KindRegion:       {"Region", "County Council"},
		kg.KindStateAgency:  {"Agency", "Authority"},
		kg.KindCompany:      {"AB", "AS", "Oy", "Labs", "Systems", "Solutions"},
		kg.KindCluster:      {"Cluster", "Alliance"},
		kg.KindResearch:     {"University", "Institute", "Research Centre"},
		kg.KindArena:        {"Arena", "Living Lab", "Testbed"},
		kg.KindNGO:          {"Association", "Foundation", "Förening"},
		kg.KindFunder:       {"Fund", "Innovation Agency"},
		kg.KindNetwork:      {"Network", "Forum"},
	}
	firstNames = []string{"Anna", "Erik", "Sofia", "Lars", "Maja", "Nils", "Ingrid", "Johan", "Åsa", "Björn",
		"Sigrid", "Mikko", "Aino", "Jens", "Freja", "Ólafur", "Kari", "Emil", "Linnéa", "Henrik"}
	lastNames = []string{"Andersson", "Johansson", "Berg", "Lindqvist", "Nieminen", "Hansen", "Jensen",
		"Ødegaard", "Sjöberg", "Virtanen", "Larsen", "Holm", "Ström", "Karlsson", "Jónsdóttir", "Dahl"}
	countries = []string{"SE", "SE", "SE", "NO", "DK", "FI", "IS"}
	skills    = []string{"Service design", "Procurement", "Machine learning", "Data governance", "Care logistics",
		"Open data", "Co-creation", "Life-cycle analysis", "Battery chemistry", "Public law", "Pedagogy",
		"Change management", "IoT", "Cyber security", "Behavioural economics", "Innovation management"}
	needTopics = []string{"Digital home care", "Fossil-free transport", "School meal logistics",
		"Energy-efficient housing", "Water quality monitoring", "Elderly loneliness", "Open-data platform",
		"Circular procurement", "Forest fire detection", "Youth employment"}
	memberRoles = []string{"employee", "member", "board member", "researcher", "consultant"}
)

// organisationKinds are the actor kinds other than PERSON, weighted: more
// companies and municipalities than funders.
var organisationKinds = []kg.ActorKind{
	kg.KindCompany, kg.KindCompany, kg.KindCompany, kg.KindCompany, kg.KindCompany,
	kg.KindMunicipality, kg.KindMunicipality, kg.KindMunicipality,
	kg.KindResearch, kg.KindResearch, kg.KindRegion, kg.KindStateAgency, kg.KindCluster,
	kg.KindArena, kg.KindNGO, kg.KindNGO, kg.KindFunder, kg.KindNetwork,
}

func sectorOf(r *rand.Rand, k kg.ActorKind) kg.Sector {
	switch k {
	case kg.KindMunicipality, kg.KindRegion, kg.KindStateAgency:
		return kg.SectorPublic
	case kg.KindCompany:
		return kg.SectorPrivate
	case kg.KindResearch:
		return kg.SectorAcademic
	case kg.KindNGO:
		return kg.SectorCivil
	}
	return kg.Sectors[r.IntN(len(kg.Sectors))]
}

// builder holds the graph being generated.
type builder struct {
	c    Config
	r    *rand.Rand
	g    kg.Graph
	keys map[uint64]struct{} // relKeyHash of every relationship given
	// emit, when set, receives each relationship instead of g.Rels.
	emit func(kg.Rel)

	orgs    []int   // actor indexes of organisations in the main component
	persons []int   // actor indexes of persons in the main component
	comm    [][]int // main-component actors by community
	commOf  []int   // community of each actor; -1 outside the main component
	hubs    []int
	main    []int // every main-component actor
}

func (b *builder) add(rel kg.Rel) bool {
	if rel.From == rel.To {
		return false
	}
	h := relKeyHash(rel.Key())
	if _, dup := b.keys[h]; dup {
		return false
	}
	b.keys[h] = struct{}{}
	if b.emit != nil {
		b.emit(rel)
	} else {
		b.g.Rels = append(b.g.Rels, rel)
	}
	return true
}

// relKeyHash is the 64-bit FNV-1a hash of a relationship key: the set of
// keys given so far holds 8 bytes per relationship instead of three
// strings, which matters at ScaleXL. Two keys of one graph sharing a hash
// is so unlikely (below 1e-5 for 10 million keys) that the duplicate check
// takes the hash for the key; it is deterministic either way.
func relKeyHash(k kg.RelKey) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	for _, s := range [...]string{string(k.Type), k.From, k.To} {
		for i := 0; i < len(s); i++ {
			h = (h ^ uint64(s[i])) * prime
		}
		h *= prime // a NUL between the parts
	}
	return h
}

func (b *builder) pickOf(list []string) string { return list[b.r.IntN(len(list))] }

// date returns a date in 2015–2026.
func (b *builder) date() kg.Date {
	return kg.Date(fmt.Sprintf("%04d-%02d-%02d", 2015+b.r.IntN(12), 1+b.r.IntN(12), 1+b.r.IntN(28)))
}

// Generate builds the graph c describes. It panics when c.Actors <
// MinActors or the islands and isolated actors leave no main component.
func Generate(c Config) kg.Graph {
	b, err := newBuilder(c, nil)
	if err != nil {
		panic(err.Error())
	}
	b.build()
	return b.g
}

// newBuilder checks c and returns a builder of its graph that gives each
// relationship to emit (nil: to g.Rels).
func newBuilder(c Config, emit func(kg.Rel)) (*builder, error) {
	if c.Actors < MinActors {
		return nil, fmt.Errorf("gen: Config.Actors = %d; at least %d", c.Actors, MinActors)
	}
	c = c.withDefaults()
	mainN := c.Actors - c.Islands*c.IslandSize - c.Isolated
	if mainN < c.Actors/2 || mainN < c.Hubs+2*c.Communities {
		return nil, fmt.Errorf("gen: islands and isolated actors leave %d of %d actors in the main component", mainN, c.Actors)
	}
	return &builder{c: c, r: rand.New(rand.NewPCG(c.Seed, 0x5a3e_7a11_9e11)), keys: map[uint64]struct{}{},
		emit: emit}, nil
}

// Stream generates the graph Generate(c) gives without holding its
// relationships: it calls node for every node, in the order of
// kg.Graph.Nodes (actors, projects, needs, competencies), then rel for
// every relationship, in the order of Generate's Rels. Since the random
// draws of nodes and relationships interleave, it generates twice: once
// for the nodes, once for the relationships (the nodes, about a seventh
// of the graph, are held meanwhile). It stops at the first error a
// callback returns and returns it; a bad c is an error too.
func Stream(c Config, node func(kg.Node) error, rel func(kg.Rel) error) (err error) {
	b, err := newBuilder(c, func(kg.Rel) {})
	if err != nil {
		return err
	}
	b.build()
	for _, n := range b.g.Nodes() {
		if err := node(n); err != nil {
			return err
		}
	}
	b = nil
	type stop struct{ err error }
	defer func() {
		if p := recover(); p != nil {
			s, ok := p.(stop)
			if !ok {
				panic(p)
			}
			err = s.err
		}
	}()
	b2, _ := newBuilder(c, func(r kg.Rel) {
		if err := rel(r); err != nil {
			panic(stop{err})
		}
	})
	b2.build()
	return nil
}

// build generates the graph.
func (b *builder) build() {
	c := b.c
	mainN := c.Actors - c.Islands*c.IslandSize - c.Isolated
	b.actors(mainN)
	b.competencies()
	b.projects()
	b.memberships()
	b.partnerships()
	b.skills()
	b.needs()
	b.islands(mainN)
	b.structure()
}

// structure adds the second version's ties (DESIGN.md §1.1) last, from a
// random stream of its own, so that every graph of the first version is
// generated unchanged: organisations' units (PART_OF towards a lower
// index, so never a cycle), projects in programmes and suppliers with
// their clients (SUPPLIES, not collaboration), about one of each per 50
// actors.
func (b *builder) structure() {
	r := rand.New(rand.NewPCG(b.c.Seed, 0x2_5ee_d5))
	n := max(2, b.c.Actors/50)
	for range n {
		x, y := b.orgs[r.IntN(len(b.orgs))], b.orgs[r.IntN(len(b.orgs))]
		if x > y {
			b.add(kg.Rel{Type: kg.RelPartOf, From: ActorID(x), To: ActorID(y)})
		}
		p, q := r.IntN(b.c.Projects), r.IntN(b.c.Projects)
		if p > q {
			b.add(kg.Rel{Type: kg.RelPartOf, From: ProjectID(p), To: ProjectID(q)})
		}
		s, c := b.orgs[r.IntN(len(b.orgs))], b.orgs[r.IntN(len(b.orgs))]
		if s != c {
			rel := kg.Rel{Type: kg.RelSupplies, From: ActorID(s), To: ActorID(c)}
			if r.IntN(2) == 0 {
				rel.Start = b.date()
			}
			b.add(rel)
		}
	}
}

// actors creates every actor. Actors 0..mainN-1 form the main component
// (the first Hubs of them, all organisations, are the hubs); then come the
// islands, then the isolated actors.
func (b *builder) actors(mainN int) {
	c := b.c
	b.commOf = make([]int, c.Actors)
	b.comm = make([][]int, c.Communities)
	// Each community is one place; its actors mostly share the country.
	commCountry := make([]string, c.Communities)
	for i := range commCountry {
		commCountry[i] = countries[b.r.IntN(len(countries))]
	}
	for i := 0; i < c.Actors; i++ {
		// Every kind shows up right after the hubs, whatever the seed, so
		// that even the smallest graph has them all.
		var kind kg.ActorKind
		switch {
		case i < c.Hubs:
			kind = organisationKinds[b.r.IntN(len(organisationKinds))]
		case i < c.Hubs+len(kg.ActorKinds):
			kind = kg.ActorKinds[i-c.Hubs]
		case b.r.Float64() < c.PersonShare:
			kind = kg.KindPerson
		default:
			kind = organisationKinds[b.r.IntN(len(organisationKinds))]
		}
		community := -1
		if i < mainN {
			community = b.r.IntN(c.Communities)
			b.comm[community] = append(b.comm[community], i)
			b.main = append(b.main, i)
		}
		b.commOf[i] = community
		place := places[b.r.IntN(len(places))]
		country := countries[b.r.IntN(len(countries))]
		if community >= 0 {
			place = places[community%len(places)]
			if b.r.IntN(10) > 0 {
				country = commCountry[community]
			}
		}
		a := &kg.Actor{Meta: kg.Meta{ID: ActorID(i)}, Kind: kind}
		if kind == kg.KindPerson {
			a.Sector = kg.Sectors[b.r.IntN(len(kg.Sectors))]
			a.Name = b.pickOf(firstNames) + " " + b.pickOf(lastNames)
			if i < mainN {
				b.persons = append(b.persons, i)
			}
		} else {
			a.Sector = sectorOf(b.r, kind)
			field := b.pickOf(fields)
			a.Name = fmt.Sprintf("%s %s %s", place, field, b.pickOf(suffixes[kind]))
			if b.r.IntN(3) == 0 {
				a.Description = fmt.Sprintf("Works on %s in %s.", toLower(field), place)
			}
			if b.r.IntN(5) == 0 {
				a.Aliases = []string{fmt.Sprintf("%s-%s-%d", toLower(field), b.pickOf(suffixes[kind]), i)}
			}
			if b.r.IntN(4) == 0 {
				a.Website = fmt.Sprintf("https://example.org/a-%d", i)
			}
			if i < mainN {
				b.orgs = append(b.orgs, i)
			}
		}
		a.Country = country
		a.City = place
		if b.r.IntN(2) == 0 {
			a.Region = place + " region"
		}
		b.g.Actors = append(b.g.Actors, a)
	}
	for i := 0; i < c.Hubs; i++ {
		b.hubs = append(b.hubs, i)
	}
}

func toLower(s string) string {
	out := []rune(s)
	for i, r := range out {
		if r >= 'A' && r <= 'Z' {
			out[i] = r + 'a' - 'A'
		}
	}
	return string(out)
}

func (b *builder) competencies() {
	for i := 0; i < b.c.Competencies; i++ {
		cat := kg.CompetencyCategories[i%len(kg.CompetencyCategories)]
		name := skills[i%len(skills)]
		if i >= len(skills) {
			name = fmt.Sprintf("%s %d", name, i/len(skills))
		}
		cp := &kg.Competency{Meta: kg.Meta{ID: CompetencyID(i), Name: name}, Category: cat}
		if i%7 == 0 {
			cp.Aliases = []string{fmt.Sprintf("skill-%d", i)}
		}
		b.g.Competencies = append(b.g.Competencies, cp)
	}
}

// popularCompetency picks a competency of the main component, skewed to
// the first ones (a few popular competencies, a long tail).
func (b *builder) popularCompetency() string {
	u := b.r.Float64()
	return CompetencyID(int(float64(b.c.Competencies) * u * u))
}

// member picks a participant for a project of community cm: sometimes a
// hub, mostly someone of the community, sometimes anyone.
func (b *builder) member(cm int, wide bool) int {
	switch x := b.r.IntN(100); {
	case x < 8:
		return b.hubs[b.r.IntN(len(b.hubs))]
	case wide || x >= 85 || len(b.comm[cm]) == 0:
		return b.main[b.r.IntN(len(b.main))]
	default:
		m := b.comm[cm]
		return m[b.r.IntN(len(m))]
	}
}

// projectSize draws an ordinary project's size from a Pareto distribution
// with the configured mean (shape 1.6: heavy-tailed), at least 2, capped.
func (b *builder) projectSize() int {
	const alpha = 1.6
	xm := b.c.MeanProjectSize * (alpha - 1) / alpha
	u := 1 - b.r.Float64() // (0, 1]
	s := int(xm / math.Pow(u, 1/alpha))
	return min(max(2, s), len(b.main)/20+2)
}

func (b *builder) projects() {
	c := b.c
	for p := 0; p < c.Projects; p++ {
		pr := &kg.Project{Meta: kg.Meta{ID: ProjectID(p)}, Status: kg.ProjectStatuses[p%len(kg.ProjectStatuses)]}
		cm := b.r.IntN(c.Communities)
		field := b.pickOf(fields)
		var size int
		wide := false
		if p < c.FlagshipProjects {
			// Flagship programmes: Actors/10, /20, /40 … participants from
			// everywhere.
			size = max(3, len(b.main)/(10<<p))
			wide = true
			pr.Name = fmt.Sprintf("Nordic %s Programme", field)
			pr.Programme = "Nordic flagship"
		} else {
			size = b.projectSize()
			wide = size > len(b.comm[cm])/2
			pr.Name = fmt.Sprintf("%s %s project %d", places[cm%len(places)], field, p)
			if b.r.IntN(3) == 0 {
				pr.Programme = b.pickOf([]string{"Horizon Europe", "Vinnova", "Interreg", "NordForsk"})
			}
		}
		if b.r.IntN(4) > 0 {
			pr.StartDate = b.date()
			if b.r.IntN(2) == 0 {
				pr.EndDate = kg.Date(fmt.Sprintf("%04d%s", yearOf(pr.StartDate)+1+b.r.IntN(4), pr.StartDate[4:]))
			}
		}
		if b.r.IntN(3) == 0 {
			pr.Description = fmt.Sprintf("A %s project on %s.", toLower(field), toLower(b.pickOf(needTopics)))
		}
		b.g.Projects = append(b.g.Projects, pr)
		for added, tries := 0, 0; added < size && tries < 4*size+20; tries++ {
			rel := kg.Rel{Type: kg.RelParticipatesIn, From: ActorID(b.member(cm, wide)), To: pr.ID,
				Role: string(kg.RoleParticipant)}
			switch {
			case added == 0:
				rel.Role = string(kg.RoleLead)
			default:
				rel.Role = string(kg.ParticipationRoles[1+b.r.IntN(len(kg.ParticipationRoles)-1)])
			}
			if b.r.IntN(5) == 0 {
				rel.Start = b.date()
			}
			if b.add(rel) {
				added++
			}
		}
	}
}

func yearOf(d kg.Date) int {
	y := 0
	for _, ch := range d[:4] {
		y = y*10 + int(ch-'0')
	}
	return y
}

// memberships: persons are members of one or two organisations (mostly of
// their community); some organisations are members of clusters and
// networks, the hubs of many.
func (b *builder) memberships() {
	var networks []int
	for _, i := range b.orgs {
		if k := b.g.Actors[i].Kind; k == kg.KindCluster || k == kg.KindNetwork {
			networks = append(networks, i)
		}
	}
	orgIn := make([][]int, len(b.comm))
	for _, i := range b.orgs {
		orgIn[b.commOf[i]] = append(orgIn[b.commOf[i]], i)
	}
	for _, p := range b.persons {
		for j := 1 + b.r.IntN(2); j > 0; j-- {
			var org int
			if os := orgIn[b.commOf[p]]; len(os) > 0 && b.r.IntN(10) > 0 {
				org = os[b.r.IntN(len(os))]
			} else {
				org = b.orgs[b.r.IntN(len(b.orgs))]
			}
			rel := kg.Rel{Type: kg.RelMemberOf, From: ActorID(p), To: ActorID(org)}
			if b.r.IntN(2) == 0 {
				rel.Role = b.pickOf(memberRoles)
			}
			b.add(rel)
		}
	}
	if len(networks) == 0 {
		return
	}
	for _, o := range b.orgs {
		if b.r.IntN(4) == 0 {
			b.add(kg.Rel{Type: kg.RelMemberOf, From: ActorID(o), To: ActorID(networks[b.r.IntN(len(networks))]),
				Role: "member"})
		}
	}
	for _, h := range b.hubs {
		for j := 0; j < 10; j++ {
			b.add(kg.Rel{Type: kg.RelMemberOf, From: ActorID(h), To: ActorID(networks[b.r.IntN(len(networks))])})
		}
	}
}

// partnerships: organisations partner mostly within their community; the
// hubs partner widely. Stored once per pair, in whichever direction came
// first.
func (b *builder) partnerships() {
	n := int(float64(len(b.orgs)) * b.c.PartnersPerOrganisation)
	for i := 0; i < n; i++ {
		a := b.orgs[b.r.IntN(len(b.orgs))]
		var o int
		if b.r.IntN(10) < 7 {
			o = b.member(b.commOf[a], false)
		} else {
			o = b.orgs[b.r.IntN(len(b.orgs))]
		}
		if b.g.Actors[o].Kind == kg.KindPerson {
			continue
		}
		rel := kg.Rel{Type: kg.RelPartnersWith, From: ActorID(a), To: ActorID(o)}
		if b.r.IntN(2) == 0 {
			rel.Since = b.date()
		}
		if b.r.IntN(4) == 0 {
			rel.Description = "Framework agreement"
		}
		b.add(rel)
	}
	for _, h := range b.hubs {
		for j := 0; j < 30; j++ {
			b.add(kg.Rel{Type: kg.RelPartnersWith, From: ActorID(h), To: ActorID(b.orgs[b.r.IntN(len(b.orgs))])})
		}
	}
}

// skills: every main-component actor has a few competencies, at levels 1–5.
func (b *builder) skills() {
	mean := b.c.CompetenciesPerActor
	for _, i := range b.main {
		// 0 … 2·mean, uniformly: the mean is as configured.
		for j := b.r.IntN(int(2*mean) + 1); j > 0; j-- {
			rel := kg.Rel{Type: kg.RelHasCompetency, From: ActorID(i), To: b.popularCompetency(), Level: 1 + b.r.IntN(5)}
			if b.r.IntN(6) == 0 {
				rel.Evidence = "Delivered in an earlier project"
			}
			b.add(rel)
		}
	}
}

// needs: owned by one or two actors (mostly public), each requiring one to
// five competencies, some addressed by one or two projects.
func (b *builder) needs() {
	var public []int
	for _, i := range b.orgs {
		if b.g.Actors[i].Sector == kg.SectorPublic {
			public = append(public, i)
		}
	}
	if len(public) == 0 {
		public = b.orgs
	}
	for k := 0; k < b.c.Needs; k++ {
		nd := &kg.Need{Meta: kg.Meta{ID: NeedID(k), Name: fmt.Sprintf("%s %d", needTopics[k%len(needTopics)], k)},
			Status: kg.NeedStatuses[b.r.IntN(len(kg.NeedStatuses))], Priority: 1 + b.r.IntN(5)}
		if b.r.IntN(2) == 0 {
			nd.Description = "Needed by " + b.g.Actors[public[k%len(public)]].Name + "."
		}
		b.g.Needs = append(b.g.Needs, nd)
		for j := 1 + b.r.IntN(2); j > 0; j-- {
			owner := public[b.r.IntN(len(public))]
			if b.r.IntN(5) == 0 {
				owner = b.main[b.r.IntN(len(b.main))]
			}
			b.add(kg.Rel{Type: kg.RelHasNeed, From: ActorID(owner), To: nd.ID})
		}
		for j := 1 + b.r.IntN(5); j > 0; j-- {
			b.add(kg.Rel{Type: kg.RelRequires, From: nd.ID, To: b.popularCompetency(), Importance: 1 + b.r.IntN(5)})
		}
		for j := b.r.IntN(4) - 1; j > 0; j-- {
			b.add(kg.Rel{Type: kg.RelAddresses, From: ProjectID(b.r.IntN(b.c.Projects)), To: nd.ID})
		}
	}
}

// islands: each island's actors share a project of their own and a chain
// of partnerships and memberships, and have competencies of their own, so
// that nothing joins an island to the rest of the graph.
func (b *builder) islands(mainN int) {
	c := b.c
	for k := 0; k < c.Islands; k++ {
		first := mainN + k*c.IslandSize
		pid := ProjectID(c.Projects + k)
		b.g.Projects = append(b.g.Projects, &kg.Project{Meta: kg.Meta{ID: pid, Name: fmt.Sprintf("Island project %d", k)},
			Status: kg.ProjectActive})
		cid := CompetencyID(c.Competencies + k)
		b.g.Competencies = append(b.g.Competencies, &kg.Competency{
			Meta: kg.Meta{ID: cid, Name: fmt.Sprintf("Island craft %d", k)}, Category: kg.CategoryOther})
		for i := first; i < first+c.IslandSize; i++ {
			if i < first+c.IslandSize/2+1 {
				b.add(kg.Rel{Type: kg.RelParticipatesIn, From: ActorID(i), To: pid, Role: string(kg.RolePartner)})
			}
			if i > first {
				b.add(kg.Rel{Type: kg.RelPartnersWith, From: ActorID(i - 1), To: ActorID(i)})
			}
			b.add(kg.Rel{Type: kg.RelHasCompetency, From: ActorID(i), To: cid, Level: 1 + (i-first)%5})
		}
		if c.IslandSize >= 2 {
			b.add(kg.Rel{Type: kg.RelMemberOf, From: ActorID(first + c.IslandSize - 1), To: ActorID(first)})
		}
	}
}

// Stats counts what a graph holds, for tests and for a command's summary.
type Stats struct {
	Nodes    map[kg.Label]int
	Kinds    map[kg.ActorKind]int
	Sectors  map[kg.Sector]int
	Rels     map[kg.RelType]int
	NodesAll int
	RelsAll  int
}

// Count returns g's Stats.
func Count(g kg.Graph) Stats {
	s := Stats{Nodes: map[kg.Label]int{}, Kinds: map[kg.ActorKind]int{}, Sectors: map[kg.Sector]int{},
		Rels: map[kg.RelType]int{}}
	for _, n := range g.Nodes() {
		s.Nodes[n.NodeLabel()]++
		s.NodesAll++
		if a, ok := n.(*kg.Actor); ok {
			s.Kinds[a.Kind]++
			s.Sectors[a.Sector]++
		}
	}
	for _, r := range g.Rels {
		s.Rels[r.Type]++
		s.RelsAll++
	}
	return s
}

// Batches splits g into import batches within maxNodes nodes and maxRels
// relationships each (kg.MaxImportNodes, kg.MaxImportRels for the API):
// first every node, in the order of g.Nodes, then every relationship, so
// that each relationship's endpoints exist by the time its batch comes.
// Imported in order, the batches give g.
func Batches(g kg.Graph, maxNodes, maxRels int) []kg.Graph {
	var out []kg.Graph
	var cur kg.Graph
	count := 0
	flush := func() {
		if count > 0 {
			out = append(out, cur)
			cur, count = kg.Graph{}, 0
		}
	}
	for _, n := range g.Nodes() {
		cur.Add(n)
		if count++; count == maxNodes {
			flush()
		}
	}
	flush()
	for rels := g.Rels; len(rels) > 0; {
		k := min(maxRels, len(rels))
		out = append(out, kg.Graph{Rels: slices.Clone(rels[:k])})
		rels = rels[k:]
	}
	return out
}

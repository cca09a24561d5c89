package storetest

import (
	"slices"
	"sort"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

// filterFixture is a slice of the seed articles' ecosystem with every
// filterable field varied.
func filterFixture() []kg.Node {
	place := func(kind kg.ActorKind, sector kg.Sector, country, region, city string, aliases ...string) func(*kg.Actor) {
		return func(a *kg.Actor) {
			a.Kind, a.Sector, a.Country, a.Region, a.City, a.Aliases = kind, sector, country, region, city, aliases
		}
	}
	prj := func(st kg.ProjectStatus, programme string) func(*kg.Project) {
		return func(p *kg.Project) { p.Status, p.Programme = st, programme }
	}
	nd := func(st kg.NeedStatus, prio int) func(*kg.Need) {
		return func(n *kg.Need) { n.Status, n.Priority = st, prio }
	}
	cmp := func(cat kg.CompetencyCategory, aliases ...string) func(*kg.Competency) {
		return func(c *kg.Competency) { c.Category, c.Aliases = cat, aliases }
	}
	return []kg.Node{
		actor("karlstads-kommun", "Karlstads kommun", place(kg.KindMunicipality, kg.SectorPublic, "SE", "Värmland", "Karlstad")),
		actor("region-varmland", "Region Värmland", place(kg.KindRegion, kg.SectorPublic, "SE", "Värmland", "Karlstad")),
		actor("compare", "Compare", place(kg.KindCluster, kg.SectorPrivate, "SE", "Värmland", "Karlstad", "Compare Testlab")),
		actor("karlstads-universitet", "Karlstads universitet", place(kg.KindResearch, kg.SectorAcademic, "SE", "Värmland", "Karlstad", "KAU")),
		actor("kunnskapsbyen", "Kunnskapsbyen Lillestrøm", place(kg.KindCluster, kg.SectorPrivate, "NO", "Viken", "Lillestrøm")),
		actor("lillestrom-kommune", "Lillestrøm kommune", place(kg.KindMunicipality, kg.SectorPublic, "NO", "Viken", "Lillestrøm")),
		actor("doga", "DOGA", place(kg.KindStateAgency, kg.SectorPublic, "NO", "Oslo", "Oslo", "Design og arkitektur Norge")),
		actor("difi", "Difi", place(kg.KindStateAgency, kg.SectorPublic, "NO", "Oslo", "Oslo")),
		actor("goteborgs-stad", "Göteborgs stad", place(kg.KindMunicipality, kg.SectorPublic, "SE", "Västra Götaland", "Göteborg")),
		actor("skl", "Sveriges Kommuner och Landsting", place(kg.KindNetwork, kg.SectorPublic, "SE", "Stockholm", "Stockholm", "SKL")),
		actor("dialogmakarna", "Dialogmakarna", place(kg.KindCompany, kg.SectorPrivate, "SE", "Värmland", "Karlstad")),
		actor("dwa", "DigitalWell Arena", place(kg.KindArena, kg.SectorPublic, "SE", "Värmland", "Karlstad", "DWA")),
		actor("ensam", "Ensam aktör", place(kg.KindPerson, kg.SectorCivil, "", "", "")),

		project("ndhc", "NDHC", prj(kg.ProjectCompleted, "Interreg Sverige-Norge")),
		project("sol", "SOL – Smart Omsorg i Lillestrøm", prj(kg.ProjectActive, "Regionale forskningsfond")),
		project("innovationsforum", "Innovationsforum", prj(kg.ProjectActive, "Vinnova")),
		project("dialog", "Dialogprogrammet", prj(kg.ProjectPlanned, "vinnova")),
		project("avbrutet", "Avbrutet", prj(kg.ProjectCancelled, "")),

		need("n-larm", "Trygghetslarm", nd(kg.NeedOpen, 5)),
		need("n-data", "Datadelning", nd(kg.NeedOpen, 2)),
		need("n-mote", "Digitala möten", nd(kg.NeedInProgress, 4)),
		need("n-hem", "Välfärdsteknik i hemmet", nd(kg.NeedMet, 3)),

		competency("c-design", "Tjänstedesign", cmp(kg.CategoryDesign, "Service design")),
		competency("c-ai", "Maskininlärning", cmp(kg.CategoryDataAI, "Machine learning", "ML")),
		competency("c-upph", "Innovationsupphandling", cmp(kg.CategoryProcurement)),
		competency("c-gdpr", "GDPR", cmp(kg.CategoryLegal)),
	}
}

func testFilters(t *testing.T, newStore func(*testing.T) kg.Store) {
	s := newStore(t)
	fixture := filterFixture()
	load(t, s, fixture, nil)
	byID := map[string]kg.Node{}
	for _, n := range fixture {
		byID[n.Base().ID] = n
	}

	cases := []struct {
		name   string
		label  kg.Label
		filter kg.Filter
		want   []string // any order; the list must come sorted by name
	}{
		{"kind", kg.LabelActor, kg.Filter{Kinds: []kg.ActorKind{kg.KindMunicipality}}, []string{"karlstads-kommun", "lillestrom-kommune", "goteborgs-stad"}},
		{"kinds", kg.LabelActor, kg.Filter{Kinds: []kg.ActorKind{kg.KindMunicipality, kg.KindRegion}}, []string{"karlstads-kommun", "lillestrom-kommune", "goteborgs-stad", "region-varmland"}},
		{"kind none", kg.LabelActor, kg.Filter{Kinds: []kg.ActorKind{kg.KindFunder}}, nil},
		{"sector", kg.LabelActor, kg.Filter{Sectors: []kg.Sector{kg.SectorPrivate}}, []string{"compare", "kunnskapsbyen", "dialogmakarna"}},
		{"sectors", kg.LabelActor, kg.Filter{Sectors: []kg.Sector{kg.SectorAcademic, kg.SectorCivil}}, []string{"karlstads-universitet", "ensam"}},
		{"country", kg.LabelActor, kg.Filter{Countries: []string{"NO"}}, []string{"kunnskapsbyen", "lillestrom-kommune", "doga", "difi"}},
		{"region folded", kg.LabelActor, kg.Filter{Regions: []string{"varmland"}}, []string{"karlstads-kommun", "region-varmland", "compare", "karlstads-universitet", "dialogmakarna", "dwa"}},
		{"regions", kg.LabelActor, kg.Filter{Regions: []string{"VÄSTRA GÖTALAND", "oslo"}}, []string{"goteborgs-stad", "doga", "difi"}},
		{"city folded", kg.LabelActor, kg.Filter{Cities: []string{"lillestrom"}}, []string{"kunnskapsbyen", "lillestrom-kommune"}},
		{"city with diacritics", kg.LabelActor, kg.Filter{Cities: []string{"Göteborg"}}, []string{"goteborgs-stad"}},
		{"city is whole", kg.LabelActor, kg.Filter{Cities: []string{"karl"}}, nil},
		{"name contains folded", kg.LabelActor, kg.Filter{NameContains: "lillestrom"}, []string{"kunnskapsbyen", "lillestrom-kommune"}},
		{"name contains with diacritics", kg.LabelActor, kg.Filter{NameContains: "LILLESTRØM"}, []string{"kunnskapsbyen", "lillestrom-kommune"}},
		{"name contains alias", kg.LabelActor, kg.Filter{NameContains: "skl"}, []string{"skl"}},
		{"name contains alias part", kg.LabelActor, kg.Filter{NameContains: "testlab"}, []string{"compare"}},
		{"name contains inside words", kg.LabelActor, kg.Filter{NameContains: "stad"}, []string{"karlstads-kommun", "karlstads-universitet", "goteborgs-stad"}},
		{"name contains kommun", kg.LabelActor, kg.Filter{NameContains: "Kommun"}, []string{"karlstads-kommun", "lillestrom-kommune", "skl"}},
		{"combined", kg.LabelActor, kg.Filter{Countries: []string{"SE"}, Sectors: []kg.Sector{kg.SectorPublic}, Cities: []string{"karlstad"}}, []string{"karlstads-kommun", "region-varmland", "dwa"}},
		{"combined kind country", kg.LabelActor, kg.Filter{Kinds: []kg.ActorKind{kg.KindCluster}, Countries: []string{"NO"}}, []string{"kunnskapsbyen"}},
		{"combined kind name", kg.LabelActor, kg.Filter{Kinds: []kg.ActorKind{kg.KindMunicipality}, NameContains: "goteborg"}, []string{"goteborgs-stad"}},
		{"combined excludes", kg.LabelActor, kg.Filter{Kinds: []kg.ActorKind{kg.KindCluster}, Sectors: []kg.Sector{kg.SectorPublic}}, nil},
		{"ids", kg.LabelActor, kg.Filter{IDs: []string{"doga", "difi", "ghost", "ndhc"}}, []string{"doga", "difi"}},
		{"ids and kind", kg.LabelActor, kg.Filter{IDs: []string{"doga", "compare"}, Kinds: []kg.ActorKind{kg.KindStateAgency}}, []string{"doga"}},

		{"project status", kg.LabelProject, kg.Filter{Statuses: []string{"ACTIVE"}}, []string{"sol", "innovationsforum"}},
		{"project statuses", kg.LabelProject, kg.Filter{Statuses: []string{"PLANNED", "CANCELLED"}}, []string{"dialog", "avbrutet"}},
		{"programme folded", kg.LabelProject, kg.Filter{Programmes: []string{"VINNOVA"}}, []string{"innovationsforum", "dialog"}},
		{"project name folded", kg.LabelProject, kg.Filter{NameContains: "lillestrom"}, []string{"sol"}},
		{"project combined", kg.LabelProject, kg.Filter{Statuses: []string{"ACTIVE"}, Programmes: []string{"vinnova"}}, []string{"innovationsforum"}},

		{"need status", kg.LabelNeed, kg.Filter{Statuses: []string{"OPEN"}}, []string{"n-larm", "n-data"}},
		{"need min priority", kg.LabelNeed, kg.Filter{MinPriority: 4}, []string{"n-larm", "n-mote"}},
		{"need combined", kg.LabelNeed, kg.Filter{Statuses: []string{"OPEN"}, MinPriority: 3}, []string{"n-larm"}},
		{"need name folded", kg.LabelNeed, kg.Filter{NameContains: "mote"}, []string{"n-mote"}},
		{"need name folded 2", kg.LabelNeed, kg.Filter{NameContains: "valfard"}, []string{"n-hem"}},

		{"category", kg.LabelCompetency, kg.Filter{Categories: []kg.CompetencyCategory{kg.CategoryDesign}}, []string{"c-design"}},
		{"categories", kg.LabelCompetency, kg.Filter{Categories: []kg.CompetencyCategory{kg.CategoryDataAI, kg.CategoryLegal}}, []string{"c-ai", "c-gdpr"}},
		{"competency alias", kg.LabelCompetency, kg.Filter{NameContains: "learning"}, []string{"c-ai"}},
		{"competency name", kg.LabelCompetency, kg.Filter{NameContains: "UPPHANDLING"}, []string{"c-upph"}},
		{"competency combined", kg.LabelCompetency, kg.Filter{NameContains: "design", Categories: []kg.CompetencyCategory{kg.CategoryLegal}}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, o := range []kg.Order{{Field: kg.OrderByName}, {Field: kg.OrderByID, Desc: true}} {
				want := slices.Clone(tc.want)
				sort.Slice(want, func(i, j int) bool { return kg.Less(byID[want[i]], byID[want[j]], o) })
				var seen []string
				var after *kg.Cursor
				for {
					p, err := s.List(t.Context(), kg.ListQuery{Label: tc.label, Filter: tc.filter, Order: o, First: 2, After: after})
					if err != nil {
						t.Fatalf("List: %v", err)
					}
					if p.TotalCount != len(want) {
						t.Errorf("%s: TotalCount = %d, want %d", orderName(o), p.TotalCount, len(want))
					}
					seen = append(seen, ids(p.Nodes)...)
					if !p.HasNextPage || len(p.Nodes) == 0 {
						break
					}
					c := kg.CursorOf(p.Nodes[len(p.Nodes)-1], o)
					after = &c
				}
				if !slices.Equal(seen, want) {
					t.Errorf("%s: got %v, want %v", orderName(o), seen, want)
				}
			}
			// The reference semantics agree with the table.
			var ref []string
			for _, n := range fixture {
				if n.NodeLabel() == tc.label && tc.filter.Match(n) {
					ref = append(ref, n.Base().ID)
				}
			}
			if !sameSet(ref, tc.want) {
				t.Fatalf("test table disagrees with kg.Filter.Match: %v vs %v", tc.want, ref)
			}
		})
	}

	// A filter field that does not apply to the label, or a value that
	// could never match, is refused rather than silently ignored.
	refused := []struct {
		name  string
		label kg.Label
		f     kg.Filter
		field string
	}{
		{"kinds on projects", kg.LabelProject, kg.Filter{Kinds: []kg.ActorKind{kg.KindCompany}}, "filter.kinds"},
		{"sectors on projects", kg.LabelProject, kg.Filter{Sectors: []kg.Sector{kg.SectorPublic}}, "filter.sectors"},
		{"countries on needs", kg.LabelNeed, kg.Filter{Countries: []string{"SE"}}, "filter.countries"},
		{"regions on competencies", kg.LabelCompetency, kg.Filter{Regions: []string{"Värmland"}}, "filter.regions"},
		{"cities on projects", kg.LabelProject, kg.Filter{Cities: []string{"Karlstad"}}, "filter.cities"},
		{"statuses on actors", kg.LabelActor, kg.Filter{Statuses: []string{"ACTIVE"}}, "filter.statuses"},
		{"statuses on competencies", kg.LabelCompetency, kg.Filter{Statuses: []string{"OPEN"}}, "filter.statuses"},
		{"categories on actors", kg.LabelActor, kg.Filter{Categories: []kg.CompetencyCategory{kg.CategoryDesign}}, "filter.categories"},
		{"categories on needs", kg.LabelNeed, kg.Filter{Categories: []kg.CompetencyCategory{kg.CategoryDesign}}, "filter.categories"},
		{"programmes on actors", kg.LabelActor, kg.Filter{Programmes: []string{"Vinnova"}}, "filter.programmes"},
		{"programmes on needs", kg.LabelNeed, kg.Filter{Programmes: []string{"Vinnova"}}, "filter.programmes"},
		{"min priority on projects", kg.LabelProject, kg.Filter{MinPriority: 2}, "filter.minPriority"},
		{"min priority on actors", kg.LabelActor, kg.Filter{MinPriority: 2}, "filter.minPriority"},
		{"kinds on competencies", kg.LabelCompetency, kg.Filter{Kinds: []kg.ActorKind{kg.KindCompany}, NameContains: "design"}, "filter.kinds"},
		{"unknown kind", kg.LabelActor, kg.Filter{Kinds: []kg.ActorKind{kg.KindCompany, "TOWN"}}, "filter.kinds"},
		{"unknown sector", kg.LabelActor, kg.Filter{Sectors: []kg.Sector{"MIXED"}}, "filter.sectors"},
		{"unknown category", kg.LabelCompetency, kg.Filter{Categories: []kg.CompetencyCategory{"MAGIC"}}, "filter.categories"},
		{"need status on projects", kg.LabelProject, kg.Filter{Statuses: []string{"OPEN"}}, "filter.statuses"},
		{"project status on needs", kg.LabelNeed, kg.Filter{Statuses: []string{"ACTIVE"}}, "filter.statuses"},
		{"min priority 6", kg.LabelNeed, kg.Filter{MinPriority: 6}, "filter.minPriority"},
		{"min priority -1", kg.LabelNeed, kg.Filter{MinPriority: -1}, "filter.minPriority"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			p, err := s.List(t.Context(), kg.ListQuery{Label: tc.label, Filter: tc.f, Order: kg.Order{Field: kg.OrderByName}, First: 10})
			checkErr(t, err, kg.ErrInvalid, tc.field)
			if len(p.Nodes) != 0 {
				t.Errorf("a refused list returned %v", ids(p.Nodes))
			}
		})
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

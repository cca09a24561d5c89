package storetest

import (
	"bytes"
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

// whereFixture is filterFixture with project types and dates, two events
// (Offentliga Rummet 2017 and 2018) and ties of every type a where can
// filter by.
func whereFixture() ([]kg.Node, []kg.Rel) {
	nodes := filterFixture()
	dates := map[string][3]string{ // type, start, end
		"ndhc":             {"", "2015-01-01", "2018-12-31"},
		"sol":              {"PROJECT", "2016-03-01", ""},
		"innovationsforum": {"PROGRAMME", "2012-01-01", "2019-06-30"},
		"dialog":           {"SERVICE", "", ""},
	}
	for _, n := range nodes {
		if p, ok := n.(*kg.Project); ok {
			d := dates[p.ID]
			p.Type, p.StartDate, p.EndDate = kg.ProjectType(d[0]), kg.Date(d[1]), kg.Date(d[2])
		}
	}
	nodes = append(nodes,
		project("or2017", "Offentliga Rummet 2017", func(p *kg.Project) {
			p.Type, p.Status, p.StartDate, p.EndDate, p.City = kg.ProjectTypeEvent, kg.ProjectCompleted, "2017-05-10", "2017-05-11", "Karlstad"
		}),
		project("or2018", "Offentliga Rummet 2018", func(p *kg.Project) {
			p.Type, p.Status, p.StartDate, p.EndDate, p.City = kg.ProjectTypeEvent, kg.ProjectCompleted, "2018-05-16", "2018-05-17", "Göteborg"
		}),
	)
	dated := func(r kg.Rel, from, to string) kg.Rel { r.Start, r.End = kg.Date(from), kg.Date(to); return r }
	rels := []kg.Rel{
		dated(participates("karlstads-kommun", "ndhc", kg.RoleLead), "2015-01-01", ""),
		participates("karlstads-kommun", "or2017", kg.RoleAttendee),
		participates("dwa", "or2017", kg.RoleOrganiser),
		participates("compare", "or2018", kg.RoleSpeaker),
		participates("lillestrom-kommune", "sol", kg.RoleLead),
		dated(participates("kunnskapsbyen", "sol", kg.RolePartner), "2016-03-01", "2017-12-31"),
		participates("karlstads-universitet", "ndhc", kg.RolePartner),
		participates("doga", "innovationsforum", kg.RoleFunder),

		hasCompetency("compare", "c-design", 5),
		hasCompetency("compare", "c-ai", 3),
		hasCompetency("dwa", "c-design", 4),
		hasCompetency("karlstads-universitet", "c-ai", 5),
		hasCompetency("dialogmakarna", "c-design", 2),
		hasCompetency("doga", "c-design", 5),

		hasNeed("karlstads-kommun", "n-larm"),
		hasNeed("karlstads-kommun", "n-mote"),
		hasNeed("lillestrom-kommune", "n-larm"),
		hasNeed("goteborgs-stad", "n-data"),

		requires("n-larm", "c-ai", 4),
		requires("n-larm", "c-design", 2),
		requires("n-data", "c-ai", 5),
		requires("n-mote", "c-design", 3),

		addresses("sol", "n-larm"),
		addresses("ndhc", "n-mote"),

		// The actor ties, each with dates in some and none in others, so
		// that a filter reading the wrong direction, the wrong endpoint or
		// the wrong type answers differently. dialogmakarna is both a
		// member and a unit of compare.
		dated(memberOf("ensam", "dwa", "Projektledare"), "2019-01-01", "2020-12-31"),
		dated(memberOf("compare", "skl", "Styrelseledamot"), "2016-01-01", ""),
		dated(memberOf("karlstads-kommun", "skl", ""), "2010-01-01", ""),
		memberOf("goteborgs-stad", "skl", ""),
		dated(memberOf("dialogmakarna", "compare", ""), "2018-06-01", ""),

		// Stored from kommun to universitet with since alone (the first
		// version's name of from), and from lillestrom-kommune to kunnskapsbyen.
		func() kg.Rel {
			r := partners("karlstads-kommun", "karlstads-universitet")
			r.Since = "2012-01-01"
			return r
		}(),
		func() kg.Rel {
			r := partners("lillestrom-kommune", "kunnskapsbyen")
			r.Start, r.End, r.Description = "2016-03-01", "2019-12-31", "Smart omsorg i Lillestrøm"
			return r
		}(),
		func() kg.Rel { r := partners("doga", "difi"); r.Description = "Designdrevet innovasjon"; return r }(),
		dated(partners("compare", "dwa"), "2018-01-01", ""),

		dated(kg.Rel{Type: kg.RelPartOf, From: "dwa", To: "karlstads-universitet"}, "2015-01-01", ""),
		dated(kg.Rel{Type: kg.RelPartOf, From: "dialogmakarna", To: "compare"}, "", "2017-12-31"),
		dated(kg.Rel{Type: kg.RelPartOf, From: "or2017", To: "innovationsforum"}, "2017-01-01", ""),
		kg.Rel{Type: kg.RelPartOf, From: "or2018", To: "innovationsforum"},
		dated(kg.Rel{Type: kg.RelPartOf, From: "sol", To: "dialog"}, "", "2016-12-31"),

		dated(kg.Rel{Type: kg.RelSupplies, From: "dialogmakarna", To: "karlstads-kommun", Description: "Medborgardialoger"}, "2019-01-01", "2020-06-30"),
		dated(kg.Rel{Type: kg.RelSupplies, From: "compare", To: "region-varmland"}, "2021-01-01", ""),
		kg.Rel{Type: kg.RelSupplies, From: "dialogmakarna", To: "goteborgs-stad"},
	}
	return nodes, rels
}

// whereArg parses a where written as JSON, as the API receives it from
// variables.
func whereArg(t *testing.T, l kg.Label, src string) *kg.Where {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader([]byte(src)))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		t.Fatalf("test where %s: %v", src, err)
	}
	w, err := kg.ParseWhere(l, "where", m)
	if err != nil {
		t.Fatalf("ParseWhere(%s): %v", src, err)
	}
	return w
}

func testWhere(t *testing.T, newStore func(*testing.T) kg.Store) {
	s := newStore(t)
	fixture, rels := whereFixture()
	load(t, s, fixture, rels)
	byID := map[string]kg.Node{}
	for _, n := range fixture {
		byID[n.Base().ID] = n
	}
	// The stored nodes, for their createdAt.
	stored := map[string]kg.Node{}
	for _, l := range kg.Labels {
		for _, n := range listAll(t, s, kg.ListQuery{Label: l, First: kg.MaxPageSize, Order: kg.Order{Field: kg.OrderByID}}) {
			stored[n.Base().ID] = n
		}
	}
	latest := ""
	for _, n := range stored {
		latest = max(latest, n.Base().CreatedAt.UTC().Format("2006-01-02T15:04:05.999999999Z07:00"))
	}
	doga := stored["doga"].Base().CreatedAt.UTC().Format("2006-01-02T15:04:05.999999999Z07:00")

	// The reference: kg.Where.Match over the fixture, with its ties.
	tiesOf := func(id string) kg.TieReader {
		return func(typ kg.RelType, dir kg.Direction) []kg.Tie {
			var out []kg.Tie
			for i := range rels {
				r := &rels[i]
				if r.Type == typ && ((dir != kg.Incoming && r.From == id) || (dir != kg.Outgoing && r.To == id)) {
					out = append(out, kg.Tie{Rel: r, From: stored[r.From], To: stored[r.To]})
				}
			}
			return out
		}
	}

	cases := []struct {
		name   string
		label  kg.Label
		filter kg.Filter
		where  string
		want   []string
	}{
		// Scalar operators.
		{"id eq", kg.LabelActor, kg.Filter{}, `{"id": {"eq": "doga"}}`, []string{"doga"}},
		{"id eq unknown", kg.LabelActor, kg.Filter{}, `{"id": {"eq": "ghost"}}`, nil},
		{"id eq of another label", kg.LabelActor, kg.Filter{}, `{"id": {"eq": "ndhc"}}`, nil},
		{"id in", kg.LabelActor, kg.Filter{}, `{"id": {"in": ["doga", "difi", "ghost", "ndhc"]}}`, []string{"doga", "difi"}},
		{"id in empty", kg.LabelActor, kg.Filter{}, `{"id": {"in": []}}`, nil},
		{"id startsWith", kg.LabelActor, kg.Filter{}, `{"id": {"startsWith": "karlstads-"}}`, []string{"karlstads-kommun", "karlstads-universitet"}},
		{"name eq folded", kg.LabelActor, kg.Filter{}, `{"name": {"eq": " göteborgs STAD "}}`, []string{"goteborgs-stad"}},
		{"name eq is the whole name", kg.LabelActor, kg.Filter{}, `{"name": {"eq": "Göteborgs"}}`, nil},
		{"name eq is not an alias", kg.LabelActor, kg.Filter{}, `{"name": {"eq": "SKL"}}`, nil},
		{"name in", kg.LabelActor, kg.Filter{}, `{"name": {"in": ["difi", "DOGA"]}}`, []string{"difi", "doga"}},
		{"name contains", kg.LabelActor, kg.Filter{}, `{"name": {"contains": "LILLESTROM"}}`, []string{"kunnskapsbyen", "lillestrom-kommune"}},
		{"name startsWith", kg.LabelActor, kg.Filter{}, `{"name": {"startsWith": "karlstads"}}`, []string{"karlstads-kommun", "karlstads-universitet"}},
		{"kind eq", kg.LabelActor, kg.Filter{}, `{"kind": {"eq": "MUNICIPALITY"}}`, []string{"karlstads-kommun", "lillestrom-kommune", "goteborgs-stad"}},
		{"kind in", kg.LabelActor, kg.Filter{}, `{"kind": {"in": ["CLUSTER", "ARENA"]}}`, []string{"compare", "kunnskapsbyen", "dwa"}},
		{"sector eq", kg.LabelActor, kg.Filter{}, `{"sector": {"eq": "ACADEMIC"}}`, []string{"karlstads-universitet"}},
		{"country eq upper-cased", kg.LabelActor, kg.Filter{}, `{"country": {"eq": "no"}}`, []string{"kunnskapsbyen", "lillestrom-kommune", "doga", "difi"}},
		{"region in folded", kg.LabelActor, kg.Filter{}, `{"region": {"in": ["oslo", "VÄSTRA GÖTALAND"]}}`, []string{"doga", "difi", "goteborgs-stad"}},
		{"city startsWith", kg.LabelActor, kg.Filter{}, `{"city": {"startsWith": "lille"}}`, []string{"kunnskapsbyen", "lillestrom-kommune"}},
		{"unknown value matches nothing", kg.LabelActor, kg.Filter{}, `{"city": {"contains": ""}}`, []string{"karlstads-kommun", "region-varmland", "compare", "karlstads-universitet", "kunnskapsbyen", "lillestrom-kommune", "doga", "difi", "goteborgs-stad", "skl", "dialogmakarna", "dwa"}},
		{"createdAt lte the latest", kg.LabelActor, kg.Filter{}, `{"createdAt": {"lte": "` + latest + `"}, "country": {"eq": "NO"}}`, []string{"kunnskapsbyen", "lillestrom-kommune", "doga", "difi"}},
		{"createdAt gt the latest", kg.LabelActor, kg.Filter{}, `{"createdAt": {"gt": "` + latest + `"}}`, nil},
		{"createdAt eq", kg.LabelActor, kg.Filter{}, `{"createdAt": {"eq": "` + doga + `"}, "country": {"eq": "NO"}}`, []string{"doga"}},
		{"updatedAt gte", kg.LabelCompetency, kg.Filter{}, `{"updatedAt": {"gte": "2000-01-01T00:00:00Z"}, "category": {"in": ["LEGAL"]}}`, []string{"c-gdpr"}},

		{"priority eq", kg.LabelNeed, kg.Filter{}, `{"priority": {"eq": 4}}`, []string{"n-mote"}},
		{"priority in", kg.LabelNeed, kg.Filter{}, `{"priority": {"in": [2, 3]}}`, []string{"n-data", "n-hem"}},
		{"priority gt", kg.LabelNeed, kg.Filter{}, `{"priority": {"gt": 3}}`, []string{"n-larm", "n-mote"}},
		{"priority gte lt", kg.LabelNeed, kg.Filter{}, `{"priority": {"gte": 3, "lt": 5}}`, []string{"n-mote", "n-hem"}},
		{"priority lte", kg.LabelNeed, kg.Filter{}, `{"priority": {"lte": 2}}`, []string{"n-data"}},
		{"need status", kg.LabelNeed, kg.Filter{}, `{"status": {"eq": "MET"}}`, []string{"n-hem"}},
		{"category", kg.LabelCompetency, kg.Filter{}, `{"category": {"in": ["DESIGN", "LEGAL"]}}`, []string{"c-design", "c-gdpr"}},

		{"project type eq", kg.LabelProject, kg.Filter{}, `{"type": {"eq": "EVENT"}}`, []string{"or2017", "or2018"}},
		{"project type PROJECT is the default", kg.LabelProject, kg.Filter{}, `{"type": {"eq": "PROJECT"}}`, []string{"ndhc", "sol", "avbrutet"}},
		{"startDate gte lte", kg.LabelProject, kg.Filter{}, `{"startDate": {"gte": "2016-01-01", "lte": "2017-12-31"}}`, []string{"sol", "or2017"}},
		{"startDate eq", kg.LabelProject, kg.Filter{}, `{"startDate": {"eq": "2015-01-01"}}`, []string{"ndhc"}},
		{"startDate in", kg.LabelProject, kg.Filter{}, `{"startDate": {"in": ["2015-01-01", "2018-05-16"]}}`, []string{"ndhc", "or2018"}},
		{"endDate lt", kg.LabelProject, kg.Filter{}, `{"endDate": {"lt": "2018-01-01"}}`, []string{"or2017"}},
		{"endDate gt unknown dates do not match", kg.LabelProject, kg.Filter{}, `{"endDate": {"gt": "2000-01-01"}}`, []string{"ndhc", "innovationsforum", "or2017", "or2018"}},
		{"programme startsWith folded", kg.LabelProject, kg.Filter{}, `{"programme": {"startsWith": "VINN"}}`, []string{"innovationsforum", "dialog"}},
		{"project city", kg.LabelProject, kg.Filter{}, `{"city": {"eq": "goteborg"}}`, []string{"or2018"}},

		// AND, OR, NOT.
		{"AND", kg.LabelActor, kg.Filter{}, `{"AND": [{"country": {"eq": "SE"}}, {"kind": {"eq": "CLUSTER"}}]}`, []string{"compare"}},
		{"AND empty", kg.LabelNeed, kg.Filter{}, `{"AND": []}`, []string{"n-larm", "n-data", "n-mote", "n-hem"}},
		{"OR", kg.LabelActor, kg.Filter{}, `{"OR": [{"sector": {"eq": "ACADEMIC"}}, {"kind": {"eq": "PERSON"}}]}`, []string{"karlstads-universitet", "ensam"}},
		{"OR empty", kg.LabelNeed, kg.Filter{}, `{"OR": []}`, nil},
		{"NOT", kg.LabelActor, kg.Filter{}, `{"NOT": {"sector": {"eq": "PUBLIC"}}}`, []string{"compare", "karlstads-universitet", "kunnskapsbyen", "dialogmakarna", "ensam"}},
		{"NOT of an unknown value", kg.LabelActor, kg.Filter{}, `{"NOT": {"region": {"contains": ""}}}`, []string{"ensam"}},
		{"nested", kg.LabelActor, kg.Filter{}, `{"OR": [{"AND": [{"country": {"eq": "NO"}}, {"NOT": {"kind": {"eq": "STATE_AGENCY"}}}]}, {"name": {"eq": "SKL"}}, {"id": {"eq": "dwa"}}]}`, []string{"kunnskapsbyen", "lillestrom-kommune", "dwa"}},
		{"fields beside OR", kg.LabelActor, kg.Filter{}, `{"country": {"eq": "SE"}, "OR": [{"kind": {"eq": "ARENA"}}, {"kind": {"eq": "NETWORK"}}]}`, []string{"dwa", "skl"}},
		{"id in an OR", kg.LabelActor, kg.Filter{}, `{"OR": [{"id": {"eq": "doga"}}, {"id": {"eq": "difi"}}]}`, []string{"doga", "difi"}},
		{"id eq and in", kg.LabelActor, kg.Filter{}, `{"id": {"in": ["doga", "difi"]}, "AND": [{"id": {"in": ["difi", "skl"]}}]}`, []string{"difi"}},

		// Beside filter.
		{"filter and where", kg.LabelActor, kg.Filter{Countries: []string{"SE"}}, `{"kind": {"eq": "MUNICIPALITY"}}`, []string{"karlstads-kommun", "goteborgs-stad"}},
		{"filter nameContains and where", kg.LabelActor, kg.Filter{NameContains: "skl"}, `{"country": {"eq": "SE"}}`, []string{"skl"}},
		{"filter ids and where", kg.LabelActor, kg.Filter{IDs: []string{"doga", "difi", "skl"}}, `{"country": {"eq": "NO"}}`, []string{"doga", "difi"}},
		{"filter minPriority and where", kg.LabelNeed, kg.Filter{MinPriority: 3}, `{"status": {"eq": "OPEN"}}`, []string{"n-larm"}},
		{"filter programmes and where", kg.LabelProject, kg.Filter{Programmes: []string{"vinnova"}}, `{"type": {"eq": "SERVICE"}}`, []string{"dialog"}},

		// Relationship filters.
		{"competency holders at level >= 4", kg.LabelActor, kg.Filter{},
			`{"competencies": {"some": {"competency": {"id": {"eq": "c-design"}}, "level": {"gte": 4}}}}`, []string{"compare", "dwa", "doga"}},
		{"some without a condition", kg.LabelActor, kg.Filter{}, `{"needs": {"some": {}}}`, []string{"karlstads-kommun", "lillestrom-kommune", "goteborgs-stad"}},
		{"none", kg.LabelActor, kg.Filter{}, `{"country": {"eq": "SE"}, "competencies": {"none": {}}}`,
			[]string{"karlstads-kommun", "region-varmland", "goteborgs-stad", "skl"}},
		{"none with a condition", kg.LabelActor, kg.Filter{}, `{"competencies": {"some": {}, "none": {"level": {"lt": 4}}}}`, []string{"dwa", "karlstads-universitet", "doga"}},
		{"all", kg.LabelActor, kg.Filter{}, `{"competencies": {"all": {"level": {"eq": 5}}}, "kind": {"in": ["CLUSTER", "RESEARCH", "STATE_AGENCY"]}}`,
			[]string{"karlstads-universitet", "kunnskapsbyen", "doga", "difi"}},
		{"all and some", kg.LabelActor, kg.Filter{}, `{"competencies": {"all": {"level": {"gte": 4}}, "some": {}}}`, []string{"dwa", "karlstads-universitet", "doga"}},
		{"in an EVENT in 2017", kg.LabelActor, kg.Filter{},
			`{"projects": {"some": {"project": {"type": {"eq": "EVENT"}, "startDate": {"gte": "2017-01-01", "lte": "2017-12-31"}}}}}`, []string{"karlstads-kommun", "dwa"}},
		{"participation role", kg.LabelActor, kg.Filter{}, `{"projects": {"some": {"role": {"in": ["LEAD", "ORGANISER"]}}}}`, []string{"karlstads-kommun", "lillestrom-kommune", "dwa"}},
		{"participation dates", kg.LabelActor, kg.Filter{}, `{"projects": {"some": {"to": {"lte": "2017-12-31"}}}}`, []string{"kunnskapsbyen"}},
		{"participation from", kg.LabelActor, kg.Filter{}, `{"projects": {"some": {"from": {"eq": "2015-01-01"}}}}`, []string{"karlstads-kommun"}},
		{"OR inside a relationship filter", kg.LabelActor, kg.Filter{},
			`{"projects": {"some": {"OR": [{"role": {"eq": "FUNDER"}}, {"project": {"city": {"eq": "Göteborg"}}}]}}}`, []string{"compare", "doga"}},
		{"NOT inside a relationship filter", kg.LabelActor, kg.Filter{},
			`{"projects": {"some": {"NOT": {"project": {"type": {"eq": "EVENT"}}}}}}`, []string{"karlstads-kommun", "lillestrom-kommune", "kunnskapsbyen", "karlstads-universitet", "doga"}},
		{"relationship filter in an OR", kg.LabelActor, kg.Filter{},
			`{"OR": [{"needs": {"some": {"need": {"priority": {"gte": 5}}}}}, {"competencies": {"some": {"competency": {"category": {"eq": "DATA_AI"}}}}}]}`,
			[]string{"karlstads-kommun", "lillestrom-kommune", "compare", "karlstads-universitet"}},
		{"NOT of a relationship filter", kg.LabelActor, kg.Filter{}, `{"NOT": {"projects": {"some": {}}}, "country": {"eq": "NO"}}`, []string{"difi"}},
		{"the listed node as an endpoint", kg.LabelActor, kg.Filter{}, `{"projects": {"some": {"actor": {"kind": {"eq": "ARENA"}}}}}`, []string{"dwa"}},
		{"project participants", kg.LabelProject, kg.Filter{}, `{"participants": {"some": {"actor": {"country": {"eq": "NO"}}, "role": {"eq": "LEAD"}}}}`, []string{"sol"}},
		{"project participants all", kg.LabelProject, kg.Filter{}, `{"participants": {"all": {"actor": {"region": {"eq": "varmland"}}}, "some": {}}}`, []string{"ndhc", "or2017", "or2018"}},
		{"project addresses", kg.LabelProject, kg.Filter{}, `{"addresses": {"some": {"need": {"status": {"eq": "OPEN"}}}}}`, []string{"sol"}},
		{"need owners", kg.LabelNeed, kg.Filter{}, `{"owners": {"some": {"actor": {"id": {"eq": "karlstads-kommun"}}}}}`, []string{"n-larm", "n-mote"}},
		{"need requires importance", kg.LabelNeed, kg.Filter{}, `{"requires": {"some": {"importance": {"gte": 4}, "competency": {"name": {"contains": "inlarning"}}}}}`, []string{"n-larm", "n-data"}},
		{"need addressedBy none", kg.LabelNeed, kg.Filter{}, `{"addressedBy": {"none": {}}}`, []string{"n-data", "n-hem"}},
		{"competency holders", kg.LabelCompetency, kg.Filter{}, `{"holders": {"some": {"level": {"eq": 5}, "actor": {"sector": {"eq": "ACADEMIC"}}}}}`, []string{"c-ai"}},
		{"competency requiredBy", kg.LabelCompetency, kg.Filter{}, `{"requiredBy": {"some": {"need": {"priority": {"eq": 5}}, "importance": {"lte": 2}}}}`, []string{"c-design"}},
		{"competency holders none", kg.LabelCompetency, kg.Filter{}, `{"holders": {"none": {}}}`, []string{"c-upph", "c-gdpr"}},

		// Relationship filters over the actor ties, both directions.
		{"memberOf organisation", kg.LabelActor, kg.Filter{}, `{"memberOf": {"some": {"organisation": {"id": {"eq": "skl"}}}}}`,
			[]string{"karlstads-kommun", "compare", "goteborgs-stad"}},
		{"memberOf's member is the listed actor", kg.LabelActor, kg.Filter{}, `{"memberOf": {"some": {"member": {"id": {"eq": "compare"}}}}}`, []string{"compare"}},
		{"members", kg.LabelActor, kg.Filter{}, `{"members": {"some": {}}}`, []string{"dwa", "skl", "compare"}},
		{"members of a kind", kg.LabelActor, kg.Filter{}, `{"members": {"some": {"member": {"kind": {"eq": "CLUSTER"}}}}}`, []string{"skl"}},
		{"members' organisation is the listed actor", kg.LabelActor, kg.Filter{}, `{"members": {"some": {"organisation": {"kind": {"eq": "NETWORK"}}}}}`, []string{"skl"}},
		{"memberOf from", kg.LabelActor, kg.Filter{}, `{"memberOf": {"some": {"from": {"gte": "2016-01-01"}}}}`, []string{"compare", "dialogmakarna", "ensam"}},
		{"members to", kg.LabelActor, kg.Filter{}, `{"members": {"some": {"to": {"lte": "2020-12-31"}}}}`, []string{"dwa"}},
		{"memberOf none", kg.LabelActor, kg.Filter{}, `{"country": {"eq": "SE"}, "memberOf": {"none": {}}}`,
			[]string{"region-varmland", "karlstads-universitet", "skl", "dwa"}},
		{"members all, an unknown country fails", kg.LabelActor, kg.Filter{}, `{"members": {"all": {"member": {"country": {"eq": "SE"}}}, "some": {}}}`,
			[]string{"skl", "compare"}},
		{"partnerships seen from the listed actor", kg.LabelActor, kg.Filter{}, `{"partnerships": {"some": {"partner": {"kind": {"eq": "MUNICIPALITY"}}}}}`,
			[]string{"karlstads-universitet", "kunnskapsbyen"}},
		{"partnerships' actor is the listed actor", kg.LabelActor, kg.Filter{}, `{"partnerships": {"some": {"actor": {"kind": {"eq": "MUNICIPALITY"}}}}}`,
			[]string{"karlstads-kommun", "lillestrom-kommune"}},
		{"partnerships partner by id, both ways", kg.LabelActor, kg.Filter{}, `{"partnerships": {"some": {"partner": {"id": {"in": ["karlstads-kommun", "dwa"]}}}}}`,
			[]string{"karlstads-universitet", "compare"}},
		{"partnerships from", kg.LabelActor, kg.Filter{}, `{"partnerships": {"some": {"from": {"gte": "2016-01-01"}}}}`,
			[]string{"lillestrom-kommune", "kunnskapsbyen", "compare", "dwa"}},
		{"partnerships from of one stored with since", kg.LabelActor, kg.Filter{}, `{"partnerships": {"some": {"from": {"lt": "2013-01-01"}}}}`,
			[]string{"karlstads-kommun", "karlstads-universitet"}},
		{"partnerships since", kg.LabelActor, kg.Filter{}, `{"partnerships": {"some": {"since": {"eq": "2012-01-01"}}}}`,
			[]string{"karlstads-kommun", "karlstads-universitet"}},
		{"partnerships to", kg.LabelActor, kg.Filter{}, `{"partnerships": {"some": {"to": {"lte": "2019-12-31"}}}}`, []string{"lillestrom-kommune", "kunnskapsbyen"}},
		{"partnerships all", kg.LabelActor, kg.Filter{}, `{"partnerships": {"all": {"partner": {"country": {"eq": "NO"}}}, "some": {}}}`,
			[]string{"kunnskapsbyen", "lillestrom-kommune", "doga", "difi"}},
		{"partnerships none", kg.LabelActor, kg.Filter{}, `{"partnerships": {"none": {}}, "kind": {"in": ["CLUSTER", "ARENA", "RESEARCH", "COMPANY"]}}`,
			[]string{"dialogmakarna"}},
		{"memberOf role eq folded", kg.LabelActor, kg.Filter{}, `{"memberOf": {"some": {"role": {"eq": " PROJEKTLEDARE "}}}}`, []string{"ensam"}},
		{"members role contains", kg.LabelActor, kg.Filter{}, `{"members": {"some": {"role": {"contains": "ledamot"}}}}`, []string{"skl"}},
		{"members role none", kg.LabelActor, kg.Filter{}, `{"members": {"some": {}, "none": {"role": {"startsWith": "styrelse"}}}}`, []string{"dwa", "compare"}},
		{"partnerships description contains folded", kg.LabelActor, kg.Filter{}, `{"partnerships": {"some": {"description": {"contains": "LILLESTROM"}}}}`,
			[]string{"lillestrom-kommune", "kunnskapsbyen"}},
		{"partnerships description startsWith", kg.LabelActor, kg.Filter{}, `{"partnerships": {"some": {"description": {"startsWith": "design"}}}}`, []string{"doga", "difi"}},
		{"supplies description eq", kg.LabelActor, kg.Filter{}, `{"supplies": {"some": {"description": {"eq": "medborgardialoger"}}}}`, []string{"dialogmakarna"}},
		{"suppliers description in", kg.LabelActor, kg.Filter{}, `{"suppliers": {"some": {"description": {"in": ["x", "Medborgardialoger"]}}}}`, []string{"karlstads-kommun"}},
		{"partOf whole", kg.LabelActor, kg.Filter{}, `{"partOf": {"some": {"whole": {"kind": {"eq": "RESEARCH"}}}}}`, []string{"dwa"}},
		{"partOf from", kg.LabelActor, kg.Filter{}, `{"partOf": {"some": {"from": {"eq": "2015-01-01"}}}}`, []string{"dwa"}},
		{"parts", kg.LabelActor, kg.Filter{}, `{"parts": {"some": {}}}`, []string{"karlstads-universitet", "compare"}},
		{"parts' part", kg.LabelActor, kg.Filter{}, `{"parts": {"some": {"part": {"id": {"eq": "dialogmakarna"}}}}}`, []string{"compare"}},
		{"parts to", kg.LabelActor, kg.Filter{}, `{"parts": {"some": {"to": {"lte": "2017-12-31"}}}}`, []string{"compare"}},
		{"project partOf a programme", kg.LabelProject, kg.Filter{}, `{"partOf": {"some": {"whole": {"type": {"eq": "PROGRAMME"}}}}}`, []string{"or2017", "or2018"}},
		{"project partOf to", kg.LabelProject, kg.Filter{}, `{"partOf": {"some": {"to": {"lte": "2016-12-31"}}}}`, []string{"sol"}},
		{"project parts", kg.LabelProject, kg.Filter{}, `{"parts": {"some": {"part": {"type": {"eq": "EVENT"}}, "from": {"gte": "2017-01-01"}}}}`, []string{"innovationsforum"}},
		{"project parts none", kg.LabelProject, kg.Filter{}, `{"parts": {"none": {}}}`, []string{"ndhc", "sol", "or2017", "or2018", "avbrutet"}},
		{"supplies client", kg.LabelActor, kg.Filter{}, `{"supplies": {"some": {"client": {"kind": {"eq": "MUNICIPALITY"}}}}}`, []string{"dialogmakarna"}},
		{"supplies to", kg.LabelActor, kg.Filter{}, `{"supplies": {"some": {"to": {"lte": "2020-12-31"}}}}`, []string{"dialogmakarna"}},
		{"suppliers supplier", kg.LabelActor, kg.Filter{}, `{"suppliers": {"some": {"supplier": {"id": {"eq": "dialogmakarna"}}}}}`, []string{"karlstads-kommun", "goteborgs-stad"}},
		{"suppliers' client is the listed actor", kg.LabelActor, kg.Filter{}, `{"suppliers": {"some": {"client": {"region": {"eq": "varmland"}}}}}`, []string{"karlstads-kommun", "region-varmland"}},
		{"suppliers from", kg.LabelActor, kg.Filter{}, `{"suppliers": {"some": {"from": {"gte": "2020-01-01"}}}}`, []string{"region-varmland"}},
		{"suppliers all", kg.LabelActor, kg.Filter{}, `{"suppliers": {"all": {"from": {"gte": "2019-01-01"}}, "some": {}}}`, []string{"karlstads-kommun", "region-varmland"}},
		{"actor ties in an OR", kg.LabelActor, kg.Filter{}, `{"OR": [{"supplies": {"some": {}}}, {"partOf": {"some": {}}}, {"members": {"some": {"member": {"kind": {"eq": "PERSON"}}}}}]}`,
			[]string{"dialogmakarna", "compare", "dwa"}},
		// An eq or in on the label's indexed field (kind, status, category),
		// which a store may seed its candidates with.
		{"kind in intersected", kg.LabelActor, kg.Filter{}, `{"kind": {"in": ["CLUSTER", "ARENA"]}, "AND": [{"kind": {"in": ["ARENA", "NETWORK"]}}]}`, []string{"dwa"}},
		{"kind in empty", kg.LabelActor, kg.Filter{}, `{"kind": {"in": []}, "country": {"eq": "SE"}}`, nil},
		{"kind eq in an OR is not a seed", kg.LabelActor, kg.Filter{}, `{"OR": [{"kind": {"eq": "ARENA"}}, {"id": {"eq": "skl"}}]}`, []string{"dwa", "skl"}},
		{"filter kinds and where kind", kg.LabelActor, kg.Filter{Kinds: []kg.ActorKind{kg.KindCluster, kg.KindMunicipality}}, `{"kind": {"eq": "CLUSTER"}}`, []string{"compare", "kunnskapsbyen"}},
		{"project status in with a relationship filter", kg.LabelProject, kg.Filter{}, `{"status": {"in": ["COMPLETED", "CANCELLED"]}, "participants": {"some": {}}}`,
			[]string{"ndhc", "or2017", "or2018"}},
		{"need status in with NOT", kg.LabelNeed, kg.Filter{}, `{"status": {"in": ["OPEN", "MET"]}, "NOT": {"priority": {"eq": 5}}}`, []string{"n-data", "n-hem"}},
		{"category eq with a relationship filter", kg.LabelCompetency, kg.Filter{}, `{"category": {"in": ["DESIGN", "DATA_AI"]}, "holders": {"none": {"level": {"lt": 3}}}}`, []string{"c-ai"}},
		{"id seed with a relationship filter", kg.LabelActor, kg.Filter{}, `{"id": {"in": ["compare", "doga", "difi"]}, "competencies": {"some": {"level": {"eq": 3}}}}`, []string{"compare"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := whereArg(t, tc.label, tc.where)
			// The table agrees with the reference semantics.
			var ref []string
			for _, n := range fixture {
				if n.NodeLabel() == tc.label && tc.filter.Match(stored[n.Base().ID]) && w.Match(stored[n.Base().ID], tiesOf(n.Base().ID)) {
					ref = append(ref, n.Base().ID)
				}
			}
			if !sameSet(ref, tc.want) {
				t.Fatalf("test table disagrees with kg.Where.Match: want %v, Match gives %v", tc.want, ref)
			}
			for _, o := range []kg.Order{{Field: kg.OrderByName}, {Field: kg.OrderByID, Desc: true}, {Field: kg.OrderByCreatedAt}} {
				want := slices.Clone(tc.want)
				sort.Slice(want, func(i, j int) bool { return kg.Less(stored[want[i]], stored[want[j]], o) })
				var seen []string
				var after *kg.Cursor
				for range 20 {
					p, err := s.List(t.Context(), kg.ListQuery{Label: tc.label, Filter: tc.filter, Where: w, Order: o, First: 2, After: after})
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
		})
	}

	// A refused where changes nothing and names the argument path.
	refused := []struct {
		name  string
		label kg.Label
		where string
		field string
	}{
		{"unknown field", kg.LabelActor, `{"colour": {"eq": "red"}}`, "where.colour"},
		{"field of another label", kg.LabelActor, `{"priority": {"eq": 3}}`, "where.priority"},
		{"operator of another kind", kg.LabelNeed, `{"priority": {"contains": "3"}}`, "where.priority.contains"},
		{"range on text", kg.LabelActor, `{"name": {"gt": "a"}}`, "where.name.gt"},
		{"unknown enum value", kg.LabelActor, `{"OR": [{"kind": {"eq": "TOWN"}}]}`, "where.OR[0].kind.eq"},
		{"bad date", kg.LabelProject, `{"startDate": {"gte": "2017-13-01"}}`, "where.startDate.gte"},
		{"bad time", kg.LabelActor, `{"createdAt": {"gte": "yesterday"}}`, "where.createdAt.gte"},
		{"not an integer", kg.LabelNeed, `{"priority": {"in": [1, 2.5]}}`, "where.priority.in[1]"},
		{"unknown quantifier", kg.LabelActor, `{"competencies": {"any": {}}}`, "where.competencies.any"},
		{"unknown tie field", kg.LabelActor, `{"competencies": {"some": {"importance": {"eq": 3}}}}`, "where.competencies.some.importance"},
		{"a partnership has no role", kg.LabelActor, `{"partnerships": {"some": {"role": {"eq": "x"}}}}`, "where.partnerships.some.role"},
		{"a membership has no description", kg.LabelActor, `{"members": {"all": {"description": {"contains": "x"}}}}`, "where.members.all.description"},
		{"a range on a role", kg.LabelActor, `{"memberOf": {"some": {"role": {"gt": "a"}}}}`, "where.memberOf.some.role.gt"},
		{"an actor's partOf has no project end", kg.LabelActor, `{"partOf": {"some": {"whole": {"type": {"eq": "EVENT"}}}}}`, "where.partOf.some.whole.type"},
		{"a project's parts have no actor end", kg.LabelProject, `{"parts": {"some": {"part": {"kind": {"eq": "PERSON"}}}}}`, "where.parts.some.part.kind"},
		{"a supply has no member", kg.LabelActor, `{"suppliers": {"some": {"member": {"id": {"eq": "x"}}}}}`, "where.suppliers.some.member"},
		{"projects have no members", kg.LabelProject, `{"members": {"some": {}}}`, "where.members"},
		{"bad date on a partnership", kg.LabelActor, `{"partnerships": {"some": {"since": {"gte": "2017"}}}}`, "where.partnerships.some.since.gte"},
		{"nested actor tie filter", kg.LabelActor, `{"memberOf": {"some": {"organisation": {"members": {"some": {}}}}}}`, "where.memberOf.some.organisation.members"},
		{"nested relationship filter", kg.LabelActor, `{"projects": {"some": {"project": {"participants": {"some": {}}}}}}`, "where.projects.some.project.participants"},
		{"no comparison", kg.LabelActor, `{"name": {}}`, "where.name"},
		{"too deep", kg.LabelActor, `{"NOT": {"NOT": {"NOT": {"NOT": {"NOT": {"NOT": {"id": {"eq": "x"}}}}}}}}`, "where.NOT.NOT.NOT.NOT.NOT.NOT"},
		{"too long an in", kg.LabelActor, `{"id": {"in": [` + strings.Repeat(`"x",`, kg.MaxWhereIn) + `"y"]}}`, "where.id.in"},
		{"too many comparisons", kg.LabelActor, `{"OR": [` + strings.Repeat(`{"id": {"eq": "x"}},`, kg.MaxWhereSize) + `{"id": {"eq": "y"}}]}`, "where.OR[50].id.eq"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			d := json.NewDecoder(strings.NewReader(tc.where))
			d.UseNumber()
			var m map[string]any
			if err := d.Decode(&m); err != nil {
				t.Fatal(err)
			}
			_, err := kg.ParseWhere(tc.label, "where", m)
			checkErr(t, err, kg.ErrInvalid, tc.field)
		})
	}
}

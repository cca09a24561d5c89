package neo4j

import (
	"fmt"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/samverkan/samverkan/internal/kg"
)

// How kg values are stored:
//   - dates as "YYYY-MM-DD" strings, exactly as kg.Date;
//   - timestamps as fixed-width UTC strings with nanoseconds
//     ("2006-01-02T15:04:05.000000000Z"), which round-trip exactly and sort
//     as strings in time order (they equal kg.SortKey's time keys);
//   - every property is always present (empty strings, empty lists), so
//     filters compare like kg.Filter.Match does;
//   - helpers prefixed "_" are computed here and never read back.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func timeString(t time.Time) string { return t.UTC().Format(timeLayout) }

// orderKey maps s to a string whose order under Neo4j's string comparison
// equals Go's byte order of s. They differ only for characters from U+E000
// up (Java compares UTF-16 units, where surrogates sort below U+E000), so
// each such character becomes two private-use characters encoding its code
// point: both sort above every character below U+D800 and among themselves
// by code point. Text without such characters is unchanged.
func orderKey(s string) string {
	i := strings.IndexFunc(s, func(r rune) bool { return r >= 0xE000 })
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		if r < 0xE000 {
			b.WriteRune(r)
			continue
		}
		b.WriteRune(0xE000 + r>>10)
		b.WriteRune(0xE000 + r&0x3FF)
	}
	return b.String()
}

func strs(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// searchText is what the full-text index holds for n: kg.Words of the name,
// the aliases and the description, joined by spaces.
func searchText(n kg.Node) string {
	words := kg.Words(n.Base().Name)
	for _, a := range kg.Aliases(n) {
		words = append(words, kg.Words(a)...)
	}
	words = append(words, kg.PlaceWords(n)...)
	words = append(words, kg.Words(n.Base().Description)...)
	return strings.Join(words, " ")
}

// helperProps returns the "_" helpers stored for n: values the statements
// filter, order and rank by, computed here so that they equal kg's.
//   - _sortName: the NAME sort key as orderKey stores it;
//   - _foldNames: the folded name and aliases (nameContains), and
//     _foldNameText the same joined by newlines, for the text index that
//     finds candidates for it;
//   - _text: what the full-text index holds (searchText);
//   - _nameWords: kg.Words of the name and of each alias, each joined by
//     single spaces, _placeWords kg.PlaceWords (region and city) and
//     _descWords kg.Words of the description: what search_ranked.cypher
//     scores like kg.Query.Score.
func helperProps(n kg.Node) map[string]any {
	m := n.Base()
	names := append([]string{m.Name}, kg.Aliases(n)...)
	foldNames := make([]string, len(names))
	nameWords := make([]string, len(names))
	for i, s := range names {
		foldNames[i] = kg.Fold(s)
		nameWords[i] = strings.Join(kg.Words(s), " ")
	}
	p := map[string]any{
		"_sortName":     orderKey(kg.SortKey(n, kg.OrderByName)),
		"_foldNames":    foldNames,
		"_foldNameText": strings.Join(foldNames, "\n"),
		"_text":         searchText(n),
		"_nameWords":    nameWords,
		"_descWords":    strs(kg.Words(m.Description)),
		"_placeWords":   strs(kg.PlaceWords(n)),
	}
	switch v := n.(type) {
	case *kg.Actor:
		p["_foldRegion"] = kg.Fold(v.Region)
		p["_foldCity"] = kg.Fold(v.City)
	case *kg.Project:
		p["_foldProgramme"] = kg.Fold(v.Programme)
		p["_foldRegion"] = kg.Fold(v.Region)
		p["_foldCity"] = kg.Fold(v.City)
	}
	return p
}

// nodeProps returns every property stored for n, helpers included.
func nodeProps(n kg.Node) map[string]any {
	m := n.Base()
	p := helperProps(n)
	p["id"] = m.ID
	p["name"] = m.Name
	p["description"] = m.Description
	p["sources"] = strs(m.Sources)
	p["createdAt"] = timeString(m.CreatedAt)
	p["updatedAt"] = timeString(m.UpdatedAt)
	switch v := n.(type) {
	case *kg.Actor:
		p["kind"] = string(v.Kind)
		p["sector"] = string(v.Sector)
		p["country"] = v.Country
		p["region"] = v.Region
		p["city"] = v.City
		p["website"] = v.Website
		p["aliases"] = strs(v.Aliases)
		p["externalIds"] = externalIDKeys(v.ExternalIDs)
	case *kg.Project:
		p["status"] = string(v.Status)
		p["startDate"] = string(v.StartDate)
		p["endDate"] = string(v.EndDate)
		p["url"] = v.URL
		p["programme"] = v.Programme
		p["type"] = string(v.Type)
		p["country"] = v.Country
		p["region"] = v.Region
		p["city"] = v.City
		p["aliases"] = strs(v.Aliases)
	case *kg.Need:
		p["status"] = string(v.Status)
		p["priority"] = int64(v.Priority)
	case *kg.Competency:
		p["category"] = string(v.Category)
		p["aliases"] = strs(v.Aliases)
	}
	return p
}

// relProps returns the properties stored on r: those of its type, plus
// sources and timestamps.
func relProps(r kg.Rel) map[string]any {
	p := map[string]any{
		"sources":   strs(r.Sources),
		"createdAt": timeString(r.CreatedAt),
		"updatedAt": timeString(r.UpdatedAt),
	}
	set := func(k, v string) {
		if v != "" {
			p[k] = v
		}
	}
	set("basis", string(r.Basis))
	set("quote", r.Quote)
	if r.Type.Dated() {
		set("from", string(r.Start))
		set("to", string(r.End))
	}
	switch r.Type {
	case kg.RelParticipatesIn:
		set("role", r.Role)
		if r.Amount != 0 {
			p["amount"] = r.Amount
			set("currency", r.Currency)
		}
	case kg.RelHasCompetency:
		p["level"] = int64(r.Level)
		set("evidence", r.Evidence)
	case kg.RelRequires:
		p["importance"] = int64(r.Importance)
	case kg.RelMemberOf:
		set("role", r.Role)
	case kg.RelPartnersWith:
		// since is from's old name; written too, for readers of the first
		// version's properties (relFrom reads from first).
		set("since", string(r.Begin()))
		set("description", r.Description)
	case kg.RelSupplies:
		set("description", r.Description)
	}
	// The folded role and descriptions a where compares (kg.TieFolds);
	// statements return a relationship's properties by name, never these.
	for k, v := range kg.TieFolds(&r) {
		p[k] = v
	}
	return p
}

// labelOf returns the kg label among a node's Neo4j labels ("" if none).
func labelOf(labels []string) kg.Label {
	for _, l := range kg.Labels {
		for _, have := range labels {
			if have == string(l) {
				return l
			}
		}
	}
	return ""
}

// props reads typed values out of a property map, remembering the first
// value of an unexpected type. Missing and null values read as zero.
type props struct {
	m   map[string]any
	err error
}

func (p *props) fail(key string, v any, want string) {
	if p.err == nil {
		p.err = fmt.Errorf("property %s holds %T, want %s", key, v, want)
	}
}

func (p *props) str(key string) string {
	switch v := p.m[key].(type) {
	case nil:
		return ""
	case string:
		return v
	default:
		p.fail(key, v, "string")
		return ""
	}
}

func (p *props) list(key string) []string {
	switch v := p.m[key].(type) {
	case nil:
		return nil
	case []string:
		if len(v) == 0 {
			return nil
		}
		return append([]string(nil), v...)
	case []any:
		if len(v) == 0 {
			return nil
		}
		out := make([]string, 0, len(v))
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				p.fail(key, e, "list of strings")
				return nil
			}
			out = append(out, s)
		}
		return out
	default:
		p.fail(key, v, "list of strings")
		return nil
	}
}

func (p *props) integer(key string) int {
	switch v := p.m[key].(type) {
	case nil:
		return 0
	case int64:
		return int(v)
	case int:
		return v
	default:
		p.fail(key, v, "integer")
		return 0
	}
}

func (p *props) number(key string) float64 {
	switch v := p.m[key].(type) {
	case nil:
		return 0
	case float64:
		return v
	case int64:
		return float64(v)
	default:
		p.fail(key, v, "number")
		return 0
	}
}

// date accepts the stored string and, for data written by other tools, a
// Neo4j DATE.
func (p *props) date(key string) kg.Date {
	switch v := p.m[key].(type) {
	case nil:
		return ""
	case string:
		return kg.Date(v)
	case dbtype.Date:
		return kg.Date(v.Time().Format(kg.DateLayout))
	case time.Time:
		return kg.Date(v.Format(kg.DateLayout))
	default:
		p.fail(key, v, "date")
		return ""
	}
}

// time accepts the stored string and, for data written by other tools, a
// Neo4j DATETIME.
func (p *props) time(key string) time.Time {
	switch v := p.m[key].(type) {
	case nil:
		return time.Time{}
	case string:
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			p.fail(key, v, "timestamp")
		}
		return t.UTC()
	case time.Time:
		return v.UTC()
	case dbtype.LocalDateTime:
		return time.Time(v).UTC()
	default:
		p.fail(key, v, "timestamp")
		return time.Time{}
	}
}

// nodeFrom maps the domain properties of a stored node of label l (a map
// projection such as nodes_by_id.cypher returns) to its kg type. Keys that
// label does not have may be present as null.
func nodeFrom(l kg.Label, m0 map[string]any) (kg.Node, error) {
	out := kg.NewNode(l)
	if out == nil {
		return nil, fmt.Errorf("node with label %q has no kg label", l)
	}
	p := &props{m: m0}
	m := out.Base()
	m.ID = p.str("id")
	m.Name = p.str("name")
	m.Description = p.str("description")
	m.Sources = p.list("sources")
	m.CreatedAt = p.time("createdAt")
	m.UpdatedAt = p.time("updatedAt")
	switch v := out.(type) {
	case *kg.Actor:
		v.Kind = kg.ActorKind(p.str("kind"))
		v.Sector = kg.Sector(p.str("sector"))
		v.Country = p.str("country")
		v.Region = p.str("region")
		v.City = p.str("city")
		v.Website = p.str("website")
		v.Aliases = p.list("aliases")
		v.ExternalIDs = externalIDsFrom(p.list("externalIds"))
	case *kg.Project:
		v.Status = kg.ProjectStatus(p.str("status"))
		v.StartDate = p.date("startDate")
		v.EndDate = p.date("endDate")
		v.URL = p.str("url")
		v.Programme = p.str("programme")
		v.Type = kg.ProjectType(p.str("type"))
		v.Country = p.str("country")
		v.Region = p.str("region")
		v.City = p.str("city")
		v.Aliases = p.list("aliases")
	case *kg.Need:
		v.Status = kg.NeedStatus(p.str("status"))
		v.Priority = p.integer("priority")
	case *kg.Competency:
		v.Category = kg.CompetencyCategory(p.str("category"))
		v.Aliases = p.list("aliases")
	}
	if p.err != nil {
		return nil, fmt.Errorf("node %q: %w", m.ID, p.err)
	}
	if m.ID == "" {
		return nil, fmt.Errorf("%s node has no id", l)
	}
	return out, nil
}

// relFrom maps a stored relationship with the ids of its start and end
// nodes to a kg.Rel.
func relFrom(r dbtype.Relationship, from, to string) (kg.Rel, error) {
	t := kg.RelType(r.Type)
	if !t.Valid() {
		return kg.Rel{}, fmt.Errorf("relationship type %q is not a kg type", r.Type)
	}
	p := &props{m: r.Props}
	out := kg.Rel{
		Type:      t,
		From:      from,
		To:        to,
		Sources:   p.list("sources"),
		CreatedAt: p.time("createdAt"),
		UpdatedAt: p.time("updatedAt"),
		Basis:     kg.Basis(p.str("basis")),
		Quote:     p.str("quote"),
	}
	if t.Dated() {
		out.Start = p.date("from")
		out.End = p.date("to")
	}
	switch t {
	case kg.RelParticipatesIn:
		out.Role = p.str("role")
		out.Amount = p.number("amount")
		out.Currency = p.str("currency")
	case kg.RelHasCompetency:
		out.Level = p.integer("level")
		out.Evidence = p.str("evidence")
	case kg.RelRequires:
		out.Importance = p.integer("importance")
	case kg.RelMemberOf:
		out.Role = p.str("role")
	case kg.RelPartnersWith:
		if out.Start == "" {
			out.Since = p.date("since") // written by the first version
		}
		out.Description = p.str("description")
	case kg.RelSupplies:
		out.Description = p.str("description")
	}
	if p.err != nil {
		return kg.Rel{}, fmt.Errorf("%s %s→%s: %w", t, from, to, p.err)
	}
	return out, nil
}

// record reads columns of a result record with their expected types.
type record struct {
	keys   []string
	values []any
}

func (r record) get(key string) (any, error) {
	for i, k := range r.keys {
		if k == key && i < len(r.values) {
			return r.values[i], nil
		}
	}
	return nil, fmt.Errorf("record has no column %s", key)
}

// node reads a node of any label: its domain properties as a map in
// column "node" and its labels in column "labels". Statements never return
// whole nodes (dbtype.Node), which would carry the "_" helpers too.
func (r record) node() (kg.Node, error) {
	labels, err := r.strings("labels")
	if err != nil {
		return nil, err
	}
	l := labelOf(labels)
	if l == "" {
		return nil, fmt.Errorf("node with labels %v has no kg label", labels)
	}
	return r.nodeOf(l)
}

// nodeOf reads a node of label l from column "node", for the statements
// that match one label.
func (r record) nodeOf(l kg.Label) (kg.Node, error) {
	v, err := r.get("node")
	if err != nil {
		return nil, err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("column node holds %T, want a map of properties", v)
	}
	return nodeFrom(l, m)
}

func (r record) str(key string) (string, error) {
	v, err := r.get(key)
	if err != nil {
		return "", err
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("column %s holds %T, want a string", key, v)
	}
	return s, nil
}

func (r record) integer(key string) (int64, error) {
	v, err := r.get(key)
	if err != nil {
		return 0, err
	}
	i, ok := v.(int64)
	if !ok {
		return 0, fmt.Errorf("column %s holds %T, want an integer", key, v)
	}
	return i, nil
}

func (r record) strings(key string) ([]string, error) {
	v, err := r.get(key)
	if err != nil {
		return nil, err
	}
	p := &props{m: map[string]any{key: v}}
	out := p.list(key)
	return out, p.err
}

// rel reads the relationship column "r" with the endpoint ids in "from" and
// "to": a relationship, or its properties by name (relColumns) with its
// type in "type".
func (r record) rel() (kg.Rel, error) {
	v, err := r.get("r")
	if err != nil {
		return kg.Rel{}, err
	}
	var rel dbtype.Relationship
	switch v := v.(type) {
	case dbtype.Relationship:
		rel = v
	case map[string]any: // r {.sources, …} beside type(r) AS type
		t, err := r.str("type")
		if err != nil {
			return kg.Rel{}, err
		}
		rel = dbtype.Relationship{Type: t, Props: v}
	default:
		return kg.Rel{}, fmt.Errorf("column r holds %T, want a relationship", v)
	}
	from, err := r.str("from")
	if err != nil {
		return kg.Rel{}, err
	}
	to, err := r.str("to")
	if err != nil {
		return kg.Rel{}, err
	}
	return relFrom(rel, from, to)
}

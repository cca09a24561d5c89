package kg

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"
)

// Where is the expression tree of a list's where argument (DESIGN.md §4):
// comparisons of a node's fields, AND/OR/NOT, and relationship filters
// (some/none/all of the node's ties of a type, each tie tested by a
// sub-expression over the tie's properties and its two endpoints).
//
// ParseWhere builds and checks it from the argument as the API received
// it; Match is the reference semantics, which the Neo4j store reproduces in
// one fixed Cypher statement that interprets the flattened tree.
type Where struct {
	Op   WhereOp
	Kids []*Where // WhereAnd, WhereOr: any number; WhereNot: one

	// WhereCmp: the field Field of On compared by Cmp with Str/Strs (text,
	// ids, enums, dates, times; text folded and trimmed as Fold does,
	// countries upper case) or Int/Ints.
	On    WhereEnd
	Field string
	Cmp   WhereCmp
	Str   string
	Strs  []string
	Int   int
	Ints  []int

	// WhereRel: the node's ties of Type in direction Dir, quantified by
	// Quant, each tested by Sub (nil: every tie passes).
	Rel   string // the argument's name, e.g. "competencies"
	Type  RelType
	Dir   Direction
	Quant WhereQuant
	Sub   *Where
	Ends  [2]Label // the labels of the tie's From and To endpoints

	Path string // the argument path, for errors: where.OR[1].name.contains
}

// WhereOp is the kind of a Where node.
type WhereOp uint8

const (
	WhereAnd WhereOp = iota
	WhereOr
	WhereNot
	WhereCmp_ // a comparison (the name WhereCmp is the comparison type)
	WhereRel
)

// WhereCmp is a comparison operator.
type WhereCmp string

const (
	CmpEq         WhereCmp = "eq"
	CmpIn         WhereCmp = "in"
	CmpContains   WhereCmp = "contains"
	CmpStartsWith WhereCmp = "startsWith"
	CmpGt         WhereCmp = "gt"
	CmpGte        WhereCmp = "gte"
	CmpLt         WhereCmp = "lt"
	CmpLte        WhereCmp = "lte"
)

// WhereQuant is a relationship filter's quantifier.
type WhereQuant string

const (
	QuantSome WhereQuant = "some"
	QuantNone WhereQuant = "none"
	QuantAll  WhereQuant = "all"
)

// WhereEnd is what a comparison reads: the listed node, or inside a
// relationship filter the tie or one of its endpoints.
type WhereEnd string

const (
	EndNode WhereEnd = "n"    // the listed node
	EndTie  WhereEnd = "r"    // the tie's properties
	EndFrom WhereEnd = "from" // the tie's From endpoint
	EndTo   WhereEnd = "to"   // the tie's To endpoint
)

// Limits of a where argument; beyond them it is refused as BAD_USER_INPUT.
const (
	MaxWhereDepth = 6   // nested AND/OR/NOT/relationship filters
	MaxWhereSize  = 50  // comparisons and relationship filters in all
	MaxWhereIn    = 100 // values of one in list
	MaxWhereText  = 200 // characters of one text value
)

// fieldKind is how a field compares.
type fieldKind uint8

const (
	fkID    fieldKind = iota // exact; eq, in, startsWith
	fkText                   // folded; eq, in, contains, startsWith
	fkCode                   // upper case; eq, in
	fkEnum                   // exact; eq, in
	fkInt                    // eq, in, gt, gte, lt, lte
	fkDate                   // YYYY-MM-DD; eq, in, gt, gte, lt, lte
	fkTime                   // RFC 3339, compared at nanoseconds; eq, gt, gte, lt, lte
	fkNames                  // folded name or any alias; contains (the filter's nameContains)
)

func (k fieldKind) ops() []WhereCmp {
	switch k {
	case fkID:
		return []WhereCmp{CmpEq, CmpIn, CmpStartsWith}
	case fkText:
		return []WhereCmp{CmpEq, CmpIn, CmpContains, CmpStartsWith}
	case fkCode, fkEnum:
		return []WhereCmp{CmpEq, CmpIn}
	case fkInt, fkDate:
		return []WhereCmp{CmpEq, CmpIn, CmpGt, CmpGte, CmpLt, CmpLte}
	case fkTime:
		return []WhereCmp{CmpEq, CmpGt, CmpGte, CmpLt, CmpLte}
	case fkNames:
		return []WhereCmp{CmpContains}
	}
	return nil
}

// whereField is one field a where may compare. Prop is the Neo4j property
// it reads (a fixed whitelist: the statement reads nothing else); get
// returns the value as kg compares it, "" or ok false when unknown.
type whereField struct {
	Name  string
	kind  fieldKind
	Prop  string
	valid func(string) bool // enums
	str   func(n Node) string
	num   func(n Node) (int, bool)
}

type tieField struct {
	Name  string
	kind  fieldKind
	Prop  string
	valid func(string) bool
	str   func(r *Rel) string
	num   func(r *Rel) (int, bool)
}

var commonFields = []whereField{
	{Name: "id", kind: fkID, Prop: "id", str: func(n Node) string { return n.Base().ID }},
	{Name: "name", kind: fkText, Prop: "_foldName", str: func(n Node) string { return n.Base().Name }},
	{Name: "createdAt", kind: fkTime, Prop: "createdAt", str: func(n Node) string { return timeKey(n.Base().CreatedAt) }},
	{Name: "updatedAt", kind: fkTime, Prop: "updatedAt", str: func(n Node) string { return timeKey(n.Base().UpdatedAt) }},
}

func validOf[T ~string](ok func(T) bool) func(string) bool {
	return func(s string) bool { return ok(T(s)) }
}

var labelFields = map[Label][]whereField{
	LabelActor: {
		{Name: "kind", kind: fkEnum, Prop: "kind", valid: validOf(ActorKind.Valid), str: func(n Node) string { return string(n.(*Actor).Kind) }},
		{Name: "sector", kind: fkEnum, Prop: "sector", valid: validOf(Sector.Valid), str: func(n Node) string { return string(n.(*Actor).Sector) }},
		{Name: "country", kind: fkCode, Prop: "country", str: func(n Node) string { return n.(*Actor).Country }},
		{Name: "region", kind: fkText, Prop: "_foldRegion", str: func(n Node) string { return n.(*Actor).Region }},
		{Name: "city", kind: fkText, Prop: "_foldCity", str: func(n Node) string { return n.(*Actor).City }},
	},
	LabelProject: {
		{Name: "status", kind: fkEnum, Prop: "status", valid: validOf(ProjectStatus.Valid), str: func(n Node) string { return string(n.(*Project).Status) }},
		{Name: "type", kind: fkEnum, Prop: "_type", valid: validOf(ProjectType.Valid), str: func(n Node) string { return string(n.(*Project).TypeOrDefault()) }},
		{Name: "startDate", kind: fkDate, Prop: "startDate", str: func(n Node) string { return string(n.(*Project).StartDate) }},
		{Name: "endDate", kind: fkDate, Prop: "endDate", str: func(n Node) string { return string(n.(*Project).EndDate) }},
		{Name: "programme", kind: fkText, Prop: "_foldProgramme", str: func(n Node) string { return n.(*Project).Programme }},
		{Name: "country", kind: fkCode, Prop: "country", str: func(n Node) string { return n.(*Project).Country }},
		{Name: "region", kind: fkText, Prop: "_foldRegion", str: func(n Node) string { return n.(*Project).Region }},
		{Name: "city", kind: fkText, Prop: "_foldCity", str: func(n Node) string { return n.(*Project).City }},
	},
	LabelNeed: {
		{Name: "status", kind: fkEnum, Prop: "status", valid: validOf(NeedStatus.Valid), str: func(n Node) string { return string(n.(*Need).Status) }},
		{Name: "priority", kind: fkInt, Prop: "priority", num: func(n Node) (int, bool) { return n.(*Need).Priority, true }},
	},
	LabelCompetency: {
		{Name: "category", kind: fkEnum, Prop: "category", valid: validOf(CompetencyCategory.Valid), str: func(n Node) string { return string(n.(*Competency).Category) }},
	},
}

// namesField is the filter's nameContains as a where field; it has no
// name in the API's where (name compares the name alone).
var namesField = whereField{Name: "nameOrAlias", kind: fkNames, Prop: "_foldNames"}

func fieldOf(l Label, name string) (whereField, bool) {
	for _, f := range slices.Concat(commonFields, labelFields[l]) {
		if f.Name == name {
			return f, true
		}
	}
	return whereField{}, false
}

// WhereFields lists the fields a where of label l compares, in the order
// the schema has them.
func WhereFields(l Label) []string {
	var out []string
	for _, f := range slices.Concat(commonFields, labelFields[l]) {
		out = append(out, f.Name)
	}
	return out
}

var tieFields = map[RelType][]tieField{
	RelParticipatesIn: {
		{Name: "role", kind: fkEnum, Prop: "role", valid: validOf(ParticipationRole.Valid), str: func(r *Rel) string { return r.Role }},
		{Name: "from", kind: fkDate, Prop: "from", str: func(r *Rel) string { return string(r.Start) }},
		{Name: "to", kind: fkDate, Prop: "to", str: func(r *Rel) string { return string(r.End) }},
	},
	RelHasCompetency: {
		{Name: "level", kind: fkInt, Prop: "level", num: func(r *Rel) (int, bool) { return r.Level, r.Level != 0 }},
	},
	RelRequires: {
		{Name: "importance", kind: fkInt, Prop: "importance", num: func(r *Rel) (int, bool) { return r.Importance, r.Importance != 0 }},
	},
	// A membership's role and a partnership's or supply's description are
	// free text, compared folded (TieFolds).
	RelMemberOf: {
		{Name: "role", kind: fkText, Prop: "_foldRole", str: func(r *Rel) string { return r.Role }},
		{Name: "from", kind: fkDate, Prop: "from", str: func(r *Rel) string { return string(r.Start) }},
		{Name: "to", kind: fkDate, Prop: "to", str: func(r *Rel) string { return string(r.End) }},
	},
	// A partnership's from is its Begin: a partnership stored by the first
	// version has only since, which Neo4j keeps equal to Begin on every write.
	RelPartnersWith: {
		{Name: "from", kind: fkDate, Prop: "since", str: func(r *Rel) string { return string(r.Begin()) }},
		{Name: "since", kind: fkDate, Prop: "since", str: func(r *Rel) string { return string(r.Begin()) }},
		{Name: "to", kind: fkDate, Prop: "to", str: func(r *Rel) string { return string(r.End) }},
		{Name: "description", kind: fkText, Prop: "_foldDescription", str: func(r *Rel) string { return r.Description }},
	},
	RelPartOf: {
		{Name: "from", kind: fkDate, Prop: "from", str: func(r *Rel) string { return string(r.Start) }},
		{Name: "to", kind: fkDate, Prop: "to", str: func(r *Rel) string { return string(r.End) }},
	},
	RelSupplies: {
		{Name: "from", kind: fkDate, Prop: "from", str: func(r *Rel) string { return string(r.Start) }},
		{Name: "to", kind: fkDate, Prop: "to", str: func(r *Rel) string { return string(r.End) }},
		{Name: "description", kind: fkText, Prop: "_foldDescription", str: func(r *Rel) string { return r.Description }},
	},
}

// TieFolds are the folded copies of r's free-text properties that a where
// compares, keyed by the property a store that compares in its own query
// language keeps them in (_foldRole, _foldDescription); empty ones left
// out.
func TieFolds(r *Rel) map[string]string {
	out := map[string]string{}
	for _, f := range tieFields[r.Type] {
		if f.kind == fkText {
			if v := f.str(r); v != "" {
				out[f.Prop] = Fold(v)
			}
		}
	}
	return out
}

// endNames are the names of a tie type's endpoints inside its filter.
var endNames = map[RelType][2]string{
	RelParticipatesIn: {"actor", "project"},
	RelHasCompetency:  {"actor", "competency"},
	RelHasNeed:        {"actor", "need"},
	RelRequires:       {"need", "competency"},
	RelAddresses:      {"project", "need"},
	RelMemberOf:       {"member", "organisation"},
	RelPartnersWith:   {"actor", "partner"}, // actor is the listed node, partner the other
	RelPartOf:         {"part", "whole"},
	RelSupplies:       {"supplier", "client"},
}

// WhereRelation is a relationship filter of a label: the argument Name
// reads the listed node's ties of Type in direction Dir (Both for a
// symmetric type: every tie, seen from the listed node, which is its
// first endpoint).
type WhereRelation struct {
	Name string
	Type RelType
	Dir  Direction
}

// whereEnds are the labels of a tie's endpoints in a relationship filter
// of label l: PART_OF joins actors or projects, as the listed node.
func whereEnds(t RelType, l Label) [2]Label {
	if t == RelPartOf {
		return [2]Label{l, l}
	}
	from, to := t.Endpoints()
	return [2]Label{from, to}
}

// WhereRelations lists, per label, its relationship filters; each is named
// after the node's own nested field.
var WhereRelations = map[Label][]WhereRelation{
	LabelActor: {
		{"projects", RelParticipatesIn, Outgoing},
		{"competencies", RelHasCompetency, Outgoing},
		{"needs", RelHasNeed, Outgoing},
		{"memberOf", RelMemberOf, Outgoing},
		{"members", RelMemberOf, Incoming},
		{"partnerships", RelPartnersWith, Both},
		{"partOf", RelPartOf, Outgoing},
		{"parts", RelPartOf, Incoming},
		{"supplies", RelSupplies, Outgoing},
		{"suppliers", RelSupplies, Incoming},
	},
	LabelProject: {
		{"participants", RelParticipatesIn, Incoming},
		{"addresses", RelAddresses, Outgoing},
		{"partOf", RelPartOf, Outgoing},
		{"parts", RelPartOf, Incoming},
	},
	LabelNeed: {
		{"owners", RelHasNeed, Incoming},
		{"requires", RelRequires, Outgoing},
		{"addressedBy", RelAddresses, Incoming},
	},
	LabelCompetency: {
		{"holders", RelHasCompetency, Incoming},
		{"requiredBy", RelRequires, Incoming},
	},
}

func relationOf(l Label, name string) (WhereRelation, bool) {
	for _, r := range WhereRelations[l] {
		if r.Name == name {
			return r, true
		}
	}
	return WhereRelation{}, false
}

// ParseWhere builds the where of a list of label l from the argument as
// the API received it (input objects as maps; names as the schema has
// them), and checks it: unknown fields and operators, values of the wrong
// type, enum values that do not exist and the limits are refused with an
// error naming the argument path under arg. nil or an empty map is nil.
func ParseWhere(l Label, arg string, v map[string]any) (*Where, error) {
	if v == nil {
		return nil, nil
	}
	p := &whereParser{}
	w, err := p.node(l, arg, v, 1)
	if err != nil {
		return nil, err
	}
	return w, nil
}

type whereParser struct{ size int }

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (p *whereParser) depth(path string, d int) error {
	if d > MaxWhereDepth {
		return Invalid(path, "nests deeper than %d levels of AND, OR, NOT and relationship filters", MaxWhereDepth)
	}
	return nil
}

func (p *whereParser) count(path string) error {
	p.size++
	if p.size > MaxWhereSize {
		return Invalid(path, "makes the where argument more than %d comparisons and relationship filters", MaxWhereSize)
	}
	return nil
}

// boolOps parses AND, OR and NOT of an input object whose other keys
// parse by field; the result is the AND of everything.
func (p *whereParser) object(path string, v map[string]any, d int, field func(key, path string, val any, d int) ([]*Where, bool, error), self func(path string, v map[string]any, d int) (*Where, error)) (*Where, error) {
	if err := p.depth(path, d); err != nil {
		return nil, err
	}
	and := &Where{Op: WhereAnd, Path: path}
	for _, k := range sortedKeys(v) {
		val, kp := deref(v[k]), path+"."+k
		if val == nil {
			continue
		}
		switch k {
		case "AND", "OR":
			list, ok := asList(val)
			if !ok {
				return nil, Invalid(kp, "is not a list of conditions")
			}
			op := WhereAnd
			if k == "OR" {
				op = WhereOr
			}
			group := &Where{Op: op, Path: kp}
			for i, item := range list {
				ip := fmt.Sprintf("%s[%d]", kp, i)
				m, ok := asMap(item)
				if !ok {
					return nil, Invalid(ip, "is not a condition")
				}
				kid, err := self(ip, m, d+1)
				if err != nil {
					return nil, err
				}
				group.Kids = append(group.Kids, kid)
			}
			and.Kids = append(and.Kids, group)
		case "NOT":
			m, ok := asMap(val)
			if !ok {
				return nil, Invalid(kp, "is not a condition")
			}
			kid, err := self(kp, m, d+1)
			if err != nil {
				return nil, err
			}
			and.Kids = append(and.Kids, &Where{Op: WhereNot, Kids: []*Where{kid}, Path: kp})
		default:
			ws, known, err := field(k, kp, val, d)
			if err != nil {
				return nil, err
			}
			if !known {
				return nil, Invalid(kp, "is not a field that can be filtered here")
			}
			and.Kids = append(and.Kids, ws...)
		}
	}
	return and, nil
}

// node parses a where over the listed node (on EndNode) or, with
// relations false, over an endpoint of a tie (on end).
func (p *whereParser) node(l Label, path string, v map[string]any, d int) (*Where, error) {
	return p.nodeOn(l, EndNode, true, path, v, d)
}

func (p *whereParser) nodeOn(l Label, on WhereEnd, relations bool, path string, v map[string]any, d int) (*Where, error) {
	self := func(path string, v map[string]any, d int) (*Where, error) {
		return p.nodeOn(l, on, relations, path, v, d)
	}
	return p.object(path, v, d, func(key, kp string, val any, d int) ([]*Where, bool, error) {
		if f, ok := fieldOf(l, key); ok {
			ws, err := p.cmps(on, f.Name, f.kind, f.valid, kp, val)
			return ws, true, err
		}
		rel, ok := relationOf(l, key)
		if !ok {
			return nil, false, nil
		}
		if !relations {
			return nil, false, Invalid(kp, "is a relationship filter inside a relationship filter; relationship filters do not nest")
		}
		ws, err := p.relation(l, rel, kp, val, d)
		return ws, true, err
	}, self)
}

func (p *whereParser) relation(l Label, rel WhereRelation, path string, val any, d int) ([]*Where, error) {
	m, ok := asMap(val)
	if !ok {
		return nil, Invalid(path, "is not a relationship filter (some, none, all)")
	}
	var out []*Where
	for _, k := range sortedKeys(m) {
		kp := path + "." + k
		if m[k] = deref(m[k]); m[k] == nil {
			continue
		}
		q := WhereQuant(k)
		if q != QuantSome && q != QuantNone && q != QuantAll {
			return nil, Invalid(kp, "is not a relationship filter; use some, none or all")
		}
		if err := p.count(kp); err != nil {
			return nil, err
		}
		sub, ok := asMap(m[k])
		if !ok {
			return nil, Invalid(kp, "is not a condition")
		}
		ends := whereEnds(rel.Type, l)
		w := &Where{Op: WhereRel, Rel: rel.Name, Type: rel.Type, Dir: rel.Dir, Quant: q, Ends: ends, Path: kp}
		if len(sub) > 0 {
			s, err := p.tie(rel.Type, ends, kp, sub, d+1)
			if err != nil {
				return nil, err
			}
			w.Sub = s
		}
		out = append(out, w)
	}
	if len(out) == 0 {
		return nil, Invalid(path, "has none of some, none, all")
	}
	return out, nil
}

func (p *whereParser) tie(t RelType, labels [2]Label, path string, v map[string]any, d int) (*Where, error) {
	self := func(path string, v map[string]any, d int) (*Where, error) { return p.tie(t, labels, path, v, d) }
	ends := endNames[t]
	return p.object(path, v, d, func(key, kp string, val any, d int) ([]*Where, bool, error) {
		for _, f := range tieFields[t] {
			if f.Name == key {
				ws, err := p.cmps(EndTie, f.Name, f.kind, f.valid, kp, val)
				for _, w := range ws {
					w.Type = t
				}
				return ws, true, err
			}
		}
		for i, name := range ends {
			if name != key {
				continue
			}
			m, ok := asMap(val)
			if !ok {
				return nil, true, Invalid(kp, "is not a condition")
			}
			on, l := EndFrom, labels[0]
			if i == 1 {
				on, l = EndTo, labels[1]
			}
			w, err := p.nodeOn(l, on, false, kp, m, d+1)
			return []*Where{w}, true, err
		}
		return nil, false, nil
	}, self)
}

// cmps parses the operators of one field.
func (p *whereParser) cmps(on WhereEnd, field string, kind fieldKind, valid func(string) bool, path string, val any) ([]*Where, error) {
	m, ok := asMap(val)
	if !ok {
		return nil, Invalid(path, "is not a set of comparisons")
	}
	var out []*Where
	for _, k := range sortedKeys(m) {
		kp := path + "." + k
		if m[k] = deref(m[k]); m[k] == nil {
			continue
		}
		c := WhereCmp(k)
		if !slices.Contains(kind.ops(), c) {
			return nil, Invalid(kp, "is not a comparison of %s (use %s)", field, joinCmps(kind.ops()))
		}
		if err := p.count(kp); err != nil {
			return nil, err
		}
		w := &Where{Op: WhereCmp_, On: on, Field: field, Cmp: c, Path: kp}
		if c == CmpIn {
			list, ok := asList(m[k])
			if !ok {
				return nil, Invalid(kp, "is not a list")
			}
			if len(list) > MaxWhereIn {
				return nil, Invalid(kp, "has %d values; the limit is %d", len(list), MaxWhereIn)
			}
			for i, item := range list {
				s, n, err := whereValue(kind, valid, fmt.Sprintf("%s[%d]", kp, i), item)
				if err != nil {
					return nil, err
				}
				w.Strs, w.Ints = append(w.Strs, s), append(w.Ints, n)
			}
			if kind != fkInt {
				w.Ints = nil
			} else {
				w.Strs = nil
			}
			if w.Strs == nil && kind != fkInt {
				w.Strs = []string{}
			}
			if w.Ints == nil && kind == fkInt {
				w.Ints = []int{}
			}
		} else {
			s, n, err := whereValue(kind, valid, kp, m[k])
			if err != nil {
				return nil, err
			}
			w.Str, w.Int = s, n
		}
		out = append(out, w)
	}
	if len(out) == 0 {
		return nil, Invalid(path, "has no comparison")
	}
	return out, nil
}

func joinCmps(cs []WhereCmp) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = string(c)
	}
	return strings.Join(s, ", ")
}

// whereValue checks and normalises one value: text trimmed and folded,
// codes upper case, times at the sort key's precision.
func whereValue(kind fieldKind, valid func(string) bool, path string, v any) (string, int, error) {
	v = deref(v)
	if kind == fkInt {
		n, ok := intOf(v)
		if !ok {
			return "", 0, Invalid(path, "is not an integer")
		}
		return "", n, nil
	}
	s, ok := asString(v)
	if !ok {
		return "", 0, Invalid(path, "is not a string")
	}
	if len([]rune(s)) > MaxWhereText {
		return "", 0, Invalid(path, "is longer than %d characters", MaxWhereText)
	}
	switch kind {
	case fkText, fkNames:
		return Fold(strings.TrimSpace(s)), 0, nil
	case fkCode:
		return strings.ToUpper(strings.TrimSpace(s)), 0, nil
	case fkEnum:
		if valid != nil && !valid(s) {
			return "", 0, Invalid(path, "%q is not a value of this field", s)
		}
	case fkDate:
		if s == "" {
			return "", 0, Invalid(path, "is empty; give a date of the form YYYY-MM-DD")
		}
		if _, err := ParseDate(s); err != nil {
			return "", 0, Invalid(path, "%q is not a date of the form YYYY-MM-DD", s)
		}
	case fkTime:
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return "", 0, Invalid(path, "%q is not a time of the form 2006-01-02T15:04:05Z", s)
		}
		return timeKey(t), 0, nil
	}
	return s, 0, nil
}

// deref is v without pointers; nil for a nil pointer, slice or map (an
// explicit null, which is as if the field were not given).
func deref(v any) any {
	rv := reflect.ValueOf(v)
	for rv.IsValid() && rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil
		}
		rv = rv.Elem()
	}
	if !rv.IsValid() {
		return nil
	}
	if (rv.Kind() == reflect.Slice || rv.Kind() == reflect.Map) && rv.IsNil() {
		return nil
	}
	return rv.Interface()
}

// asList and asMap accept what a GraphQL layer hands over for a list or
// an input object: []any or a typed slice, map[string]any.
func asList(v any) ([]any, bool) {
	if l, ok := v.([]any); ok {
		return l, true
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice {
		return nil, false
	}
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
	}
	return out, true
}

func asMap(v any) (map[string]any, bool) {
	m, ok := v.(map[string]any)
	return m, ok
}

// asString accepts a string or a value of a string type (an enum, an ID).
func asString(v any) (string, bool) {
	if s, ok := v.(string); ok {
		return s, true
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.String {
		return rv.String(), true
	}
	return "", false
}

func intOf(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int32:
		return int(n), true
	case uint8, uint16, int8, int16:
		return int(reflect.ValueOf(n).Convert(reflect.TypeFor[int64]()).Int()), true
	case int64:
		if n > math.MaxInt32 || n < math.MinInt32 {
			return 0, false
		}
		return int(n), true
	case float64:
		if n != math.Trunc(n) || math.Abs(n) > math.MaxInt32 {
			return 0, false
		}
		return int(n), true
	case json.Number:
		i, err := n.Int64()
		if err != nil {
			return 0, false
		}
		return intOf(i)
	}
	return 0, false
}

// AndWhere returns the AND of the non-nil ws, nil when all are nil.
func AndWhere(ws ...*Where) *Where {
	var kids []*Where
	for _, w := range ws {
		if w != nil {
			kids = append(kids, w)
		}
	}
	switch len(kids) {
	case 0:
		return nil
	case 1:
		return kids[0]
	}
	return &Where{Op: WhereAnd, Kids: kids, Path: kids[len(kids)-1].Path}
}

// FilterWhere is f as a where over label l: a store that answers a where
// answers the filter beside it by the AND of both. nil when f is empty.
func FilterWhere(l Label, f Filter) *Where {
	var kids []*Where
	in := func(field string, vals []string, norm func(string) string) {
		if len(vals) == 0 {
			return
		}
		out := make([]string, len(vals))
		for i, v := range vals {
			out[i] = norm(v)
		}
		kids = append(kids, &Where{Op: WhereCmp_, On: EndNode, Field: field, Cmp: CmpIn, Strs: out, Path: "filter"})
	}
	same := func(s string) string { return s }
	folded := func(s string) string { return Fold(strings.TrimSpace(s)) }
	in("id", f.IDs, same)
	if f.NameContains != "" {
		kids = append(kids, &Where{Op: WhereCmp_, On: EndNode, Field: namesField.Name, Cmp: CmpContains,
			Str: Fold(strings.TrimSpace(f.NameContains)), Path: "filter"})
	}
	in("kind", strsOf(f.Kinds), same)
	in("sector", strsOf(f.Sectors), same)
	in("country", f.Countries, same)
	in("region", f.Regions, folded)
	in("city", f.Cities, folded)
	in("status", f.Statuses, same)
	in("category", strsOf(f.Categories), same)
	in("programme", f.Programmes, folded)
	if f.MinPriority != 0 {
		kids = append(kids, &Where{Op: WhereCmp_, On: EndNode, Field: "priority", Cmp: CmpGte, Int: f.MinPriority, Path: "filter"})
	}
	if len(kids) == 0 {
		return nil
	}
	return &Where{Op: WhereAnd, Kids: kids, Path: "filter"}
}

func strsOf[T ~string](v []T) []string {
	out := make([]string, len(v))
	for i, s := range v {
		out[i] = string(s)
	}
	return out
}

// Tie is one of a node's ties as a relationship filter sees it: the
// relationship and both endpoints.
type Tie struct {
	Rel      *Rel
	From, To Node
}

// TieReader returns the ties of type t in direction dir of the node being
// matched.
type TieReader func(t RelType, dir Direction) []Tie

// HasRelations reports whether w has a relationship filter, so that a store
// reads ties only when it needs them.
func (w *Where) HasRelations() bool {
	if w == nil {
		return false
	}
	if w.Op == WhereRel {
		return true
	}
	return slices.ContainsFunc(w.Kids, (*Where).HasRelations)
}

// Match reports whether n passes w; ties reads n's ties (it may be nil
// when w has no relationship filter). A nil w passes every node.
func (w *Where) Match(n Node, ties TieReader) bool {
	if w == nil {
		return true
	}
	return w.eval(n, nil, ties)
}

// eval evaluates w on the listed node n, or inside a relationship filter
// on the tie t.
func (w *Where) eval(n Node, t *Tie, ties TieReader) bool {
	switch w.Op {
	case WhereAnd:
		for _, k := range w.Kids {
			if !k.eval(n, t, ties) {
				return false
			}
		}
		return true
	case WhereOr:
		for _, k := range w.Kids {
			if k.eval(n, t, ties) {
				return true
			}
		}
		return false
	case WhereNot:
		return !w.Kids[0].eval(n, t, ties)
	case WhereRel:
		list := ties(w.Type, w.Dir)
		for i := range list {
			t := list[i]
			if w.Dir == Both && t.From != nil && t.From.Base().ID != n.Base().ID {
				t.From, t.To = t.To, t.From // seen from the listed node
			}
			ok := w.Sub == nil || w.Sub.eval(nil, &t, nil)
			switch {
			case w.Quant == QuantSome && ok:
				return true
			case w.Quant == QuantNone && ok:
				return false
			case w.Quant == QuantAll && !ok:
				return false
			}
		}
		return w.Quant != QuantSome
	}
	return w.compare(n, t)
}

func (w *Where) compare(n Node, t *Tie) bool {
	var (
		s     string
		num   int
		isNum bool
		ok    bool
		kind  fieldKind
	)
	switch w.On {
	case EndTie:
		for _, f := range tieFields[t.Rel.Type] {
			if f.Name == w.Field {
				kind = f.kind
				if f.num != nil {
					num, ok = f.num(t.Rel)
					isNum = true
				} else {
					s = f.str(t.Rel)
					ok = s != ""
				}
			}
		}
	default:
		node := n
		switch w.On {
		case EndFrom:
			node = t.From
		case EndTo:
			node = t.To
		}
		if node == nil {
			return false
		}
		if w.Field == namesField.Name {
			needle := w.Str
			if strings.Contains(Fold(node.Base().Name), needle) {
				return true
			}
			for _, a := range Aliases(node) {
				if strings.Contains(Fold(a), needle) {
					return true
				}
			}
			return false
		}
		f, found := fieldOf(node.NodeLabel(), w.Field)
		if !found {
			return false
		}
		kind = f.kind
		if f.num != nil {
			num, ok = f.num(node)
			isNum = true
		} else {
			s = f.str(node)
			ok = s != ""
		}
	}
	if !ok {
		return false
	}
	if kind == fkText {
		s = Fold(s)
	}
	if isNum {
		switch w.Cmp {
		case CmpEq:
			return num == w.Int
		case CmpIn:
			return slices.Contains(w.Ints, num)
		case CmpGt:
			return num > w.Int
		case CmpGte:
			return num >= w.Int
		case CmpLt:
			return num < w.Int
		case CmpLte:
			return num <= w.Int
		}
		return false
	}
	switch w.Cmp {
	case CmpEq:
		return s == w.Str
	case CmpIn:
		return slices.Contains(w.Strs, s)
	case CmpContains:
		return strings.Contains(s, w.Str)
	case CmpStartsWith:
		return strings.HasPrefix(s, w.Str)
	case CmpGt:
		return s > w.Str
	case CmpGte:
		return s >= w.Str
	case CmpLt:
		return s < w.Str
	case CmpLte:
		return s <= w.Str
	}
	return false
}

// SeedIDs returns the ids that every node passing w must have, from an
// eq or in on id at w's top level (directly or in a top-level AND), so that
// a store can look them up by its id index; ok false when w does not
// restrict ids. The result is sorted and without duplicates.
func (w *Where) SeedIDs() (ids []string, ok bool) {
	return w.Seed("id")
}

// WhereSeedField is the field besides id whose values a where of label l
// can seed its candidates with, from an index on it: an actor's kind, a
// project's or need's status, a competency's category.
func WhereSeedField(l Label) string {
	switch l {
	case LabelActor:
		return "kind"
	case LabelProject, LabelNeed:
		return "status"
	case LabelCompetency:
		return "category"
	}
	return ""
}

// Seed returns the values of field that every node passing w must have,
// from an eq or in on the field of the listed node at w's top level
// (directly or in a top-level AND, several intersected); ok false when w
// does not restrict the field. The result is sorted and without
// duplicates.
func (w *Where) Seed(field string) (vals []string, ok bool) {
	if w == nil {
		return nil, false
	}
	switch {
	case w.Op == WhereCmp_ && w.On == EndNode && w.Field == field && w.Cmp == CmpEq:
		return []string{w.Str}, true
	case w.Op == WhereCmp_ && w.On == EndNode && w.Field == field && w.Cmp == CmpIn:
		vals = slices.Clone(w.Strs)
		slices.Sort(vals)
		return slices.Compact(vals), true
	case w.Op == WhereAnd:
		for _, k := range w.Kids {
			if kidVals, kidOK := k.Seed(field); kidOK {
				if !ok {
					vals, ok = kidVals, true
					continue
				}
				vals = slices.DeleteFunc(vals, func(v string) bool { return !slices.Contains(kidVals, v) })
			}
		}
		return vals, ok
	}
	return nil, false
}

// Prop returns the Neo4j property a comparison reads, from the fixed
// whitelist of where fields ("" for a field that is not one).
func (w *Where) Prop() string {
	if w.Field == namesField.Name {
		return namesField.Prop
	}
	if w.On == EndTie {
		for _, f := range tieFields[w.Type] {
			if f.Name == w.Field {
				return f.Prop
			}
		}
		return ""
	}
	for _, fs := range labelFields {
		for _, f := range slices.Concat(commonFields, fs) {
			if f.Name == w.Field {
				return f.Prop
			}
		}
	}
	return ""
}

// IsNumeric reports whether a comparison compares integers (Int, Ints).
func (w *Where) IsNumeric() bool {
	if w.On == EndTie {
		for _, fs := range tieFields {
			for _, f := range fs {
				if f.Name == w.Field {
					return f.kind == fkInt
				}
			}
		}
	}
	return w.Field == "priority"
}

// WithoutPeople returns w with every relationship filter blind to ties
// whose actor is a PERSON, as if those ties did not exist: some and none
// test only the other ties, all holds when every other tie passes. The
// people gate applies it, so that a where cannot tell hidden people's ties.
func (w *Where) WithoutPeople() *Where {
	if w == nil {
		return nil
	}
	c := *w
	c.Kids = make([]*Where, len(w.Kids))
	for i, k := range w.Kids {
		c.Kids[i] = k.WithoutPeople()
	}
	if w.Op != WhereRel {
		return &c
	}
	var persons []*Where
	for i, on := range []WhereEnd{EndFrom, EndTo} {
		if w.Ends[i] == LabelActor {
			persons = append(persons, &Where{Op: WhereCmp_, On: on, Field: "kind", Cmp: CmpEq, Str: string(KindPerson), Path: w.Path})
		}
	}
	if len(persons) == 0 {
		return &c
	}
	person := persons[0]
	if len(persons) > 1 {
		person = &Where{Op: WhereOr, Kids: persons, Path: w.Path}
	}
	sub := w.Sub
	if sub == nil {
		sub = &Where{Op: WhereAnd, Path: w.Path}
	}
	if w.Quant == QuantAll {
		c.Sub = &Where{Op: WhereOr, Kids: []*Where{sub, person}, Path: w.Path}
	} else {
		c.Sub = &Where{Op: WhereAnd, Kids: []*Where{sub, {Op: WhereNot, Kids: []*Where{person}, Path: w.Path}}, Path: w.Path}
	}
	return &c
}

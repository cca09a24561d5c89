package kg

import "slices"

// Affiliation (DESIGN.md §1.1): X is affiliated with Y when X is a PERSON
// and MEMBER_OF Y, or X is PART_OF Y, transitively. We read "transitively"
// across both: a person in a unit (SLL's research and innovation unit) is
// affiliated with the unit and with what the unit is PART_OF (SLL), so an
// organisation's own people include those of its units.

// Scope is the node set of whole-graph analytics (DESIGN.md §2.1).
type Scope string

const (
	ScopeAll           Scope = "ALL"           // every actor
	ScopeOrganisations Scope = "ORGANISATIONS" // the non-PERSON actors, joined through their people
)

var Scopes = []Scope{ScopeAll, ScopeOrganisations}

func (s Scope) Valid() bool { return oneOf(s, Scopes) }

// checkScope returns s, ALL when empty, or an Invalid error.
func checkScope(s Scope) (Scope, error) {
	if s == "" {
		return ScopeAll, nil
	}
	if !s.Valid() {
		return "", Invalid("scope", "%q is not a scope (ALL, ORGANISATIONS)", clip(string(s)))
	}
	return s, nil
}

func (v view) isPerson(x int32) bool {
	return v.isActor(x) && v.s.Node(x).Kind == kindCode(KindPerson)
}

// organisations returns the actors x is affiliated with, x left out, by
// dense id: for a person the non-PERSON actors it is MEMBER_OF and, for x
// and those, every actor reached by PART_OF.
func (v view) organisations(x int32) []int32 {
	member, partOf := TypeCode(RelMemberOf), TypeCode(RelPartOf)
	var out []int32
	if v.isPerson(x) {
		for _, e := range v.s.Edges(x) {
			if e.Type == member && e.Out && v.isActor(e.To) && !v.isPerson(e.To) && v.sees(x, e) {
				out = append(out, e.To)
			}
		}
	}
	out = append(out, x)
	for h := 0; h < len(out); h++ { // PART_OF is acyclic, but ties may share wholes
		for _, e := range v.s.Edges(out[h]) {
			if e.Type == partOf && e.Out && v.isActor(e.To) && !slices.Contains(out, e.To) && v.sees(out[h], e) {
				out = append(out, e.To)
			}
		}
	}
	out = slices.DeleteFunc(out, func(y int32) bool { return y == x })
	slices.Sort(out)
	return slices.Compact(out)
}

// affiliates returns the actors affiliated with x, x left out, by dense
// id: its units (PART_OF x, transitively) and the people who are MEMBER_OF
// x or one of them.
func (v view) affiliates(x int32) []int32 {
	member, partOf := TypeCode(RelMemberOf), TypeCode(RelPartOf)
	units := []int32{x}
	for h := 0; h < len(units); h++ {
		for _, e := range v.s.Edges(units[h]) {
			if e.Type == partOf && !e.Out && v.isActor(e.To) && !slices.Contains(units, e.To) && v.sees(units[h], e) {
				units = append(units, e.To)
			}
		}
	}
	out := slices.Clone(units[1:])
	if !v.isPerson(x) {
		for _, u := range units {
			for _, e := range v.s.Edges(u) {
				if e.Type == member && !e.Out && v.isPerson(e.To) && v.sees(u, e) {
					out = append(out, e.To)
				}
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// own returns x's own people and organisations: the actors affiliated with
// x and those x is affiliated with, x included. They are never proposed
// to x, nor x to them (DESIGN.md §2.1).
func (v view) own(x int32) []int32 {
	out := append(v.organisations(x), v.affiliates(x)...)
	out = append(out, x)
	slices.Sort(out)
	return slices.Compact(out)
}

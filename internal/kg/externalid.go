package kg

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// External ids: the identifiers other registers give an actor (an
// organisation number, a GLN), each with its scheme. One (scheme, value)
// belongs to at most one actor; ActorByExternalID finds it.

// Limits of external ids.
const (
	MaxExternalIDs        = 16 // on one actor
	MaxExternalIDValueLen = 64 // characters in a value
)

// ExternalID is an identifier of an actor in another register. Scheme
// names the register in lower case (se-orgnr, no-orgnr, fi-ytunnus, gln);
// Value is the identifier as that register writes it, compared exactly.
type ExternalID struct {
	Scheme string `json:"scheme"`
	Value  string `json:"value"`
}

// ExternalIDSeparator joins scheme and value in Key: a scheme never holds
// it, so the first one splits a key again.
const ExternalIDSeparator = ":"

// Key is the external id as one string, scheme:value: its identity in an
// index and in exports.
func (x ExternalID) Key() string { return x.Scheme + ExternalIDSeparator + x.Value }

// ParseExternalIDKey splits a Key; ok is false for a string with no
// separator.
func ParseExternalIDKey(key string) (ExternalID, bool) {
	scheme, value, ok := strings.Cut(key, ExternalIDSeparator)
	return ExternalID{Scheme: scheme, Value: value}, ok
}

var schemePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,31}$`)

// NormalizeExternalID trims both parts and lower-cases the scheme.
func NormalizeExternalID(x ExternalID) ExternalID {
	return ExternalID{Scheme: strings.ToLower(strings.TrimSpace(x.Scheme)), Value: strings.TrimSpace(x.Value)}
}

// CheckExternalID refuses a normalized external id whose scheme or value
// breaks the rules; schemeField and valueField name the arguments.
func CheckExternalID(schemeField, valueField string, x ExternalID) error {
	if !schemePattern.MatchString(x.Scheme) {
		return Invalid(schemeField, "scheme %q must match ^[a-z0-9][a-z0-9-]{0,31}$ (letters, digits and '-', at most 32 characters, such as se-orgnr or gln)", clip(x.Scheme))
	}
	n := utf8.RuneCountInString(x.Value)
	if !utf8.ValidString(x.Value) || n == 0 || n > MaxExternalIDValueLen {
		return Invalid(valueField, "must be 1 to %d characters of valid UTF-8", MaxExternalIDValueLen)
	}
	for _, r := range x.Value {
		if unicode.IsControl(r) || invisible(r) {
			return Invalid(valueField, "contains a control, invisible or bidirectional-override character (U+%04X)", r)
		}
	}
	return nil
}

func normalizeExternalIDs(in []ExternalID) []ExternalID {
	if len(in) == 0 {
		return nil
	}
	out := make([]ExternalID, len(in))
	for i, x := range in {
		out[i] = NormalizeExternalID(x)
	}
	return out
}

func checkExternalIDs(ids []ExternalID) error {
	if len(ids) > MaxExternalIDs {
		return Invalid("externalIds", "has %d entries; the limit is %d", len(ids), MaxExternalIDs)
	}
	seen := make(map[ExternalID]bool, len(ids))
	for i, x := range ids {
		f := "externalIds[" + strconv.Itoa(i) + "]"
		if err := CheckExternalID(f+".scheme", f+".value", x); err != nil {
			return err
		}
		if seen[x] {
			return Invalid(f, "%s is given twice", clip(x.Key()))
		}
		seen[x] = true
	}
	return nil
}

// ExternalIDsOf returns an actor's external ids; other nodes have none.
func ExternalIDsOf(n Node) []ExternalID {
	if a, ok := n.(*Actor); ok {
		return a.ExternalIDs
	}
	return nil
}

// CheckExternalIDQuery normalizes and checks the arguments of a lookup by
// external id (the root field's scheme and value).
func CheckExternalIDQuery(x ExternalID) (ExternalID, error) {
	x = NormalizeExternalID(x)
	return x, CheckExternalID("scheme", "value", x)
}

// ExternalIDTaken is the refusal of a write that would give an external id
// to a second actor.
func ExternalIDTaken(field string, x ExternalID, owner string) error {
	return &Error{Kind: ErrConflict, Field: field, ID: owner,
		Msg: "external id " + quote(clip(x.Key())) + " belongs to actor " + quote(owner) + "; an external id belongs to one actor"}
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

// checkExternalIDOwners refuses the actors in nodes (normalized, with
// their ids; fields names each one's input) that would hold an external
// id another actor keeps: one stored on an actor that this write does not
// also replace, or one that two of these actors both claim. It asks lk
// only when some actor has external ids.
func checkExternalIDOwners(nodes []Node, fields []string, lk Lookup) error {
	type claim struct {
		owner, field string
	}
	claims := map[ExternalID]claim{}
	var keys []ExternalID
	written := map[string]bool{}
	for i, n := range nodes {
		if a, ok := n.(*Actor); ok {
			written[a.ID] = true
			for j, x := range a.ExternalIDs {
				f := "externalIds[" + strconv.Itoa(j) + "]"
				if fields[i] != "" {
					f = fields[i] + "." + f
				}
				if c, ok := claims[x]; ok && c.owner != a.ID {
					return ExternalIDTaken(f, x, c.owner)
				}
				if _, ok := claims[x]; !ok {
					keys = append(keys, x)
				}
				claims[x] = claim{a.ID, f}
			}
		}
	}
	if len(keys) == 0 {
		return nil
	}
	owners, err := lk.ExternalIDOwners(keys)
	if err != nil {
		return err
	}
	for _, x := range keys {
		owner, ok := owners[x]
		c := claims[x]
		if !ok || owner == c.owner {
			continue
		}
		if written[owner] {
			// The stored owner is replaced by this write too and, since no
			// two of its actors claim x, no longer holds it.
			continue
		}
		return ExternalIDTaken(c.field, x, owner)
	}
	return nil
}

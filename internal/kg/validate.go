package kg

import (
	"math"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
)

// Limits on input, as DESIGN.md §1 fixes them, plus the ones it leaves to us.
const (
	MaxNameLen        = 200    // characters in a name, alias, region, city or membership role
	MaxDescriptionLen = 10_000 // characters in a description or evidence
	MaxSources        = 50     // citations on one node or relationship
	MaxSourceLen      = 2_000  // characters in one citation
	MaxAliases        = 20
	MaxURLLen         = 2_000
	MaxQuoteLen       = 1_000 // characters in a relationship's quote
	MinScale          = 1     // level, importance, priority
	MaxScale          = 5
)

// ValidID reports whether id matches ^[a-z0-9][a-z0-9._:-]{0,127}$.
// It is on every write's and every import entry's path: a loop over the
// bytes, the same language as the pattern (TestValidIDIsPattern).
func ValidID(id string) bool {
	if len(id) == 0 || len(id) > 128 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case i > 0 && (c == '.' || c == '_' || c == ':' || c == '-'):
		default:
			return false
		}
	}
	return true
}

// CheckID refuses an id that breaks the pattern; field names the argument.
func CheckID(field, id string) error {
	if !ValidID(id) {
		return Invalid(field, "id %q must match ^[a-z0-9][a-z0-9._:-]{0,127}$ (lower-case letters, digits, '.', '_', ':', '-'; at most 128 characters)", clip(id))
	}
	return nil
}

// NewID returns a fresh id for a node of label l, used when a client upserts
// without one.
func NewID(l Label) string { return strings.ToLower(string(l)) + ":" + uuid.NewString() }

// Normalize trims the node's text fields, upper-cases the country and drops
// empty aliases and sources, so that equal input is stored equally.
func Normalize(n Node) {
	m := n.Base()
	m.ID = strings.TrimSpace(m.ID)
	m.Name = strings.TrimSpace(m.Name)
	m.Description = strings.TrimSpace(m.Description)
	m.Sources = trimList(m.Sources)
	switch v := n.(type) {
	case *Actor:
		v.Country = strings.ToUpper(strings.TrimSpace(v.Country))
		v.Region = strings.TrimSpace(v.Region)
		v.City = strings.TrimSpace(v.City)
		v.Website = strings.TrimSpace(v.Website)
		v.Aliases = trimList(v.Aliases)
		v.ExternalIDs = normalizeExternalIDs(v.ExternalIDs)
	case *Project:
		v.URL = strings.TrimSpace(v.URL)
		v.Programme = strings.TrimSpace(v.Programme)
		v.Country = strings.ToUpper(strings.TrimSpace(v.Country))
		v.Region = strings.TrimSpace(v.Region)
		v.City = strings.TrimSpace(v.City)
		v.Aliases = trimList(v.Aliases)
	case *Competency:
		v.Aliases = trimList(v.Aliases)
	}
}

// ValidateNode checks a node against the limits of DESIGN.md §1. Call
// Normalize first. The id must already be set.
func ValidateNode(n Node) error {
	if IsNil(n) {
		return Invalid("", "no node given")
	}
	m := n.Base()
	if err := CheckID("id", m.ID); err != nil {
		return err
	}
	if err := checkLine("name", m.Name, true); err != nil {
		return err
	}
	if err := checkText("description", m.Description); err != nil {
		return err
	}
	if err := checkSources(m.Sources); err != nil {
		return err
	}
	switch v := n.(type) {
	case *Actor:
		if !v.Kind.Valid() {
			return Invalid("kind", "%q is not an actor kind", clip(string(v.Kind)))
		}
		if !v.Sector.Valid() {
			return Invalid("sector", "%q is not a sector", clip(string(v.Sector)))
		}
		if err := checkPlace(v.Country, v.Region, v.City); err != nil {
			return err
		}
		if err := checkURL("website", v.Website); err != nil {
			return err
		}
		if err := checkAliases(v.Aliases); err != nil {
			return err
		}
		return checkExternalIDs(v.ExternalIDs)
	case *Project:
		if !v.Status.Valid() {
			return Invalid("status", "%q is not a project status", clip(string(v.Status)))
		}
		if !v.StartDate.Valid() {
			return Invalid("startDate", "%q is not a date of the form YYYY-MM-DD", clip(string(v.StartDate)))
		}
		if !v.EndDate.Valid() {
			return Invalid("endDate", "%q is not a date of the form YYYY-MM-DD", clip(string(v.EndDate)))
		}
		if v.StartDate != "" && v.EndDate != "" && v.EndDate < v.StartDate {
			return Invalid("endDate", "endDate %s is before startDate %s", v.EndDate, v.StartDate)
		}
		if err := checkURL("url", v.URL); err != nil {
			return err
		}
		if v.Type != "" && !v.Type.Valid() {
			return Invalid("type", "%q is not a project type (PROJECT, PROGRAMME, SERVICE, EVENT)", clip(string(v.Type)))
		}
		if err := checkPlace(v.Country, v.Region, v.City); err != nil {
			return err
		}
		if err := checkAliases(v.Aliases); err != nil {
			return err
		}
		return checkLine("programme", v.Programme, false)
	case *Need:
		if !v.Status.Valid() {
			return Invalid("status", "%q is not a need status", clip(string(v.Status)))
		}
		return checkScale("priority", v.Priority)
	case *Competency:
		if !v.Category.Valid() {
			return Invalid("category", "%q is not a competency category", clip(string(v.Category)))
		}
		return checkAliases(v.Aliases)
	}
	return nil
}

// checkPlace checks where an actor is or a project happens.
func checkPlace(country, region, city string) error {
	if country != "" && !isCountryCode(country) {
		return Invalid("country", "%q is not an ISO 3166-1 alpha-2 code such as SE or NO", clip(country))
	}
	if err := checkLine("region", region, false); err != nil {
		return err
	}
	return checkLine("city", city, false)
}

// IsNil reports whether n is nil or a nil pointer, such as a JSON null in a
// list of nodes; calling its methods would panic.
func IsNil(n Node) bool {
	switch v := n.(type) {
	case nil:
		return true
	case *Actor:
		return v == nil
	case *Project:
		return v == nil
	case *Need:
		return v == nil
	case *Competency:
		return v == nil
	}
	return false
}

// NormalizeRel trims the relationship's text fields.
func NormalizeRel(r *Rel) {
	r.From = strings.TrimSpace(r.From)
	r.To = strings.TrimSpace(r.To)
	r.Role = strings.TrimSpace(r.Role)
	r.Evidence = strings.TrimSpace(r.Evidence)
	r.Description = strings.TrimSpace(r.Description)
	r.Currency = strings.ToUpper(strings.TrimSpace(r.Currency))
	r.Quote = strings.TrimSpace(r.Quote)
	r.Sources = trimList(r.Sources)
	// since is the deprecated alias of from on a partnership: stored as
	// from. A bad date stays where it was sent, so the error names it.
	if r.Type == RelPartnersWith && r.Since != "" && r.Since.Valid() {
		if r.Start == "" {
			r.Start = r.Since
		}
		if r.Start == r.Since {
			r.Since = ""
		}
	}
}

// relPropNames are the relationship properties ValidateRel checks against
// the type, in the order it reports them; relPropsAllowed, per type, those
// the type has.
var relPropNames = [...]string{"role", "from", "to", "level", "evidence", "importance", "since", "description", "amount", "currency"}

var relPropsAllowed = map[RelType][]string{
	RelParticipatesIn: {"role", "from", "to", "amount", "currency"},
	RelHasCompetency:  {"level", "evidence"},
	RelRequires:       {"importance"},
	RelMemberOf:       {"role", "from", "to"},
	RelPartnersWith:   {"since", "from", "to", "description"},
	RelSupplies:       {"from", "to", "description"},
	RelPartOf:         {"from", "to"},
}

// ValidateRel checks a relationship on its own: type, ids, no
// self-relationship, properties that fit the type and their ranges. Whether
// the endpoints exist with the right labels is CheckEndpoints' job.
func ValidateRel(r Rel) error {
	if !r.Type.Valid() {
		return Invalid("type", "%q is not a relationship type", clip(string(r.Type)))
	}
	fromField, toField := RelFieldNames(r.Type)
	if err := CheckID(fromField, r.From); err != nil {
		return err
	}
	if err := CheckID(toField, r.To); err != nil {
		return err
	}
	if r.From == r.To {
		return Invalid(toField, "a %s relationship cannot join %q to itself", r.Type, r.From)
	}
	if err := checkSources(r.Sources); err != nil {
		return err
	}
	// Properties that belong to another type are refused, so that nothing a
	// client sends is silently dropped.
	has := [...]bool{r.Role != "", r.Start != "", r.End != "", r.Level != 0, r.Evidence != "",
		r.Importance != 0, r.Since != "", r.Description != "", r.Amount != 0, r.Currency != ""}
	allowed := relPropsAllowed[r.Type]
	for i, p := range relPropNames {
		if has[i] && !oneOf(p, allowed) {
			return Invalid(p, "a %s relationship has no property %s", r.Type, p)
		}
	}
	if r.Basis != "" && !r.Basis.Valid() {
		return Invalid("basis", "%q is not a basis (STATED, INFERRED, ASSESSED)", clip(string(r.Basis)))
	}
	if err := checkText("quote", r.Quote); err != nil {
		return err
	}
	if n := utf8.RuneCountInString(r.Quote); n > MaxQuoteLen {
		return Invalid("quote", "is %d characters long; the limit is %d", n, MaxQuoteLen)
	}
	if r.Type.Dated() {
		if !r.Start.Valid() {
			return Invalid("from", "%q is not a date of the form YYYY-MM-DD", clip(string(r.Start)))
		}
		if !r.End.Valid() {
			return Invalid("to", "%q is not a date of the form YYYY-MM-DD", clip(string(r.End)))
		}
		if r.Start != "" && r.End != "" && r.End < r.Start {
			return Invalid("to", "to %s is before from %s", r.End, r.Start)
		}
	}
	switch r.Type {
	case RelParticipatesIn:
		if !ParticipationRole(r.Role).Valid() {
			return Invalid("role", "%q is not a participation role (%s)", clip(r.Role), joinRoles())
		}
		if (r.Amount != 0 || r.Currency != "") && ParticipationRole(r.Role) != RoleFunder {
			field := "amount"
			if r.Amount == 0 {
				field = "currency"
			}
			return Invalid(field, "only a FUNDER participation has an amount and a currency, not a %s one", r.Role)
		}
		if r.Amount < 0 || math.IsNaN(r.Amount) || math.IsInf(r.Amount, 0) || r.Amount > MaxAmount {
			return Invalid("amount", "%v is not an amount between 0 and %.0f", r.Amount, float64(MaxAmount))
		}
		if r.Amount != 0 && r.Currency == "" {
			return Invalid("currency", "an amount needs its currency (ISO 4217, such as SEK or NOK)")
		}
		if r.Currency != "" && !isCurrencyCode(r.Currency) {
			return Invalid("currency", "%q is not an ISO 4217 code such as SEK, NOK or EUR", clip(r.Currency))
		}
		if r.Currency != "" && r.Amount == 0 {
			return Invalid("amount", "a currency needs its amount")
		}
	case RelHasCompetency:
		if err := checkScale("level", r.Level); err != nil {
			return err
		}
		return checkText("evidence", r.Evidence)
	case RelRequires:
		return checkScale("importance", r.Importance)
	case RelMemberOf:
		return checkLine("role", r.Role, false)
	case RelPartnersWith:
		if !r.Since.Valid() {
			return Invalid("since", "%q is not a date of the form YYYY-MM-DD", clip(string(r.Since)))
		}
		if r.Since != "" && r.Start != "" && r.Since != r.Start {
			return Invalid("since", "since %s and from %s differ; since is the deprecated name of from, send only from", r.Since, r.Start)
		}
		return checkText("description", r.Description)
	case RelSupplies:
		return checkText("description", r.Description)
	}
	return nil
}

// MaxAmount bounds a funding amount, so that it survives every store's
// number type exactly (2^53).
const MaxAmount = 1 << 53

func joinRoles() string {
	s := make([]string, len(ParticipationRoles))
	for i, r := range ParticipationRoles {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}

func isCurrencyCode(s string) bool {
	return len(s) == 3 && isUpper(s[0]) && isUpper(s[1]) && isUpper(s[2])
}

func isUpper(b byte) bool { return b >= 'A' && b <= 'Z' }

// RelFieldNames returns the API's argument names for a relationship type's
// two endpoints, so that errors name the argument a client sent.
func RelFieldNames(t RelType) (from, to string) {
	switch t {
	case RelParticipatesIn:
		return "actorId", "projectId"
	case RelHasCompetency:
		return "actorId", "competencyId"
	case RelHasNeed:
		return "actorId", "needId"
	case RelRequires:
		return "needId", "competencyId"
	case RelAddresses:
		return "projectId", "needId"
	case RelMemberOf:
		return "memberId", "organisationId"
	case RelPartnersWith:
		return "actorId", "partnerId"
	case RelPartOf:
		return "partId", "wholeId"
	case RelSupplies:
		return "supplierId", "clientId"
	}
	return "from", "to"
}

// CheckEndpoints refuses a relationship whose endpoints are missing (label
// "") or have the wrong labels.
func CheckEndpoints(t RelType, from, to string, fromLabel, toLabel Label) error {
	wantFrom, wantTo := t.Endpoints()
	fromField, toField := RelFieldNames(t)
	if t == RelPartOf && fromLabel == LabelProject {
		// A project is part of a project; an actor of an actor.
		wantFrom, wantTo = LabelProject, LabelProject
	}
	if err := checkEndpoint(fromField, from, fromLabel, wantFrom); err != nil {
		return err
	}
	return checkEndpoint(toField, to, toLabel, wantTo)
}

func checkEndpoint(field, id string, got, want Label) error {
	if got == "" {
		return WithField(NotFound(id), field)
	}
	if got != want {
		return Invalid(field, "%q is a %s, not a %s", id, got, want)
	}
	return nil
}

func checkScale(field string, v int) error {
	if v < MinScale || v > MaxScale {
		return Invalid(field, "%d is outside 1–5", v)
	}
	return nil
}

// checkLine checks a one-line text field: no control characters, at most
// MaxNameLen characters, and present when required.
func checkLine(field, s string, required bool) error {
	if required && s == "" {
		return Invalid(field, "must not be empty")
	}
	if !utf8.ValidString(s) {
		return Invalid(field, "is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(s); n > MaxNameLen {
		return Invalid(field, "is %d characters long; the limit is %d", n, MaxNameLen)
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return Invalid(field, "must not contain control characters (found U+%04X)", r)
		}
		if invisible(r) {
			return Invalid(field, "must not contain invisible or bidirectional-override characters (found U+%04X)", r)
		}
	}
	return nil
}

// invisible reports whether r is a character that shows nothing but can
// make a text read differently from what it holds: the zero-width space,
// the byte-order mark (a zero-width no-break space inside a text), the
// bidirectional embeddings and overrides (U+202A–202E) and isolates
// (U+2066–2069). They are refused like control characters. The zero-width
// (non-)joiners and the direction marks stay allowed: scripts and emoji
// need them, and they cannot reorder text.
func invisible(r rune) bool {
	switch {
	case r == 0x200B, r == 0xFEFF:
		return true
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// checkText checks a multi-line text field: tabs and newlines are allowed.
func checkText(field, s string) error {
	if !utf8.ValidString(s) {
		return Invalid(field, "is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(s); n > MaxDescriptionLen {
		return Invalid(field, "is %d characters long; the limit is %d", n, MaxDescriptionLen)
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			return Invalid(field, "must not contain control characters (found U+%04X)", r)
		}
		if invisible(r) {
			return Invalid(field, "must not contain invisible or bidirectional-override characters (found U+%04X)", r)
		}
	}
	return nil
}

func checkSources(src []string) error {
	if len(src) > MaxSources {
		return Invalid("sources", "has %d entries; the limit is %d", len(src), MaxSources)
	}
	for i, s := range src {
		if !utf8.ValidString(s) || utf8.RuneCountInString(s) > MaxSourceLen {
			return Invalid("sources", "entry %d is longer than %d characters or not valid UTF-8", i, MaxSourceLen)
		}
		for _, r := range s {
			if unicode.IsControl(r) {
				return Invalid("sources", "entry %d contains a control character (U+%04X)", i, r)
			}
			if invisible(r) {
				return Invalid("sources", "entry %d contains an invisible or bidirectional-override character (U+%04X)", i, r)
			}
		}
	}
	return nil
}

func checkAliases(aliases []string) error {
	if len(aliases) > MaxAliases {
		return Invalid("aliases", "has %d entries; the limit is %d", len(aliases), MaxAliases)
	}
	for _, a := range aliases {
		if err := checkLine("aliases", a, false); err != nil {
			return err
		}
	}
	return nil
}

func checkURL(field, s string) error {
	if s == "" {
		return nil
	}
	if len(s) > MaxURLLen {
		return Invalid(field, "is longer than %d characters", MaxURLLen)
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Invalid(field, "%q is not an http or https URL", clip(s))
	}
	return checkLine(field, s, false)
}

func isCountryCode(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}

func trimList(in []string) []string {
	if len(in) == 0 {
		return nil
	}
	out := make([]string, 0, len(in))
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// clip shortens a value quoted back in an error message, so that a huge
// input does not make a huge error.
func clip(s string) string {
	const max = 64
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max]) + "…"
}

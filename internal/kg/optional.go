package kg

// The ...OrNil methods give an optional field as nil when it is empty, the
// zero value meaning unknown: the GraphQL layer binds its nullable fields
// to them (gqlgen.yml), so that an unknown value reads as null, not "".

func orNil[T comparable](v T) *T {
	var zero T
	if v == zero {
		return nil
	}
	return &v
}

// DescriptionOrNil is the node's description, nil when empty.
func (m *Meta) DescriptionOrNil() *string { return orNil(m.Description) }

// CountryOrNil is the actor's country, nil when empty.
func (a *Actor) CountryOrNil() *string { return orNil(a.Country) }

// RegionOrNil is the actor's region, nil when empty.
func (a *Actor) RegionOrNil() *string { return orNil(a.Region) }

// CityOrNil is the actor's city, nil when empty.
func (a *Actor) CityOrNil() *string { return orNil(a.City) }

// WebsiteOrNil is the actor's website, nil when empty.
func (a *Actor) WebsiteOrNil() *string { return orNil(a.Website) }

// StartDateOrNil is the project's start date, nil when unknown.
func (p *Project) StartDateOrNil() *Date { return orNil(p.StartDate) }

// EndDateOrNil is the project's end date, nil when unknown.
func (p *Project) EndDateOrNil() *Date { return orNil(p.EndDate) }

// URLOrNil is the project's URL, nil when empty.
func (p *Project) URLOrNil() *string { return orNil(p.URL) }

// ProgrammeOrNil is the project's programme, nil when empty.
func (p *Project) ProgrammeOrNil() *string { return orNil(p.Programme) }

// CountryOrNil is where the project happens, nil when unknown.
func (p *Project) CountryOrNil() *string { return orNil(p.Country) }

// RegionOrNil is the project's region, nil when unknown.
func (p *Project) RegionOrNil() *string { return orNil(p.Region) }

// CityOrNil is the project's city, nil when unknown.
func (p *Project) CityOrNil() *string { return orNil(p.City) }

// BeginOrNil is the tie's from (Begin), nil when unknown.
func (r *Rel) BeginOrNil() *Date { return orNil(r.Begin()) }

// QuoteOrNil is the relationship's quote, nil when empty.
func (r *Rel) QuoteOrNil() *string { return orNil(r.Quote) }

// AmountOrNil is a funding amount, nil when none.
func (r *Rel) AmountOrNil() *float64 { return orNil(r.Amount) }

// CurrencyOrNil is a funding amount's currency, nil when none.
func (r *Rel) CurrencyOrNil() *string { return orNil(r.Currency) }

// RoleOrNil is the relationship's role, nil when empty.
func (r *Rel) RoleOrNil() *string { return orNil(r.Role) }

// StartOrNil is the relationship's start date, nil when unknown.
func (r *Rel) StartOrNil() *Date { return orNil(r.Start) }

// EndOrNil is the relationship's end date, nil when unknown.
func (r *Rel) EndOrNil() *Date { return orNil(r.End) }

// EvidenceOrNil is the relationship's evidence, nil when empty.
func (r *Rel) EvidenceOrNil() *string { return orNil(r.Evidence) }

// SinceOrNil is the relationship's since date, nil when unknown.
func (r *Rel) SinceOrNil() *Date { return orNil(r.Since) }

// DescriptionOrNil is the relationship's description, nil when empty.
func (r *Rel) DescriptionOrNil() *string { return orNil(r.Description) }

// ParticipationRole is a PARTICIPATES_IN relationship's Role as a
// ParticipationRole.
func (r *Rel) ParticipationRole() ParticipationRole { return ParticipationRole(r.Role) }

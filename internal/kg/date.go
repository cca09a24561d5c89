package kg

import "time"

// Date is a calendar date in ISO 8601 form, "2006-01-02"; the empty Date
// means unknown. Valid dates compare correctly as strings.
type Date string

// DateLayout is the only accepted form of a Date.
const DateLayout = "2006-01-02"

// ParseDate checks s and returns it as a Date.
func ParseDate(s string) (Date, error) {
	if s == "" {
		return "", nil
	}
	t, err := time.Parse(DateLayout, s)
	if err != nil || t.Format(DateLayout) != s {
		return "", Invalid("", "%q is not a date of the form YYYY-MM-DD", s)
	}
	return Date(s), nil
}

// Valid reports whether d is empty or a real date in DateLayout.
func (d Date) Valid() bool {
	_, err := ParseDate(string(d))
	return err == nil
}

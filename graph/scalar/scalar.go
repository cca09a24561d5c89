// Package scalar marshals the API's custom scalars to and from domain types.
package scalar

import (
	"io"
	"strconv"

	"github.com/99designs/gqlgen/graphql"

	"github.com/samverkan/samverkan/internal/kg"
)

// MarshalDate writes a kg.Date as a JSON string.
func MarshalDate(d kg.Date) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		_, _ = io.WriteString(w, strconv.Quote(string(d)))
	})
}

// UnmarshalDate accepts only "YYYY-MM-DD" strings.
func UnmarshalDate(v any) (kg.Date, error) {
	s, ok := v.(string)
	if !ok {
		return "", kg.Invalid("", "a Date must be a string of the form YYYY-MM-DD")
	}
	d, err := kg.ParseDate(s)
	if err != nil || d == "" {
		return "", kg.Invalid("", "%q is not a date of the form YYYY-MM-DD", s)
	}
	return d, nil
}

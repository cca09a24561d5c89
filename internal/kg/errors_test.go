package kg_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/samverkan/samverkan/internal/kg"
)

func TestWithField(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		field     string
		wantField string
		wantText  string
	}{
		{"prefixes a field", kg.Invalid("level", "%d is outside 1–5", 9), "relationships[999]",
			"relationships[999].level", "relationships[999].level: 9 is outside 1–5"},
		{"sets an empty field", kg.Invalid("", "no node given"), "input", "input", "input: no node given"},
		{"empty prefix keeps the field", kg.Invalid("name", "must not be empty"), "", "name", "name: must not be empty"},
		{"nests twice", kg.WithField(kg.Invalid("id", "bad"), "actors[0]"), "input",
			"input.actors[0].id", "input.actors[0].id: bad"},
		{"not found keeps its id", kg.NotFound("ghost"), "needId", "needId", `needId: no node with id "ghost"`},
		{"wrapped domain error", fmt.Errorf("store: %w", kg.Invalid("city", "too long")), "actors[2]",
			"actors[2].city", "actors[2].city: too long"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			orig := tc.err.Error()
			err := kg.WithField(tc.err, tc.field)
			var e *kg.Error
			if !errors.As(err, &e) {
				t.Fatalf("%T is not a *kg.Error", err)
			}
			if e.Field != tc.wantField || err.Error() != tc.wantText {
				t.Errorf("field %q text %q, want %q and %q", e.Field, err.Error(), tc.wantField, tc.wantText)
			}
			if tc.err.Error() != orig {
				t.Errorf("WithField changed the original error to %q", tc.err.Error())
			}
			var before *kg.Error
			errors.As(tc.err, &before)
			if !errors.Is(err, before.Kind) || e.ID != before.ID || e.Msg != before.Msg {
				t.Errorf("WithField lost kind, id or message: %+v from %+v", *e, *before)
			}
		})
	}

	plain := errors.New("disk on fire")
	if got := kg.WithField(plain, "x"); got != plain {
		t.Errorf("a foreign error came back as %v", got)
	}
	if got := kg.WithField(nil, "x"); got != nil {
		t.Errorf("WithField(nil) = %v", got)
	}
}

func TestErrorKinds(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		kind   error
		field  string
		id     string
		text   string
		others []error
	}{
		{"invalid", kg.Invalid("name", "is %d characters long", 201), kg.ErrInvalid, "name", "",
			"name: is 201 characters long", []error{kg.ErrNotFound, kg.ErrConflict}},
		{"invalid without field", kg.Invalid("", "no node"), kg.ErrInvalid, "", "", "no node", nil},
		{"not found", kg.NotFound("x"), kg.ErrNotFound, "", "x", `no node with id "x"`, []error{kg.ErrInvalid}},
		{"not found, own message", kg.NotFoundf("n", "need %q has no owner", "n"), kg.ErrNotFound, "", "n",
			`need "n" has no owner`, []error{kg.ErrConflict}},
		{"conflict", kg.Conflict("x", "id %q is taken", "x"), kg.ErrConflict, "", "x", `id "x" is taken`,
			[]error{kg.ErrInvalid, kg.ErrNotFound}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var e *kg.Error
			if !errors.As(tc.err, &e) {
				t.Fatalf("%T", tc.err)
			}
			if !errors.Is(tc.err, tc.kind) || e.Unwrap() != tc.kind || e.Kind != tc.kind {
				t.Errorf("kind: Is=%v Unwrap=%v", errors.Is(tc.err, tc.kind), e.Unwrap())
			}
			for _, o := range tc.others {
				if errors.Is(tc.err, o) {
					t.Errorf("also %v", o)
				}
			}
			if e.Field != tc.field || e.ID != tc.id || tc.err.Error() != tc.text {
				t.Errorf("field %q id %q text %q; want %q %q %q", e.Field, e.ID, tc.err.Error(), tc.field, tc.id, tc.text)
			}
			if wrapped := fmt.Errorf("ctx: %w", tc.err); !errors.Is(wrapped, tc.kind) {
				t.Error("kind lost through fmt.Errorf %w")
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	valid := []string{"2020-02-29", "1999-12-31", "2000-01-01", "0001-01-01", "9999-12-31", ""}
	for _, s := range valid {
		d, err := kg.ParseDate(s)
		if err != nil || string(d) != s || !kg.Date(s).Valid() {
			t.Errorf("ParseDate(%q) = %q, %v", s, d, err)
		}
	}
	invalid := []string{"2020-02-30", "2021-02-29", "2020-1-1", "2020-01-1", "2020-1-01", "20-01-01",
		"2020/01/01", "2020-13-01", "2020-00-10", "2020-01-00", " 2020-01-01", "2020-01-01 ",
		"2020-01-01T00:00:00Z", "abcd-ef-gh", "+2020-01-01", "２０２０-01-01", "20200101"}
	for _, s := range invalid {
		d, err := kg.ParseDate(s)
		if d != "" || kg.Date(s).Valid() {
			t.Errorf("ParseDate(%q) = %q, valid %v", s, d, kg.Date(s).Valid())
		}
		if !errors.Is(err, kg.ErrInvalid) {
			t.Errorf("ParseDate(%q) error %v, want ErrInvalid", s, err)
		}
	}
	// Valid dates order as strings, which the endDate and to checks rely on.
	if !(kg.Date("2019-12-31") < kg.Date("2020-01-01")) || !(kg.Date("2020-09-30") < kg.Date("2020-10-01")) {
		t.Error("dates do not order as strings")
	}
}

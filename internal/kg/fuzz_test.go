package kg_test

import (
	"errors"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/samverkan/samverkan/internal/kg"
)

// FuzzDecodeCursor: whatever a client sends as a cursor, DecodeCursor does
// not panic, refuses with ErrInvalid or returns a cursor, and a cursor it
// returns re-encodes to one that decodes to the same position.
func FuzzDecodeCursor(f *testing.F) {
	for i, c := range []kg.Cursor{
		{Field: kg.OrderByName, Key: "karlstads kommun", ID: "karlstads-kommun"},
		{Field: kg.OrderByID, Desc: true, ID: "compare"},
		{Field: kg.OrderByCreatedAt, Key: "2020-01-02T03:04:05.000000006Z", ID: "actor:1"},
		{Field: kg.OrderByUpdatedAt, Desc: true, Key: `"<&>"`, ID: "x"},
	} {
		s := c.Encode()
		f.Add(s, uint8(i), c.Desc) // the order it was made for
		f.Add(s, uint8(i+1), c.Desc)
		f.Add(s, uint8(i), !c.Desc)
		f.Add(s[:len(s)-1], uint8(i), c.Desc)
		f.Add(s+"\n", uint8(i), c.Desc)
	}
	f.Add("", uint8(0), false)
	f.Add("not a cursor", uint8(1), true)
	f.Add("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", uint8(2), false)

	// One decode per input keeps each run cheap; the fuzzer varies the order.
	f.Fuzz(func(t *testing.T, s string, field uint8, desc bool) {
		o := kg.Order{Field: kg.OrderFields[int(field)%len(kg.OrderFields)], Desc: desc}
		c, err := kg.DecodeCursor("after", s, o)
		if err != nil {
			if c != nil {
				t.Fatalf("both a cursor and an error: %+v, %v", c, err)
			}
			var e *kg.Error
			if !errors.Is(err, kg.ErrInvalid) || !errors.As(err, &e) || e.Field != "after" {
				t.Fatalf("refusal %v is not ErrInvalid about after", err)
			}
			return
		}
		if c == nil {
			t.Fatal("DecodeCursor returned (nil, nil)")
		}
		if c.Field != o.Field || c.Desc != o.Desc {
			t.Fatalf("cursor %+v accepted for order %+v", *c, o)
		}
		again, err := kg.DecodeCursor("after", c.Encode(), o)
		if err != nil || again == nil || *again != *c {
			t.Fatalf("re-encoded %+v decodes to %+v, %v", *c, again, err)
		}
	})
}

// FuzzValidateNode: validation of any node does not panic, refuses only
// with an ErrInvalid *kg.Error that names a field, and what it accepts
// keeps the limits DESIGN.md §1 sets. Normalizing twice changes nothing.
func FuzzValidateNode(f *testing.F) {
	f.Add(uint8(0), "karlstads-kommun", "Karlstads kommun", "Kommunen.", "SE", "https://karlstad.se", "Karlstad", "MUNICIPALITY", 0, "2020-01-01")
	f.Add(uint8(1), "ndhc", "NDHC", "", "", "http://x.org", "", "ACTIVE", 0, "2020-02-30")
	f.Add(uint8(2), "need:1", "Trygghet", "a\tb\nc", "", "", "", "OPEN", 6, "")
	f.Add(uint8(3), " UX ", "Tjänstedesign\n", "\x00", "se", "ftp://x", "S\nKL", "DESIGN", 3, "2020-1-1")
	f.Add(uint8(4), "", "", "", "", "", "", "", 0, "")

	f.Fuzz(func(t *testing.T, label uint8, id, name, desc, country, url, alias, enum string, scale int, date string) {
		var n kg.Node
		switch label % 4 {
		case 0:
			n = &kg.Actor{Meta: kg.Meta{ID: id, Name: name, Description: desc, Sources: []string{url}},
				Kind: kg.ActorKind(enum), Sector: kg.SectorPublic, Country: country, Region: alias, City: alias,
				Website: url, Aliases: []string{alias}}
		case 1:
			n = &kg.Project{Meta: kg.Meta{ID: id, Name: name, Description: desc},
				Status: kg.ProjectStatus(enum), StartDate: kg.Date(date), EndDate: "2021-06-30", URL: url, Programme: alias}
		case 2:
			n = &kg.Need{Meta: kg.Meta{ID: id, Name: name, Description: desc}, Status: kg.NeedStatus(enum), Priority: scale}
		default:
			n = &kg.Competency{Meta: kg.Meta{ID: id, Name: name, Description: desc},
				Category: kg.CompetencyCategory(enum), Aliases: []string{alias, name}}
		}
		if label&4 != 0 {
			kg.Normalize(n)
			before := kg.Clone(n)
			kg.Normalize(n)
			if b, a := before.Base(), n.Base(); b.ID != a.ID || b.Name != a.Name || b.Description != a.Description {
				t.Fatalf("Normalize is not idempotent: %+v then %+v", *b, *a)
			}
		}
		err := kg.ValidateNode(n)
		if err != nil {
			var e *kg.Error
			if !errors.Is(err, kg.ErrInvalid) || !errors.As(err, &e) || e.Field == "" {
				t.Fatalf("refusal %v is not an ErrInvalid *kg.Error with a field", err)
			}
			return
		}
		m := n.Base()
		if !kg.ValidID(m.ID) || m.Name == "" || !utf8.ValidString(m.Name) ||
			utf8.RuneCountInString(m.Name) > kg.MaxNameLen || utf8.RuneCountInString(m.Description) > kg.MaxDescriptionLen {
			t.Fatalf("accepted a node that breaks the limits: %+v", *m)
		}
		// A valid normalized node stays valid through PrepareNode.
		if err := kg.PrepareNode(n, nil, time.Unix(0, 0)); label&4 != 0 && err != nil {
			t.Fatalf("PrepareNode refused a valid node: %v", err)
		}
	})
}

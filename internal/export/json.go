package export

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/samverkan/samverkan/internal/kg"
)

// The file form of a graph is the importGraph variable: a GraphInput
// (schema/import.graphqls), field for field, so that a file is also the
// "input" of an importGraph request (within its size limits):
//
//	{"actors":[…],"projects":[…],"needs":[…],"competencies":[…],"relationships":[…]}
//
// Writer writes one entry a line; Read reads any JSON of that shape. Times
// (createdAt, updatedAt) are not part of it: the store stamps them.

type actorJSON struct {
	ID          string       `json:"id"`
	Name        string       `json:"name"`
	Description string       `json:"description,omitempty"`
	Sources     []string     `json:"sources,omitempty"`
	Kind        kg.ActorKind `json:"kind"`
	Sector      kg.Sector    `json:"sector"`
	Country     string       `json:"country,omitempty"`
	Region      string       `json:"region,omitempty"`
	City        string       `json:"city,omitempty"`
	Website     string       `json:"website,omitempty"`
	Aliases     []string     `json:"aliases,omitempty"`
	// ExternalIDs in the importGraph form: {scheme, value}.
	ExternalIDs []kg.ExternalID `json:"externalIds,omitempty"`
}

type projectJSON struct {
	ID          string           `json:"id"`
	Name        string           `json:"name"`
	Description string           `json:"description,omitempty"`
	Sources     []string         `json:"sources,omitempty"`
	Status      kg.ProjectStatus `json:"status"`
	StartDate   kg.Date          `json:"startDate,omitempty"`
	EndDate     kg.Date          `json:"endDate,omitempty"`
	URL         string           `json:"url,omitempty"`
	Programme   string           `json:"programme,omitempty"`
	Type        kg.ProjectType   `json:"type,omitempty"`
	Country     string           `json:"country,omitempty"`
	Region      string           `json:"region,omitempty"`
	City        string           `json:"city,omitempty"`
	Aliases     []string         `json:"aliases,omitempty"`
}

type needJSON struct {
	ID          string        `json:"id"`
	Name        string        `json:"name"`
	Description string        `json:"description,omitempty"`
	Sources     []string      `json:"sources,omitempty"`
	Status      kg.NeedStatus `json:"status"`
	Priority    *int          `json:"priority,omitempty"` // absent: 3, the schema's default
}

type competencyJSON struct {
	ID          string                `json:"id"`
	Name        string                `json:"name"`
	Description string                `json:"description,omitempty"`
	Sources     []string              `json:"sources,omitempty"`
	Category    kg.CompetencyCategory `json:"category"`
	Aliases     []string              `json:"aliases,omitempty"`
}

type relJSON struct {
	Type        kg.RelType `json:"type"`
	FromID      string     `json:"fromId"`
	ToID        string     `json:"toId"`
	Role        string     `json:"role,omitempty"`
	From        kg.Date    `json:"from,omitempty"`
	To          kg.Date    `json:"to,omitempty"`
	Level       int        `json:"level,omitempty"`
	Evidence    string     `json:"evidence,omitempty"`
	Importance  int        `json:"importance,omitempty"`
	Since       kg.Date    `json:"since,omitempty"`
	Description string     `json:"description,omitempty"`
	Amount      float64    `json:"amount,omitempty"` // 0: none, as in kg.Rel
	Currency    string     `json:"currency,omitempty"`
	Basis       kg.Basis   `json:"basis,omitempty"`
	Quote       string     `json:"quote,omitempty"`
	Sources     []string   `json:"sources,omitempty"`
}

// sections are the keys of the file, in the order Writer writes them.
var sections = []string{"actors", "projects", "needs", "competencies", "relationships"}

func sectionOf(l kg.Label) int {
	switch l {
	case kg.LabelActor:
		return 0
	case kg.LabelProject:
		return 1
	case kg.LabelNeed:
		return 2
	}
	return 3
}

// Writer streams a graph in the file form. Nodes come first, grouped by
// label in the order actors, projects, needs, competencies, then the
// relationships; Close ends the document. Nothing but the current entry is
// held.
type Writer struct {
	w       *bufio.Writer
	section int // the section open now; -1 before the first
	count   int // entries written in it
	err     error
}

// NewWriter returns a Writer to w.
func NewWriter(w io.Writer) *Writer {
	return &Writer{w: bufio.NewWriterSize(w, 1<<20), section: -1}
}

// open moves to section k, writing the empty sections in between.
func (w *Writer) open(k int) error {
	if w.err != nil {
		return w.err
	}
	if k < w.section {
		return fmt.Errorf("graph file: %s after %s: nodes go by label (actors, projects, needs, competencies), then relationships", sections[k], sections[w.section])
	}
	for w.section < k {
		switch {
		case w.section < 0:
			w.w.WriteString("{")
		case w.count > 0:
			w.w.WriteString("\n],")
		default:
			w.w.WriteString("],")
		}
		w.section++
		w.count = 0
		fmt.Fprintf(w.w, "%q:[", sections[w.section])
	}
	return nil
}

func (w *Writer) entry(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		w.err = err
		return err
	}
	if w.count > 0 {
		w.w.WriteByte(',')
	}
	w.w.WriteByte('\n')
	if _, err := w.w.Write(b); err != nil {
		w.err = err
		return err
	}
	w.count++
	return nil
}

// Node writes n.
func (w *Writer) Node(n kg.Node) error {
	if err := w.open(sectionOf(n.NodeLabel())); err != nil {
		return err
	}
	m := n.Base()
	switch v := n.(type) {
	case *kg.Actor:
		return w.entry(actorJSON{ID: m.ID, Name: m.Name, Description: m.Description, Sources: m.Sources,
			Kind: v.Kind, Sector: v.Sector, Country: v.Country, Region: v.Region, City: v.City, Website: v.Website,
			Aliases: v.Aliases, ExternalIDs: v.ExternalIDs})
	case *kg.Project:
		return w.entry(projectJSON{ID: m.ID, Name: m.Name, Description: m.Description, Sources: m.Sources,
			Status: v.Status, StartDate: v.StartDate, EndDate: v.EndDate, URL: v.URL, Programme: v.Programme,
			Type: v.Type, Country: v.Country, Region: v.Region, City: v.City, Aliases: v.Aliases})
	case *kg.Need:
		p := v.Priority
		return w.entry(needJSON{ID: m.ID, Name: m.Name, Description: m.Description, Sources: m.Sources,
			Status: v.Status, Priority: &p})
	case *kg.Competency:
		return w.entry(competencyJSON{ID: m.ID, Name: m.Name, Description: m.Description, Sources: m.Sources,
			Category: v.Category, Aliases: v.Aliases})
	}
	return fmt.Errorf("graph file: a node of unknown type %T", n)
}

// Rel writes r.
func (w *Writer) Rel(r kg.Rel) error {
	if err := w.open(4); err != nil {
		return err
	}
	return w.entry(relJSON{Type: r.Type, FromID: r.From, ToID: r.To, Role: r.Role, From: r.Start, To: r.End,
		Level: r.Level, Evidence: r.Evidence, Importance: r.Importance, Since: r.Since,
		Description: r.Description, Amount: r.Amount, Currency: r.Currency, Basis: r.Basis, Quote: r.Quote,
		Sources: r.Sources})
}

// Close writes the sections not written yet and ends the document; it
// does not close the underlying writer.
func (w *Writer) Close() error {
	if err := w.open(len(sections) - 1); err != nil {
		return err
	}
	if w.count > 0 {
		w.w.WriteString("\n")
	}
	w.w.WriteString("]}\n")
	if err := w.w.Flush(); err != nil {
		w.err = err
		return err
	}
	w.err = errors.New("graph file: written after Close")
	return nil
}

// Read decodes a graph file token by token, holding one entry at a time:
// it calls node for each node and rel for each relationship, with the
// entry's name (e.g. "actors[12]"), in file order. The keys may come in
// any order but once each, and every node section before "relationships"
// (so that a relationship's endpoints are known when it comes); null
// stands for an empty list. Unknown fields are refused. The first error,
// of the file or of a callback, stops it and is returned.
func Read(r io.Reader, node func(field string, n kg.Node) error, rel func(field string, r kg.Rel) error) error {
	dec := json.NewDecoder(bufio.NewReaderSize(r, 1<<20))
	dec.DisallowUnknownFields()
	if err := delim(dec, '{', "the file"); err != nil {
		return err
	}
	seen := map[string]bool{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return fmt.Errorf("graph file: %w", err)
		}
		key, _ := t.(string)
		k := -1
		for i, s := range sections {
			if s == key {
				k = i
			}
		}
		switch {
		case k < 0:
			return fmt.Errorf("graph file: unknown key %q (want %v)", key, sections)
		case seen[key]:
			return fmt.Errorf("graph file: key %q appears twice", key)
		case k < 4 && seen["relationships"]:
			return fmt.Errorf("graph file: %q comes after \"relationships\"; every node section must come first", key)
		}
		seen[key] = true
		if err := readSection(dec, k, node, rel); err != nil {
			return err
		}
	}
	if err := delim(dec, '}', "the file"); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("graph file: data after the end of the graph")
	}
	return nil
}

func delim(dec *json.Decoder, want json.Delim, what string) error {
	t, err := dec.Token()
	if err != nil {
		return fmt.Errorf("graph file: %s: %w", what, err)
	}
	if d, ok := t.(json.Delim); !ok || d != want {
		return fmt.Errorf("graph file: %s: %v where %q was expected", what, t, string(want))
	}
	return nil
}

func readSection(dec *json.Decoder, k int, node func(string, kg.Node) error, rel func(string, kg.Rel) error) error {
	t, err := dec.Token()
	if err != nil {
		return fmt.Errorf("graph file: %s: %w", sections[k], err)
	}
	if t == nil {
		return nil
	}
	if d, ok := t.(json.Delim); !ok || d != '[' {
		return fmt.Errorf("graph file: %s: %v where a list was expected", sections[k], t)
	}
	for i := 0; dec.More(); i++ {
		field := sections[k] + "[" + strconv.Itoa(i) + "]"
		if err := readEntry(dec, k, field, node, rel); err != nil {
			return err
		}
	}
	_, err = dec.Token() // ']'
	if err != nil {
		return fmt.Errorf("graph file: %s: %w", sections[k], err)
	}
	return nil
}

func readEntry(dec *json.Decoder, k int, field string, node func(string, kg.Node) error, rel func(string, kg.Rel) error) error {
	bad := func(err error) error { return fmt.Errorf("graph file: %s: %w", field, err) }
	switch k {
	case 0:
		var v actorJSON
		if err := dec.Decode(&v); err != nil {
			return bad(err)
		}
		return node(field, &kg.Actor{Meta: kg.Meta{ID: v.ID, Name: v.Name, Description: v.Description, Sources: v.Sources},
			Kind: v.Kind, Sector: v.Sector, Country: v.Country, Region: v.Region, City: v.City, Website: v.Website,
			Aliases: v.Aliases, ExternalIDs: v.ExternalIDs})
	case 1:
		var v projectJSON
		if err := dec.Decode(&v); err != nil {
			return bad(err)
		}
		return node(field, &kg.Project{Meta: kg.Meta{ID: v.ID, Name: v.Name, Description: v.Description, Sources: v.Sources},
			Status: v.Status, StartDate: v.StartDate, EndDate: v.EndDate, URL: v.URL, Programme: v.Programme,
			Type: v.Type, Country: v.Country, Region: v.Region, City: v.City, Aliases: v.Aliases})
	case 2:
		var v needJSON
		if err := dec.Decode(&v); err != nil {
			return bad(err)
		}
		n := &kg.Need{Meta: kg.Meta{ID: v.ID, Name: v.Name, Description: v.Description, Sources: v.Sources},
			Status: v.Status, Priority: 3}
		if v.Status == "" {
			n.Status = kg.NeedOpen
		}
		if v.Priority != nil {
			n.Priority = *v.Priority
		}
		return node(field, n)
	case 3:
		var v competencyJSON
		if err := dec.Decode(&v); err != nil {
			return bad(err)
		}
		return node(field, &kg.Competency{Meta: kg.Meta{ID: v.ID, Name: v.Name, Description: v.Description, Sources: v.Sources},
			Category: v.Category, Aliases: v.Aliases})
	}
	var v relJSON
	if err := dec.Decode(&v); err != nil {
		return bad(err)
	}
	return rel(field, kg.Rel{Type: v.Type, From: v.FromID, To: v.ToID, Role: v.Role, Start: v.From, End: v.To,
		Level: v.Level, Evidence: v.Evidence, Importance: v.Importance, Since: v.Since, Description: v.Description,
		Amount: v.Amount, Currency: v.Currency, Basis: v.Basis, Quote: v.Quote, Sources: v.Sources})
}

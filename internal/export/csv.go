package export

import (
	"archive/zip"
	"encoding/csv"
	"io"
	"time"

	"github.com/samverkan/samverkan/internal/kg"
)

// csvZip writes a zip of CSV files (RFC 4180, a header row, UTF-8): one
// per label (actors.csv, projects.csv, needs.csv, competencies.csv: id,
// then the label's fields) and one per relationship type
// (PARTICIPATES_IN.csv …: fromId, toId, then the properties). Lists
// (aliases, sources) are joined with " | "; an empty cell is no value.
type csvZip struct {
	z    *zip.Writer
	cw   *csv.Writer
	cols []string // the node attributes of the open label
}

func newCSV(w io.Writer) *csvZip { return &csvZip{z: zip.NewWriter(w)} }

var csvFiles = map[kg.Label]string{kg.LabelActor: "actors.csv", kg.LabelProject: "projects.csv",
	kg.LabelNeed: "needs.csv", kg.LabelCompetency: "competencies.csv"}

func (c *csvZip) open(name string, header []string) error {
	if c.cw != nil {
		c.cw.Flush()
		if err := c.cw.Error(); err != nil {
			return err
		}
	}
	f, err := c.z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: time.Now().UTC()})
	if err != nil {
		return err
	}
	c.cw = csv.NewWriter(f)
	return c.cw.Write(header)
}

func (c *csvZip) label(l kg.Label) error {
	c.cols = labelAttrs[l]
	return c.open(csvFiles[l], append([]string{"id"}, c.cols...))
}

func (c *csvZip) node(n kg.Node) error {
	row := []string{n.Base().ID}
	for _, name := range c.cols {
		for _, a := range nodeAttrs {
			if a.name == name {
				row = append(row, a.get(n))
			}
		}
	}
	return c.cw.Write(row)
}

func (c *csvZip) relType(t kg.RelType) error {
	header := []string{"fromId", "toId"}
	for _, a := range relAttrs[1:] {
		header = append(header, a.name)
	}
	return c.open(string(t)+".csv", header)
}

func (c *csvZip) rel(r kg.Rel) error {
	row := []string{r.From, r.To}
	for _, a := range relAttrs[1:] {
		row = append(row, a.get(r))
	}
	return c.cw.Write(row)
}

func (c *csvZip) close() error {
	if c.cw != nil {
		c.cw.Flush()
		if err := c.cw.Error(); err != nil {
			return err
		}
	}
	return c.z.Close()
}

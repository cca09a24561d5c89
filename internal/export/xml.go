package export

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"

	"github.com/samverkan/samverkan/internal/kg"
)

// esc writes s XML-escaped (characters XML cannot hold become U+FFFD).
func esc(w *bufio.Writer, s string) { _ = xml.EscapeText(w, []byte(s)) }

// graphML writes GraphML (graphml.graphdrawing.org): a <key> per
// attribute, then one directed graph with a <node> per node and an <edge>
// per relationship, each with a <data> per attribute that has a value.
type graphML struct {
	w     *bufio.Writer
	edges int
}

func newGraphML(w io.Writer) *graphML {
	g := &graphML{w: bufio.NewWriterSize(w, 1<<16)}
	g.w.WriteString(xml.Header)
	g.w.WriteString(`<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ` +
		`xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">` + "\n")
	for i, a := range nodeAttrs {
		fmt.Fprintf(g.w, "<key id=\"n%d\" for=\"node\" attr.name=%q attr.type=%q/>\n", i, a.name, a.typ)
	}
	for i, a := range relAttrs {
		fmt.Fprintf(g.w, "<key id=\"e%d\" for=\"edge\" attr.name=%q attr.type=%q/>\n", i, a.name, a.typ)
	}
	g.w.WriteString(`<graph id="samverkan" edgedefault="directed">` + "\n")
	return g
}

func (g *graphML) label(kg.Label) error     { return nil }
func (g *graphML) relType(kg.RelType) error { return nil }

func (g *graphML) node(n kg.Node) error {
	g.w.WriteString(`<node id="`)
	esc(g.w, n.Base().ID)
	g.w.WriteString(`">`)
	for i, a := range nodeAttrs {
		if v := a.get(n); v != "" {
			fmt.Fprintf(g.w, `<data key="n%d">`, i)
			esc(g.w, v)
			g.w.WriteString(`</data>`)
		}
	}
	g.w.WriteString("</node>\n")
	return nil
}

func (g *graphML) rel(r kg.Rel) error {
	fmt.Fprintf(g.w, `<edge id="e%d" source="`, g.edges)
	g.edges++
	esc(g.w, r.From)
	g.w.WriteString(`" target="`)
	esc(g.w, r.To)
	g.w.WriteString(`">`)
	for i, a := range relAttrs {
		if v := a.get(r); v != "" {
			fmt.Fprintf(g.w, `<data key="e%d">`, i)
			esc(g.w, v)
			g.w.WriteString(`</data>`)
		}
	}
	g.w.WriteString("</edge>\n")
	return nil
}

func (g *graphML) close() error {
	g.w.WriteString("</graph>\n</graphml>\n")
	return g.w.Flush()
}

// gexf writes GEXF 1.2 (gexf.net), which Gephi opens: the attributes
// declared per class, the nodes (label: the name), then the edges (label:
// the relationship type), each with an <attvalue> per attribute that has a
// value.
type gexf struct {
	w     *bufio.Writer
	state int // 0: before <nodes>, 1: in <nodes>, 2: in <edges>
	edges int
}

func gexfType(t string) string {
	if t == "int" {
		return "integer"
	}
	return t
}

func newGEXF(w io.Writer) *gexf {
	g := &gexf{w: bufio.NewWriterSize(w, 1<<16)}
	g.w.WriteString(xml.Header)
	g.w.WriteString(`<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">` + "\n" +
		"<meta><creator>Samverkan</creator><description>the Nordic welfare-innovation knowledge graph</description></meta>\n" +
		`<graph mode="static" defaultedgetype="directed">` + "\n<attributes class=\"node\">\n")
	for i, a := range nodeAttrs {
		fmt.Fprintf(g.w, "<attribute id=\"n%d\" title=%q type=%q/>\n", i, a.name, gexfType(a.typ))
	}
	g.w.WriteString("</attributes>\n<attributes class=\"edge\">\n")
	for i, a := range relAttrs {
		fmt.Fprintf(g.w, "<attribute id=\"e%d\" title=%q type=%q/>\n", i, a.name, gexfType(a.typ))
	}
	g.w.WriteString("</attributes>\n")
	return g
}

func (g *gexf) to(state int) {
	for g.state < state {
		switch g.state {
		case 0:
			g.w.WriteString("<nodes>\n")
		case 1:
			g.w.WriteString("</nodes>\n<edges>\n")
		}
		g.state++
	}
}

func (g *gexf) label(kg.Label) error     { g.to(1); return nil }
func (g *gexf) relType(kg.RelType) error { g.to(2); return nil }

func (g *gexf) node(n kg.Node) error {
	g.to(1)
	g.w.WriteString(`<node id="`)
	esc(g.w, n.Base().ID)
	g.w.WriteString(`" label="`)
	esc(g.w, n.Base().Name)
	g.w.WriteString(`"><attvalues>`)
	for i, a := range nodeAttrs {
		if v := a.get(n); v != "" {
			fmt.Fprintf(g.w, `<attvalue for="n%d" value="`, i)
			esc(g.w, v)
			g.w.WriteString(`"/>`)
		}
	}
	g.w.WriteString("</attvalues></node>\n")
	return nil
}

func (g *gexf) rel(r kg.Rel) error {
	g.to(2)
	g.w.WriteString(`<edge id="` + strconv.Itoa(g.edges) + `" source="`)
	g.edges++
	esc(g.w, r.From)
	g.w.WriteString(`" target="`)
	esc(g.w, r.To)
	g.w.WriteString(`" label="` + string(r.Type) + `"><attvalues>`)
	for i, a := range relAttrs {
		if v := a.get(r); v != "" {
			fmt.Fprintf(g.w, `<attvalue for="e%d" value="`, i)
			esc(g.w, v)
			g.w.WriteString(`"/>`)
		}
	}
	g.w.WriteString("</attvalues></edge>\n")
	return nil
}

func (g *gexf) close() error {
	g.to(2)
	g.w.WriteString("</edges>\n</graph>\n</gexf>\n")
	return g.w.Flush()
}

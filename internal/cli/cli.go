// Package cli holds the subcommands of the samverkan binary besides
// serving: gen (a synthetic ecosystem as a graph file), import and export
// (a graph file into or out of the store). A graph file is the importGraph
// variable in JSON (graphjson.go), streamed both ways, so that files of
// millions of entries take memory for the graph only, never for its text.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/samverkan/samverkan/internal/config"
	"github.com/samverkan/samverkan/internal/export"
	"github.com/samverkan/samverkan/internal/gen"
	"github.com/samverkan/samverkan/internal/kg"
	"github.com/samverkan/samverkan/internal/store/embedded"
)

// Commands are the subcommand names Run knows.
var Commands = []string{"gen", "import", "export"}

// Is reports whether args name a subcommand (args[0] is one of Commands).
func Is(args []string) bool {
	return len(args) > 0 && slices.Contains(Commands, args[0])
}

// Usage is the help of the subcommands.
const Usage = `usage:
  samverkan gen -scale S|M|L|XL [-seed N] FILE
      writes a synthetic ecosystem (internal/gen) as a graph file; FILE - is stdout.
  samverkan import [config flags] FILE
      imports a graph file into the embedded store in DATA_DIR: all or nothing, validated like
      importGraph but without its size limits; the first invalid entry refuses the whole file.
      FILE - is stdin. The store must not be open in a running server (its file is locked).
  samverkan export [config flags] [-format F] [-labels L,…] [-types T,…] [-kinds K,…] [-id ID [-depth N]] FILE
      writes the graph of the embedded store in DATA_DIR, whole or the part the filters select
      (internal/export; GET /export takes the same), in format F: json (the default: a graph file,
      nodes by label, then relationships; importing the whole graph's into an empty store gives the
      same graph), graphml, gexf, or csv (a zip of one CSV file per label and per relationship
      type). -id with -depth (default 1) selects that node's neighbourhood. FILE - is stdout.
A graph file is the variable of the importGraph mutation, {"actors":[…],…,"relationships":[…]}.
import and export work on the embedded store only: with NEO4J_URI set they refuse (load a big
graph into Neo4j with importGraph in batches of at most 10 000 nodes and 50 000 relationships,
which is not all or nothing, or with neo4j-admin).
The config flags are the server's (-data-dir, …; see samverkan -help).
`

// Run runs the subcommand args[0] with the rest of args; reports go to
// stdout. getenv is the environment, as for the server.
func Run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if !Is(args) {
		return fmt.Errorf("unknown command\n%s", Usage)
	}
	switch args[0] {
	case "gen":
		return Gen(args[1:], stdout)
	case "import":
		cfg, file, err := storeArgs(args[1:], getenv)
		if err != nil {
			return err
		}
		return Import(ctx, cfg, file, stdout)
	default:
		format, f, rest, err := exportArgs(args[1:])
		if err != nil {
			return fmt.Errorf("%w\n%s", err, Usage)
		}
		cfg, file, err := storeArgs(rest, getenv)
		if err != nil {
			return err
		}
		if format == export.JSON && f.IsAll() {
			return Export(ctx, cfg, file, stdout)
		}
		return ExportAs(ctx, cfg, format, f, file, stdout)
	}
}

// exportFlags are export's own flags, taken out of its arguments before
// the config flags are read.
var exportFlags = []string{"format", "labels", "types", "kinds", "id", "depth"}

// exportArgs takes export's own flags (-format F, --format=F, …) out of
// args and returns the rest.
func exportArgs(args []string) (export.Format, export.Filter, []string, error) {
	vals := map[string]string{}
	var rest []string
	for i := 0; i < len(args); i++ {
		name, value, hasValue := strings.Cut(strings.TrimLeft(args[i], "-"), "=")
		if !strings.HasPrefix(args[i], "-") || !slices.Contains(exportFlags, name) || i == len(args)-1 && !hasValue {
			rest = append(rest, args[i])
			continue
		}
		if !hasValue {
			i++
			value = args[i]
		}
		vals[name] = value
	}
	var f export.Filter
	format := export.JSON
	if v, ok := vals["format"]; ok {
		var err error
		if format, err = export.ParseFormat(v); err != nil {
			return "", f, nil, err
		}
	}
	f.Labels = export.ParseLabels(vals["labels"])
	f.Types = export.ParseList[kg.RelType](vals["types"])
	f.Kinds = export.ParseList[kg.ActorKind](vals["kinds"])
	f.ID = vals["id"]
	var err error
	if f.Depth, err = export.ParseDepth(vals["depth"], f.ID != ""); err != nil {
		return "", f, nil, err
	}
	return format, f, rest, f.Check()
}

// ExportAs runs `samverkan export` in a format other than the graph file,
// or of part of the graph: through the store's reads, as GET /export.
func ExportAs(ctx context.Context, cfg config.Config, format export.Format, f export.Filter, file string, stdout io.Writer) error {
	start := time.Now()
	s, err := embedded.Open(cfg.DataDir)
	if err != nil {
		return fmt.Errorf("export: opening the embedded store in %s: %w", cfg.DataDir, err)
	}
	defer s.Close()
	var c export.Counts
	err = create(file, stdout, func(w io.Writer) error {
		c, err = export.Write(ctx, s, f, format, w)
		return err
	})
	if err != nil {
		return fmt.Errorf("export %s: %w", file, err)
	}
	if file != "-" {
		fmt.Fprintf(stdout, "export %s: %s, %d nodes, %d relationships in %s\n", file, format, c.Nodes, c.Rels, since(start))
	}
	return nil
}

// storeArgs splits [config flags] FILE and loads the configuration.
func storeArgs(args []string, getenv func(string) string) (config.Config, string, error) {
	if len(args) == 0 || args[len(args)-1] == "-help" || args[len(args)-1] == "-h" {
		return config.Config{}, "", fmt.Errorf("a FILE is needed\n%s", Usage)
	}
	cfg, err := config.Load(args[:len(args)-1], getenv)
	if err != nil {
		return cfg, "", err
	}
	if cfg.Neo4jURI != "" {
		return cfg, "", errors.New("import and export work on the embedded store only, and NEO4J_URI is set; " +
			"load Neo4j with importGraph in batches (not all or nothing) or with neo4j-admin")
	}
	return cfg, args[len(args)-1], nil
}

// Gen runs `samverkan gen`.
func Gen(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("samverkan gen", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	scale := fs.String("scale", "S", "S, M, L or XL")
	seed := fs.Uint64("seed", gen.DefaultSeed, "the generator's seed")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w\n%s", err, Usage)
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("gen takes one FILE\n%s", Usage)
	}
	c, err := gen.Scale(strings.ToUpper(*scale)).Config(*seed)
	if err != nil {
		return err
	}
	start := time.Now()
	nodes, rels := 0, 0
	err = create(fs.Arg(0), stdout, func(w io.Writer) error {
		gw := export.NewWriter(w)
		err := gen.Stream(c,
			func(n kg.Node) error { nodes++; return gw.Node(n) },
			func(r kg.Rel) error { rels++; return gw.Rel(r) })
		if err != nil {
			return err
		}
		return gw.Close()
	})
	if err != nil {
		return err
	}
	if fs.Arg(0) != "-" {
		fmt.Fprintf(stdout, "gen: scale %s seed %d: %d nodes, %d relationships to %s in %s\n",
			strings.ToUpper(*scale), *seed, nodes, rels, fs.Arg(0), since(start))
	}
	return nil
}

// Import runs `samverkan import` over the embedded store of cfg.
func Import(ctx context.Context, cfg config.Config, file string, stdout io.Writer) error {
	start := time.Now()
	in, err := openIn(file)
	if err != nil {
		return err
	}
	defer in.Close()
	// The store's file grows to about three times the graph file; map
	// more than that from the start (address space only), so that bbolt
	// never remaps, and copies, the import's one transaction. The import
	// holds the encoded graph until its commit, about six times the file:
	// collect garbage less often while the heap is well below that, and
	// keep the process near it (GOMEMLIMIT, when set, decides instead).
	mmap := 1 << 30
	if fi, err := os.Stat(file); err == nil && fi.Mode().IsRegular() {
		size := int(min(fi.Size(), 1<<40))
		mmap = max(mmap, 4*size)
		if os.Getenv("GOMEMLIMIT") == "" {
			defer debug.SetGCPercent(debug.SetGCPercent(300))
			defer debug.SetMemoryLimit(debug.SetMemoryLimit(int64(max(800<<20, 8*size))))
		}
	}
	var field, what string // the entry being imported, for errors
	res, err := embedded.ImportDir(ctx, cfg.DataDir, func(node func(string, kg.Node) error, rel func(string, kg.Rel) error) error {
		return readAhead(in,
			func(f string, n kg.Node) error {
				if err := node(f, n); err != nil {
					field, what = f, fmt.Sprintf("id %q", n.Base().ID)
					return err
				}
				return nil
			},
			func(f string, r *kg.Rel) error {
				if err := rel(f, *r); err != nil {
					field, what = f, fmt.Sprintf("%s %q → %q", r.Type, r.From, r.To)
					return err
				}
				return nil
			})
	}, embedded.WithInitialMmapSize(mmap))
	if err != nil {
		var ke *kg.Error
		if errors.As(err, &ke) && field != "" && !errors.Is(err, kg.ErrUnavailable) && !errors.Is(err, kg.ErrTimeout) {
			return fmt.Errorf("import %s: refused at %s (%s): %w; nothing was imported", file, field, what, err)
		}
		return fmt.Errorf("import %s: %w; nothing was imported", file, err)
	}
	fmt.Fprintf(stdout, "import %s: %d nodes created, %d updated; %d relationships created, %d updated; in %s\n",
		file, res.NodesCreated, res.NodesUpdated, res.RelsCreated, res.RelsUpdated, since(start))
	return nil
}

// readAhead is export.Read with the decoding on another goroutine (another
// core), a few batches ahead of the callbacks, which are called on the
// caller's goroutine in file order; the file's first error comes after the
// entries before it, and a callback's error stops the reading.
func readAhead(in io.Reader, node func(string, kg.Node) error, rel func(string, *kg.Rel) error) error {
	type entry struct {
		field string
		node  kg.Node
		rel   kg.Rel
	}
	const size = 256
	type batch struct {
		es  []entry
		err error // after es
	}
	batches := make(chan *batch, 8)
	free := make(chan *batch, 10)
	done := make(chan struct{})
	stopped := errors.New("stopped")
	go func() {
		defer close(batches)
		cur := &batch{es: make([]entry, 0, size)}
		send := func() error {
			select {
			case batches <- cur:
			case <-done:
				return stopped
			}
			select {
			case cur = <-free:
				cur.es = cur.es[:0]
			default:
				cur = &batch{es: make([]entry, 0, size)}
			}
			return nil
		}
		err := export.Read(in,
			func(f string, n kg.Node) error {
				cur.es = append(cur.es, entry{field: f, node: n})
				if len(cur.es) == size {
					return send()
				}
				return nil
			},
			func(f string, r kg.Rel) error {
				cur.es = append(cur.es, entry{field: f, rel: r})
				if len(cur.es) == size {
					return send()
				}
				return nil
			})
		if err == stopped {
			return
		}
		cur.err = err
		select {
		case batches <- cur:
		case <-done:
		}
	}()
	defer func() {
		close(done)
		for range batches { // let the reader end
		}
	}()
	for b := range batches {
		for i := range b.es {
			e := &b.es[i]
			var err error
			if e.node != nil {
				err = node(e.field, e.node)
			} else {
				err = rel(e.field, &e.rel)
			}
			if err != nil {
				return err
			}
			*e = entry{}
		}
		if b.err != nil {
			return b.err
		}
		select {
		case free <- b:
		default:
		}
	}
	return nil
}

// Export runs `samverkan export` over the embedded store of cfg.
func Export(ctx context.Context, cfg config.Config, file string, stdout io.Writer) error {
	start := time.Now()
	nodes, rels := 0, 0
	err := create(file, stdout, func(w io.Writer) error {
		gw := export.NewWriter(w)
		err := embedded.ExportDir(ctx, cfg.DataDir,
			func(n kg.Node) error { nodes++; return gw.Node(n) },
			func(r kg.Rel) error { rels++; return gw.Rel(r) })
		if err != nil {
			return err
		}
		return gw.Close()
	})
	if err != nil {
		return fmt.Errorf("export %s: %w", file, err)
	}
	if file != "-" {
		fmt.Fprintf(stdout, "export %s: %d nodes, %d relationships in %s\n", file, nodes, rels, since(start))
	}
	return nil
}

// create writes a file through fn: to a temporary file beside it, renamed
// into place only when fn and the close succeed, so that a failed run
// leaves no half file; "-" is stdout.
func create(file string, stdout io.Writer, fn func(io.Writer) error) error {
	if file == "-" {
		return fn(stdout)
	}
	tmp, err := os.CreateTemp(dirOf(file), ".samverkan-*.json")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename, there is nothing to remove
	if err := fn(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), file)
}

func dirOf(file string) string {
	if i := strings.LastIndexByte(file, os.PathSeparator); i >= 0 {
		return file[:i+1]
	}
	return "."
}

func openIn(file string) (io.ReadCloser, error) {
	if file == "-" {
		return io.NopCloser(os.Stdin), nil
	}
	return os.Open(file)
}

func since(t time.Time) string {
	return strconv.FormatFloat(time.Since(t).Seconds(), 'f', 2, 64) + " s"
}

package httpapi

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/samverkan/samverkan/internal/auth"
	"github.com/samverkan/samverkan/internal/export"
	"github.com/samverkan/samverkan/internal/kg"
)

// exportParams are the query parameters GET /export takes.
var exportParams = []string{"format", "labels", "types", "kinds", "id", "depth"}

// parseExport reads GET /export's parameters; the error names the one at
// fault.
func parseExport(q url.Values) (export.Format, export.Filter, error) {
	var f export.Filter
	for k, v := range q {
		if !slices.Contains(exportParams, k) {
			return "", f, fmt.Errorf("unknown parameter %q (GET /export takes %v)", k, exportParams)
		}
		if len(v) > 1 {
			return "", f, fmt.Errorf("%s: given %d times; give it once (lists are comma-separated)", k, len(v))
		}
	}
	if q.Get("format") == "" {
		return "", f, errors.New("format: missing; one of graphml, gexf, csv, json")
	}
	format, err := export.ParseFormat(q.Get("format"))
	if err != nil {
		return "", f, err
	}
	f.Labels = export.ParseLabels(q.Get("labels"))
	f.Types = export.ParseList[kg.RelType](q.Get("types"))
	f.Kinds = export.ParseList[kg.ActorKind](q.Get("kinds"))
	f.ID = q.Get("id")
	if f.Depth, err = export.ParseDepth(q.Get("depth"), f.ID != ""); err != nil {
		return "", f, err
	}
	return format, f, f.Check()
}

// exportHandler streams the graph, or the part the parameters select, as
// a download: GET /export?format=graphml|gexf|csv|json&labels=…&types=…
// &kinds=…&id=…&depth=… with a key of any role. A bad parameter is 400
// and an id that is no node 404, both before anything is written; a
// failure once the download has started cuts it off (the client sees an
// incomplete transfer, never a file that looks whole).
func exportHandler(store kg.Store, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := auth.FromContext(r.Context())
		if id.Anonymous() {
			w.Header().Set("WWW-Authenticate", "Bearer")
			msg := "an export needs an API key (Authorization: Bearer <key>), of any role"
			if id.InvalidKey {
				msg = "the API key is not valid; an export needs a configured key (Authorization: Bearer <key>)"
			}
			writeJSON(w, http.StatusUnauthorized, gqlErrors(msg, "UNAUTHENTICATED"))
			return
		}
		format, f, err := parseExport(r.URL.Query())
		if err != nil {
			writeJSON(w, http.StatusBadRequest, gqlErrors(err.Error(), "BAD_USER_INPUT"))
			return
		}
		started := time.Now()
		sw := &startedWriter{w: w, start: func() {
			w.Header().Set("Content-Type", format.ContentType())
			w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="samverkan-%s.%s"`,
				time.Now().UTC().Format("20060102T150405Z"), format.Ext()))
			w.Header().Set("Cache-Control", "no-store")
		}}
		c, err := export.Write(r.Context(), store, f, format, sw)
		if err != nil {
			if !sw.started {
				var ke *kg.Error
				switch {
				case errors.Is(err, kg.ErrNotFound) && errors.As(err, &ke):
					writeJSON(w, http.StatusNotFound, gqlErrors(ke.Error(), "NOT_FOUND"))
				default:
					log.ErrorContext(r.Context(), "export failed", "err", err.Error())
					writeJSON(w, http.StatusServiceUnavailable, gqlErrors("the export could not be read from the store; try again later", "UNAVAILABLE"))
				}
				return
			}
			log.WarnContext(r.Context(), "export cut off", "err", err.Error(), "format", string(format))
			panic(http.ErrAbortHandler) // the client must not take a cut-off file for a whole one
		}
		log.InfoContext(r.Context(), "export", "format", string(format), "nodes", c.Nodes, "relationships", c.Rels,
			"key", id.Name, "duration_ms", time.Since(started).Milliseconds())
	})
}

// startedWriter calls start before the first byte goes out, so that an
// error found before then can still answer with its own status.
type startedWriter struct {
	w       http.ResponseWriter
	start   func()
	started bool
}

func (s *startedWriter) Write(p []byte) (int, error) {
	if !s.started {
		s.started = true
		s.start()
	}
	return s.w.Write(p)
}

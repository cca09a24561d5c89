package neo4j

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/samverkan/samverkan/internal/kg"
)

// The two reads kg.Analytics builds on. Both sort, deduplicate and fill in
// with kg's functions (kg.SortIncident, kg.NewProjection, Projection.Sort),
// like the embedded store, so that the analytics answer alike.

// projectionAttempts bounds how often Projection rereads when a write
// committed while it read.
const projectionAttempts = 2

// Incident returns every relationship of the given types that has an
// endpoint among ids, each once, sorted by (type in kg.RelTypes order,
// from, to). It reads at most kg.MaxExpandedRels+1 of them and refuses a
// hop that has more, as the traversal would.
func (s *Store) Incident(ctx context.Context, types []kg.RelType, ids []string) ([]kg.Rel, error) {
	types, err := kg.CheckRelTypes(types)
	if err != nil {
		return nil, err
	}
	if len(types) == 0 || len(ids) == 0 {
		return nil, nil
	}
	recs, err := s.query(ctx, "incident", stmtIncident, incidentParams(types, ids), true)
	if err != nil {
		return nil, err
	}
	if len(recs) > kg.MaxExpandedRels {
		return nil, kg.TooManyRels()
	}
	rels, err := incidentFrom(recs)
	if err != nil {
		return nil, s.fail(ctx, "incident", err)
	}
	return rels, nil
}

func incidentParams(types []kg.RelType, ids []string) map[string]any {
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = string(t)
	}
	// One row past the bound tells a hop that reached it from one that
	// fits exactly.
	return map[string]any{"ids": dedupe(ids), "types": names, "limit": kg.MaxExpandedRels + 1}
}

// incidentFrom maps the rows of incident.cypher, keeping each relationship
// once, in the order of Incident.
func incidentFrom(recs []record) ([]kg.Rel, error) {
	var out []kg.Rel
	for _, rec := range recs {
		r, err := rec.rel()
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return kg.SortIncident(out), nil
}

// projectionRows are the rows of the statements Projection runs.
type projectionRows struct {
	actors, labels, types, links []record
}

// Projection reads the actors, counts and collaboration links in one read
// transaction, each statement's whole result in one fetch. Neo4j
// transactions read committed data statement by statement, so a write may
// commit between two of them: the version is read before and after, and
// the reads run once more if it moved. The version reported is the one
// read before the last pass, so the data is never older than it (a cache
// keyed by it refreshes on the next version check rather than keeping
// stale data). Concurrent calls share one load: N requests after a write
// stream the graph once.
func (s *Store) Projection(ctx context.Context) (*kg.Projection, error) {
	done := s.projections.DoChan("projection", func() (any, error) {
		// The load serves every caller that joined it: one caller's
		// cancellation must not fail the others (the statement timeout
		// still bounds it).
		return s.loadProjection(context.WithoutCancel(ctx))
	})
	select {
	case r := <-done:
		if r.Err != nil {
			return nil, r.Err
		}
		return r.Val.(*kg.Projection), nil
	case <-ctx.Done():
		return nil, mapError(ctx, ctx.Err())
	}
}

func (s *Store) loadProjection(ctx context.Context) (*kg.Projection, error) {
	return readFetching(ctx, s, "projection", neo4j.FetchAll, func(ctx context.Context, tx neo4j.ManagedTransaction) (*kg.Projection, error) {
		q := txRunner(ctx, tx)
		none := map[string]any{}
		for attempt := 1; ; attempt++ {
			before, err := readVersion(q)
			if err != nil {
				return nil, err
			}
			s.projectionPasses.Add(1)
			var rows projectionRows
			for _, step := range []struct {
				name string
				into *[]record
			}{
				{stmtProjectionActors, &rows.actors},
				{stmtProjectionLabelCounts, &rows.labels},
				{stmtProjectionRelCounts, &rows.types},
				{stmtProjectionLinks, &rows.links},
			} {
				if *step.into, err = q(step.name, none); err != nil {
					return nil, err
				}
			}
			after, err := readVersion(q)
			if err != nil {
				return nil, err
			}
			if after == before || attempt == projectionAttempts {
				return projectionFrom(before, rows)
			}
		}
	})
}

// readVersion runs version_get.cypher.
func readVersion(q queryRunner) (uint64, error) {
	recs, err := q(stmtVersionGet, map[string]any{})
	if err != nil {
		return 0, err
	}
	if len(recs) != 1 {
		return 0, fmt.Errorf("version query returned %d records", len(recs))
	}
	v, err := recs[0].integer("version")
	if err != nil {
		return 0, err
	}
	if v < 0 {
		return 0, fmt.Errorf("negative graph version %d", v)
	}
	return uint64(v), nil
}

// projectionFrom maps the rows of the projection statements. Every label
// and type gets a count, zero when the statement gave none.
func projectionFrom(version uint64, rows projectionRows) (*kg.Projection, error) {
	p := kg.NewProjection(version)
	for _, rec := range rows.actors {
		a, err := projectedActorFrom(rec)
		if err != nil {
			return nil, err
		}
		p.Actors = append(p.Actors, a)
	}
	for _, rec := range rows.labels {
		key, n, err := countFrom(rec, "label")
		if err != nil {
			return nil, err
		}
		if !kg.Label(key).Valid() {
			return nil, fmt.Errorf("count of unknown label %q", key)
		}
		p.NodeCounts[kg.Label(key)] += n
	}
	for _, rec := range rows.types {
		key, n, err := countFrom(rec, "type")
		if err != nil {
			return nil, err
		}
		if !kg.RelType(key).Valid() {
			return nil, fmt.Errorf("count of unknown relationship type %q", key)
		}
		p.RelCounts[kg.RelType(key)] += n
	}
	for _, rec := range rows.links {
		l, err := linkFrom(rec)
		if err != nil {
			return nil, err
		}
		p.Links = append(p.Links, l)
	}
	p.Sort()
	return p, nil
}

// projectedActorFrom maps a row of projection_actors.cypher. A missing
// kind, sector or country (data written by other tools) reads as empty.
func projectedActorFrom(rec record) (kg.ProjectedActor, error) {
	id, err := rec.str("id")
	if err != nil {
		return kg.ProjectedActor{}, err
	}
	var a kg.ProjectedActor
	a.ID = id
	var kind, sector string
	for _, f := range []struct {
		key  string
		into *string
	}{{"kind", &kind}, {"sector", &sector}, {"country", &a.Country}} {
		if *f.into, err = rec.optStr(f.key); err != nil {
			return kg.ProjectedActor{}, fmt.Errorf("actor %q: %w", id, err)
		}
	}
	a.Kind, a.Sector = kg.ActorKind(kind), kg.Sector(sector)
	return a, nil
}

// countFrom maps a row of a count statement: the key column and "count".
func countFrom(rec record, keyColumn string) (string, int, error) {
	key, err := rec.str(keyColumn)
	if err != nil {
		return "", 0, err
	}
	n, err := rec.integer("count")
	if err != nil {
		return "", 0, err
	}
	if n < 0 {
		return "", 0, fmt.Errorf("negative count %d for %s", n, key)
	}
	return key, int(n), nil
}

// linkFrom maps a row of projection_links.cypher.
func linkFrom(rec record) (kg.Link, error) {
	var cols [3]string
	for i, key := range []string{"type", "from", "to"} {
		v, err := rec.str(key)
		if err != nil {
			return kg.Link{}, err
		}
		cols[i] = v
	}
	t := kg.RelType(cols[0])
	if !t.IsLink() {
		return kg.Link{}, fmt.Errorf("link of type %q, want one of %v", t, kg.LinkTypes)
	}
	return kg.Link{Type: t, From: cols[1], To: cols[2]}, nil
}

// optStr reads a string column that may be null.
func (r record) optStr(key string) (string, error) {
	v, err := r.get(key)
	if err != nil || v == nil {
		return "", err
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("column %s holds %T, want a string", key, v)
	}
	return s, nil
}

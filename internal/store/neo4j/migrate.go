package neo4j

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/samverkan/samverkan/internal/kg"
)

// migration is one schema version: statements that are each idempotent
// (IF NOT EXISTS, MERGE), so a half-finished or concurrent run is harmless.
type migration struct {
	version    int64
	statements []string
	// backfill, when set, names a statement that returns the nodes whose
	// helpers (helperProps) the new schema needs rewritten, a batch at a
	// time; it runs after the statements and before the wait for indexes,
	// and is itself idempotent.
	backfill string
	// relBackfill, when set, names a statement that returns the
	// relationships whose folded text (kg.TieFolds) the new schema needs,
	// a batch at a time; it runs after backfill.
	relBackfill string
}

// migrations, oldest first. Add a new version for every schema change;
// never edit one that has shipped.
var migrations = []migration{
	{version: 1, statements: []string{
		stmtMigrateNodeIDUnique,
		stmtMigrateGraphVersionUnique,
		stmtMigrateSchemaVersionUnique,
		stmtMigrateIndexActorSortName,
		stmtMigrateIndexProjectSortName,
		stmtMigrateIndexNeedSortName,
		stmtMigrateIndexCompetencySortName,
		stmtMigrateIndexActorKind,
		stmtMigrateIndexActorSector,
		stmtMigrateIndexActorCountry,
		stmtMigrateIndexProjectStatus,
		stmtMigrateIndexNeedStatus,
		stmtMigrateIndexCompetencyCategory,
		stmtMigrateFulltextNodeSearch,
		stmtGraphVersionInit,
	}},
	// Lists served by an index for every order and every indexed filter,
	// and search ranked in Cypher (see listPlan, search_ranked.cypher).
	{version: 2, statements: []string{
		stmtMigrateIndexActorID,
		stmtMigrateIndexProjectID,
		stmtMigrateIndexNeedID,
		stmtMigrateIndexCompetencyID,
		stmtMigrateIndexActorCreatedAt,
		stmtMigrateIndexProjectCreatedAt,
		stmtMigrateIndexNeedCreatedAt,
		stmtMigrateIndexCompetencyCreatedAt,
		stmtMigrateIndexActorUpdatedAt,
		stmtMigrateIndexProjectUpdatedAt,
		stmtMigrateIndexNeedUpdatedAt,
		stmtMigrateIndexCompetencyUpdatedAt,
		stmtMigrateTextIndexActorFoldNameText,
		stmtMigrateTextIndexProjectFoldNameText,
		stmtMigrateTextIndexNeedFoldNameText,
		stmtMigrateTextIndexCompetencyFoldNameText,
	}, backfill: stmtBackfillHelpersPending},
	// Change records (DESIGN.md §3): one per graph version, written by
	// every write (version_bump.cypher) and read by every process's
	// topology catch-up (changes_since.cypher).
	{version: 3, statements: []string{
		stmtMigrateChangeVersionUnique,
	}},
	// Search of the second version (DESIGN.md §2.1) ranks region and city
	// (_placeWords) and finds them through the full-text index (_text).
	{version: 4, backfill: stmtBackfillPlaceWordsPending},
	// External ids on actors: one helper node per id, unique
	// (externalids.go). Actors stored before have none.
	{version: 5, statements: []string{
		stmtMigrateExternalIDKeyUnique,
	}},
	// where compares a membership's role and a partnership's or supply's
	// description folded (_foldRole, _foldDescription on the relationship).
	{version: 6, relBackfill: stmtBackfillRelFoldsPending},
}

// backfill writes helperProps on the nodes an older build stored, which
// the statement pending returns, a batch at a time, until it returns none;
// each batch is its own transaction, and a node written meanwhile by this
// build already has them.
func backfill(q queryRunner, pending string) error {
	return inBatches(q, pending, stmtBackfillHelpersSet, func(r record) (any, error) {
		n, err := r.node()
		if err != nil {
			return nil, err
		}
		return map[string]any{"id": n.Base().ID, "props": helperProps(n)}, nil
	})
}

// backfillRels writes the folded text (kg.TieFolds) on the relationships an
// older build stored, which the statement pending returns, a batch at a
// time, until it returns none; each batch is its own transaction.
func backfillRels(q queryRunner, pending string) error {
	return inBatches(q, pending, stmtBackfillRelFoldsSet, func(r record) (any, error) {
		var rel kg.Rel
		eid, err := r.str("eid")
		if err == nil {
			var t string
			t, err = r.str("type")
			rel.Type = kg.RelType(t)
		}
		if err == nil {
			rel.Role, err = r.optStr("role")
		}
		if err == nil {
			rel.Description, err = r.optStr("description")
		}
		if err != nil {
			return nil, err
		}
		props := map[string]any{}
		for k, v := range kg.TieFolds(&rel) {
			props[k] = v
		}
		if len(props) == 0 {
			return nil, fmt.Errorf("relationship %s has no text to fold", eid)
		}
		return map[string]any{"eid": eid, "props": props}, nil
	})
}

// inBatches reads up to batchSize rows with pending, turns each into a row
// of set with row, runs set, and goes on until pending returns none.
func inBatches(q queryRunner, pending, set string, row func(record) (any, error)) error {
	for {
		recs, err := q(pending, map[string]any{"limit": int64(batchSize)})
		if err != nil {
			return err
		}
		if len(recs) == 0 {
			return nil
		}
		rows := make([]any, len(recs))
		for i, r := range recs {
			if rows[i], err = row(r); err != nil {
				return err
			}
		}
		if _, err := q(set, map[string]any{"rows": rows}); err != nil {
			return err
		}
	}
}

// migrate brings the schema to the newest version. Schema statements run
// one per transaction: Neo4j does not mix schema and data changes.
func (s *Store) migrate(ctx context.Context) error {
	return runMigrations(s.log, s.timeout, migrations, func(name string, params map[string]any) ([]record, error) {
		return s.query(ctx, "migrate", name, params, false)
	})
}

// runMigrations applies the migrations newer than the recorded schema
// version, each statement on its own through q.
func runMigrations(log *slog.Logger, timeout time.Duration, migrations []migration, q queryRunner) error {
	recs, err := q(stmtSchemaVersionGet, map[string]any{})
	if err != nil {
		return err
	}
	current := int64(0)
	if len(recs) == 1 {
		if current, err = recs[0].integer("version"); err != nil {
			return fmt.Errorf("reading the schema version: %w", err)
		}
	}
	latest := migrations[len(migrations)-1].version
	if current > latest {
		log.Warn("neo4j schema is newer than this build knows", "schemaVersion", current, "known", latest)
		return nil
	}
	for _, m := range migrations {
		if m.version <= current {
			continue
		}
		for _, name := range m.statements {
			if _, err := q(name, map[string]any{}); err != nil {
				return fmt.Errorf("schema version %d, %s: %w", m.version, name, err)
			}
		}
		if m.backfill != "" {
			if err := backfill(q, m.backfill); err != nil {
				return fmt.Errorf("schema version %d, data: %w", m.version, err)
			}
		}
		if m.relBackfill != "" {
			if err := backfillRels(q, m.relBackfill); err != nil {
				return fmt.Errorf("schema version %d, relationships: %w", m.version, err)
			}
		}
		// New indexes must be online before the first search, or it would
		// miss nodes. The version is recorded only after that, so that a
		// wait that timed out is repeated by the next start instead of
		// being skipped for good. The wait fits in one statement timeout.
		wait := max(int64(timeout/time.Second)-1, 1)
		if _, err := q(stmtMigrateAwaitIndexes, map[string]any{"timeoutSeconds": wait}); err != nil {
			return fmt.Errorf("schema version %d, waiting for indexes: %w", m.version, err)
		}
		if _, err := q(stmtSchemaVersionSet, map[string]any{
			"version": m.version, "migratedAt": timeString(now()),
		}); err != nil {
			return err
		}
		log.Info("neo4j schema migrated", "version", m.version)
	}
	return nil
}

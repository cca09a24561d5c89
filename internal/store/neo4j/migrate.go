package neo4j

import (
	"context"
	"fmt"
	"time"
)

// migration is one schema version: statements that are each idempotent
// (IF NOT EXISTS, MERGE), so a half-finished or concurrent run is harmless.
type migration struct {
	version    int64
	statements []string
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
}

// migrate brings the schema to the newest version. Schema statements run
// one per transaction: Neo4j does not mix schema and data changes.
func (s *Store) migrate(ctx context.Context) error {
	recs, err := s.query(ctx, "migrate", stmtSchemaVersionGet, map[string]any{}, false)
	if err != nil {
		return err
	}
	current := int64(0)
	if len(recs) == 1 {
		if current, err = recs[0].integer("version"); err != nil {
			return s.fail(ctx, "migrate", err)
		}
	}
	latest := migrations[len(migrations)-1].version
	if current > latest {
		s.log.Warn("neo4j schema is newer than this build knows", "schemaVersion", current, "known", latest)
		return nil
	}
	ran := false
	for _, m := range migrations {
		if m.version <= current {
			continue
		}
		for _, name := range m.statements {
			if _, err := s.query(ctx, "migrate", name, map[string]any{}, false); err != nil {
				return fmt.Errorf("schema version %d, %s: %w", m.version, name, err)
			}
		}
		if _, err := s.query(ctx, "migrate", stmtSchemaVersionSet, map[string]any{
			"version": m.version, "migratedAt": timeString(now()),
		}, false); err != nil {
			return err
		}
		s.log.Info("neo4j schema migrated", "version", m.version)
		ran = true
	}
	if ran {
		// New indexes must be online before the first search, or it would
		// miss nodes; the wait fits in one statement timeout.
		wait := max(int64(s.timeout/time.Second)-1, 1)
		if _, err := s.query(ctx, "migrate", stmtMigrateAwaitIndexes, map[string]any{"timeoutSeconds": wait}, false); err != nil {
			return err
		}
	}
	return nil
}

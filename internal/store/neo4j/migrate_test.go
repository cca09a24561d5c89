package neo4j

import (
	"errors"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"
)

// fakeServer answers the migration statements like a database whose schema
// is at version current, and records what ran.
type fakeServer struct {
	t       *testing.T
	current int64
	fail    string // a statement that fails
	ran     []string
	params  map[string]map[string]any
}

func (f *fakeServer) run(name string, params map[string]any) ([]record, error) {
	if err := stmt(name).checkParams(params); err != nil {
		f.t.Errorf("%v", err)
	}
	f.ran = append(f.ran, name)
	if f.params == nil {
		f.params = map[string]map[string]any{}
	}
	f.params[name] = params
	if name == f.fail {
		return nil, errors.New("index population timed out")
	}
	if name == stmtSchemaVersionGet {
		return []record{{keys: []string{"version"}, values: []any{f.current}}}, nil
	}
	return nil, nil
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func TestMigrationsWaitForIndexesBeforeRecordingTheVersion(t *testing.T) {
	f := &fakeServer{t: t}
	if err := runMigrations(quietLog(), 30*time.Second, migrations, f.run); err != nil {
		t.Fatal(err)
	}
	want := []string{stmtSchemaVersionGet}
	for _, m := range migrations {
		want = append(want, m.statements...)
		if m.backfill != "" {
			want = append(want, m.backfill) // nothing to backfill
		}
		if m.relBackfill != "" {
			want = append(want, m.relBackfill)
		}
		want = append(want, stmtMigrateAwaitIndexes, stmtSchemaVersionSet)
	}
	if !slices.Equal(f.ran, want) {
		t.Fatalf("ran\n %v\nwant\n %v", f.ran, want)
	}
	if got := f.params[stmtMigrateAwaitIndexes]["timeoutSeconds"]; got != int64(29) {
		t.Errorf("waited %v seconds, want 29: the wait must end within the 30s transaction timeout", got)
	}
	if got := f.params[stmtSchemaVersionSet]["version"]; got != migrations[len(migrations)-1].version {
		t.Errorf("recorded version %v", got)
	}
}

func TestMigrationWhoseIndexesDoNotComeOnlineIsRepeated(t *testing.T) {
	f := &fakeServer{t: t, fail: stmtMigrateAwaitIndexes}
	if err := runMigrations(quietLog(), 30*time.Second, migrations, f.run); err == nil {
		t.Fatal("a failed wait for indexes was not reported")
	}
	if slices.Contains(f.ran, stmtSchemaVersionSet) {
		t.Error("the schema version was recorded although the indexes were not online; the next start would skip the wait")
	}
}

func TestMigrationsSkipWhatIsDone(t *testing.T) {
	latest := migrations[len(migrations)-1].version
	for _, current := range []int64{latest, latest + 1} {
		f := &fakeServer{t: t, current: current}
		if err := runMigrations(quietLog(), 30*time.Second, migrations, f.run); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(f.ran, []string{stmtSchemaVersionGet}) {
			t.Errorf("schema at version %d (latest %d): ran %v", current, latest, f.ran)
		}
	}
}

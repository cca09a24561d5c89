// Package neo4j is the Neo4j 5 store: kg.Store over neo4j-go-driver v5.
//
// Every statement is a .cypher file under cypher/ (see statements.go).
// Writes run in managed write transactions: they lock and read what
// validation needs, validate with kg's Prepare*/Check* helpers so that
// refusals equal the embedded store's, write, and last bump the
// (:GraphVersion) singleton, whose lock orders the commits, in the same
// statement as the write's change record (a (:Change) node, DESIGN.md §3).
// A refused write rolls back and changes nothing, not even the version.
//
// The analytics run on a compact in-memory topology (topology.go) that the
// store loads once and then keeps current from the change records, so that
// several processes on one database converge.
package neo4j

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"
	"golang.org/x/sync/singleflight"

	"github.com/samverkan/samverkan/internal/engine"
	"github.com/samverkan/samverkan/internal/kg"
)

// Config says how to reach Neo4j. Zero values take the defaults below.
type Config struct {
	URI      string // neo4j://, neo4j+s://, bolt:// ...
	Username string
	Password string
	Database string // "" for the server's default database

	StatementTimeout time.Duration // per transaction, server and client side; default 30s
	MaxPoolSize      int           // connections per server; default 100
	AcquireTimeout   time.Duration // wait for a pooled connection; default 60s
}

// Defaults for a zero Config field.
const (
	DefaultStatementTimeout = 30 * time.Second
	DefaultMaxPoolSize      = 100
	DefaultAcquireTimeout   = 60 * time.Second
)

// Option adjusts a Store beyond Config.
type Option func(*Store)

// WithLogger sets where the store logs driver errors (default slog.Default()).
func WithLogger(l *slog.Logger) Option {
	return func(s *Store) {
		if l != nil {
			s.log = l
		}
	}
}

// DefaultChangeRetention is how many change records the store keeps by
// default: a process whose topology is further behind reloads it, and a
// change feed cursor further behind has expired.
const DefaultChangeRetention = kg.DefaultChangeRetention

// WithChangeRetention sets how many change records (the newest versions)
// every write keeps; older ones are pruned by the writes themselves. n < 1
// keeps the default.
func WithChangeRetention(n int) Option {
	return func(s *Store) {
		if n >= 1 {
			s.retention = int64(n)
		}
	}
}

// Store is the Neo4j kg.Store. It is safe for concurrent use; a process
// needs only one.
type Store struct {
	driver  neo4j.DriverWithContext
	bm      neo4j.BookmarkManager
	db      string
	timeout time.Duration
	log     *slog.Logger

	closeOnce sync.Once
	closeErr  error

	retention int64 // change records kept (see WithChangeRetention)

	// The analytics topology (topology.go): nil until the first Topology
	// call loads it; then caught up from the change records, one catch-up
	// at a time.
	topo       atomic.Pointer[engine.Topology]
	topoFlight singleflight.Group
	topoCalls  atomic.Uint64 // Topology calls begun
	topoLoads  atomic.Int64  // full loads, for tests
	topoReads  atomic.Int64  // catch-up reads, for tests
}

var _ kg.Store = (*Store)(nil)

// Open connects to Neo4j, checks connectivity and credentials, and brings
// the schema (constraints, indexes) up to date. An unreachable server or
// bad credentials give an error saying which, in one line.
func Open(ctx context.Context, cfg Config, opts ...Option) (*Store, error) {
	if cfg.URI == "" {
		return nil, errors.New("neo4j: no URI configured (set NEO4J_URI)")
	}
	if cfg.StatementTimeout <= 0 {
		cfg.StatementTimeout = DefaultStatementTimeout
	}
	if cfg.MaxPoolSize <= 0 {
		cfg.MaxPoolSize = DefaultMaxPoolSize
	}
	if cfg.AcquireTimeout <= 0 {
		cfg.AcquireTimeout = DefaultAcquireTimeout
	}
	s := &Store{db: cfg.Database, timeout: cfg.StatementTimeout, log: slog.Default(), retention: DefaultChangeRetention}
	for _, o := range opts {
		o(s)
	}
	auth := neo4j.NoAuth()
	if cfg.Username != "" || cfg.Password != "" {
		auth = neo4j.BasicAuth(cfg.Username, cfg.Password, "")
	}
	driver, err := neo4j.NewDriverWithContext(cfg.URI, auth, func(c *config.Config) {
		c.MaxConnectionPoolSize = cfg.MaxPoolSize
		c.ConnectionAcquisitionTimeout = cfg.AcquireTimeout
	})
	if err != nil {
		s.log.Error("neo4j driver setup failed", "uri", redactURI(cfg.URI), "error", err.Error())
		return nil, fmt.Errorf("neo4j: %q is not a usable Neo4j URI: %w", redactURI(cfg.URI), kg.ErrUnavailable)
	}
	s.driver = driver
	s.bm = driver.ExecuteQueryBookmarkManager()

	vctx, cancel := context.WithTimeout(ctx, cfg.StatementTimeout)
	err = driver.VerifyConnectivity(vctx)
	cancel()
	if err != nil {
		s.log.Error("neo4j connectivity check failed", "uri", redactURI(cfg.URI), "code", driverCode(err), "error", err.Error())
		_ = driver.Close(context.WithoutCancel(ctx))
		return nil, openError(cfg, err)
	}
	if err := s.migrate(ctx); err != nil {
		_ = driver.Close(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("neo4j: schema migration failed: %w", err)
	}
	return s, nil
}

// openError says in one line why Open could not use the server.
func openError(cfg Config, err error) error {
	where := redactURI(cfg.URI)
	mapped := classify(err)
	var ke *kg.Error
	if errors.As(mapped, &ke) {
		switch ke.Msg {
		case msgAuth:
			return fmt.Errorf("neo4j: the server at %s refused the credentials of user %q: %w", where, cfg.Username, kg.ErrUnavailable)
		case msgForbidden:
			db := "its default database"
			if cfg.Database != "" {
				db = fmt.Sprintf("database %q", cfg.Database)
			}
			return fmt.Errorf("neo4j: the server at %s does not let user %q use %s: %w", where, cfg.Username, db, kg.ErrUnavailable)
		case msgNoDatabase:
			return fmt.Errorf("neo4j: the server at %s has no database %q: %w", where, cfg.Database, kg.ErrUnavailable)
		case msgTimeout:
			return fmt.Errorf("neo4j: the server at %s did not answer within %s: %w", where, cfg.StatementTimeout, kg.ErrTimeout)
		}
	}
	return fmt.Errorf("neo4j: the server at %s is unreachable: %w", where, kg.ErrUnavailable)
}

// redactURI drops any user info from a URI before it is logged or shown.
func redactURI(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URI)"
	}
	u.User = nil
	return u.String()
}

// Close releases the driver. It may be called more than once.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		s.closeErr = s.driver.Close(ctx)
	})
	return s.closeErr
}

// Ping checks that the configured database answers a read. The driver's
// VerifyConnectivity would not do: it passes while that database is
// missing, stopped or has no reader.
func (s *Store) Ping(ctx context.Context) error {
	_, err := s.query(ctx, "ping", stmtVersionGet, map[string]any{}, true)
	return err
}

// Version returns the graph version that every write bumps.
func (s *Store) Version(ctx context.Context) (uint64, error) {
	recs, err := s.query(ctx, "version", stmtVersionGet, map[string]any{}, true)
	if err != nil {
		return 0, err
	}
	if len(recs) != 1 {
		return 0, s.fail(ctx, "version", fmt.Errorf("version query returned %d records", len(recs)))
	}
	v, err := recs[0].integer("version")
	if err != nil || v < 0 {
		return 0, s.fail(ctx, "version", fmt.Errorf("bad version: %v", err))
	}
	return uint64(v), nil
}

// bound limits a call by the statement timeout on the client side too, with
// a little slack so that the server's own timeout reports first.
func (s *Store) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, s.timeout+2*time.Second)
}

func records(recs []*neo4j.Record) []record {
	out := make([]record, len(recs))
	for i, r := range recs {
		out[i] = record{keys: r.Keys, values: r.Values}
	}
	return out
}

// query runs one statement on its own. A read is an auto-commit
// transaction on a session of the store's bookmark manager, so that a
// client reads its own writes: its RUN and PULL go in one flight and no
// COMMIT follows, one round trip for a whole result (FetchAll); a
// transient failure is tried again, as a managed transaction would be.
// Other statements (the migrations) run with neo4j.ExecuteQuery, routed to
// the writers.
func (s *Store) query(ctx context.Context, op, name string, params map[string]any, read bool) ([]record, error) {
	st := stmt(name)
	if err := st.checkParams(params); err != nil {
		return nil, s.fail(ctx, op, err)
	}
	ctx, cancel := s.bound(ctx)
	defer cancel()
	if read {
		var err error
		pause := 10 * time.Millisecond
		for attempt := 1; ; attempt++ {
			var recs []record
			if recs, err = s.autoCommitRead(ctx, st.text, params); err == nil {
				return recs, nil
			}
			if attempt == readAttempts || !neo4j.IsRetryable(err) || ctx.Err() != nil {
				return nil, s.fail(ctx, op, err)
			}
			select {
			case <-ctx.Done():
				return nil, s.fail(ctx, op, err)
			case <-time.After(pause):
			}
			pause *= 4
		}
	}
	res, err := neo4j.ExecuteQuery(ctx, s.driver, st.text, params, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(s.db),
		neo4j.ExecuteQueryWithWritersRouting(),
		neo4j.ExecuteQueryWithBookmarkManager(s.bm),
		neo4j.ExecuteQueryWithTransactionConfig(neo4j.WithTxTimeout(s.timeout)),
	)
	if err != nil {
		return nil, s.fail(ctx, op, err)
	}
	return records(res.Records), nil
}

// readAttempts bounds the tries of a read that failed transiently.
const readAttempts = 3

// autoCommitRead runs text as an auto-commit read transaction and returns
// its whole result.
func (s *Store) autoCommitRead(ctx context.Context, text string, params map[string]any) ([]record, error) {
	sess := s.session(ctx, neo4j.AccessModeRead, neo4j.FetchAll)
	defer sess.Close(context.WithoutCancel(ctx))
	res, err := sess.Run(ctx, text, params, neo4j.WithTxTimeout(s.timeout))
	if err != nil {
		return nil, err
	}
	recs, err := res.Collect(ctx)
	if err != nil {
		return nil, err
	}
	return records(recs), nil
}

// run runs a statement inside a managed transaction.
func run(ctx context.Context, tx neo4j.ManagedTransaction, name string, params map[string]any) ([]record, error) {
	st := stmt(name)
	if err := st.checkParams(params); err != nil {
		return nil, err
	}
	res, err := tx.Run(ctx, st.text, params)
	if err != nil {
		return nil, err
	}
	recs, err := res.Collect(ctx)
	if err != nil {
		return nil, err
	}
	return records(recs), nil
}

func (s *Store) session(ctx context.Context, mode neo4j.AccessMode, fetch int) neo4j.SessionWithContext {
	return s.driver.NewSession(ctx, neo4j.SessionConfig{
		AccessMode:      mode,
		DatabaseName:    s.db,
		BookmarkManager: s.bm,
		FetchSize:       fetch,
	})
}

// read runs work in a managed read transaction.
func read[T any](ctx context.Context, s *Store, op string, work func(context.Context, neo4j.ManagedTransaction) (T, error)) (T, error) {
	return readFetching(ctx, s, op, neo4j.FetchDefault, work)
}

// readFetching is read with the given fetch size: neo4j.FetchAll streams a
// whole result in one round trip instead of one per 1,000 records.
func readFetching[T any](ctx context.Context, s *Store, op string, fetch int, work func(context.Context, neo4j.ManagedTransaction) (T, error)) (T, error) {
	var zero T
	ctx, cancel := s.bound(ctx)
	defer cancel()
	sess := s.session(ctx, neo4j.AccessModeRead, fetch)
	defer sess.Close(context.WithoutCancel(ctx))
	out, err := neo4j.ExecuteRead(ctx, sess, func(tx neo4j.ManagedTransaction) (T, error) {
		return work(ctx, tx)
	}, neo4j.WithTxTimeout(s.timeout))
	if err != nil {
		return zero, s.fail(ctx, op, err)
	}
	return out, nil
}

// errNoChange rolls a write transaction back when it found nothing to do
// (deleting or removing what is not there), so that the version stays.
var errNoChange = errors.New("nothing to change")

// errRaced says that a concurrent write changed what this one had read
// (an endpoint deleted between validation and the write): write runs the
// whole transaction again, at most writeAttempts times.
var errRaced = errors.New("a concurrent write changed what this write read")

const writeAttempts = 3

// entityGone reports Neo4j's answer to a statement that met a node or
// relationship a concurrent transaction deleted while it read (Neo4j reads
// committed data, not a snapshot): a race, which write runs again.
func entityGone(err error) bool {
	var ne *neo4j.Neo4jError
	return errors.As(err, &ne) && ne.Code == codeEntityNotFound
}

// write runs work in a managed write transaction and then bumps the graph
// version, last, so that the version's write lock, which orders every
// write, is held only for the bump and the commit, not across the round
// trips of the work (and not for the whole run of an import). The bump's
// statement also writes the change record work returns, at the new
// version, so the record commits exactly when the write does, and prunes
// the records older than the retention (version_bump.cypher). The nodes a
// write validates against are locked by the work itself (lock_nodes). An
// error from work rolls everything back; errNoChange is returned as is for
// the caller to turn into its "nothing done" answer.
func write[T any](ctx context.Context, s *Store, op string, work func(context.Context, neo4j.ManagedTransaction) (T, kg.Change, error)) (T, error) {
	var zero T
	ctx, cancel := s.bound(ctx)
	defer cancel()
	sess := s.session(ctx, neo4j.AccessModeWrite, neo4j.FetchDefault)
	defer sess.Close(context.WithoutCancel(ctx))
	var err error
	for attempt := 1; attempt <= writeAttempts; attempt++ {
		var out T
		out, err = neo4j.ExecuteWrite(ctx, sess, func(tx neo4j.ManagedTransaction) (T, error) {
			out, ch, err := work(ctx, tx)
			if err != nil {
				return zero, err
			}
			ch.At = now()
			rest, err := changeRest(ch)
			if err != nil {
				return zero, err
			}
			recs, err := run(ctx, tx, stmtVersionBump, map[string]any{"changeRest": rest, "retention": s.retention})
			if err != nil {
				return zero, err
			}
			if len(recs) != 1 {
				return zero, fmt.Errorf("version bump returned %d records", len(recs))
			}
			return out, nil
		}, neo4j.WithTxTimeout(s.timeout))
		if !errors.Is(err, errRaced) && !entityGone(err) {
			if errors.Is(err, errNoChange) {
				return zero, errNoChange
			}
			if err != nil {
				return zero, s.fail(ctx, op, err)
			}
			return out, nil
		}
	}
	return zero, s.fail(ctx, op, err)
}

// now is the time stamped on writes: UTC without a monotonic reading, so
// that what a write returns equals what a later read returns.
func now() time.Time { return time.Now().UTC() }

// DeleteAll removes every node and relationship of the graph, as one write
// (the version moves on, and its change record deletes every node). It is
// for tests on a throw-away database.
func (s *Store) DeleteAll(ctx context.Context) error {
	_, err := write(ctx, s, "delete all", func(ctx context.Context, tx neo4j.ManagedTransaction) (struct{}, kg.Change, error) {
		if _, err := run(ctx, tx, stmtExternalIDsDeleteAll, map[string]any{}); err != nil {
			return struct{}{}, kg.Change{}, err
		}
		recs, err := run(ctx, tx, stmtCleanDatabase, map[string]any{})
		if err != nil {
			return struct{}{}, kg.Change{}, err
		}
		var ch kg.Change
		for _, r := range recs {
			id, err := r.str("id")
			if err != nil {
				return struct{}{}, kg.Change{}, err
			}
			labels, err := r.strings("labels")
			if err != nil {
				return struct{}{}, kg.Change{}, err
			}
			ch.DeletedNodes = append(ch.DeletedNodes, kg.NodeRef{ID: id, Label: labelOf(labels)})
		}
		return struct{}{}, ch, nil
	})
	return err
}

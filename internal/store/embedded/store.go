// Package embedded is Samverkan's default store: the nodes, their search
// and list indexes and the analytics topology (which relationships there
// are, with the fields analytics read) live in memory; everything, with
// the relationships' properties, is in one bbolt file for durability,
// read from it when an answer shows them. So the API runs on a fresh
// machine without a database server, in little memory.
//
// Concurrency: any number of readers share the in-memory indexes under a
// read lock. Writers are serialised by a separate mutex; a writer validates
// against memory, commits its bbolt transaction (fsync'd) without blocking
// readers, and only then applies the change to memory under the write lock.
// So a write is visible exactly when it is durable, and a failed commit
// leaves memory untouched.
package embedded

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/samverkan/samverkan/internal/engine"
	"github.com/samverkan/samverkan/internal/kg"
)

// FileName is the name of the database file inside the store's directory.
const FileName = "samverkan.db"

// schemaVersion is the layout of the buckets below and in ties.go and
// changes.go: 1 had no node numbers and tie records; 2 adds them; 3 adds
// the change log; 4 the external ids' index (extids.go). A file of an older schema is migrated in place when
// opened; a file written by a newer layout is refused rather than misread.
const schemaVersion = 4

var (
	bucketNodes = []byte("nodes") // id -> nodeEnvelope JSON
	bucketRels  = []byte("rels")  // relKeyBytes -> kg.Rel JSON
	bucketMeta  = []byte("meta")
	keyVersion  = []byte("version") // uint64 big-endian: the graph version
	keySchema   = []byte("schema")  // uint64 big-endian: schemaVersion
)

// openTimeout bounds the wait for the file lock, so that a second process
// on the same directory fails at once (ErrLocked) instead of hanging. The
// lock is the operating system's: a server that died holds none.
const openTimeout = time.Second

// ErrLocked is returned by Open, ImportDir and ExportDir when another
// process (a running server) has the directory's store open.
var ErrLocked = errors.New("the store is locked by another running server")

// openBolt opens the store file, mapping a lock held elsewhere to ErrLocked.
func openBolt(path string, o *bbolt.Options) (*bbolt.DB, error) {
	db, err := bbolt.Open(path, 0o600, o)
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("%w (%s)", ErrLocked, path)
	}
	if err != nil {
		return nil, fmt.Errorf("embedded store: open %s: %w", path, err)
	}
	return db, nil
}

// Option configures Open.
type Option func(*config)

type config struct {
	now       func() time.Time
	mmap      int
	retention uint64
}

// WithInitialMmapSize maps that many bytes of the file from the start (a
// reservation of address space, not memory). A write transaction that
// grows the file past the mapping remaps it and copies every entry the
// transaction holds; a bulk import of a big file (BulkImport) sets a
// mapping larger than the file will become, so that it never remaps.
func WithInitialMmapSize(bytes int) Option {
	return func(c *config) { c.mmap = bytes }
}

// WithClock sets the clock that stamps CreatedAt and UpdatedAt. It is only
// called by one writer at a time. Times are stored in UTC.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now != nil {
			c.now = now
		}
	}
}

// Store is the embedded kg.Store.
type Store struct {
	db        *bbolt.DB
	path      string
	now       func() time.Time
	retention uint64 // versions of change records kept (changes.go)

	// wmu serialises writers (and Check, which must not overlap a bbolt
	// writer). A writer holding wmu may read the indexes without mu,
	// because only writers change them.
	wmu sync.Mutex

	// mu guards everything below: readers hold it shared; a writer holds
	// it exclusively (besides wmu) only while applying a committed change.
	mu      sync.RWMutex
	closed  bool
	version uint64
	nodes   map[string]kg.Node
	index   nodeIndex        // Search's and List's indexes (index.go)
	topo    *engine.Topology // the analytics topology, at version
	// relCache holds recently read relationships (topology.go).
	relCache *lru.Cache[kg.RelKey, kg.Rel]
}

var _ kg.Store = (*Store)(nil)

// Open opens the store in dir, creating the directory and the database file
// (dir/samverkan.db) when they do not exist, and loads the graph into
// memory. Errors from Open are for operators and may name the path.
func Open(dir string, opts ...Option) (*Store, error) {
	cfg := config{now: time.Now, retention: kg.DefaultChangeRetention}
	for _, o := range opts {
		o(&cfg)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("embedded store: create directory: %w", err)
	}
	path := filepath.Join(dir, FileName)
	db, err := openBolt(path, &bbolt.Options{Timeout: openTimeout, InitialMmapSize: cfg.mmap})
	if err != nil {
		return nil, err
	}
	s := &Store{
		db:        db,
		path:      path,
		now:       cfg.now,
		retention: cfg.retention,
		nodes:     make(map[string]kg.Node),
	}
	s.relCache, _ = lru.New[kg.RelKey, kg.Rel](relCacheSize) // fails only for a size ≤ 0
	if err := s.load(); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("embedded store: %s: %w", path, err)
	}
	if len(s.nodes) > 0 {
		go s.warm()
	}
	return s, nil
}

// warm builds the search and list indexes from the loaded nodes in the
// background, so that Open returns as soon as the graph is in memory and
// the first search or list after a start does not pay for the build (about
// 5 s at L, half a minute at XL). Until it is done, readers and writers
// wait for it as they would for that first reader.
func (s *Store) warm() {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if !s.closed {
		s.index.sync()
	}
}

// load brings the file to the current schema (prepareFile) and reads the
// whole graph into memory: the nodes from their JSON, the topology from
// the node numbers and tie records.
func (s *Store) load() error {
	err := s.db.View(prepareFile)
	if errors.Is(err, errNeedsWrite) {
		err = s.db.Update(prepareFile)
	}
	if err != nil {
		return err
	}
	return s.db.View(func(tx *bbolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if v := meta.Get(keyVersion); v != nil {
			ver, err := decodeUint(v)
			if err != nil {
				return fmt.Errorf("graph version: %w", err)
			}
			s.version = ver
		}
		// The nodes' JSON is decoded on every core while the topology is
		// read from the node numbers and tie records (which need no node
		// but its id); the nodes' analytics fields join it at the end.
		var raw []storedNode
		_ = tx.Bucket(bucketNodes).ForEach(func(k, v []byte) error {
			raw = append(raw, storedNode{k, v})
			return nil
		})
		nodes, errs := make([]kg.Node, len(raw)), make([]error, len(raw))
		var wg sync.WaitGroup
		workers := min(runtime.GOMAXPROCS(0), 1+len(raw)/1024)
		for w := range workers {
			wg.Go(func() {
				for i := w; i < len(raw); i += workers {
					nodes[i], errs[i] = decodeStoredNode(raw[i])
				}
			})
		}
		// Relationships stay in the file: memory keeps only their ties,
		// in the topology (what a node has, with the fields analytics
		// read); their properties are read from the file when asked for.
		s.topo = engine.New()
		b := s.topo.Begin()
		err := loadTies(tx, b, raw)
		wg.Wait() // before the transaction ends: the workers read the mapped file
		if err != nil {
			b.Abort()
			return err
		}
		s.nodes = make(map[string]kg.Node, len(nodes))
		s.index.reserve(len(nodes))
		for i, n := range nodes {
			if errs[i] != nil {
				b.Abort()
				return fmt.Errorf("node %q: %w", raw[i].k, errs[i])
			}
			id := n.Base().ID
			s.nodes[id] = n
			s.index.put(n)
			b.PutNode(id, kg.TopoNode(n))
		}
		b.Commit(s.version)
		return nil
	})
}

// storedNode is a node's key and value in the mapped file, valid in the
// transaction that read them.
type storedNode struct{ k, v []byte }

func decodeStoredNode(r storedNode) (kg.Node, error) {
	n, err := decodeNode(r.v)
	if err == nil && n.Base().ID != string(r.k) {
		err = fmt.Errorf("node %q is stored under key %q", n.Base().ID, r.k)
	}
	return n, err
}

// loadTies reads the node numbers and tie records into b, a batch of an
// empty topology: the nodes (raw, in key order: the numbers' order too)
// with empty fields, then each node's tie array sized once and filled by
// dense id.
func loadTies(tx *bbolt.Tx, b *engine.Batch, raw []storedNode) error {
	next, err := decodeUint(tx.Bucket(bucketMeta).Get(keyNextNum))
	if err != nil {
		return fmt.Errorf("next node number: %w", err)
	}
	if next > 1<<32 {
		return fmt.Errorf("next node number %d is out of range", next)
	}
	b.ReserveNodes(len(raw))
	dense := make([]int32, next) // node number → the engine's dense id
	for i := range dense {
		dense[i] = -1
	}
	i := 0
	err = tx.Bucket(bucketNodeNums).ForEach(func(k, v []byte) error {
		if i >= len(raw) || !bytes.Equal(k, raw[i].k) || len(v) != 4 {
			return fmt.Errorf("node number of %q: no such node or a malformed number", k)
		}
		num := binary.BigEndian.Uint32(v)
		if uint64(num) >= next || dense[num] >= 0 {
			return fmt.Errorf("node %q has number %d, out of range or given twice", k, num)
		}
		dense[num] = b.LoadNode(string(k), engine.Node{})
		i++
		return nil
	})
	if err != nil {
		return err
	}
	if i != len(raw) {
		return fmt.Errorf("%d of %d nodes have a node number", i, len(raw))
	}
	tb := tx.Bucket(bucketTies)
	ends := func(k, v []byte) (from, to int32, err error) {
		if len(k) != tieKeyLen || len(v) != tieValueLen || int(k[0]) >= len(kg.RelTypes) {
			return 0, 0, fmt.Errorf("malformed tie record %x", k)
		}
		f, t := binary.BigEndian.Uint32(k[1:]), binary.BigEndian.Uint32(k[5:])
		if uint64(f) >= next || uint64(t) >= next || dense[f] < 0 || dense[t] < 0 {
			return 0, 0, fmt.Errorf("tie record %x refers to a missing node", k)
		}
		from, to = dense[f], dense[t]
		if v[0]&tieReversed != 0 {
			from, to = to, from
		}
		return from, to, nil
	}
	degree := make([]int32, len(raw))
	err = tb.ForEach(func(k, v []byte) error {
		from, to, err := ends(k, v)
		if err != nil {
			return err
		}
		degree[from]++
		degree[to]++
		return nil
	})
	if err != nil {
		return err
	}
	for v, d := range degree {
		if d > 0 {
			b.ReserveEdges(int32(v), int(d))
		}
	}
	return tb.ForEach(func(k, v []byte) error {
		from, to, _ := ends(k, v)
		if !b.LoadEdge(from, to, k[0], v[1], int32(binary.BigEndian.Uint32(v[2:])), int32(binary.BigEndian.Uint32(v[6:]))) {
			return fmt.Errorf("tie record %x joins a node to itself", k)
		}
		return nil
	})
}

// Close releases the file. It is idempotent; every call on a closed store
// returns an error wrapping kg.ErrUnavailable.
func (s *Store) Close() error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	s.nodes = nil
	if err := s.db.Close(); err != nil {
		return unavailable("the embedded store could not be closed cleanly", err)
	}
	return nil
}

// Stats describes the store's size, for metrics.
type Stats struct {
	Nodes     int    // nodes of every label
	Rels      int    // relationships of every type
	Version   uint64 // the graph version, as Version returns it
	FileBytes int64  // size of the database file; 0 when unknown
}

// Stats returns the store's current size. On a closed store the counts are
// zero.
func (s *Store) Stats() Stats {
	s.mu.RLock()
	st := Stats{Nodes: len(s.nodes), Rels: relCount(s.topo.Snapshot()), Version: s.version}
	s.mu.RUnlock()
	if fi, err := os.Stat(s.path); err == nil {
		st.FileBytes = fi.Size()
	}
	return st
}

// Check runs bbolt's consistency check over the whole file and returns every
// problem it finds, joined; nil means the file is sound.
func (s *Store) Check() error {
	// bbolt's check reads the shared freelist, which a concurrent writer
	// changes; so writers wait while it runs.
	s.wmu.Lock()
	defer s.wmu.Unlock()
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return errClosed()
	}
	var errs []error
	err := s.db.View(func(tx *bbolt.Tx) error {
		for err := range tx.Check() {
			errs = append(errs, err)
		}
		return nil
	})
	if err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// relKeysOf returns the keys of every relationship node id has, of any
// type, from the topology; callers hold wmu (only writers change it).
func (s *Store) relKeysOf(id string) []kg.RelKey {
	snap := s.topo.Snapshot()
	x, ok := snap.Lookup(id)
	if !ok {
		return nil
	}
	var keys []kg.RelKey
	for _, e := range snap.Edges(x) {
		t := kg.TypeOfCode(e.Type)
		if e.Out {
			keys = append(keys, kg.KeyOf(t, id, snap.ID(e.To)))
		} else {
			keys = append(keys, kg.KeyOf(t, snap.ID(e.To), id))
		}
	}
	return keys
}

// labelOf looks up a node's label in memory; callers hold wmu or mu.
func (s *Store) labelOf(id string) kg.Label {
	if n := s.nodes[id]; n != nil {
		return n.NodeLabel()
	}
	return ""
}

package embedded

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"go.etcd.io/bbolt"

	"github.com/samverkan/samverkan/internal/kg"
)

// BulkSource produces the entries of a bulk import: it calls node for each
// node and rel for each relationship, every node before the first
// relationship, each with the entry's name for errors (e.g. "actors[12]"),
// and returns the first error a callback returned (or its own). The store
// takes ownership of the values it is given.
type BulkSource func(node func(field string, n kg.Node) error, rel func(field string, r kg.Rel) error) error

// ImportDir is Import without kg.MaxImportNodes and kg.MaxImportRels, for
// files of millions of entries (`samverkan import`), on the store in dir
// while no Store has it open. It validates each entry as it comes with the
// rules of kg.PrepareImport (kg.PrepareNode, kg.PrepareRel against the
// file's content and the entries before it) and writes everything in one
// bbolt transaction: all or nothing. The first invalid entry stops it with
// kg's error naming the entry (e.g. "relationships[999].level: …"); then
// nothing is written. It reads nothing into memory beyond the import
// itself: each entry is encoded as it comes, and only the encoded entries
// are held until the commit, which writes them in key order. It
// creates the directory and the file when they do not exist. A store open
// elsewhere (a running server) holds the file's lock: then ImportDir fails
// after waiting a few seconds.
func ImportDir(ctx context.Context, dir string, src BulkSource, opts ...Option) (kg.ImportResult, error) {
	var res kg.ImportResult
	cfg := config{now: time.Now}
	for _, o := range opts {
		o(&cfg)
	}
	db, err := openDB(dir, cfg, false)
	if err != nil {
		return res, err
	}
	defer db.Close()
	now := cfg.now().UTC()
	stamp, err := now.MarshalJSON()
	if err != nil {
		return res, kg.Invalid("now", "the clock gave a time JSON cannot hold: %v", err)
	}
	type entry struct {
		key, body []byte
		tie       [tieValueLen]byte // a relationship's tie record
	}
	var nodes, rels []entry
	var partOf []kg.Rel // the new PART_OF ties, checked for cycles before the commit
	var partOfFields []string
	batch := map[string]kg.Label{}
	type claim struct{ owner, field string }
	claims := map[kg.ExternalID]claim{} // the external ids the import's actors hold
	var claimOrder []kg.ExternalID
	var released []kg.ExternalID // those the actors it replaces held
	seen := map[uint64]int{}     // hash of a relationship key -> its index
	entries := 0
	relsBegun := false
	written := false // the entries are all valid: an error is bbolt's
	err = db.Update(func(tx *bbolt.Tx) error {
		nb, rb, meta := tx.Bucket(bucketNodes), tx.Bucket(bucketRels), tx.Bucket(bucketMeta)
		existingNode := func(id string) (kg.Node, error) {
			v := nb.Get([]byte(id))
			if v == nil {
				return nil, nil
			}
			n, err := decodeNode(v)
			if err != nil {
				return nil, unavailable("the embedded store holds a node it cannot decode", err)
			}
			return n, nil
		}
		stored := map[string]kg.Label{} // labels of stored nodes relationships name
		var lookupErr error
		labelOf := func(id string) kg.Label {
			if l, ok := batch[id]; ok {
				return l
			}
			if l, ok := stored[id]; ok {
				return l
			}
			n, err := existingNode(id)
			if err != nil {
				lookupErr = err
			}
			var l kg.Label
			if n != nil {
				l = n.NodeLabel()
			}
			stored[id] = l
			return l
		}
		tick := func() error {
			if entries++; entries%65536 == 0 {
				return ctxErr(ctx)
			}
			return nil
		}
		node := func(field string, n kg.Node) error {
			if err := tick(); err != nil {
				return err
			}
			if relsBegun {
				return kg.Invalid(field, "comes after a relationship; every node must come first")
			}
			if kg.IsNil(n) {
				return kg.Invalid(field, "is null")
			}
			kg.Normalize(n)
			id := n.Base().ID
			if id == "" {
				return kg.Invalid(field+".id", "is required in an import")
			}
			existing, err := existingNode(id)
			if err != nil {
				return err
			}
			if err := kg.PrepareNode(n, existing, now); err != nil {
				return kg.WithField(err, field)
			}
			if _, dup := batch[id]; dup {
				return kg.Invalid(field+".id", "%q appears twice in the import", id)
			}
			batch[id] = n.NodeLabel()
			released = append(released, kg.ExternalIDsOf(existing)...)
			for j, x := range kg.ExternalIDsOf(n) {
				if c, ok := claims[x]; ok {
					return kg.ExternalIDTaken(fmt.Sprintf("%s.externalIds[%d]", field, j), x, c.owner)
				}
				claims[x] = claim{id, fmt.Sprintf("%s.externalIds[%d]", field, j)}
				claimOrder = append(claimOrder, x)
			}
			if existing == nil {
				res.NodesCreated++
			} else {
				res.NodesUpdated++
			}
			body, err := encodeNode(n)
			if err != nil {
				return unavailable("the embedded store could not encode a node", err)
			}
			nodes = append(nodes, entry{key: []byte(id), body: body})
			return nil
		}
		rel := func(field string, r kg.Rel) error {
			relsBegun = true
			if err := tick(); err != nil {
				return err
			}
			kg.NormalizeRel(&r)
			var existing *kg.Rel
			if r.Type.Valid() {
				if v := rb.Get(relKeyBytes(r.Key())); v != nil {
					e, err := decodeRel(v)
					if err != nil {
						return unavailable("the embedded store holds a relationship it cannot decode", err)
					}
					existing = &e
				}
			}
			err := kg.PrepareRel(&r, labelOf, existing, now)
			if lookupErr != nil {
				return lookupErr
			}
			if err != nil {
				return kg.WithField(err, field)
			}
			key := relKeyBytes(r.Key())
			h := hashBytes(key)
			if j, dup := seen[h]; dup && string(rels[j].key) == string(key) {
				return kg.Invalid(field, "repeats relationships[%d] (%s %s–%s)", j, r.Type, r.From, r.To)
			}
			seen[h] = len(rels)
			if r.Type == kg.RelPartOf && existing == nil {
				partOf, partOfFields = append(partOf, kg.Rel{Type: r.Type, From: r.From, To: r.To}), append(partOfFields, field)
			}
			if existing == nil {
				res.RelsCreated++
			} else {
				res.RelsUpdated++
			}
			body, err := appendRel(make([]byte, 0, 160), &r, now, stamp)
			if err != nil {
				return unavailable("the embedded store could not encode a relationship", err)
			}
			rels = append(rels, entry{key: key, body: slices.Clip(body), tie: tieValue(&r)})
			return nil
		}
		if err := src(node, rel); err != nil {
			return err
		}
		if err := ctxErr(ctx); err != nil {
			return err
		}
		if err := kg.CheckPartOf(partOf, partOfFields, storedPartOf(rb)); err != nil {
			return err
		}
		// An external id another actor holds may only move to this
		// import's actor when the import replaces that one too (without
		// it: no two of its actors claim one).
		xb := tx.Bucket(bucketExtIDs)
		for _, x := range claimOrder {
			c := claims[x]
			if owner := string(xb.Get([]byte(x.Key()))); owner != "" && owner != c.owner {
				if _, replaced := batch[owner]; !replaced {
					return kg.ExternalIDTaken(c.field, x, owner)
				}
			}
		}
		seen, batch, stored = nil, nil, nil
		written = true
		// Written in key order: bbolt then appends instead of inserting in
		// the middle of its in-memory nodes; into an empty bucket, pages
		// are filled. New nodes get their numbers in id order, and every
		// relationship its tie record.
		nums := newNumbers(tx)
		var ties []tieEntry
		for _, part := range []struct {
			b  *bbolt.Bucket
			es []entry
		}{{nb, nodes}, {rb, rels}} {
			slices.SortFunc(part.es, func(a, b entry) int { return bytes.Compare(a.key, b.key) })
			if k, _ := part.b.Cursor().First(); k == nil {
				part.b.FillPercent = 1
			}
			for i, e := range part.es {
				if err := part.b.Put(e.key, e.body); err != nil {
					return err
				}
				if part.b == nb {
					if err := nums.assign(string(e.key)); err != nil {
						return err
					}
				} else {
					typ, ends, _ := bytes.Cut(e.key, []byte{0})
					from, to, _ := bytes.Cut(ends, []byte{0})
					tk, err := nums.keyOf(kg.RelKey{Type: kg.RelType(typ), From: string(from), To: string(to)})
					if err != nil {
						return err
					}
					ties = append(ties, tieEntry{key: [tieKeyLen]byte(tk), value: e.tie})
				}
				part.es[i].key = nil // bbolt keeps a copy
			}
		}
		rels = nil
		for _, x := range released {
			if err := xb.Delete([]byte(x.Key())); err != nil {
				return err
			}
		}
		for _, x := range claimOrder {
			if err := xb.Put([]byte(x.Key()), []byte(claims[x].owner)); err != nil {
				return err
			}
		}
		if err := putTies(tx.Bucket(bucketTies), ties); err != nil {
			return err
		}
		if err := nums.flush(); err != nil {
			return err
		}
		var version uint64
		if v := meta.Get(keyVersion); v != nil {
			if version, err = decodeUint(v); err != nil {
				return err
			}
		}
		return meta.Put(keyVersion, encodeUint(version+1))
	})
	if err != nil {
		if written {
			err = unavailable("the embedded store could not save the import; nothing was changed", err)
		}
		return kg.ImportResult{}, err
	}
	return res, nil
}

// storedPartOf looks up what nodes are PART_OF in the relationships bucket:
// keys are type, from and to joined by NUL, so one prefix seek per id.
func storedPartOf(rb *bbolt.Bucket) func(ids []string) (map[string][]string, error) {
	return func(ids []string) (map[string][]string, error) {
		out := map[string][]string{}
		c := rb.Cursor()
		for _, id := range ids {
			prefix := []byte(string(kg.RelPartOf) + "\x00" + id + "\x00")
			for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
				out[id] = append(out[id], string(k[len(prefix):]))
			}
		}
		return out, nil
	}
}

// hashBytes is 64-bit FNV-1a.
func hashBytes(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h = (h ^ uint64(c)) * 1099511628211
	}
	return h
}

// ExportDir is Export on the store in dir while no Store has it open
// (`samverkan export`), reading the file in one read transaction without
// loading the graph: nodes by label (actors, projects, needs,
// competencies) and by id within a label, then relationships in key order
// (type name, then the ids as the key orders them).
func ExportDir(ctx context.Context, dir string, node func(kg.Node) error, rel func(kg.Rel) error) error {
	if _, err := os.Stat(filepath.Join(dir, FileName)); err != nil {
		return fmt.Errorf("embedded store: %w", err)
	}
	db, err := openDB(dir, config{}, true)
	if err != nil {
		return err
	}
	defer db.Close()
	return db.View(func(tx *bbolt.Tx) error {
		nb := tx.Bucket(bucketNodes)
		for _, l := range kg.Labels {
			err := nb.ForEach(func(k, v []byte) error {
				var env struct {
					Label kg.Label `json:"label"`
				}
				if err := json.Unmarshal(v, &env); err != nil || env.Label != l {
					if err != nil {
						return fmt.Errorf("node %q: %w", k, err)
					}
					return nil
				}
				n, err := decodeNode(v)
				if err != nil {
					return fmt.Errorf("node %q: %w", k, err)
				}
				return node(n)
			})
			if err != nil {
				return err
			}
			if err := ctxErr(ctx); err != nil {
				return err
			}
		}
		i := 0
		return tx.Bucket(bucketRels).ForEach(func(k, v []byte) error {
			if i++; i%65536 == 0 {
				if err := ctxErr(ctx); err != nil {
					return err
				}
			}
			r, err := decodeRel(v)
			if err != nil {
				return fmt.Errorf("relationship %q: %w", k, err)
			}
			return rel(r)
		})
	})
}

// openDB opens dir's file for ImportDir and ExportDir, with the buckets
// and the schema check of Open.
func openDB(dir string, cfg config, readOnly bool) (*bbolt.DB, error) {
	if !readOnly {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("embedded store: create directory: %w", err)
		}
	}
	path := filepath.Join(dir, FileName)
	db, err := openBolt(path, &bbolt.Options{Timeout: openTimeout, InitialMmapSize: cfg.mmap, ReadOnly: readOnly})
	if err != nil {
		return nil, err
	}
	check := func(tx *bbolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil || tx.Bucket(bucketNodes) == nil || tx.Bucket(bucketRels) == nil {
			return errors.New("the file lacks the store's buckets")
		}
		if v := meta.Get(keySchema); v != nil {
			got, err := decodeUint(v)
			if err != nil {
				return fmt.Errorf("schema version: %w", err)
			}
			if got > schemaVersion {
				return fmt.Errorf("file has schema version %d; this build reads up to %d", got, schemaVersion)
			}
		}
		return nil
	}
	if readOnly {
		err = db.View(check)
	} else {
		err = db.Update(prepareFile)
	}
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("embedded store: %s: %w", path, err)
	}
	return db, nil
}

// appendRel appends r's stored form, the JSON json.Marshal gives kg.Rel,
// to buf. It is ImportDir's hot path: a third of the time Marshal takes.
// stamp is the JSON of the import's time, which a relationship's times
// mostly are; r's strings must be valid UTF-8 (else Marshal is used).
func appendRel(buf []byte, r *kg.Rel, now time.Time, stamp []byte) ([]byte, error) {
	valid := utf8.ValidString(string(r.Type)) && utf8.ValidString(r.From) && utf8.ValidString(r.To) &&
		utf8.ValidString(r.Role) && utf8.ValidString(r.Evidence) && utf8.ValidString(r.Description) &&
		utf8.ValidString(string(r.Start)) && utf8.ValidString(string(r.End)) && utf8.ValidString(string(r.Since)) &&
		utf8.ValidString(r.Currency) && utf8.ValidString(string(r.Basis)) && utf8.ValidString(r.Quote) &&
		r.Amount == 0 // a funding amount is rare: Marshal writes the float
	for _, s := range r.Sources {
		valid = valid && utf8.ValidString(s)
	}
	if !valid {
		b, err := json.Marshal(r)
		return append(buf, b...), err
	}
	str := func(name, v string, omit bool) {
		if omit && v == "" {
			return
		}
		buf = append(buf, `,"`...)
		buf = append(buf, name...)
		buf = append(buf, `":`...)
		buf = appendJSONString(buf, v)
	}
	num := func(name string, v int) {
		if v != 0 {
			buf = append(buf, `,"`...)
			buf = append(buf, name...)
			buf = append(buf, `":`...)
			buf = strconv.AppendInt(buf, int64(v), 10)
		}
	}
	buf = append(buf, `{"type":`...)
	buf = appendJSONString(buf, string(r.Type))
	str("from", r.From, false)
	str("to", r.To, false)
	str("role", r.Role, true)
	str("start", string(r.Start), true)
	str("end", string(r.End), true)
	num("level", r.Level)
	str("evidence", r.Evidence, true)
	num("importance", r.Importance)
	str("since", string(r.Since), true)
	str("description", r.Description, true)
	str("currency", r.Currency, true)
	str("basis", string(r.Basis), true)
	str("quote", r.Quote, true)
	if len(r.Sources) > 0 {
		buf = append(buf, `,"sources":[`...)
		for i, s := range r.Sources {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendJSONString(buf, s)
		}
		buf = append(buf, ']')
	}
	for _, t := range []struct {
		name string
		v    time.Time
	}{{"createdAt", r.CreatedAt}, {"updatedAt", r.UpdatedAt}} {
		buf = append(buf, `,"`...)
		buf = append(buf, t.name...)
		buf = append(buf, `":`...)
		if t.v.Equal(now) && t.v.Location() == now.Location() {
			buf = append(buf, stamp...)
			continue
		}
		b, err := t.v.MarshalJSON()
		if err != nil {
			return buf, err
		}
		buf = append(buf, b...)
	}
	return append(buf, '}'), nil
}

// appendJSONString appends s, valid UTF-8, as a JSON string in the form
// encoding/json writes it (HTML characters and U+2028/U+2029 escaped too).
func appendJSONString(buf []byte, s string) []byte {
	const hex = "0123456789abcdef"
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			buf = append(buf, s[start:i]...)
			switch c {
			case '"', '\\':
				buf = append(buf, '\\', c)
			case '\n':
				buf = append(buf, '\\', 'n')
			case '\r':
				buf = append(buf, '\\', 'r')
			case '\t':
				buf = append(buf, '\\', 't')
			case '\b':
				buf = append(buf, '\\', 'b')
			case '\f':
				buf = append(buf, '\\', 'f')
			default:
				buf = append(buf, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == '\u2028' || r == '\u2029' {
			buf = append(buf, s[start:i]...)
			buf = append(buf, '\\', 'u', '2', '0', '2', hex[r&0xf])
			start = i + size
		}
		i += size
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}

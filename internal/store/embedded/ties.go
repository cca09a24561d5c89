package embedded

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"

	"go.etcd.io/bbolt"

	"github.com/samverkan/samverkan/internal/kg"
)

// Schema version 2 keeps, beside each relationship's JSON, its tie in a
// compact fixed-size record (bucket ties), so that opening a file reads
// the topology without decoding a million JSON bodies. A tie names its
// endpoints by node numbers (bucket nodeNums: id → number, dense when
// written, never reused), which the load maps to the engine's dense ids
// by an array. Every write that changes a relationship or a node's
// existence changes these buckets in the same bbolt transaction.
//
// A tie record holds engine codes (kg.TypeCode, the participation role's
// code in its weight), which change when the model's code tables do; the
// file stores a fingerprint of those tables (keyTieCodes), and a file
// whose fingerprint differs has its tie records rebuilt once at open.

var (
	bucketNodeNums = []byte("nodeNums") // node id -> uint32 big-endian
	bucketTies     = []byte("ties")     // tieKey -> tieValue
	keyNextNum     = []byte("nextNodeNum")
	keyTieCodes    = []byte("tieCodes")
)

// tieKey is type code (1), key From's number (4), key To's number (4): the
// relationship's kg.RelKey in numbers.
const tieKeyLen = 9

// tieValue is flags (1; tieReversed: the stored From is the key's To, for
// a symmetric type), weight (1), start (4) and end (4) as engine.Tie has
// them.
const (
	tieValueLen = 10
	tieReversed = 1
)

// tieCodes is the fingerprint of the code tables that tie records depend
// on. tieFormat changes with what kg.TopoTie puts in a tie.
func tieCodes() []byte {
	const tieFormat = "ties 1"
	var b strings.Builder
	b.WriteString(tieFormat)
	for _, t := range kg.RelTypes {
		fmt.Fprintf(&b, ";%s %d %t %t", t, kg.TypeCode(t), t.Dated(), t.Symmetric())
	}
	for _, r := range kg.ParticipationRoles {
		fmt.Fprintf(&b, ";%s", r)
	}
	return encodeUint(hashBytes([]byte(b.String())))
}

func tieKey(code uint8, from, to uint32) []byte {
	k := make([]byte, tieKeyLen)
	k[0] = code
	binary.BigEndian.PutUint32(k[1:], from)
	binary.BigEndian.PutUint32(k[5:], to)
	return k
}

// tieValue is the record of r's tie.
func tieValue(r *kg.Rel) [tieValueLen]byte {
	t := kg.TopoTie(*r)
	var v [tieValueLen]byte
	if r.From != r.Key().From {
		v[0] = tieReversed
	}
	v[1] = t.W
	binary.BigEndian.PutUint32(v[2:], uint32(t.Start))
	binary.BigEndian.PutUint32(v[6:], uint32(t.End))
	return v
}

// numbers reads and assigns node numbers within one write transaction.
type numbers struct {
	b    *bbolt.Bucket
	meta *bbolt.Bucket
	next uint32
	read bool
	memo map[string]uint32 // looked up or assigned in this transaction
}

func newNumbers(tx *bbolt.Tx) *numbers {
	return &numbers{b: tx.Bucket(bucketNodeNums), meta: tx.Bucket(bucketMeta), memo: map[string]uint32{}}
}

// of returns id's number; false when the node has none.
func (n *numbers) of(id string) (uint32, bool) {
	if v, ok := n.memo[id]; ok {
		return v, true
	}
	raw := n.b.Get([]byte(id))
	if len(raw) != 4 {
		return 0, false
	}
	v := binary.BigEndian.Uint32(raw)
	n.memo[id] = v
	return v, true
}

// assign gives id a number when it has none (a new node).
func (n *numbers) assign(id string) error {
	if _, ok := n.of(id); ok {
		return nil
	}
	if !n.read {
		v := n.meta.Get(keyNextNum)
		if len(v) == 8 {
			n.next = uint32(binary.BigEndian.Uint64(v))
		}
		n.read = true
	}
	if n.next == ^uint32(0) {
		return fmt.Errorf("no node numbers left")
	}
	num := n.next
	n.next++
	n.memo[id] = num
	return n.b.Put([]byte(id), binary.BigEndian.AppendUint32(nil, num))
}

// remove takes id's number away (a deleted node).
func (n *numbers) remove(id string) error {
	delete(n.memo, id)
	return n.b.Delete([]byte(id))
}

// flush stores the next free number; call it before the transaction
// commits.
func (n *numbers) flush() error {
	if !n.read {
		return nil
	}
	return n.meta.Put(keyNextNum, encodeUint(uint64(n.next)))
}

// keyOf is the tie key of the relationship with key k.
func (n *numbers) keyOf(k kg.RelKey) ([]byte, error) {
	from, ok1 := n.of(k.From)
	to, ok2 := n.of(k.To)
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("relationship %s %s-%s joins a node without a number", k.Type, k.From, k.To)
	}
	return tieKey(kg.TypeCode(k.Type), from, to), nil
}

// putTie writes r's tie record.
func (n *numbers) putTie(ties *bbolt.Bucket, r *kg.Rel) error {
	k, err := n.keyOf(r.Key())
	if err != nil {
		return err
	}
	v := tieValue(r)
	return ties.Put(k, v[:])
}

// deleteTie removes the tie record of the relationship with key k.
func (n *numbers) deleteTie(ties *bbolt.Bucket, k kg.RelKey) error {
	tk, err := n.keyOf(k)
	if err != nil {
		return err
	}
	return ties.Delete(tk)
}

// prepareFile brings a file to the current schema inside tx, a write
// transaction: a new file gets the buckets; a file of schema 1 gets node
// numbers and tie records (the whole migration in tx, so all or nothing);
// a file whose tie codes differ from this build's, or whose node numbers
// have become sparse, gets them rebuilt. It refuses a newer schema.
//
// In a read transaction it changes nothing: it returns errNeedsWrite when
// the file needs any of that, so that opening a current file writes
// nothing.
func prepareFile(tx *bbolt.Tx) error {
	if !tx.Writable() {
		return checkPrepared(tx)
	}
	fresh := tx.Bucket(bucketMeta) == nil
	for _, b := range [][]byte{bucketNodes, bucketRels, bucketMeta, bucketChanges, bucketExtIDs} {
		if _, err := tx.CreateBucketIfNotExists(b); err != nil {
			return err
		}
	}
	meta := tx.Bucket(bucketMeta)
	got := uint64(schemaVersion)
	if v := meta.Get(keySchema); v != nil {
		var err error
		if got, err = decodeUint(v); err != nil {
			return fmt.Errorf("schema version: %w", err)
		}
		if got > schemaVersion {
			return fmt.Errorf("file has schema version %d; this build reads up to %d", got, schemaVersion)
		}
	} else if !fresh {
		got = 1 // buckets without a schema key: cannot be written by any release, read as the first
	}
	switch {
	case fresh:
		for _, b := range [][]byte{bucketNodeNums, bucketTies} {
			if _, err := tx.CreateBucket(b); err != nil {
				return err
			}
		}
		if err := meta.Put(keyNextNum, encodeUint(0)); err != nil {
			return err
		}
	case got == 1:
		if err := rebuildTies(tx, true); err != nil {
			return fmt.Errorf("migrating schema 1 to %d: %w", schemaVersion, err)
		}
	default:
		renumber, err := sparseNumbers(tx)
		if err != nil {
			return err
		}
		if renumber || !bytes.Equal(meta.Get(keyTieCodes), tieCodes()) {
			if err := rebuildTies(tx, renumber); err != nil {
				return fmt.Errorf("rebuilding the tie records: %w", err)
			}
		}
	}
	if !fresh && got < 4 {
		if err := rebuildExtIDs(tx); err != nil {
			return fmt.Errorf("migrating schema %d to %d: %w", got, schemaVersion, err)
		}
	}
	if !bytes.Equal(meta.Get(keyTieCodes), tieCodes()) {
		if err := meta.Put(keyTieCodes, tieCodes()); err != nil {
			return err
		}
	}
	if got != schemaVersion || meta.Get(keySchema) == nil {
		return meta.Put(keySchema, encodeUint(schemaVersion))
	}
	return nil
}

// errNeedsWrite says that prepareFile must run in a write transaction.
var errNeedsWrite = errors.New("the file needs a write to be brought to the current schema")

// checkPrepared is prepareFile's check, in a read transaction.
func checkPrepared(tx *bbolt.Tx) error {
	meta := tx.Bucket(bucketMeta)
	if meta == nil || tx.Bucket(bucketNodes) == nil || tx.Bucket(bucketRels) == nil || tx.Bucket(bucketChanges) == nil ||
		tx.Bucket(bucketExtIDs) == nil || meta.Get(keySchema) == nil {
		return errNeedsWrite
	}
	got, err := decodeUint(meta.Get(keySchema))
	if err != nil {
		return fmt.Errorf("schema version: %w", err)
	}
	if got > schemaVersion {
		return fmt.Errorf("file has schema version %d; this build reads up to %d", got, schemaVersion)
	}
	if got < schemaVersion {
		return errNeedsWrite
	}
	renumber, err := sparseNumbers(tx)
	if err != nil {
		return err
	}
	if renumber || !bytes.Equal(meta.Get(keyTieCodes), tieCodes()) {
		return errNeedsWrite
	}
	return nil
}

// sparseNumbers reports whether many node numbers are no longer used
// (nodes deleted), so that the load's number → dense id array would waste
// memory: then the file is renumbered.
func sparseNumbers(tx *bbolt.Tx) (bool, error) {
	if tx.Bucket(bucketNodeNums) == nil || tx.Bucket(bucketTies) == nil {
		return false, fmt.Errorf("the file lacks the node numbers or tie records of schema %d", schemaVersion)
	}
	next, err := decodeUint(tx.Bucket(bucketMeta).Get(keyNextNum))
	if err != nil {
		return false, fmt.Errorf("next node number: %w", err)
	}
	if next <= renumberAbove {
		return false, nil
	}
	used := tx.Bucket(bucketNodeNums).Stats().KeyN
	return next > 2*uint64(used), nil
}

// rebuildTies writes every tie record anew from the relationships' JSON
// and, with renumber, numbers every node anew in id order.
func rebuildTies(tx *bbolt.Tx, renumber bool) error {
	meta := tx.Bucket(bucketMeta)
	if renumber || tx.Bucket(bucketNodeNums) == nil {
		if tx.Bucket(bucketNodeNums) != nil {
			if err := tx.DeleteBucket(bucketNodeNums); err != nil {
				return err
			}
		}
		nb, err := tx.CreateBucket(bucketNodeNums)
		if err != nil {
			return err
		}
		nb.FillPercent = 1 // keys come in order
		var num uint32
		err = tx.Bucket(bucketNodes).ForEach(func(k, _ []byte) error {
			if err := nb.Put(k, binary.BigEndian.AppendUint32(nil, num)); err != nil {
				return err
			}
			num++
			return nil
		})
		if err != nil {
			return err
		}
		if err := meta.Put(keyNextNum, encodeUint(uint64(num))); err != nil {
			return err
		}
	}
	if tx.Bucket(bucketTies) != nil {
		if err := tx.DeleteBucket(bucketTies); err != nil {
			return err
		}
	}
	tb, err := tx.CreateBucket(bucketTies)
	if err != nil {
		return err
	}
	nums := newNumbers(tx)
	var recs []tieEntry
	err = tx.Bucket(bucketRels).ForEach(func(k, v []byte) error {
		r, err := decodeTie(v)
		if err != nil {
			return fmt.Errorf("relationship %q: %w", k, err)
		}
		tk, err := nums.keyOf(r.Key())
		if err != nil {
			return err
		}
		recs = append(recs, tieEntry{key: [tieKeyLen]byte(tk), value: tieValue(&r)})
		return nil
	})
	if err != nil {
		return err
	}
	return putTies(tb, recs)
}

// tieEntry is a tie record to write.
type tieEntry struct {
	key   [tieKeyLen]byte
	value [tieValueLen]byte
}

// putTies writes the records in key order (filling pages when the bucket
// is empty).
func putTies(tb *bbolt.Bucket, recs []tieEntry) error {
	slices.SortFunc(recs, func(a, b tieEntry) int { return bytes.Compare(a.key[:], b.key[:]) })
	if k, _ := tb.Cursor().First(); k == nil {
		tb.FillPercent = 1
	}
	for i := range recs {
		if err := tb.Put(recs[i].key[:], recs[i].value[:]); err != nil {
			return err
		}
	}
	return nil
}

// renumberAbove is the next node number up to which numbers are never
// renumbered, however sparse (a variable for tests).
var renumberAbove uint64 = 1 << 16

// Package auth authenticates API clients by key and authorises GraphQL
// operations by role.
//
// Keys are configured as `name:role:sha256hex` entries: the server never
// holds a key itself, only its SHA-256 hash, and compares the hash of a
// presented key with every configured hash in constant time. Clients send
// the key as `Authorization: Bearer <key>`.
package auth

import (
	"bufio"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync/atomic"
)

// Role is what a key may do. Roles are ordered: each includes the ones
// below it.
type Role int

const (
	// RoleNone is an anonymous caller: reads only, and only with
	// AUTH_READS=public.
	RoleNone Role = iota
	// RoleReader may read when reads need a key.
	RoleReader
	// RoleEditor may also write: upsert…, set… and remove… mutations.
	RoleEditor
	// RoleAdmin may do everything, delete… and importGraph included.
	RoleAdmin
)

func (r Role) String() string {
	switch r {
	case RoleReader:
		return "reader"
	case RoleEditor:
		return "editor"
	case RoleAdmin:
		return "admin"
	}
	return "anonymous"
}

// ParseRole parses reader, editor or admin.
func ParseRole(s string) (Role, error) {
	switch s {
	case "reader":
		return RoleReader, nil
	case "editor":
		return RoleEditor, nil
	case "admin":
		return RoleAdmin, nil
	}
	return RoleNone, fmt.Errorf("role %q is not reader, editor or admin", s)
}

// Key is one configured API key: its name (for logs and rate limits), its
// role and the SHA-256 hash of the secret.
type Key struct {
	Name string
	Role Role
	hash [sha256.Size]byte
}

var validName = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// parseEntry parses `name:role:sha256hex`. Errors never repeat the entry:
// someone may have pasted a key instead of its hash.
func parseEntry(s string) (Key, error) {
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return Key{}, fmt.Errorf("is not name:role:sha256hex")
	}
	name, role, hexHash := strings.TrimSpace(parts[0]), strings.TrimSpace(parts[1]), strings.TrimSpace(parts[2])
	if !validName.MatchString(name) {
		return Key{}, fmt.Errorf("the name must be 1–64 letters, digits, '.', '_' or '-'")
	}
	r, err := ParseRole(role)
	if err != nil {
		return Key{}, fmt.Errorf("key %q: %w", name, err)
	}
	k := Key{Name: name, Role: r}
	if len(hexHash) != 2*sha256.Size {
		return Key{}, fmt.Errorf("key %q: the hash must be 64 hex digits (the SHA-256 of the key, e.g. from sha256sum)", name)
	}
	if _, err := hex.Decode(k.hash[:], []byte(hexHash)); err != nil {
		return Key{}, fmt.Errorf("key %q: the hash must be 64 hex digits (the SHA-256 of the key, e.g. from sha256sum)", name)
	}
	return k, nil
}

// Keys is the set of configured keys. Replace swaps the whole set at once
// (a reload of API_KEYS_FILE): every lookup sees either the old set or the
// new one, never a mix.
type Keys struct{ set atomic.Pointer[[]Key] }

// list is the current set; nil for a nil Keys.
func (ks *Keys) list() []Key {
	if ks == nil {
		return nil
	}
	if p := ks.set.Load(); p != nil {
		return *p
	}
	return nil
}

// Replace makes next's keys the set, at once; next is not changed.
func (ks *Keys) Replace(next *Keys) {
	l := next.list()
	ks.set.Store(&l)
}

// ParseKeys reads the keys of API_KEYS (comma-separated entries) and of
// API_KEYS_FILE (one entry per line; blank lines and lines starting with #
// are skipped); file may be nil. Names and hashes must be unique.
func ParseKeys(list string, file io.Reader) (*Keys, error) {
	var keys []Key
	seenName, seenHash := map[string]bool{}, map[[sha256.Size]byte]bool{}
	add := func(where, entry string) error {
		k, err := parseEntry(entry)
		if err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		if seenName[k.Name] {
			return fmt.Errorf("%s: the name %q is used twice", where, k.Name)
		}
		if seenHash[k.hash] {
			return fmt.Errorf("%s: key %q has the same hash as another key", where, k.Name)
		}
		seenName[k.Name], seenHash[k.hash] = true, true
		keys = append(keys, k)
		return nil
	}
	for i, e := range strings.Split(list, ",") {
		if e = strings.TrimSpace(e); e != "" {
			if err := add(fmt.Sprintf("API_KEYS entry %d", i+1), e); err != nil {
				return nil, err
			}
		}
	}
	if file != nil {
		sc := bufio.NewScanner(file)
		for line := 1; sc.Scan(); line++ {
			e := strings.TrimSpace(sc.Text())
			if e == "" || strings.HasPrefix(e, "#") {
				continue
			}
			if err := add(fmt.Sprintf("API_KEYS_FILE line %d", line), e); err != nil {
				return nil, err
			}
		}
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("API_KEYS_FILE: %w", err)
		}
	}
	ks := &Keys{}
	ks.set.Store(&keys)
	return ks, nil
}

// Len is the number of configured keys.
func (ks *Keys) Len() int { return len(ks.list()) }

// Names lists the key names (never the hashes), for the start-up log.
func (ks *Keys) Names() []string {
	keys := ks.list()
	if keys == nil {
		return nil
	}
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k.Name
	}
	return out
}

// Lookup returns the key whose hash is the SHA-256 of secret. It compares
// with every configured hash in constant time and does not stop at a
// match, so its timing tells nothing about which hash came close.
func (ks *Keys) Lookup(secret string) (Key, bool) {
	keys := ks.list()
	sum := sha256.Sum256([]byte(secret))
	found := -1
	for i := range keys {
		eq := subtle.ConstantTimeCompare(sum[:], keys[i].hash[:])
		found = subtle.ConstantTimeSelect(eq, i, found)
	}
	if found < 0 {
		return Key{}, false
	}
	return keys[found], true
}

// HashKey returns the hex SHA-256 of a key: the form API_KEYS holds.
func HashKey(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

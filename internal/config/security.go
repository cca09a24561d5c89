package config

import (
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/samverkan/samverkan/internal/auth"
	"github.com/samverkan/samverkan/internal/limits"
)

// AUTH_READS values.
const (
	AuthReadsPublic = "public" // anyone may read
	AuthReadsKey    = "key"    // reads need a key of any role
)

// Security is the part of the configuration that makes the server safe to
// expose: API keys and roles, query limits, rate limits.
type Security struct {
	Keys          *auth.Keys
	ReadsNeedKey  bool
	Proxies       auth.TrustedProxies
	Production    bool // introspection and field suggestions off
	Limits        limits.Config
	RatePerMinute int // cost per minute per caller; 0: off
	APQCacheSize  int
	// HidePeople: callers without a key read as if no PERSON actor existed
	// (HIDE_PEOPLE_FROM_ANONYMOUS).
	HidePeople bool

	keysList, keysFile string // API_KEYS and API_KEYS_FILE, for ReloadKeys
}

// readKeys parses the keys of API_KEYS (list) and of the file at path
// (none when empty); with AUTH_READS=key there must be one.
func readKeys(list, path string, readsNeedKey bool) (*auth.Keys, error) {
	var file io.Reader
	if path != "" {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("API_KEYS_FILE: %w", err)
		}
		defer f.Close()
		file = f
	}
	ks, err := auth.ParseKeys(list, file)
	if err != nil {
		return nil, err
	}
	if readsNeedKey && ks.Len() == 0 {
		return nil, fmt.Errorf("AUTH_READS=key: no API_KEYS or API_KEYS_FILE configured, so nothing could be read")
	}
	return ks, nil
}

// ReloadKeys reads API_KEYS_FILE again (with API_KEYS as it was at start)
// and makes its keys the server's at once (SIGHUP): requests already past
// authentication keep their identity, every later one is checked against
// the new set. A file that cannot be read or parsed changes nothing, and
// the error says why. It returns the names of the keys now in force.
func (s Security) ReloadKeys() ([]string, error) {
	ks, err := readKeys(s.keysList, s.keysFile, s.ReadsNeedKey)
	if err != nil {
		return nil, err
	}
	s.Keys.Replace(ks)
	return s.Keys.Names(), nil
}

// loadSecurity reads the security rows of the settings table.
func loadSecurity(get func(string) string) (Security, error) {
	s := Security{keysList: get("API_KEYS"), keysFile: get("API_KEYS_FILE")}
	switch get("AUTH_READS") {
	case AuthReadsPublic:
	case AuthReadsKey:
		s.ReadsNeedKey = true
	default:
		return s, fmt.Errorf("AUTH_READS: %q is neither %q nor %q", get("AUTH_READS"), AuthReadsPublic, AuthReadsKey)
	}
	var err error
	if s.Keys, err = readKeys(s.keysList, s.keysFile, s.ReadsNeedKey); err != nil {
		return s, err
	}
	if s.Proxies, err = auth.ParseTrustedProxies(get("TRUSTED_PROXIES")); err != nil {
		return s, fmt.Errorf("TRUSTED_PROXIES: %w", err)
	}
	if s.Production, err = strconv.ParseBool(get("PRODUCTION")); err != nil {
		return s, fmt.Errorf("PRODUCTION: %q is neither true nor false", get("PRODUCTION"))
	}
	if s.HidePeople, err = strconv.ParseBool(get("HIDE_PEOPLE_FROM_ANONYMOUS")); err != nil {
		return s, fmt.Errorf("HIDE_PEOPLE_FROM_ANONYMOUS: %q is neither true nor false", get("HIDE_PEOPLE_FROM_ANONYMOUS"))
	}
	for _, n := range []struct {
		env string
		dst *int
		min int
	}{
		{"MAX_DEPTH", &s.Limits.MaxDepth, 0}, {"MAX_ALIASES", &s.Limits.MaxAliases, 0},
		{"MAX_ROOT_FIELDS", &s.Limits.MaxRootFields, 0}, {"MAX_TOKENS", &s.Limits.MaxTokens, 0},
		{"MAX_QUERY_BYTES", &s.Limits.MaxQueryBytes, 0}, {"MAX_COST", &s.Limits.MaxCost, 0},
		{"MAX_ERRORS", &s.Limits.MaxErrors, 0}, {"RATE_LIMIT_PER_MINUTE", &s.RatePerMinute, 0},
		{"APQ_CACHE_SIZE", &s.APQCacheSize, 1},
	} {
		v, err := strconv.Atoi(get(n.env))
		if err != nil || v < n.min {
			return s, fmt.Errorf("%s: %q is not a number of at least %d", n.env, get(n.env), n.min)
		}
		*n.dst = v
	}
	if s.RatePerMinute > 0 && s.Limits.MaxCost > 0 && s.RatePerMinute < s.Limits.MaxCost {
		return s, fmt.Errorf("RATE_LIMIT_PER_MINUTE (%d) is below MAX_COST (%d): operations the cost limit allows could never run",
			s.RatePerMinute, s.Limits.MaxCost)
	}
	return s, nil
}

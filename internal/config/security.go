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
}

// loadSecurity reads the security rows of the settings table.
func loadSecurity(get func(string) string) (Security, error) {
	var s Security
	var file io.Reader
	if path := get("API_KEYS_FILE"); path != "" {
		f, err := os.Open(path)
		if err != nil {
			return s, fmt.Errorf("API_KEYS_FILE: %w", err)
		}
		defer f.Close()
		file = f
	}
	var err error
	if s.Keys, err = auth.ParseKeys(get("API_KEYS"), file); err != nil {
		return s, err
	}
	switch get("AUTH_READS") {
	case AuthReadsPublic:
	case AuthReadsKey:
		s.ReadsNeedKey = true
		if s.Keys.Len() == 0 {
			return s, fmt.Errorf("AUTH_READS=key: no API_KEYS or API_KEYS_FILE configured, so nothing could be read")
		}
	default:
		return s, fmt.Errorf("AUTH_READS: %q is neither %q nor %q", get("AUTH_READS"), AuthReadsPublic, AuthReadsKey)
	}
	if s.Proxies, err = auth.ParseTrustedProxies(get("TRUSTED_PROXIES")); err != nil {
		return s, fmt.Errorf("TRUSTED_PROXIES: %w", err)
	}
	if s.Production, err = strconv.ParseBool(get("PRODUCTION")); err != nil {
		return s, fmt.Errorf("PRODUCTION: %q is neither true nor false", get("PRODUCTION"))
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

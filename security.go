package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strconv"

	"github.com/99designs/gqlgen/graphql"

	"github.com/samverkan/samverkan/internal/auth"
	"github.com/samverkan/samverkan/internal/limits"
)

const (
	authReadsPublic = "public" // anyone may read
	authReadsKey    = "key"    // reads need a key of any role
)

// security is the part of the configuration that makes the server safe to
// expose: API keys and roles, query limits, rate limits.
type security struct {
	Keys          *auth.Keys
	ReadsNeedKey  bool
	Proxies       auth.TrustedProxies
	Production    bool // introspection and field suggestions off
	Limits        limits.Config
	RatePerMinute int // cost per minute per caller; 0: off
	APQCacheSize  int
}

// loadSecurity reads.
func securitySettings() []setting {
	d := limits.Defaults()
	itoa := strconv.Itoa
	return []setting{
		{env: "API_KEYS", def: "", help: "comma-separated API keys as name:role:sha256hex (role reader, editor or admin; the hash is the SHA-256 of the key)"},
		{env: "API_KEYS_FILE", def: "", help: "file of API keys, one name:role:sha256hex per line (# starts a comment)"},
		{env: "AUTH_READS", def: authReadsPublic, help: "public: anyone may read; key: reads need a key too"},
		{env: "TRUSTED_PROXIES", def: "", help: "comma-separated addresses or CIDRs of reverse proxies whose X-Forwarded-For is believed (empty: none)"},
		{env: "PRODUCTION", def: "false", help: "true: introspection and field suggestions off"},
		{env: "MAX_DEPTH", def: itoa(d.MaxDepth), help: "deepest operation: fields on the longest path, leaf included (0: no limit)"},
		{env: "MAX_ALIASES", def: itoa(d.MaxAliases), help: "aliased fields in one operation (0: no limit)"},
		{env: "MAX_ROOT_FIELDS", def: itoa(d.MaxRootFields), help: "root fields in one operation (0: no limit)"},
		{env: "MAX_TOKENS", def: itoa(d.MaxTokens), help: "lexical tokens in one query document (0: no limit)"},
		{env: "MAX_QUERY_BYTES", def: itoa(d.MaxQueryBytes), help: "bytes of one query document, variables not counted (0: no limit)"},
		{env: "MAX_COST", def: itoa(d.MaxCost), help: "estimated cost of one operation (0: no limit)"},
		{env: "MAX_ERRORS", def: itoa(d.MaxErrors), help: "errors in one response; the rest are left out (0: no limit)"},
		{env: "RATE_LIMIT_PER_MINUTE", def: "60000", help: "cost one API key, or one client address without a key, may spend per minute (0: off)"},
		{env: "APQ_CACHE_SIZE", def: "1000", help: "automatic persisted queries kept (least recently used dropped)"},
	}
}

// loadSecurity reads the security rows of config.go's settings table.
func loadSecurity(get func(string) string) (security, error) {
	var s security
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
	case authReadsPublic:
	case authReadsKey:
		s.ReadsNeedKey = true
		if s.Keys.Len() == 0 {
			return s, fmt.Errorf("AUTH_READS=key: no API_KEYS or API_KEYS_FILE configured, so nothing could be read")
		}
	default:
		return s, fmt.Errorf("AUTH_READS: %q is neither %q nor %q", get("AUTH_READS"), authReadsPublic, authReadsKey)
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

// extensions are the gqlgen extensions of s, in order: authorisation
// first (a refused caller learns nothing about limits and spends no
// budget), then the query limits, then the rate limit, which charges the
// cost the limits measured.
func (s security) extensions() []graphql.HandlerExtension {
	exts := []graphql.HandlerExtension{&auth.Extension{ReadsNeedKey: s.ReadsNeedKey, Keys: s.Keys}}
	exts = append(exts, s.Limits.Extensions()...)
	if s.RatePerMinute > 0 {
		exts = append(exts, limits.RateLimit{
			Limiter: limits.NewRateLimiter(s.RatePerMinute),
			Key:     func(ctx context.Context) string { return auth.IdentityOf(ctx).RateKey() },
		})
	}
	return exts
}

// middleware finds each request's identity (key or client address).
func (s security) middleware(next http.Handler) http.Handler {
	return auth.Middleware(s.Keys, s.Proxies, next)
}

// logSecurity logs the start-up security settings: key names and counts,
// never keys or hashes.
func (s security) log(log *slog.Logger) {
	reads := authReadsPublic
	if s.ReadsNeedKey {
		reads = authReadsKey
	}
	log.Info("security", "api_keys", s.Keys.Names(), "auth_reads", reads, "production", s.Production,
		"trusted_proxies", len(s.Proxies), "rate_limit_per_minute", s.RatePerMinute, "max_cost", s.Limits.MaxCost,
		"max_depth", s.Limits.MaxDepth)
}

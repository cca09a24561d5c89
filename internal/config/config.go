// Package config is the server's configuration: one table of settings, each
// an environment variable that the flag of the same name overrides
// (PORT → -port, DATA_DIR → -data-dir), read by Load.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"
)

// Seed values.
const (
	SeedAuto  = "auto"  // load the Nordic dataset into an empty store
	SeedNever = "never" // start with whatever the store holds
)

// Config is the server's configuration.
type Config struct {
	Host               string
	Port               string
	DataDir            string
	Seed               string
	CORSAllowedOrigins []string
	MaxBodyBytes       int64
	RequestTimeout     time.Duration
	ReadTimeout        time.Duration
	WriteTimeout       time.Duration
	IdleTimeout        time.Duration
	ShutdownTimeout    time.Duration
	BackupTimeout      time.Duration
	LogLevel           slog.Level
	ChangeRetention    int // versions of change records kept (the change feed's reach)

	Neo4jURI              string
	Neo4jUsername         string
	Neo4jPassword         string
	Neo4jDatabase         string
	Neo4jStatementTimeout time.Duration
	Neo4jMaxPoolSize      int
	Neo4jAcquireTimeout   time.Duration

	// Security: API keys, query limits, rate limits (security.go).
	Security Security
}

// StoreName is the store the configuration selects: "neo4j" or "embedded".
func (c Config) StoreName() string {
	if c.Neo4jURI != "" {
		return "neo4j"
	}
	return "embedded"
}

// Setting is one configuration entry: its env var, default and help.
type Setting struct {
	env, def, help string
	secret         bool // env only: never a flag, so it does not show in ps
}

// Settings is the whole table, in the order `-help` lists it.
var Settings = []Setting{
	{env: "HOST", def: "", help: "interface to listen on (empty: all)"},
	{env: "PORT", def: "8080", help: "TCP port (0: any free port)"},
	{env: "DATA_DIR", def: "./data", help: "directory of the embedded store"},
	{env: "SEED", def: SeedAuto, help: "auto: load the Nordic dataset into an empty store; never: do not"},
	{env: "CORS_ALLOWED_ORIGINS", def: "*", help: "comma-separated origins allowed by CORS (* for any; credentials are never allowed)"},
	{env: "MAX_BODY_BYTES", def: "1048576", help: "largest request body accepted (413 above)"},
	{env: "REQUEST_TIMEOUT", def: "30s", help: "deadline of one GraphQL request"},
	{env: "READ_TIMEOUT", def: "30s", help: "HTTP read timeout"},
	{env: "WRITE_TIMEOUT", def: "60s", help: "HTTP write timeout"},
	{env: "IDLE_TIMEOUT", def: "120s", help: "HTTP keep-alive idle timeout"},
	{env: "SHUTDOWN_TIMEOUT", def: "20s", help: "how long in-flight requests may finish at shutdown"},
	{env: "BACKUP_TIMEOUT", def: "1h", help: "how long one GET /admin/backup download may take (instead of WRITE_TIMEOUT)"},
	{env: "LOG_LEVEL", def: "info", help: "debug, info, warn or error"},
	{env: "CHANGE_RETENTION", def: "10000", help: "versions of change records kept: how far back the change feed (changes, graphChanged) reaches"},
	{env: "NEO4J_URI", def: "", help: "Neo4j URI (neo4j://, neo4j+s://, bolt://); set: use Neo4j instead of the embedded store"},
	{env: "NEO4J_USERNAME", def: "neo4j", help: "Neo4j user"},
	{env: "NEO4J_PASSWORD", def: "", help: "Neo4j password (environment only)", secret: true},
	{env: "NEO4J_DATABASE", def: "", help: "Neo4j database (empty: the server's default)"},
	{env: "NEO4J_STATEMENT_TIMEOUT", def: "30s", help: "server-side timeout of one Neo4j transaction"},
	{env: "NEO4J_MAX_POOL_SIZE", def: "100", help: "Neo4j connection pool size"},
	{env: "NEO4J_ACQUIRE_TIMEOUT", def: "60s", help: "how long to wait for a pooled Neo4j connection"},
	// Security (security.go; the limits' defaults are limits.Defaults, checked by a test).
	{env: "API_KEYS", def: "", help: "comma-separated API keys as name:role:sha256hex (role reader, editor or admin; the hash is the SHA-256 of the key)"},
	{env: "API_KEYS_FILE", def: "", help: "file of API keys, one name:role:sha256hex per line (# starts a comment)"},
	{env: "AUTH_READS", def: "public", help: "public: anyone may read; key: reads need a key too"},
	{env: "TRUSTED_PROXIES", def: "", help: "comma-separated addresses or CIDRs of reverse proxies whose X-Forwarded-For is believed (empty: none)"},
	{env: "HIDE_PEOPLE_FROM_ANONYMOUS", def: "false", help: "true: callers without an API key read as if no PERSON actor, and no tie of one, existed"},
	{env: "PRODUCTION", def: "false", help: "true: introspection and field suggestions off"},
	{env: "MAX_DEPTH", def: "10", help: "deepest operation: fields on the longest path, leaf included (0: no limit)"},
	{env: "MAX_ALIASES", def: "15", help: "aliased fields in one operation (0: no limit)"},
	{env: "MAX_ROOT_FIELDS", def: "20", help: "root fields in one operation (0: no limit)"},
	{env: "MAX_TOKENS", def: "1000", help: "lexical tokens in one query document (0: no limit)"},
	{env: "MAX_QUERY_BYTES", def: "16384", help: "bytes of one query document, variables not counted (0: no limit)"},
	{env: "MAX_COST", def: "10000", help: "estimated cost of one operation (0: no limit)"},
	{env: "MAX_ERRORS", def: "10", help: "errors in one response; the rest are left out (0: no limit)"},
	{env: "RATE_LIMIT_PER_MINUTE", def: "60000", help: "cost one API key, or one client address without a key, may spend per minute (0: off)"},
	{env: "APQ_CACHE_SIZE", def: "1000", help: "automatic persisted queries kept (least recently used dropped)"},
}

func flagName(env string) string { return strings.ReplaceAll(strings.ToLower(env), "_", "-") }

// Load reads the environment, then the flags, and checks the result.
func Load(args []string, getenv func(string) string) (Config, error) {
	values := map[string]*string{}
	fs := flag.NewFlagSet("samverkan", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	for _, s := range Settings {
		v := s.def
		if e := getenv(s.env); e != "" {
			v = e
		}
		values[s.env] = &v
		if !s.secret {
			fs.StringVar(values[s.env], flagName(s.env), v, s.help+" (env "+s.env+")")
		}
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return Config{}, fmt.Errorf("usage:\n%s", usage(fs))
		}
		return Config{}, fmt.Errorf("%w\nusage:\n%s", err, usage(fs))
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	get := func(env string) string { return strings.TrimSpace(*values[env]) }

	c := Config{
		Host: get("HOST"), Port: get("PORT"), DataDir: get("DATA_DIR"), Seed: get("SEED"),
		Neo4jURI: get("NEO4J_URI"), Neo4jUsername: get("NEO4J_USERNAME"), Neo4jPassword: *values["NEO4J_PASSWORD"],
		Neo4jDatabase: get("NEO4J_DATABASE"),
	}
	if p, err := strconv.Atoi(c.Port); err != nil || p < 0 || p > 65535 {
		return c, fmt.Errorf("PORT: %q is not a TCP port", c.Port)
	}
	if c.Seed != SeedAuto && c.Seed != SeedNever {
		return c, fmt.Errorf("SEED: %q is neither %q nor %q", c.Seed, SeedAuto, SeedNever)
	}
	if c.DataDir == "" && c.Neo4jURI == "" {
		return c, errors.New("DATA_DIR: must not be empty")
	}
	for _, o := range strings.Split(get("CORS_ALLOWED_ORIGINS"), ",") {
		if o = strings.TrimSpace(o); o != "" {
			c.CORSAllowedOrigins = append(c.CORSAllowedOrigins, o)
		}
	}
	n, err := strconv.ParseInt(get("MAX_BODY_BYTES"), 10, 64)
	if err != nil || n < 1024 {
		return c, fmt.Errorf("MAX_BODY_BYTES: %q is not a byte count of at least 1024", get("MAX_BODY_BYTES"))
	}
	c.MaxBodyBytes = n
	for _, d := range []struct {
		env string
		dst *time.Duration
	}{
		{"REQUEST_TIMEOUT", &c.RequestTimeout}, {"READ_TIMEOUT", &c.ReadTimeout}, {"WRITE_TIMEOUT", &c.WriteTimeout},
		{"IDLE_TIMEOUT", &c.IdleTimeout}, {"SHUTDOWN_TIMEOUT", &c.ShutdownTimeout}, {"BACKUP_TIMEOUT", &c.BackupTimeout},
		{"NEO4J_STATEMENT_TIMEOUT", &c.Neo4jStatementTimeout}, {"NEO4J_ACQUIRE_TIMEOUT", &c.Neo4jAcquireTimeout},
	} {
		v, err := time.ParseDuration(get(d.env))
		if err != nil || v <= 0 {
			return c, fmt.Errorf("%s: %q is not a positive duration such as 30s", d.env, get(d.env))
		}
		*d.dst = v
	}
	if p, err := strconv.Atoi(get("NEO4J_MAX_POOL_SIZE")); err != nil || p < 1 {
		return c, fmt.Errorf("NEO4J_MAX_POOL_SIZE: %q is not a positive number", get("NEO4J_MAX_POOL_SIZE"))
	} else {
		c.Neo4jMaxPoolSize = p
	}
	if r, err := strconv.Atoi(get("CHANGE_RETENTION")); err != nil || r < 1 {
		return c, fmt.Errorf("CHANGE_RETENTION: %q is not a positive number of versions", get("CHANGE_RETENTION"))
	} else {
		c.ChangeRetention = r
	}
	if err := c.LogLevel.UnmarshalText([]byte(get("LOG_LEVEL"))); err != nil {
		return c, fmt.Errorf("LOG_LEVEL: %q is not debug, info, warn or error", get("LOG_LEVEL"))
	}
	if c.Security, err = loadSecurity(get); err != nil {
		return c, err
	}
	return c, nil
}

func usage(fs *flag.FlagSet) string {
	var b strings.Builder
	fs.SetOutput(&b)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
	return b.String()
}

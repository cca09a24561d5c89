package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/internal/auth"
	"github.com/samverkan/samverkan/internal/limits"
)

func TestConfigErrors(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"bad port", nil, []string{"-port", "http"}, "PORT"},
		{"bad seed", map[string]string{"SEED": "sometimes"}, nil, "SEED"},
		{"bad timeout", map[string]string{"REQUEST_TIMEOUT": "soon"}, nil, "REQUEST_TIMEOUT"},
		{"tiny body limit", nil, []string{"-max-body-bytes", "10"}, "MAX_BODY_BYTES"},
		{"unknown flag", nil, []string{"-colour", "blue"}, "colour"},
		{"stray argument", nil, []string{"serve"}, "serve"},
		{"bad log level", map[string]string{"LOG_LEVEL": "loud"}, nil, "LOG_LEVEL"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"-data-dir", t.TempDir()}, c.args...)
			_, err := Load(args, func(k string) string { return c.env[k] })
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Load = %v, want an error naming %s", err, c.want)
			}
		})
	}
}

func TestSecurityConfig(t *testing.T) {
	cfg, err := Load(nil, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Security.Limits != limits.Defaults() || cfg.Security.RatePerMinute != 60000 || cfg.Security.ReadsNeedKey ||
		cfg.Security.Production || cfg.Security.Keys.Len() != 0 || cfg.Security.APQCacheSize != 1000 {
		t.Errorf("defaults: %+v", cfg.Security)
	}
	const pasted = "this-is-a-raw-key-not-a-hash"
	for _, c := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"entry without role", map[string]string{"API_KEYS": "ci:" + pasted}, "API_KEYS entry 1"},
		{"unknown role", map[string]string{"API_KEYS": "ci:root:" + auth.HashKey("k")}, "root"},
		{"short hash", map[string]string{"API_KEYS": "ci:admin:" + pasted}, "64 hex digits"},
		{"duplicate name", map[string]string{"API_KEYS": "ci:admin:" + auth.HashKey("a") + ",ci:editor:" + auth.HashKey("b")}, "twice"},
		{"missing keys file", map[string]string{"API_KEYS_FILE": filepath.Join(t.TempDir(), "none")}, "API_KEYS_FILE"},
		{"reads need a key but none is configured", map[string]string{"AUTH_READS": "key"}, "AUTH_READS"},
		{"bad reads", map[string]string{"AUTH_READS": "private"}, "AUTH_READS"},
		{"bad proxy", map[string]string{"TRUSTED_PROXIES": "10.0.0.0/33"}, "TRUSTED_PROXIES"},
		{"bad production", map[string]string{"PRODUCTION": "maybe"}, "PRODUCTION"},
		{"negative depth", map[string]string{"MAX_DEPTH": "-1"}, "MAX_DEPTH"},
		{"rate below cost", map[string]string{"RATE_LIMIT_PER_MINUTE": "100", "MAX_COST": "200"}, "RATE_LIMIT_PER_MINUTE"},
	} {
		t.Run(c.name, func(t *testing.T) {
			args := []string{"-data-dir", t.TempDir()}
			_, err := Load(args, func(k string) string { return c.env[k] })
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Load = %v, want an error naming %s", err, c.want)
			}
			if strings.Contains(err.Error(), pasted) {
				t.Errorf("the error repeats the configured value: %v", err)
			}
		})
	}
}

// ReloadKeys reads API_KEYS_FILE again and swaps the set the server holds
// (the same *auth.Keys) at once; API_KEYS stay; a broken file, or one that
// leaves AUTH_READS=key without a key, keeps the keys in force.
func TestReloadKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys")
	write := func(s string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("old:reader:" + auth.HashKey("old-secret") + "\n")
	env := map[string]string{"API_KEYS_FILE": path, "API_KEYS": "ops:admin:" + auth.HashKey("ops-secret")}
	cfg, err := Load([]string{"-data-dir", t.TempDir()}, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	keys := cfg.Security.Keys // what the middleware and the extension hold
	has := func(secret string) bool { _, ok := keys.Lookup(secret); return ok }
	if !has("old-secret") || !has("ops-secret") || has("new-secret") {
		t.Fatalf("at start: %v", keys.Names())
	}

	write("# rotated\nnew:editor:" + auth.HashKey("new-secret") + "\n")
	names, err := cfg.Security.ReloadKeys()
	if err != nil || strings.Join(names, ",") != "ops,new" {
		t.Fatalf("ReloadKeys = %v, %v; want ops,new", names, err)
	}
	if has("old-secret") || !has("new-secret") || !has("ops-secret") {
		t.Errorf("after the reload: %v", keys.Names())
	}
	if k, _ := keys.Lookup("new-secret"); k.Role != auth.RoleEditor {
		t.Errorf("new key's role %v", k.Role)
	}

	for name, file := range map[string]string{
		"a line that is not a key": "new:editor:" + auth.HashKey("new-secret") + "\nsomething pasted\n",
		"a duplicate name":         "ops:reader:" + auth.HashKey("x") + "\n",
	} {
		write(file)
		if _, err := cfg.Security.ReloadKeys(); err == nil {
			t.Errorf("%s: reloaded", name)
		}
		if !has("new-secret") || !has("ops-secret") || keys.Len() != 2 {
			t.Errorf("%s: the keys changed: %v", name, keys.Names())
		}
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if _, err := cfg.Security.ReloadKeys(); err == nil || !has("new-secret") {
		t.Errorf("a missing file: %v, keys %v", err, keys.Names())
	}

	// AUTH_READS=key: a file emptied out would lock every reader out.
	write("r:reader:" + auth.HashKey("r-secret") + "\n")
	cfg, err = Load([]string{"-data-dir", t.TempDir()}, func(k string) string {
		return map[string]string{"API_KEYS_FILE": path, "AUTH_READS": "key"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	write("# nobody\n")
	if _, err := cfg.Security.ReloadKeys(); err == nil || cfg.Security.Keys.Len() != 1 {
		t.Errorf("an empty file under AUTH_READS=key: %v, %d keys", err, cfg.Security.Keys.Len())
	}
}

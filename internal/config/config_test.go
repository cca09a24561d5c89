package config

import (
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

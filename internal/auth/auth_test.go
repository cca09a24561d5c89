package auth_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/samverkan/samverkan/graph"
	"github.com/samverkan/samverkan/internal/auth"
	"github.com/samverkan/samverkan/internal/httpstatus"
	"github.com/samverkan/samverkan/internal/kg"
	"github.com/samverkan/samverkan/internal/store/storetest"
	"github.com/samverkan/samverkan/internal/store/teststore"
)

func TestParseKeys(t *testing.T) {
	file := "# partner keys\n\nerp:editor:" + auth.HashKey("erp-secret") + "\n  # indented comment\nbi : reader : " + auth.HashKey("bi-secret") + "\n"
	ks, err := auth.ParseKeys(" ops:admin:"+strings.ToUpper(auth.HashKey("ops-secret"))+" , ", strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(ks.Names(), ","); got != "ops,erp,bi" {
		t.Errorf("names %s", got)
	}
	for secret, want := range map[string]struct {
		name string
		role auth.Role
	}{"ops-secret": {"ops", auth.RoleAdmin}, "erp-secret": {"erp", auth.RoleEditor}, "bi-secret": {"bi", auth.RoleReader}} {
		k, ok := ks.Lookup(secret)
		if !ok || k.Name != want.name || k.Role != want.role {
			t.Errorf("Lookup(%s) = %+v %v", secret, k, ok)
		}
	}
	for _, s := range []string{"", "ops", "OPS-SECRET", "ops-secret ", auth.HashKey("ops-secret")} {
		if k, ok := ks.Lookup(s); ok {
			t.Errorf("Lookup(%q) found %s", s, k.Name)
		}
	}
	var none *auth.Keys
	if _, ok := none.Lookup("x"); ok || none.Len() != 0 {
		t.Errorf("nil keys match")
	}

	for list, want := range map[string]string{
		"a:admin": "entry 1",
		"ok:admin:" + auth.HashKey("1") + ",b:boss:" + auth.HashKey("2"):  "entry 2",
		"a b:admin:" + auth.HashKey("1"):                                  "name",
		"a:admin:" + strings.Repeat("g", 64):                              "hex",
		"a:admin:" + auth.HashKey("1") + ",b:reader:" + auth.HashKey("1"): "same hash",
	} {
		if _, err := auth.ParseKeys(list, nil); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseKeys(%q) = %v, want an error about %s", list, err, want)
		}
	}
	if _, err := auth.ParseKeys("", strings.NewReader("\n\nbad line\n")); err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("a bad file line: %v", err)
	}
}

func TestClientIP(t *testing.T) {
	proxies, err := auth.ParseTrustedProxies("10.0.0.0/8, 192.168.1.7, ::1")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		proxies auth.TrustedProxies
		remote  string
		xff     []string
		want    string
	}{
		{"no proxies: the peer, header ignored", nil, "203.0.113.9:4711", []string{"198.51.100.1"}, "203.0.113.9"},
		{"untrusted peer: header ignored", proxies, "203.0.113.9:4711", []string{"198.51.100.1"}, "203.0.113.9"},
		{"trusted proxy: the hop before it", proxies, "10.1.2.3:80", []string{"198.51.100.1"}, "198.51.100.1"},
		{"forged left part is skipped", proxies, "10.1.2.3:80", []string{"1.1.1.1, 198.51.100.1"}, "198.51.100.1"},
		{"chain of trusted proxies", proxies, "10.1.2.3:80", []string{"198.51.100.1, 192.168.1.7", "10.9.9.9"}, "198.51.100.1"},
		{"garbage stops the walk", proxies, "10.1.2.3:80", []string{"198.51.100.1, not-an-ip"}, "10.1.2.3"},
		{"IPv6 peer", proxies, "[::1]:80", []string{"2001:db8::5"}, "2001:db8::5"},
		{"IPv4-mapped", nil, "[::ffff:203.0.113.9]:80", nil, "203.0.113.9"},
		{"ip:port entry", proxies, "10.1.2.3:80", []string{"198.51.100.1:4711"}, "198.51.100.1"},
		{"[ipv6]:port entry", proxies, "10.1.2.3:80", []string{"[2001:db8::5]:4711"}, "2001:db8::5"},
		{"[ipv6] entry", proxies, "10.1.2.3:80", []string{"[2001:db8::5]"}, "2001:db8::5"},
		{"trusted proxy with a port is skipped", proxies, "10.1.2.3:80", []string{"198.51.100.1, 10.9.9.9:80"}, "198.51.100.1"},
	}
	for _, c := range cases {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = c.remote
		for _, h := range c.xff {
			r.Header.Add("X-Forwarded-For", h)
		}
		if got := c.proxies.ClientIP(r); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	if _, err := auth.ParseTrustedProxies("10.0.0.0/8, nope"); err == nil {
		t.Errorf("a bad proxy entry passes")
	}
}

// The middleware turns the Authorization header into an identity and takes
// the header away from everything after it.
func TestMiddleware(t *testing.T) {
	ks, _ := auth.ParseKeys("ops:admin:"+auth.HashKey("ops-secret"), nil)
	var got auth.Identity
	var header string
	h := auth.Middleware(ks, nil, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, header = auth.FromContext(r.Context()), r.Header.Get("Authorization")
	}))
	for _, c := range []struct {
		auth []string
		want auth.Identity
	}{
		{nil, auth.Identity{ClientIP: "192.0.2.1"}},
		{[]string{"Bearer ops-secret"}, auth.Identity{Name: "ops", Role: auth.RoleAdmin, ClientIP: "192.0.2.1"}},
		{[]string{"bearer   ops-secret "}, auth.Identity{Name: "ops", Role: auth.RoleAdmin, ClientIP: "192.0.2.1"}},
		{[]string{"Bearer wrong"}, auth.Identity{ClientIP: "192.0.2.1", InvalidKey: true}},
		{[]string{"Basic b3BzOm9wcy1zZWNyZXQ="}, auth.Identity{ClientIP: "192.0.2.1", InvalidKey: true}},
		{[]string{"Bearer"}, auth.Identity{ClientIP: "192.0.2.1", InvalidKey: true}},
		{[]string{""}, auth.Identity{ClientIP: "192.0.2.1", InvalidKey: true}},
		{[]string{"Bearer ops-secret", "Bearer ops-secret"}, auth.Identity{ClientIP: "192.0.2.1", InvalidKey: true}},
	} {
		r := httptest.NewRequest(http.MethodPost, "/graphql", nil)
		r.RemoteAddr = "192.0.2.1:5000"
		for _, a := range c.auth {
			r.Header.Add("Authorization", a)
		}
		h.ServeHTTP(httptest.NewRecorder(), r)
		if got != c.want || header != "" {
			t.Errorf("Authorization %q: identity %+v (header %q), want %+v", c.auth, got, header, c.want)
		}
	}
	if k := (auth.Identity{Name: "ops", ClientIP: "192.0.2.1"}).RateKey(); k != "key:ops" {
		t.Errorf("rate key of a key: %s", k)
	}
	if k := (auth.Identity{ClientIP: "192.0.2.1"}).RateKey(); k != "ip:192.0.2.1" {
		t.Errorf("rate key without a key: %s", k)
	}
	// IPv6 callers share the budget of their /64.
	a := (auth.Identity{ClientIP: "2001:db8:1:2::5"}).RateKey()
	b := (auth.Identity{ClientIP: "2001:db8:1:2:ffff::1"}).RateKey()
	c := (auth.Identity{ClientIP: "2001:db8:1:3::5"}).RateKey()
	if a != "ip:2001:db8:1:2::/64" || a != b || a == c {
		t.Errorf("IPv6 rate keys: %s, %s, %s", a, b, c)
	}
}

func TestRequiredRole(t *testing.T) {
	for _, c := range []struct {
		op     ast.Operation
		field  string
		key    bool
		expect auth.Role
	}{
		{ast.Query, "actors", false, auth.RoleNone},
		{ast.Query, "actors", true, auth.RoleReader},
		{ast.Subscription, "anything", true, auth.RoleReader},
		{ast.Mutation, "upsertActor", false, auth.RoleEditor},
		{ast.Mutation, "setCompetency", true, auth.RoleEditor},
		{ast.Mutation, "removePartnership", false, auth.RoleEditor},
		{ast.Mutation, "deleteNeed", false, auth.RoleAdmin},
		{ast.Mutation, "importGraph", false, auth.RoleAdmin},
		{ast.Mutation, "somethingNew", false, auth.RoleAdmin},
	} {
		if got := auth.RequiredRole(c.op, c.field, c.key); got != c.expect {
			t.Errorf("%s %s (reads need key %v) = %s, want %s", c.op, c.field, c.key, got, c.expect)
		}
	}
}

// The extension sees the root fields the executor will run: through
// fragments, and without those @skip leaves out. A refusal makes no store
// call.
func TestExtensionRootFields(t *testing.T) {
	store := storetest.NewCounting(teststore.Open(t))
	ks, _ := auth.ParseKeys("ed:editor:"+auth.HashKey("ed-secret"), nil)
	var h http.Handler = auth.Middleware(ks, nil, httpstatus.Middleware(graph.NewHandler(store, graph.Options{
		Analytics:  kg.NewAnalytics(store),
		Logger:     slog.New(slog.NewJSONHandler(io.Discard, nil)),
		Extensions: []graphql.HandlerExtension{&auth.Extension{Keys: ks}},
	})))
	// Without Middleware the extension reads the key from the operation's
	// headers: the path of a websocket client's connection_init key.
	rec := &recorder{}
	bare := httpstatus.Middleware(graph.NewHandler(store, graph.Options{
		Analytics:  kg.NewAnalytics(store),
		Logger:     slog.New(slog.NewJSONHandler(io.Discard, nil)),
		Extensions: []graphql.HandlerExtension{&auth.Extension{Keys: ks}, rec},
	}))
	post := func(key, query string, vars map[string]any) (int, string) {
		body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
		r := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		if key != "" {
			r.Header.Set("Authorization", "Bearer "+key)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code, w.Body.String()
	}
	const upsert = `upsertActor(input: {id: "x", name: "X", kind: COMPANY, sector: PRIVATE}) { id }`
	for _, c := range []struct {
		name, key, query string
		vars             map[string]any
		status           int
		code             string
	}{
		{"delete through a fragment", "ed-secret", `mutation { ...F } fragment F on Mutation { deleteActor(id: "x") }`, nil, 403, "FORBIDDEN"},
		{"delete in an inline fragment", "ed-secret", `mutation { ... on Mutation { deleteActor(id: "x") } }`, nil, 403, "FORBIDDEN"},
		{"delete beside an upsert", "ed-secret", `mutation { ` + upsert + ` deleteActor(id: "x") }`, nil, 403, "FORBIDDEN"},
		{"mutation without a key", "", `mutation { ` + upsert + ` }`, nil, 401, "UNAUTHENTICATED"},
		{"mutation of only __typename without a key", "", `mutation { __typename }`, nil, 401, "UNAUTHENTICATED"},
		{"read with a bad key", "bad", `{ actors { totalCount } }`, nil, 401, "UNAUTHENTICATED"},
	} {
		before := store.Calls()
		status, body := post(c.key, c.query, c.vars)
		if status != c.status || !strings.Contains(body, `"code":"`+c.code+`"`) || strings.Contains(body, `"data":{`) {
			t.Errorf("%s: %d %s", c.name, status, body)
		}
		if n := store.Calls() - before; n != 0 {
			t.Errorf("%s: %d store calls", c.name, n)
		}
	}
	// A skipped delete is not run, so an editor may send it.
	status, body := post("ed-secret", `mutation($admin: Boolean!) { deleteActor(id: "x") @include(if: $admin) `+upsert+` }`,
		map[string]any{"admin": false})
	if status != 200 || !strings.Contains(body, `"upsertActor":{"id":"x"}`) {
		t.Errorf("skipped delete: %d %s", status, body)
	}

	h = bare
	if status, body := post("ed-secret", `mutation { `+upsert+` }`, nil); status != 200 || !strings.Contains(body, `"upsertActor"`) {
		t.Errorf("key from the operation's headers: %d %s", status, body)
	}
	// Later extensions (the rate limiter) see the identity the key gave.
	if rec.rateKey != "key:ed" {
		t.Errorf("IdentityOf after the extension: rate key %q", rec.rateKey)
	}
	if status, body := post("bad", `mutation { `+upsert+` }`, nil); status != 401 || !strings.Contains(body, "UNAUTHENTICATED") {
		t.Errorf("bad key from the operation's headers: %d %s", status, body)
	}
}

// recorder notes the identity later extensions see.
type recorder struct{ rateKey string }

func (*recorder) ExtensionName() string                   { return "recorder" }
func (*recorder) Validate(graphql.ExecutableSchema) error { return nil }
func (r *recorder) MutateOperationContext(ctx context.Context, _ *graphql.OperationContext) *gqlerror.Error {
	r.rateKey = auth.IdentityOf(ctx).RateKey()
	return nil
}

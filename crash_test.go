package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/samverkan/samverkan/internal/kg"
	"github.com/samverkan/samverkan/internal/store/embedded"
	"github.com/samverkan/samverkan/internal/store/teststore"
)

// The crash-safety test: the real server binary on the
// embedded store takes concurrent writes and is killed with SIGKILL at a
// random moment, round after round on the same DATA_DIR. After every kill
// the file must pass bbolt's consistency check, and the graph must hold
// exactly the acknowledged writes, none of the refused ones, nothing never
// attempted, and each write whose answer the kill swallowed either wholly
// or not at all.
//
// So that the expected graph is exact although writers race, every worker
// owns the actors it may change or delete, and only it sets relationships
// from them; projects and competencies are only ever created. Each worker
// stops at its first unanswered request, so at most one write per worker
// has an unknown outcome, and no two of those touch the same data.

const (
	crashRounds   = 20
	crashWorkers  = 4
	crashMaxOps   = 150 // per worker and round; the kill normally comes first
	crashMinDelay = 20 * time.Millisecond
	crashMaxDelay = 350 * time.Millisecond
	crashKey      = "crash-test-admin-key-7f3c"
	crashSeedEnv  = "SAMVERKAN_CRASH_SEED" // set to replay a logged seed
)

func TestCrashSafety(t *testing.T) {
	teststore.EmbeddedOnly(t, "it kills the server over the embedded store's file and checks that file with bbolt; "+
		"on Neo4j the server keeps no data of its own (TestNeo4jWritersDoNotQueue covers its writes)")
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv(crashSeedEnv); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("%s=%q: %v", crashSeedEnv, s, err)
		}
		seed = v
	}
	t.Logf("seed %d (replay the choices with %s=%d)", seed, crashSeedEnv, seed)
	rng := rand.New(rand.NewPCG(seed, 0x5eed))

	bin := crashBuild(t)
	dir := filepath.Join(t.TempDir(), "data")
	sum := sha256.Sum256([]byte(crashKey))
	env := []string{
		"SEED=never",
		"DATA_DIR=" + dir,
		"API_KEYS=crash-admin:admin:" + hex.EncodeToString(sum[:]),
		// Reading the whole graph back after every kill costs far more
		// than a client's budget; rate limits are not what this tests.
		"RATE_LIMIT_PER_MINUTE=0",
	}
	// The whole test stops by itself even if a server hangs.
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()

	model := newCrashModel()
	var unknown []*crashOp
	var stats crashStats
	for round := 0; ; round++ {
		observed := crashOpenAndCheck(t, dir, round)
		if problems := model.settle(observed, unknown); len(problems) > 0 {
			t.Fatalf("seed %d, after the kill of round %d:\n%s", seed, round-1, crashFirst(problems))
		}
		srv := crashStart(t, bin, env)
		served := srv.observe(ctx, t)
		if d := crashDiff(observed, served); len(d) > 0 {
			t.Fatalf("round %d: the restarted server answers other than its file holds:\n%s", round, crashFirst(d))
		}
		if round == crashRounds {
			srv.kill(t)
			break
		}
		ops, delay, problems := crashRound(ctx, t, srv, model, round, rng)
		if len(problems) > 0 {
			t.Fatalf("seed %d, round %d:\n%s\nserver output:\n%s", seed, round, crashFirst(problems), srv.out.tail())
		}
		unknown = unknown[:0]
		var rs crashStats
		for _, w := range ops {
			for _, op := range w {
				rs.count(op)
				switch op.outcome {
				case crashAcked:
					model.apply(op)
				case crashUnknown:
					// A write that must be refused may not take effect
					// even when its answer is lost: the exact comparison
					// after the restart checks that it did not.
					if op.wantCode == "" {
						unknown = append(unknown, op)
					}
				}
				model.tried(op)
			}
		}
		t.Logf("round %d: killed after %v; %+v", round, delay, rs)
		stats.add(rs)
	}
	t.Logf("%d rounds, %d nodes and %d relationships at the end; writes: %d acknowledged, %d refused, %d never sent, "+
		"%d unknown (killed in flight: %d turned out applied, %d not)",
		crashRounds, len(model.nodes), len(model.rels), stats.acked, stats.refused, stats.unsent,
		stats.unknown, model.unknownApplied, stats.unknown-model.unknownApplied)
	if stats.acked == 0 || stats.refused == 0 {
		t.Fatalf("the test exercised too little: %+v", stats)
	}
}

// crashBuild builds the server binary once. go test puts its own
// toolchain's bin directory first on PATH, so "go" is the same toolchain.
func crashBuild(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("building the server needs the go command: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "samverkan")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, goTool, "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// crashOpenAndCheck opens the data directory as the server would, runs
// bbolt's consistency check and reads the whole graph.
func crashOpenAndCheck(t *testing.T, dir string, round int) crashState {
	t.Helper()
	s, err := embedded.Open(dir)
	if err != nil {
		t.Fatalf("round %d: the store does not open after the kill: %v", round, err)
	}
	defer func() {
		if err := s.Close(); err != nil {
			t.Fatalf("closing the store: %v", err)
		}
	}()
	if err := s.Check(); err != nil {
		t.Fatalf("round %d: bbolt's consistency check fails after the kill: %v", round, err)
	}
	st, err := crashReadStore(context.Background(), s)
	if err != nil {
		t.Fatalf("round %d: reading the store: %v", round, err)
	}
	return st
}

func crashReadStore(ctx context.Context, s *embedded.Store) (crashState, error) {
	st := newCrashState()
	var ids []string
	order := kg.Order{Field: kg.OrderByID}
	for _, l := range kg.Labels {
		var after *kg.Cursor
		for {
			p, err := s.List(ctx, kg.ListQuery{Label: l, Order: order, First: kg.MaxPageSize, After: after})
			if err != nil {
				return st, err
			}
			for _, n := range p.Nodes {
				st.nodes[n.Base().ID] = crashNode{Label: string(n.NodeLabel()), Name: n.Base().Name}
				ids = append(ids, n.Base().ID)
			}
			if !p.HasNextPage || len(p.Nodes) == 0 {
				break
			}
			c := kg.CursorOf(p.Nodes[len(p.Nodes)-1], order)
			after = &c
		}
	}
	rels, err := kg.RelsFrom(ctx, s, ids)
	if err != nil {
		return st, err
	}
	for _, r := range rels {
		st.rels[r.Key()] = crashRelValue(r.Type, r.Role, string(r.Start), string(r.End), r.Level, r.Importance)
	}
	return st, nil
}

// --- the server as a child process ---

type crashServer struct {
	cmd    *exec.Cmd
	base   string
	out    *crashOutput
	exited chan error
	client *http.Client
}

// crashOutput keeps the child's output for failure messages.
type crashOutput struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (o *crashOutput) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.buf.Write(p)
	return len(p), nil
}

func (o *crashOutput) tail() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	b := o.buf.Bytes()
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

func crashStart(t *testing.T, bin string, env []string) *crashServer {
	t.Helper()
	out := &crashOutput{}
	addr := freeAddr(t)
	host, port, _ := net.SplitHostPort(addr)
	cmd := exec.Command(bin, "-host", host, "-port", port)
	// Only what the test sets: an inherited NEO4J_URI would pick the
	// other store.
	cmd.Env = env
	cmd.Stdout = out
	cmd.Stderr = out
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting the server: %v", err)
	}
	s := &crashServer{cmd: cmd, out: out, exited: make(chan error, 1), base: "http://" + addr}
	go func() { s.exited <- cmd.Wait() }()
	t.Cleanup(func() { s.kill(t) })
	// Ready when /healthz answers.
	deadline := time.After(60 * time.Second)
	for {
		if resp, err := http.Get(s.base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case err := <-s.exited:
			s.exited <- err
			t.Fatalf("the server exited before it answered (%v):\n%s", err, out.tail())
		case <-deadline:
			t.Fatalf("the server did not answer /healthz:\n%s", out.tail())
		case <-time.After(20 * time.Millisecond):
		}
	}
	s.client = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: crashWorkers}}
	return s
}

// kill sends SIGKILL and waits for the process to be gone; it may be
// called again.
func (s *crashServer) kill(t *testing.T) {
	_ = s.cmd.Process.Kill()
	select {
	case err := <-s.exited:
		s.exited <- err
	case <-time.After(60 * time.Second):
		t.Errorf("the killed server did not exit")
	}
	if s.client != nil {
		s.client.CloseIdleConnections()
	}
}

type crashReply struct {
	Data   map[string]json.RawMessage `json:"data"`
	Errors []struct {
		Message    string `json:"message"`
		Extensions struct {
			Code string `json:"code"`
		} `json:"extensions"`
	} `json:"errors"`
}

// post sends one GraphQL request with the admin key. sent is false when
// the request certainly never reached the server (the dial failed); err
// is any other failure to get a whole answer.
func (s *crashServer) post(ctx context.Context, query string, vars map[string]any) (reply crashReply, sent bool, err error) {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return reply, false, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.base+"/graphql", bytes.NewReader(body))
	if err != nil {
		return reply, false, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+crashKey)
	resp, err := s.client.Do(req)
	if err != nil {
		var op *net.OpError
		return reply, !(errors.As(err, &op) && op.Op == "dial"), err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return reply, true, err
	}
	if err := json.Unmarshal(raw, &reply); err != nil {
		return reply, true, fmt.Errorf("%w: status %d, body %.300q", errCrashGarbled, resp.StatusCode, raw)
	}
	return reply, true, nil
}

var errCrashGarbled = errors.New("a complete answer that is not GraphQL JSON")

// observe reads the whole graph through the API: the ids of every label
// page by page, then the nodes with their relationships in batches.
func (s *crashServer) observe(ctx context.Context, t *testing.T) crashState {
	t.Helper()
	ask := func(query string, vars map[string]any, into any) {
		t.Helper()
		reply, _, err := s.post(ctx, query, vars)
		if err != nil {
			t.Fatalf("reading through the API: %v", err)
		}
		if len(reply.Errors) > 0 {
			t.Fatalf("reading through the API: %+v", reply.Errors)
		}
		raw, _ := json.Marshal(reply.Data)
		if err := json.Unmarshal(raw, into); err != nil {
			t.Fatalf("reading through the API: %v in %s", err, raw)
		}
	}
	var ids []string
	for _, root := range []string{"actors", "projects", "needs", "competencies"} {
		q := `query($after: String) { ` + root + `(first: 100, after: $after, orderBy: {field: ID}) {
			edges { node { id } } pageInfo { hasNextPage endCursor } } }`
		var after any
		for {
			var page map[string]struct {
				Edges    []struct{ Node struct{ ID string } }
				PageInfo struct {
					HasNextPage bool
					EndCursor   string
				}
			}
			ask(q, map[string]any{"after": after}, &page)
			for _, e := range page[root].Edges {
				ids = append(ids, e.Node.ID)
			}
			if !page[root].PageInfo.HasNextPage {
				break
			}
			after = page[root].PageInfo.EndCursor
		}
	}
	const q = `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id name
		... on Actor {
			projects { role from to project { id } }
			competencies { level competency { id } }
			needs { need { id } }
			memberOf { organisation { id } }
			partnerships { partner { id } }
		}
		... on Project { addresses { need { id } } }
		... on Competency { requiredBy { importance need { id } } }
	} }`
	type ref struct{ ID string }
	st := newCrashState()
	// Batches of 25 keep each read well under the default cost limit.
	for chunk := range slices.Chunk(ids, 25) {
		var got struct {
			Nodes []*struct {
				Typename string `json:"__typename"`
				ID, Name string
				Projects []struct {
					Role     string
					From, To string
					Project  ref
				}
				Competencies []struct {
					Level      int
					Competency ref
				}
				Needs        []struct{ Need ref }
				MemberOf     []struct{ Organisation ref }
				Partnerships []struct{ Partner ref }
				Addresses    []struct{ Need ref }
				RequiredBy   []struct {
					Importance int
					Need       ref
				}
			}
		}
		ask(q, map[string]any{"ids": chunk}, &got)
		for i, n := range got.Nodes {
			if n == nil {
				t.Fatalf("node %q is listed but nodes(ids) does not find it", chunk[i])
			}
			st.nodes[n.ID] = crashNode{Label: n.Typename, Name: n.Name}
			set := func(ty kg.RelType, from, to, value string) { st.rels[kg.KeyOf(ty, from, to)] = value }
			for _, p := range n.Projects {
				set(kg.RelParticipatesIn, n.ID, p.Project.ID, crashRelValue(kg.RelParticipatesIn, p.Role, p.From, p.To, 0, 0))
			}
			for _, c := range n.Competencies {
				set(kg.RelHasCompetency, n.ID, c.Competency.ID, crashRelValue(kg.RelHasCompetency, "", "", "", c.Level, 0))
			}
			for _, x := range n.Needs {
				set(kg.RelHasNeed, n.ID, x.Need.ID, crashRelValue(kg.RelHasNeed, "", "", "", 0, 0))
			}
			for _, m := range n.MemberOf {
				set(kg.RelMemberOf, n.ID, m.Organisation.ID, crashRelValue(kg.RelMemberOf, "", "", "", 0, 0))
			}
			for _, p := range n.Partnerships {
				set(kg.RelPartnersWith, n.ID, p.Partner.ID, crashRelValue(kg.RelPartnersWith, "", "", "", 0, 0))
			}
			for _, a := range n.Addresses {
				set(kg.RelAddresses, n.ID, a.Need.ID, crashRelValue(kg.RelAddresses, "", "", "", 0, 0))
			}
			for _, r := range n.RequiredBy {
				set(kg.RelRequires, r.Need.ID, n.ID, crashRelValue(kg.RelRequires, "", "", "", 0, r.Importance))
			}
		}
	}
	return st
}

// --- the expected graph ---

type crashNode struct{ Label, Name string }

// crashState is a graph reduced to what the test compares: each node's
// label and name, and each relationship's properties as one string.
type crashState struct {
	nodes map[string]crashNode
	rels  map[kg.RelKey]string
}

func newCrashState() crashState {
	return crashState{nodes: map[string]crashNode{}, rels: map[kg.RelKey]string{}}
}

func (s crashState) clone() crashState {
	c := newCrashState()
	for k, v := range s.nodes {
		c.nodes[k] = v
	}
	for k, v := range s.rels {
		c.rels[k] = v
	}
	return c
}

func crashRelValue(t kg.RelType, role, from, to string, level, importance int) string {
	switch t {
	case kg.RelParticipatesIn:
		return role + " " + from + ".." + to
	case kg.RelHasCompetency:
		return fmt.Sprintf("level %d", level)
	case kg.RelRequires:
		return fmt.Sprintf("importance %d", importance)
	}
	return "present"
}

func crashShowNode(n crashNode, ok bool) string {
	if !ok {
		return "absent"
	}
	return fmt.Sprintf("%s %q", n.Label, n.Name)
}

func crashShowRel(v string, ok bool) string {
	if !ok {
		return "absent"
	}
	return v
}

func crashRelName(k kg.RelKey) string { return fmt.Sprintf("%s %s→%s", k.Type, k.From, k.To) }

// crashDiff lists where two states differ.
func crashDiff(want, got crashState) []string {
	var out []string
	for _, id := range crashUnion(want.nodes, got.nodes) {
		w, wok := want.nodes[id]
		g, gok := got.nodes[id]
		if w != g || wok != gok {
			out = append(out, fmt.Sprintf("node %s: %s, not %s", id, crashShowNode(g, gok), crashShowNode(w, wok)))
		}
	}
	for _, k := range crashUnion(want.rels, got.rels) {
		w, wok := want.rels[k]
		g, gok := got.rels[k]
		if w != g || wok != gok {
			out = append(out, fmt.Sprintf("%s: %s, not %s", crashRelName(k), crashShowRel(g, gok), crashShowRel(w, wok)))
		}
	}
	return out
}

// crashFirst joins the first problems; one broken write can make many.
func crashFirst(problems []string) string {
	const most = 25
	if len(problems) <= most {
		return strings.Join(problems, "\n")
	}
	return strings.Join(problems[:most], "\n") + fmt.Sprintf("\n... and %d more", len(problems)-most)
}

func crashUnion[K comparable, V any](a, b map[K]V) []K {
	seen := map[K]bool{}
	var out []K
	for _, m := range []map[K]V{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	slices.SortFunc(out, func(x, y K) int { return strings.Compare(fmt.Sprint(x), fmt.Sprint(y)) })
	return out
}

// crashModel is the graph the acknowledged writes make, and what the test
// knows of every write, for the failure messages.
type crashModel struct {
	crashState
	wrote map[string]string   // node id or relationship: the last acknowledged write that set it
	names map[string][]string // id: the writes that named it

	unknownApplied int // writes of unknown outcome that turned out applied
}

func newCrashModel() *crashModel {
	return &crashModel{crashState: newCrashState(), wrote: map[string]string{}, names: map[string][]string{}}
}

// apply makes the change of a write that took effect.
func (m *crashModel) apply(op *crashOp) {
	for id, n := range op.nodes {
		m.nodes[id] = n
		m.wrote[id] = op.desc
	}
	for k, v := range op.rels {
		m.rels[k] = v
		m.wrote[crashRelName(k)] = op.desc
	}
	if op.del != "" {
		delete(m.nodes, op.del)
		m.wrote[op.del] = op.desc
		for k := range m.rels {
			if k.From == op.del || k.To == op.del {
				delete(m.rels, k)
				m.wrote[crashRelName(k)] = op.desc
			}
		}
	}
}

func (m *crashModel) tried(op *crashOp) {
	for _, id := range op.ids() {
		if len(m.names[id]) < 4 {
			m.names[id] = append(m.names[id], op.desc+" ("+op.outcome.String()+")")
		}
	}
}

// settle checks what the file holds after a kill against the model and the
// writes the kill left without an answer, then takes those writes into the
// model as they turned out.
func (m *crashModel) settle(got crashState, unknown []*crashOp) []string {
	var problems []string
	for _, op := range unknown {
		ids, keys := op.footprint(m.crashState)
		after := &crashModel{crashState: m.clone(), wrote: map[string]string{}}
		after.apply(op)
		var seen, was, would []string
		same := [2]bool{true, true}
		for _, id := range ids {
			g, gok := got.nodes[id]
			for i, st := range []crashState{m.crashState, after.crashState} {
				if n, ok := st.nodes[id]; n != g || ok != gok {
					same[i] = false
				}
			}
			b, bok := m.nodes[id]
			a, aok := after.nodes[id]
			seen = append(seen, id+" "+crashShowNode(g, gok))
			was = append(was, id+" "+crashShowNode(b, bok))
			would = append(would, id+" "+crashShowNode(a, aok))
		}
		for _, k := range keys {
			g, gok := got.rels[k]
			for i, st := range []crashState{m.crashState, after.crashState} {
				if v, ok := st.rels[k]; v != g || ok != gok {
					same[i] = false
				}
			}
			b, bok := m.rels[k]
			a, aok := after.rels[k]
			seen = append(seen, crashRelName(k)+" "+crashShowRel(g, gok))
			was = append(was, crashRelName(k)+" "+crashShowRel(b, bok))
			would = append(would, crashRelName(k)+" "+crashShowRel(a, aok))
		}
		switch {
		case same[0]: // it did not happen
		case same[1]:
			m.apply(op)
			m.unknownApplied++
		default:
			problems = append(problems, fmt.Sprintf("%s, killed before it was answered, is half-applied:\n  found  %s\n  before %s\n  after  %s",
				op.desc, strings.Join(seen, "; "), strings.Join(was, "; "), strings.Join(would, "; ")))
		}
	}
	if len(problems) > 0 {
		return problems
	}
	for _, id := range crashUnion(m.nodes, got.nodes) {
		w, wok := m.nodes[id]
		g, gok := got.nodes[id]
		switch {
		case w == g && wok == gok:
		case wok && !gok:
			problems = append(problems, fmt.Sprintf("node %s, acknowledged by %s, is lost", id, m.wrote[id]))
		case !wok && len(m.names[id]) == 0:
			problems = append(problems, fmt.Sprintf("node %s (%s) was never written", id, crashShowNode(g, gok)))
		default:
			problems = append(problems, fmt.Sprintf("node %s is %s, want %s (last acknowledged write: %s; writes naming it: %s)",
				id, crashShowNode(g, gok), crashShowNode(w, wok), m.wrote[id], strings.Join(m.names[id], ", ")))
		}
	}
	for _, k := range crashUnion(m.rels, got.rels) {
		w, wok := m.rels[k]
		g, gok := got.rels[k]
		name := crashRelName(k)
		switch {
		case w == g && wok == gok:
		case wok && !gok:
			problems = append(problems, fmt.Sprintf("%s, acknowledged by %s, is lost", name, m.wrote[name]))
		default:
			problems = append(problems, fmt.Sprintf("%s is %s, want %s (last acknowledged write: %s; writes naming %s: %s)",
				name, crashShowRel(g, gok), crashShowRel(w, wok), m.wrote[name], k.From, strings.Join(m.names[k.From], ", ")))
		}
	}
	return problems
}

// --- the writes ---

type crashOutcome int

const (
	crashUnsent  crashOutcome = iota // the dial failed: the server never saw it
	crashAcked                       // HTTP 200, data, no errors
	crashRefused                     // a GraphQL error with a code
	crashUnknown                     // sent, but the kill came before a whole answer
)

func (o crashOutcome) String() string {
	return [...]string{"never sent", "acknowledged", "refused", "unknown"}[o]
}

type crashStats struct{ acked, refused, unknown, unsent int }

func (s *crashStats) add(o crashStats) {
	s.acked += o.acked
	s.refused += o.refused
	s.unknown += o.unknown
	s.unsent += o.unsent
}

func (s *crashStats) count(op *crashOp) {
	switch op.outcome {
	case crashAcked:
		s.acked++
	case crashRefused:
		s.refused++
	case crashUnknown:
		s.unknown++
	default:
		s.unsent++
	}
}

// crashOp is one mutation and what it changes when it takes effect.
type crashOp struct {
	desc     string
	field    string // the mutation's root field
	query    string
	vars     map[string]any
	wantCode string               // "" for a valid write; else the code that must refuse it
	nodes    map[string]crashNode // nodes it creates or replaces
	rels     map[kg.RelKey]string // relationships it sets
	del      string               // the actor it deletes, with its relationships
	extra    []string             // other ids it names
	check    func(json.RawMessage) string
	outcome  crashOutcome
	code     string
}

func (op *crashOp) ids() []string {
	var ids []string
	for id := range op.nodes {
		ids = append(ids, id)
	}
	for k := range op.rels {
		ids = append(ids, k.From, k.To)
	}
	if op.del != "" {
		ids = append(ids, op.del)
	}
	ids = append(ids, op.extra...)
	slices.Sort(ids)
	return slices.Compact(ids)
}

// footprint is what the write changes if applied to st.
func (op *crashOp) footprint(st crashState) (ids []string, keys []kg.RelKey) {
	for id := range op.nodes {
		ids = append(ids, id)
	}
	for k := range op.rels {
		keys = append(keys, k)
	}
	if op.del != "" {
		ids = append(ids, op.del)
		for k := range st.rels {
			if k.From == op.del || k.To == op.del {
				keys = append(keys, k)
			}
		}
	}
	slices.Sort(ids)
	slices.SortFunc(keys, func(a, b kg.RelKey) int { return strings.Compare(crashRelName(a), crashRelName(b)) })
	return ids, keys
}

// crashShared is what workers learn from each other during a round.
type crashShared struct {
	mu       sync.Mutex
	projects []string // projects that exist; never deleted
}

func (s *crashShared) project(rng *rand.Rand) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.projects) == 0 {
		return ""
	}
	return s.projects[rng.IntN(len(s.projects))]
}

func (s *crashShared) addProjects(ids ...string) {
	s.mu.Lock()
	s.projects = append(s.projects, ids...)
	s.mu.Unlock()
}

type crashWorker struct {
	n, round int
	rng      *rand.Rand
	owned    []string // actors only this worker changes, deletes or links from
	shared   *crashShared
}

var crashRoles = []string{"LEAD", "PARTNER", "FUNDER", "PARTICIPANT", "ADVISOR"}

const (
	crashQActor   = `mutation($in: ActorInput!) { upsertActor(input: $in) { id } }`
	crashQProject = `mutation($in: ProjectInput!) { upsertProject(input: $in) { id } }`
	crashQPart    = `mutation($a: ID!, $p: ID!, $role: ParticipationRole!, $from: Date, $to: Date) {
		setParticipation(actorId: $a, projectId: $p, role: $role, from: $from, to: $to) { role } }`
	crashQDelete = `mutation($id: ID!) { deleteActor(id: $id) }`
	crashQImport = `mutation($g: GraphInput!) { importGraph(input: $g) { nodesCreated } }`
)

func (w *crashWorker) ownedActor() string {
	if len(w.owned) == 0 {
		return ""
	}
	return w.owned[w.rng.IntN(len(w.owned))]
}

func crashActorInput(id, name string) map[string]any {
	return map[string]any{"id": id, "name": name, "kind": "COMPANY", "sector": "PRIVATE", "country": "SE"}
}

func crashParticipation(desc, actor, project, role, from, to string) *crashOp {
	vars := map[string]any{"a": actor, "p": project, "role": role, "from": nil, "to": nil}
	if from != "" {
		vars["from"] = from
	}
	if to != "" {
		vars["to"] = to
	}
	return &crashOp{desc: desc, field: "setParticipation", query: crashQPart, vars: vars,
		rels: map[kg.RelKey]string{kg.KeyOf(kg.RelParticipatesIn, actor, project): crashRelValue(kg.RelParticipatesIn, role, from, to, 0, 0)}}
}

// crashImport is a batch of two actors, a project and a competency, joined
// by three relationships; bad makes its last relationship invalid.
func crashImport(desc, id string, bad bool) *crashOp {
	a0, a1, p, c := id+"-i0", id+"-i1", id+"-ip", id+"-ic"
	level := 3
	if bad {
		level = 9
	}
	g := map[string]any{
		"actors":       []any{crashActorInput(a0, "Imported "+a0), crashActorInput(a1, "Imported "+a1)},
		"projects":     []any{map[string]any{"id": p, "name": "Imported " + p, "status": "PLANNED"}},
		"competencies": []any{map[string]any{"id": c, "name": "Imported " + c, "category": "DATA_AI"}},
		"relationships": []any{
			map[string]any{"type": "PARTICIPATES_IN", "fromId": a0, "toId": p, "role": "LEAD"},
			map[string]any{"type": "PARTNERS_WITH", "fromId": a1, "toId": a0},
			map[string]any{"type": "HAS_COMPETENCY", "fromId": a1, "toId": c, "level": level},
		},
	}
	return &crashOp{desc: desc, field: "importGraph", query: crashQImport, vars: map[string]any{"g": g},
		nodes: map[string]crashNode{
			a0: {"Actor", "Imported " + a0}, a1: {"Actor", "Imported " + a1},
			p: {"Project", "Imported " + p}, c: {"Competency", "Imported " + c},
		},
		rels: map[kg.RelKey]string{
			kg.KeyOf(kg.RelParticipatesIn, a0, p): crashRelValue(kg.RelParticipatesIn, "LEAD", "", "", 0, 0),
			kg.KeyOf(kg.RelPartnersWith, a1, a0):  crashRelValue(kg.RelPartnersWith, "", "", "", 0, 0),
			kg.KeyOf(kg.RelHasCompetency, a1, c):  crashRelValue(kg.RelHasCompetency, "", "", "", 3, 0),
		},
		check: func(raw json.RawMessage) string {
			var r struct{ NodesCreated int }
			if json.Unmarshal(raw, &r) != nil || r.NodesCreated != 4 {
				return fmt.Sprintf("answered %s, want nodesCreated 4", raw)
			}
			return ""
		},
	}
}

// next makes the worker's seq-th write of the round: mostly valid ones,
// and about one in seven deliberately invalid.
func (w *crashWorker) next(seq int) *crashOp {
	id := fmt.Sprintf("c%d-%d-%d", w.round, w.n, seq)
	desc := func(what string) string {
		return fmt.Sprintf("round %d worker %d write %d: %s", w.round, w.n, seq, what)
	}
	actor, project := w.ownedActor(), w.shared.project(w.rng)
	dates := func() (string, string) {
		switch w.rng.IntN(3) {
		case 0:
			return "", ""
		case 1:
			return fmt.Sprintf("20%02d-0%d-1%d", 10+w.rng.IntN(10), 1+w.rng.IntN(9), w.rng.IntN(10)), ""
		}
		y := 2010 + w.rng.IntN(10)
		return fmt.Sprintf("%d-01-01", y), fmt.Sprintf("%d-12-31", y+w.rng.IntN(5))
	}
	switch x := w.rng.IntN(100); {
	case x < 25:
		name := "Crash actor " + id
		return &crashOp{desc: desc("upsertActor " + id), field: "upsertActor", query: crashQActor,
			vars:  map[string]any{"in": crashActorInput(id, name)},
			nodes: map[string]crashNode{id: {"Actor", name}}}
	case x < 33 && actor != "":
		name := "Renamed " + actor + " by " + id
		return &crashOp{desc: desc("upsertActor " + actor + " (rename)"), field: "upsertActor", query: crashQActor,
			vars:  map[string]any{"in": crashActorInput(actor, name)},
			nodes: map[string]crashNode{actor: {"Actor", name}}}
	case x < 48:
		name := "Crash project " + id
		return &crashOp{desc: desc("upsertProject " + id), field: "upsertProject", query: crashQProject,
			vars:  map[string]any{"in": map[string]any{"id": id, "name": name, "status": "ACTIVE"}},
			nodes: map[string]crashNode{id: {"Project", name}}}
	case x < 70 && actor != "" && project != "":
		from, to := dates()
		role := crashRoles[w.rng.IntN(len(crashRoles))]
		return crashParticipation(desc("setParticipation "+actor+" "+project), actor, project, role, from, to)
	case x < 78 && actor != "":
		return &crashOp{desc: desc("deleteActor " + actor), field: "deleteActor", query: crashQDelete,
			vars: map[string]any{"id": actor}, del: actor,
			check: func(raw json.RawMessage) string {
				if string(raw) != "true" {
					return fmt.Sprintf("answered %s for an actor that exists", raw)
				}
				return ""
			}}
	case x < 86:
		return crashImport(desc("importGraph "+id+"-i*"), id, false)
	}
	return w.invalid(id, desc, actor, project)
}

// invalid makes a write the server must refuse, and that would change
// something visible if it were applied.
func (w *crashWorker) invalid(id string, desc func(string) string, actor, project string) *crashOp {
	for {
		switch w.rng.IntN(6) {
		case 0:
			long := strings.Repeat("x", kg.MaxNameLen+1)
			return &crashOp{desc: desc("invalid upsertActor " + id + " (name too long)"), field: "upsertActor", query: crashQActor,
				vars: map[string]any{"in": crashActorInput(id, long)}, wantCode: "BAD_USER_INPUT", extra: []string{id}}
		case 1:
			op := crashImport(desc("invalid importGraph "+id+"-i* (level 9 in its last relationship)"), id, true)
			op.wantCode = "BAD_USER_INPUT"
			return op
		case 2:
			if actor == "" || project == "" {
				continue
			}
			op := crashParticipation(desc("invalid setParticipation "+actor+" "+project+" (to before from)"),
				actor, project, "LEAD", "2020-05-01", "2019-05-01")
			op.wantCode = "BAD_USER_INPUT"
			return op
		case 3:
			if project == "" {
				continue
			}
			return &crashOp{desc: desc("invalid deleteActor " + project + " (a project)"), field: "deleteActor", query: crashQDelete,
				vars: map[string]any{"id": project}, wantCode: "BAD_USER_INPUT", extra: []string{project}}
		case 4:
			if project == "" {
				continue
			}
			ghost := id + "-ghost"
			op := crashParticipation(desc("invalid setParticipation "+ghost+" "+project+" (no such actor)"),
				ghost, project, "PARTNER", "", "")
			op.wantCode = "NOT_FOUND"
			return op
		case 5:
			if actor == "" {
				continue
			}
			return &crashOp{desc: desc("invalid upsertProject " + actor + " (the id of an actor)"), field: "upsertProject", query: crashQProject,
				vars:     map[string]any{"in": map[string]any{"id": actor, "name": "Hijack " + id, "status": "ACTIVE"}},
				wantCode: "CONFLICT", extra: []string{actor}}
		}
	}
}

// send runs op and classifies its answer; it returns a problem when the
// server answered what it must not.
func (w *crashWorker) send(ctx context.Context, srv *crashServer, op *crashOp) string {
	reply, sent, err := srv.post(ctx, op.query, op.vars)
	switch {
	case err != nil && !sent:
		op.outcome = crashUnsent
		return ""
	case errors.Is(err, errCrashGarbled):
		op.outcome = crashUnknown
		return fmt.Sprintf("%s: %v", op.desc, err)
	case err != nil:
		op.outcome = crashUnknown
		return ""
	case len(reply.Errors) > 0:
		op.outcome = crashRefused
		op.code = reply.Errors[0].Extensions.Code
		switch {
		case op.code == op.wantCode:
			return ""
		case op.code == "RATE_LIMITED":
			return "" // refused all the same; nothing may change
		case op.wantCode == "":
			return fmt.Sprintf("%s was refused: %s %q", op.desc, op.code, reply.Errors[0].Message)
		}
		return fmt.Sprintf("%s was refused with code %q (%q), want %s", op.desc, op.code, reply.Errors[0].Message, op.wantCode)
	}
	data, ok := reply.Data[op.field]
	if !ok || string(data) == "null" {
		op.outcome = crashUnknown
		return fmt.Sprintf("%s: an answer with neither data nor errors", op.desc)
	}
	op.outcome = crashAcked
	if op.wantCode != "" {
		return fmt.Sprintf("%s was acknowledged (%s); it must be refused with %s", op.desc, data, op.wantCode)
	}
	if op.check != nil {
		if p := op.check(data); p != "" {
			return op.desc + ": " + p
		}
	}
	return ""
}

// crashRound runs the workers against srv and kills it at a random moment.
// It returns each worker's writes in order.
func crashRound(ctx context.Context, t *testing.T, srv *crashServer, model *crashModel, round int, rng *rand.Rand) ([][]*crashOp, time.Duration, []string) {
	shared := &crashShared{}
	workers := make([]*crashWorker, crashWorkers)
	for i := range workers {
		workers[i] = &crashWorker{n: i, round: round, shared: shared, rng: rand.New(rand.NewPCG(rng.Uint64(), uint64(i)))}
	}
	// Actors joined by a partnership go to the same worker, since deleting
	// either removes it.
	group := map[string]string{}
	for k := range model.rels {
		if k.Type == kg.RelPartnersWith {
			g := min(k.From, k.To)
			group[k.From], group[k.To] = g, g
		}
	}
	for _, id := range slices.Sorted(func(yield func(string) bool) {
		for id := range model.nodes {
			if !yield(id) {
				return
			}
		}
	}) {
		switch model.nodes[id].Label {
		case "Project":
			shared.projects = append(shared.projects, id)
		case "Actor":
			g := group[id]
			if g == "" {
				g = id
			}
			h := fnv.New32a()
			h.Write([]byte(g))
			w := workers[h.Sum32()%crashWorkers]
			w.owned = append(w.owned, id)
		}
	}

	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	ops := make([][]*crashOp, crashWorkers)
	problems := make([][]string, crashWorkers)
	var wg sync.WaitGroup
	for i, w := range workers {
		wg.Go(func() {
			for seq := 0; seq < crashMaxOps; seq++ {
				op := w.next(seq)
				ops[i] = append(ops[i], op)
				if p := w.send(ctx, srv, op); p != "" {
					problems[i] = append(problems[i], p)
				}
				if op.outcome != crashAcked && op.outcome != crashRefused {
					return // the server is gone (or broken): this worker is done
				}
				if op.outcome == crashRefused || op.wantCode != "" {
					continue
				}
				// Later writes build on this acknowledged one.
				switch op.field {
				case "upsertActor":
					if !slices.Contains(w.owned, op.vars["in"].(map[string]any)["id"].(string)) {
						w.owned = append(w.owned, op.vars["in"].(map[string]any)["id"].(string))
					}
				case "upsertProject":
					shared.addProjects(op.vars["in"].(map[string]any)["id"].(string))
				case "deleteActor":
					w.owned = slices.DeleteFunc(w.owned, func(id string) bool { return id == op.del })
				case "importGraph":
					for id, n := range op.nodes {
						switch n.Label {
						case "Actor":
							w.owned = append(w.owned, id)
						case "Project":
							shared.addProjects(id)
						}
					}
				}
			}
		})
	}
	delay := crashMinDelay + time.Duration(rng.Int64N(int64(crashMaxDelay-crashMinDelay)))
	select {
	case <-time.After(delay):
	case <-ctx.Done():
	}
	srv.kill(t)
	wg.Wait()
	var all []string
	for _, p := range problems {
		all = append(all, p...)
	}
	return ops, delay, all
}

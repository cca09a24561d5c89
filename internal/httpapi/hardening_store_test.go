package httpapi

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/samverkan/samverkan/internal/store/embedded"
	"github.com/samverkan/samverkan/internal/store/teststore"
)

// importBatch is an importGraph of n actors with long descriptions (about
// 9 KB each), ids prefix-0 … prefix-(n-1).
func importBatch(prefix string, n int) (string, map[string]any) {
	actors := make([]map[string]any, n)
	for i := range actors {
		actors[i] = map[string]any{"id": fmt.Sprintf("%s-%d", prefix, i), "name": fmt.Sprintf("Aktör %s %d", prefix, i),
			"kind": "COMPANY", "sector": "PRIVATE", "description": strings.Repeat(fmt.Sprintf("beskrivning %s %d ", prefix, i), 1000)[:9000]}
	}
	return `mutation($g: GraphInput!) { importGraph(input: $g) { nodesCreated nodesUpdated } }`, map[string]any{"g": map[string]any{"actors": actors}}
}

// Item 2: a backup download that stalls neither blocks writers nor gets
// cut off by WRITE_TIMEOUT: the copy finishes when the client reads on,
// and opens as a consistent store.
func TestBackupDoesNotBlockWrites(t *testing.T) {
	parallel(t)
	teststore.EmbeddedOnly(t, "the backup endpoint copies the embedded store's file")
	if testing.Short() {
		t.Skip("grows a store to tens of megabytes")
	}
	dir := t.TempDir()
	s := start(t, keyedEnv(t, map[string]string{"WRITE_TIMEOUT": "8s", "MAX_BODY_BYTES": "2000000"}), "-data-dir", dir)
	// Grow the store past what socket buffers hold, so that a client that
	// stops reading holds the server's copy back.
	for i := 0; i < 30; i++ {
		q, v := importBatch(fmt.Sprintf("grow%d", i), 100)
		if r := s.send(t, testAdminKey, q, v, nil); len(r.Errors) > 0 {
			t.Fatalf("growing the store: %s", r.raw)
		}
	}

	// A client that sends the request, reads the headers and a little, and
	// then stops reading (the copy is far larger than the socket buffers).
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /admin/backup HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n\r\n", testAdminKey)
	br := bufio.NewReaderSize(conn, 4096)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("backup: %d %s", resp.StatusCode, b)
	}
	head := make([]byte, 1024)
	if _, err := io.ReadFull(resp.Body, head); err != nil {
		t.Fatal(err)
	}

	// Writes that grow the file (bbolt remaps it) go on while the client
	// stalls, for longer than WRITE_TIMEOUT.
	// Each write must finish while the client still stalls: one that
	// waited for the download would hang until the client hung up. (No
	// timing threshold: a busy machine is slow, not blocked.)
	stall := time.Now()
	for i := 0; i < 50; i++ {
		q, v := importBatch(fmt.Sprintf("during%d", i), 50)
		done := make(chan secResponse, 1)
		go func() { done <- s.send(t, testAdminKey, q, v, nil) }()
		select {
		case r := <-done:
			if len(r.Errors) > 0 {
				t.Fatalf("write %d during the backup: %s", i, r.raw)
			}
		case <-time.After(60 * time.Second):
			t.Fatalf("write %d blocked behind the stalled backup download", i)
		}
	}
	if d := time.Since(stall); d < 10*time.Second {
		time.Sleep(10*time.Second - d) // longer than WRITE_TIMEOUT
	}

	// The client reads on: the copy is complete and consistent.
	copyDir := t.TempDir()
	f, err := os.Create(filepath.Join(copyDir, "samverkan.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(head); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(60 * time.Second))
	n, err := io.Copy(f, resp.Body)
	f.Close()
	if err != nil {
		var lines []string
		for _, l := range strings.Split(s.logs.String(), "\n") {
			if strings.Contains(l, "backup") {
				lines = append(lines, l)
			}
		}
		t.Fatalf("the download was cut off after %d bytes of %d: %v\n%s", n+int64(len(head)), resp.ContentLength, err, strings.Join(lines, "\n"))
	}
	if resp.ContentLength > 0 && n+int64(len(head)) != resp.ContentLength {
		t.Fatalf("got %d bytes of %d", n+int64(len(head)), resp.ContentLength)
	}
	cs, err := embedded.Open(copyDir)
	if err != nil {
		t.Fatalf("the backup does not open: %v", err)
	}
	defer cs.Close()
	if err := cs.Check(); err != nil {
		t.Fatalf("the backup fails bbolt's check: %v", err)
	}
	if st := cs.Stats(); st.Nodes < 77+3000 {
		t.Fatalf("the backup holds %d nodes", st.Nodes)
	}
	// No temporary copy is left behind.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != "samverkan.db" {
			t.Errorf("left in DATA_DIR: %s", e.Name())
		}
	}
}

// Item 9: names refuse invisible and bidirectional-override characters;
// X-Forwarded-For entries with a port count as their address.
func TestInvisibleCharactersAndForwardedPorts(t *testing.T) {
	parallel(t)
	// A small budget refills slowly (1.7 units a second), so that
	// a slow store does not refill it between two requests.
	s := start(t, keyedEnv(t, map[string]string{"TRUSTED_PROXIES": "127.0.0.1", "RATE_LIMIT_PER_MINUTE": "100", "MAX_COST": "100"}),
		"-data-dir", t.TempDir())
	for _, name := range []string{"Karlstad\u202egpj.exe", "Karl\u200bstad", "\ufeffKarlstad", "Karlstad\u2066x\u2069"} {
		r := s.send(t, testEditorKey, `mutation($n: String!) { upsertActor(input: {id: "x1", name: $n, kind: COMPANY, sector: PRIVATE}) { id } }`,
			map[string]any{"n": name}, nil)
		if r.code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "input.name" {
			t.Errorf("name %+q: %s", name, r.raw)
		}
	}

	remaining := func(xff string) float64 {
		t.Helper()
		status, r := s.postGQL(t, `{ actors { totalCount } rateLimit { remaining } }`, nil, map[string]string{"X-Forwarded-For": xff})
		if status != 200 || len(r.Errors) > 0 {
			t.Fatalf("%d %+v", status, r.Errors)
		}
		return dig(r.Data, "rateLimit", "remaining").(float64)
	}
	a1 := remaining("203.0.113.7:4711")
	a2 := remaining("203.0.113.7:4712")
	b := remaining("[2001:db8::5]:80")
	if a2 >= a1 {
		t.Errorf("the same address with two ports: two budgets (%v, %v)", a1, a2)
	}
	if b <= a2 {
		t.Errorf("another address with a port shares a budget (%v after %v): the entries were not parsed", b, a2)
	}
}

// Item 9: a full disk is UNAVAILABLE, says so, and does not blame the
// input. Needs a small tmpfs (root on Linux); skipped elsewhere.
func TestFullDisk(t *testing.T) {
	parallel(t)
	teststore.EmbeddedOnly(t, "it fills the disk under the embedded store's file")
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", dir).Run() })
	s := start(t, keyedEnv(t, map[string]string{"SEED": "never"}), "-data-dir", dir)
	var last secResponse
	for i := 0; i < 40; i++ {
		q, v := importBatch(fmt.Sprintf("fill%d", i), 50)
		last = s.send(t, testAdminKey, q, v, nil)
		if len(last.Errors) > 0 {
			break
		}
	}
	if len(last.Errors) == 0 {
		t.Fatal("the disk never filled")
	}
	e := last.Errors[0]
	if e.Extensions["code"] != "UNAVAILABLE" || e.Extensions["field"] != nil || !strings.Contains(e.Message, "disk is full") {
		t.Fatalf("full disk: %s", last.raw)
	}
	// Reads still work.
	if r := s.gql(t, `{ actors { totalCount } }`, nil); len(r.Errors) > 0 {
		t.Fatalf("reads after a full disk: %+v", r.Errors)
	}
}

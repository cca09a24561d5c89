package httpapi

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/samverkan/samverkan/internal/store/embedded"
	"github.com/samverkan/samverkan/internal/store/teststore"
)

// An admin downloads a consistent copy of the running store, which opens
// as a store of its own with the same graph; anyone else is refused.
func TestOnlineBackup(t *testing.T) {
	parallel(t)
	teststore.EmbeddedOnly(t, "the backup endpoint copies the embedded store's file; back Neo4j up with neo4j-admin")
	hash := func(k string) string { s := sha256.Sum256([]byte(k)); return hex.EncodeToString(s[:]) }
	env := map[string]string{"API_KEYS": "ops:admin:" + hash("admin-secret") + ",app:editor:" + hash("editor-secret")}
	s := start(t, env, "-data-dir", t.TempDir())

	for key, want := range map[string]int{"": 401, "editor-secret": 403, "wrong": 401} {
		resp, _ := s.get(t, "/admin/backup", map[string]string{"Authorization": "Bearer " + key})
		if resp.StatusCode != want {
			t.Errorf("backup with key %q: status %d, want %d", key, resp.StatusCode, want)
		}
	}

	req, _ := http.NewRequest(http.MethodGet, s.base+"/admin/backup", nil)
	req.Header.Set("Authorization", "Bearer admin-secret")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("admin backup: %d", resp.StatusCode)
	}
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "samverkan.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		t.Fatal(err)
	}
	f.Close()

	copyStore, err := embedded.Open(dir)
	if err != nil {
		t.Fatalf("the backup does not open: %v", err)
	}
	defer copyStore.Close()
	if err := copyStore.Check(); err != nil {
		t.Fatalf("the backup fails bbolt's check: %v", err)
	}
	live := s.gql(t, `{ actors { totalCount } needs { totalCount } }`, nil)
	if st := copyStore.Stats(); float64(st.Nodes) < dig(live.Data, "actors", "totalCount").(float64) || st.Nodes != 85 {
		t.Fatalf("backup holds %d nodes; the seed has 85", st.Nodes)
	}
}

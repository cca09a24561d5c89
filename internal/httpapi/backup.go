package httpapi

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"syscall"
	"time"

	"github.com/samverkan/samverkan/internal/auth"
	"github.com/samverkan/samverkan/internal/kg"
)

// backuper is a store that can copy itself while it serves (the embedded
// store; Neo4j has its own backup tools).
type backuper interface {
	Backup(w io.Writer) (int64, error)
}

// backupHandler streams a consistent copy of the embedded store's file to
// an admin: GET /admin/backup with an admin key. Restore by stopping the
// server and putting the file in DATA_DIR as samverkan.db.
//
// The copy is first written to a temporary file in dir (DATA_DIR, already
// unlinked, so that nothing is left behind even by a crash): the store's
// read transaction, which keeps bbolt from growing its memory map and so
// blocks writers that need more room, lasts only as long as a local copy.
// The file is then streamed under a deadline of its own (timeout, instead
// of the server's WRITE_TIMEOUT), however slowly the client reads.
func backupHandler(store kg.Store, dir string, timeout time.Duration, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := auth.FromContext(r.Context())
		switch {
		case id.Anonymous():
			w.Header().Set("WWW-Authenticate", "Bearer")
			writeJSON(w, http.StatusUnauthorized, gqlErrors("a backup needs an admin key (Authorization: Bearer <key>)", "UNAUTHENTICATED"))
			return
		case id.Role < auth.RoleAdmin:
			writeJSON(w, http.StatusForbidden, gqlErrors("a backup needs the admin role", "FORBIDDEN"))
			return
		}
		b, ok := store.(backuper)
		if !ok {
			writeJSON(w, http.StatusNotImplemented, gqlErrors("this store has no online backup; use Neo4j's backup tools", "BAD_USER_INPUT"))
			return
		}
		f, err := os.CreateTemp(dir, ".backup-*.db")
		if err != nil {
			backupUnavailable(w, r, log, "the backup copy could not be created", err)
			return
		}
		_ = os.Remove(f.Name()) // the open file lives on until it is closed
		defer f.Close()
		started := time.Now()
		n, err := b.Backup(f)
		if err == nil {
			_, err = f.Seek(0, io.SeekStart)
		}
		if err != nil {
			backupUnavailable(w, r, log, "the backup copy could not be written", err)
			return
		}
		copied := time.Since(started)

		rc := http.NewResponseController(w)
		if err := rc.SetWriteDeadline(time.Now().Add(timeout)); err != nil {
			log.WarnContext(r.Context(), "backup: the write deadline could not be set", "err", err.Error())
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", strconv.FormatInt(n, 10))
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="samverkan-%s.db"`, time.Now().UTC().Format("20060102T150405Z")))
		w.WriteHeader(http.StatusOK)
		sent, err := io.Copy(w, f)
		if err != nil {
			// The status is already sent; a cut-off body fails the client's copy.
			log.WarnContext(r.Context(), "backup download cut off", "err", err.Error(), "bytes", sent, "of", n)
			return
		}
		log.InfoContext(r.Context(), "backup", "bytes", n, "key", id.Name,
			"copy_ms", copied.Milliseconds(), "duration_ms", time.Since(started).Milliseconds())
	})
}

// backupUnavailable answers a backup that could not be made: 503, and the
// cause (a full disk among them) in the log only.
func backupUnavailable(w http.ResponseWriter, r *http.Request, log *slog.Logger, msg string, err error) {
	if errors.Is(err, syscall.ENOSPC) {
		msg += ": the server's disk is full"
	}
	log.ErrorContext(r.Context(), "backup failed", "err", err.Error())
	writeJSON(w, http.StatusServiceUnavailable, gqlErrors(msg+"; try again later", "UNAVAILABLE"))
}

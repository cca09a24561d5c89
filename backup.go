package main

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
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
func backupHandler(store kg.Store, log *slog.Logger) http.Handler {
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
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="samverkan-%s.db"`, time.Now().UTC().Format("20060102T150405Z")))
		n, err := b.Backup(w)
		if err != nil {
			// The status is already sent; a cut-off body fails the client's copy.
			log.ErrorContext(r.Context(), "backup failed", "err", err.Error(), "bytes", n)
			return
		}
		log.InfoContext(r.Context(), "backup", "bytes", n, "key", id.Name)
	})
}

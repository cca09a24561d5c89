//go:build !unix

package teststore

import "testing"

// lock is a no-op where flock is missing: run `go test -p 1` there.
func lock(testing.TB) {}

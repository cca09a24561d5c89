package httpapi

import (
	"strings"
	"testing"
)

// plainToken is checked by hand for speed; it must accept exactly what
// validRequestID does.
func TestPlainTokenMatchesThePattern(t *testing.T) {
	ids := []string{"", "a", "A-b.c_d", "a b", "a\n", "ä", strings.Repeat("x", 64), strings.Repeat("x", 65)}
	for c := range 256 {
		ids = append(ids, string(rune(c)), "a"+string([]byte{byte(c)}))
	}
	for _, id := range ids {
		if got, want := plainToken(id), validRequestID.MatchString(id); got != want {
			t.Errorf("plainToken(%q) = %v, the pattern says %v", id, got, want)
		}
	}
}

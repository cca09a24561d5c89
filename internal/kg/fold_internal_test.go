package kg

import (
	"math/rand/v2"
	"testing"
)

// Fold's ASCII shortcut gives what the whole folding gives: on every ASCII
// string of up to two bytes and on random longer ones.
func TestFoldASCIIShortcut(t *testing.T) {
	check := func(s string) {
		if got, want := Fold(s), foldUnicode(s); got != want {
			t.Fatalf("Fold(%q) = %q, the whole folding gives %q", s, got, want)
		}
	}
	check("")
	for a := range 128 {
		check(string(rune(a)))
		for b := range 128 {
			check(string([]byte{byte(a), byte(b)}))
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		b := make([]byte, 1+r.IntN(40))
		for i := range b {
			b[i] = byte(r.IntN(128))
		}
		check(string(b))
	}
	if Fold("Lillestrøm VÄRMLAND") != "lillestrom varmland" {
		t.Errorf("Fold(%q) = %q", "Lillestrøm VÄRMLAND", Fold("Lillestrøm VÄRMLAND"))
	}
}

package kg

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Letters that Unicode does not decompose into a base letter and a mark, so
// that stripping marks alone would not fold them.
var foldSpecial = strings.NewReplacer(
	"ø", "o", "Ø", "o", "æ", "ae", "Æ", "ae", "ß", "ss", "ẞ", "ss", "đ", "d", "Đ", "d",
	"ł", "l", "Ł", "l", "þ", "th", "Þ", "th", "ð", "d", "Ð", "d", "œ", "oe", "Œ", "oe",
)

// Fold returns s lower-cased with diacritics removed ("Värmland" →
// "varmland", "Lillestrøm" → "lillestrom"). Search, name filters and name
// ordering all compare folded text, in every store.
func Fold(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return foldUnicode(s)
		}
	}
	// ASCII: nothing to decompose or replace.
	return strings.ToLower(s)
}

// foldUnicode is Fold of any text.
func foldUnicode(s string) string {
	s = foldSpecial.Replace(s)
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
}

// Words splits folded text into words: runs of letters and digits.
func Words(s string) []string {
	return strings.FieldsFunc(Fold(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

package history

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Fold lowercases s and strips its Vietnamese diacritics (đ → d), so that a
// search typed without them ("nguyen van") finds the names written with them
// ("Nguyễn Văn"): office keyboards and habits differ, and both forms are typed.
func Fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ':
			b.WriteRune('d')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// FoldFrom and FoldTo are the same folding as a character map for SQL's
// translate(): every precomposed Latin letter with diacritics (both cases) and the
// lowercase ASCII letter Fold makes of it. lower() then finishes the job on ASCII.
var FoldFrom, FoldTo = foldTables()

func foldTables() (from, to string) {
	var f, t strings.Builder
	for _, block := range [][2]rune{{0x00C0, 0x024F}, {0x1E00, 0x1EFF}} {
		for r := block[0]; r <= block[1]; r++ {
			folded := Fold(string(r))
			if len(folded) == 1 && folded[0] >= 'a' && folded[0] <= 'z' {
				f.WriteRune(r)
				t.WriteByte(folded[0])
			}
		}
	}
	return f.String(), t.String()
}

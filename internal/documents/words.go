package documents

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

var digitWords = [...]string{"không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"}

// readGroup reads a group of three digits; full says whether higher groups precede
// it, in which case its hundreds are read even when zero ("không trăm").
func readGroup(n int, full bool) []string {
	h, t, u := n/100, n/10%10, n%10
	var out []string
	if h > 0 || full {
		out = append(out, digitWords[h], "trăm")
	}
	switch {
	case t == 0 && u == 0:
		return out
	case t == 0:
		if h > 0 || full {
			out = append(out, "linh")
		}
		return append(out, digitWords[u])
	case t == 1:
		out = append(out, "mười")
	default:
		out = append(out, digitWords[t], "mươi")
	}
	switch {
	case u == 0:
	case u == 1 && t > 1:
		out = append(out, "mốt")
	case u == 4 && t > 1:
		out = append(out, "tư")
	case u == 5:
		out = append(out, "lăm")
	default:
		out = append(out, digitWords[u])
	}
	return out
}

// NumberWords reads a non-negative whole number in Vietnamese words, as amounts are
// written out in financial documents: 702000 → "bảy trăm linh hai nghìn".
func NumberWords(n int64) string {
	if n == 0 {
		return "không"
	}
	if n < 0 {
		return "âm " + NumberWords(-n)
	}
	units := []string{"", "nghìn", "triệu", "tỷ"}
	var groups []int
	for v := n; v > 0; v /= 1000 {
		groups = append(groups, int(v%1000))
	}
	var words []string
	for i := len(groups) - 1; i >= 0; i-- {
		g := groups[i]
		unit := units[i%3]
		if i > 0 && i%3 == 0 {
			unit = "tỷ"
			for range i/3 - 1 {
				unit += " tỷ"
			}
		}
		if g == 0 {
			// An empty group is skipped, except that "tỷ" is said even when its own
			// group is zero and larger groups exist.
			if i%3 == 0 && i > 0 && len(words) > 0 {
				words = append(words, unit)
			}
			continue
		}
		words = append(words, readGroup(g, i < len(groups)-1)...)
		if unit != "" {
			words = append(words, unit)
		}
	}
	return strings.Join(words, " ")
}

// AmountWords writes an amount of đồng in words with a capital letter:
// 702000 → "Bảy trăm linh hai nghìn đồng".
func AmountWords(dong int64) string {
	s := NumberWords(dong) + " đồng"
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}

// Money writes an amount in figures with dot thousands separators: 1.404.000.
func Money(dong int64) string {
	s := strconv.FormatInt(dong, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func sortStrings(s []string) []string {
	slices.Sort(s)
	return s
}

func sortInts(s []int) { slices.Sort(s) }

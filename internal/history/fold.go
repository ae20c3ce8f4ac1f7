package history

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// FoldFrom and FoldTo map every Vietnamese letter with diacritics, in both cases
// (134 letters with đ and Đ), to its plain lowercase ASCII letter. The same map,
// as SQL translate(), fills subjects.name_folded (migration 0008), so that a name
// is folded once when it is written rather than in every search.
const (
	FoldFrom = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ"
	FoldTo   = "aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyydaaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd"
)

var foldReplacer = func() *strings.Replacer {
	from, to := []rune(FoldFrom), []rune(FoldTo)
	pairs := make([]string, 0, 2*len(from))
	for i := range from {
		pairs = append(pairs, string(from[i]), string(to[i]))
	}
	return strings.NewReplacer(pairs...)
}()

// Fold lowercases s and strips its Vietnamese diacritics (đ → d), so that a
// search typed without them ("nguyen van") finds the names written with them
// ("Nguyễn Văn"): office keyboards and habits differ, and both forms are typed.
// It is the SQL expression of subjects.name_folded, applied to NFC text.
func Fold(s string) string {
	return strings.ToLower(foldReplacer.Replace(norm.NFC.String(s)))
}

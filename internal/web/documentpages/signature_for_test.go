package documentpages

import (
	"strings"
	"testing"
)

// TestSignatureAuthorityFollowsTheSignersTitle: the chair signs on behalf of the
// People's Committee, a vice-chair for the chair, an acting chair as Q. CHỦ TỊCH;
// at the central level the Prime Minister signs alone and a deputy for them; a
// decision without a recorded title is signed as by the chair.
func TestSignatureAuthorityFollowsTheSignersTitle(t *testing.T) {
	for _, c := range []struct {
		unit, title string
		want        []string
	}{
		{"LS", "chair", []string{"TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"}},
		{"LS", "", []string{"TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"}},
		{"LS", "vice_chair", []string{"KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"}},
		{"LS", "acting_chair", []string{"TM. ỦY BAN NHÂN DÂN", "Q. CHỦ TỊCH"}},
		{"TW", "chair", []string{"THỦ TƯỚNG"}},
		{"TW", "vice_chair", []string{"KT. THỦ TƯỚNG", "PHÓ THỦ TƯỚNG"}},
	} {
		s := signatureFor(c.unit, c.title, "Lộc Văn Thành")
		if got := s.Lines(); strings.Join(got, " / ") != strings.Join(c.want, " / ") || s.Name != "Lộc Văn Thành" {
			t.Errorf("%s %q: %q, want %q", c.unit, c.title, got, c.want)
		}
	}
}

package awards

import (
	"slices"
	"strings"
	"testing"
)

// TestNamePieceTilingCoversTheQueryWithPiecesOfIt: the pieces asked of the index
// are NameGramLength letters of the query each, cut by letter, and together cover
// every letter of it; a query shorter than a piece asks none.
func TestNamePieceTilingCoversTheQueryWithPiecesOfIt(t *testing.T) {
	tests := []struct {
		folded string
		want   []string
	}{
		{"", nil},
		{"van", nil},
		{"nguy", nil},
		{"nguye", []string{"nguye"}},
		{"nguyen", []string{"nguye", "guyen"}},
		{"nguyen van", []string{"nguye", "yen v", "n van"}}, // the last closes a partial step
		{"tran thu phong", []string{"tran ", "n thu", "hu ph", "phong"}},
		{"dang xuan xuan", []string{"dang ", "g xua", "uan x", " xuan"}},
		{"hoi nong dan xa an binh", []string{"hoi n", " nong", "ng da", "dan x", " xa a", " an b", " binh"}},
		{"  nguyen  van ", []string{"  ngu", "guyen", "en  v", " van "}},
		{"đặng", nil},
		{"đặng thị", []string{"đặng ", "g thị"}},
		{"0123456789", []string{"01234", "34567", "56789"}},
		{"01234567", []string{"01234", "34567"}}, // the steps end on the last letter: nothing added
	}
	for _, tt := range tests {
		got := namePieceTiling(tt.folded)
		if !slices.Equal(got, tt.want) {
			t.Errorf("namePieceTiling(%q) = %q, want %q", tt.folded, got, tt.want)
		}
		r := []rune(tt.folded)
		covered := make([]bool, len(r))
		for _, p := range got {
			if n := len([]rune(p)); n != NameGramLength {
				t.Errorf("namePieceTiling(%q): piece %q has %d letters, want %d", tt.folded, p, n, NameGramLength)
			}
			for i := 0; i+NameGramLength <= len(r); i++ {
				if string(r[i:i+NameGramLength]) == p {
					for j := i; j < i+NameGramLength; j++ {
						covered[j] = true
					}
				}
			}
			if !strings.Contains(tt.folded, p) {
				t.Errorf("namePieceTiling(%q): piece %q is not in the query", tt.folded, p)
			}
		}
		if len(r) >= NameGramLength && slices.Contains(covered, false) {
			t.Errorf("namePieceTiling(%q) = %q leaves letters uncovered", tt.folded, got)
		}
	}
}

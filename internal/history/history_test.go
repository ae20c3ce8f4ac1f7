package history_test

import (
	"strings"
	"testing"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/tdkt/tdkt/internal/history"
)

func TestLabelsAndCodesReadTheSame(t *testing.T) {
	for in, want := range map[string]history.Rating{
		"htxs": history.RatingExcellent, "HTXS": history.RatingExcellent, "Hoàn thành xuất sắc nhiệm vụ": history.RatingExcellent,
		"  hoàn  thành tốt ": history.RatingGood, "Hoa\u0300n tha\u0300nh nhiê\u0323m vu\u0323": history.RatingDone, "KHT": history.RatingNotDone,
	} {
		if got, ok := history.ParseRating(in); !ok || got != want {
			t.Errorf("ParseRating(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "giỏi", "xuất sắc"} {
		if _, ok := history.ParseRating(bad); ok {
			t.Errorf("ParseRating(%q) accepted", bad)
		}
	}
	for _, r := range history.Ratings {
		if got, _ := history.ParseRating(r.Label()); got != r {
			t.Errorf("the label of %s reads back as %s", r, got)
		}
	}
	for _, s := range history.Scopes {
		if got, _ := history.ParseScope(s.Label()); got != s {
			t.Errorf("the label of %s reads back as %s", s, got)
		}
	}
	for _, k := range history.AwardKinds {
		if got, _ := history.ParseAwardKind(k.Label()); got != k {
			t.Errorf("the label of %s reads back as %s", k, got)
		}
	}
	for _, k := range history.HoldKinds {
		if got, _ := history.ParseHoldKind(k.Label()); got != k {
			t.Errorf("the label of %s reads back as %s", k, got)
		}
	}
	if d, err := history.ParseDate("05/03/2024"); err != nil || d.Format(history.DateLayout) != "2024-03-05" {
		t.Errorf("day-first date: %v %v", d, err)
	}
	if _, err := history.ParseDate("2024-02-30"); err == nil {
		t.Error("30 February parsed")
	}
}

func TestValidateReportsEveryBadRowAndNormalises(t *testing.T) {
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	b := history.Batch{
		UnitID:   " LS-09-003 ",
		Subjects: []history.SubjectEntry{{Code: "001", Kind: "Cá nhân", Name: "Hoa\u0300ng Thi\u0323 Lan"}, {Code: "001", Kind: "robot", Name: ""}},
		Ratings:  []history.RatingEntry{{SubjectCode: "001", Year: 2028, Rating: "htt"}},
		Awards:   []history.AwardEntry{{SubjectCode: "001", Year: 2024, AwardCode: "cstdcs", Level: "huyện", DecisionDate: "20/12/2024"}},
		Holds:    []history.HoldEntry{{SubjectCode: "001", Kind: "kỷ luật", StartsOn: "01/06/2024", EndsOn: "31/05/2024"}},
	}
	b.NumberRows()
	errs := b.Validate(now)
	want := map[string]bool{"subjects[1]": true, "subjects[1].kind": true, "subjects[1].name": true, "ratings[0].year": true, "holds[0].ends_on": true}
	got := map[string]bool{}
	for _, f := range errs.FieldErrors() {
		got[f.Field] = true
	}
	if len(got) != len(want) {
		t.Fatalf("errors %v, want fields %v", errs, want)
	}
	for f := range want {
		if !got[f] {
			t.Errorf("no error on %s: %v", f, errs)
		}
	}
	a := b.Awards[0]
	if b.UnitID != "LS-09-003" || b.Subjects[0].Name != "Hoàng Thị Lan" || b.Subjects[0].Kind != "individual" ||
		a.AwardCode != "CSTDCS" || a.AwardKind != "merit" || a.Level != "district" || a.DecisionDate != "2024-12-20" {
		t.Errorf("not normalised: %+v %+v", b.Subjects[0], a)
	}
}

// TestFoldCoversEveryVietnameseLetter: the map behind Fold (and behind the
// database's subjects.name_folded) takes each of the 134 Vietnamese letters with
// diacritics to the letter that decomposing it and dropping its marks gives, and
// folds whole names typed in any case, precomposed or with combining marks.
func TestFoldCoversEveryVietnameseLetter(t *testing.T) {
	from, to := []rune(history.FoldFrom), []rune(history.FoldTo)
	if len(from) != 134 || len(to) != len(from) {
		t.Fatalf("the map has %d letters onto %d, want 134", len(from), len(to))
	}
	for i, r := range from {
		var plain []rune
		for _, x := range norm.NFD.String(strings.ToLower(string(r))) {
			if !unicode.Is(unicode.Mn, x) {
				plain = append(plain, x)
			}
		}
		if string(r) == "đ" || string(r) == "Đ" {
			plain = []rune{'d'}
		}
		if len(plain) != 1 || plain[0] != to[i] {
			t.Errorf("%c maps to %c, its decomposition gives %q", r, to[i], string(plain))
		}
	}
	for in, want := range map[string]string{
		"Nguyễn Thị Ánh Tuyết, Đặng Hữu Phước": "nguyen thi anh tuyet, dang huu phuoc",
		"ỨNG DỤNG ĐỔI MỚI":                     "ung dung doi moi",
		"Hoa\u0300ng Thi\u0323 Lan":            "hoang thi lan",
	} {
		if got := history.Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

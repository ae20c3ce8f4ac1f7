package web

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tdkt/tdkt/internal/history"
	"github.com/tdkt/tdkt/internal/importer"
)

// TestRowReasonsOfRealFilesAreTranslated feeds the importer files with every kind
// of mistake a clerk makes (a missing column, an unknown rating, kind, scope or
// hold kind, a bad date, a hold that ends before it starts, a duplicate row, a
// nominee without a name) and checks that each reason it gives is translated in
// both languages, with the offending value, rather than shown as "invalid value".
func TestRowReasonsOfRealFilesAreTranslated(t *testing.T) {
	now := time.Date(2025, 6, 16, 3, 0, 0, 0, time.UTC)
	files := []struct {
		section, csv string
	}{
		{"ratings", "Mã đối tượng,Năm,Xếp loại\n001,2024,giỏi\n001,năm ngoái,HTT\n"},
		{"ratings", "Mã đối tượng,Xếp loại\n001,HTT\n"},
		{"subjects", "Mã đối tượng,Loại đối tượng,\"Họ tên, tên tập thể\"\n001,đoàn thể,Ai đó\n002,Cá nhân,\n"},
		{"initiatives", "Mã đối tượng,Năm,Tên sáng kiến,Phạm vi ảnh hưởng\n001,2024,Sổ tay,cấp thôn\n001,2024,Sổ tay,Cấp cơ sở\n001,2024,Sổ tay,Cấp cơ sở\n"},
		{"holds", "Mã đối tượng,Loại,Từ ngày,Đến ngày\n001,nghỉ phép,01/02/2025,\n001,Kỷ luật,01/02/2025,31/01/2025\n001,Kỷ luật,32/13/2025,\n"},
	}
	var reasons history.RowErrors
	for _, f := range files {
		_, err := importer.ParseHistory([]byte(f.csv), importer.FormatCSV, f.section, now)
		var rows history.RowErrors
		if !errors.As(err, &rows) {
			t.Fatalf("%s: %v, want bad rows", f.section, err)
		}
		reasons = append(reasons, rows...)
	}
	_, err := importer.ParseNominees([]byte("Loại đối tượng,\"Họ tên, tên tập thể\"\nCá nhân,\n"), importer.FormatCSV)
	var rows history.RowErrors
	if !errors.As(err, &rows) {
		t.Fatalf("nominees: %v, want bad rows", err)
	}
	reasons = append(reasons, rows...)
	if len(reasons) < 10 {
		t.Fatalf("only %d reasons: %v", len(reasons), reasons)
	}
	for _, lang := range languages {
		p := &Page{Lang: lang}
		for _, r := range reasons {
			msg := p.RowMessage(r)
			if msg == p.T("rowerr.invalid") || msg == p.T("rowerr.unreadable") || strings.Contains(msg, "%!") {
				t.Errorf("%s: reason %q is shown as %q", lang, r.Reason, msg)
			}
		}
	}
	if msg := (&Page{Lang: "vi"}).RowMessage(history.RowError{Row: 2, Column: "Xếp loại", Reason: `"giỏi" is not a task rating (HTXS, HTT, HT, KHT)`}); !strings.Contains(msg, "“giỏi” không phải là mức xếp loại") {
		t.Errorf("rating reason in Vietnamese: %q", msg)
	}
	// A reason nobody listed is not shown raw.
	if msg := (&Page{Lang: "en"}).RowMessage(history.RowError{Reason: "zip: not a valid zip file"}); strings.Contains(msg, "zip") {
		t.Errorf("a library's error reached the page: %q", msg)
	}
}

// TestRowReasonsExistInBothLanguages: every row reason's message, and the
// messages of a refused import and of eligibility, exist in both languages.
func TestRowReasonsExistInBothLanguages(t *testing.T) {
	keys := []string{"rowerr.invalid", "rowerr.unreadable", "elig.status.eligible", "elig.status.not_eligible", "elig.status.not_checked"}
	for _, r := range rowReasons {
		keys = append(keys, r.key)
	}
	for _, lang := range languages {
		for _, k := range keys {
			if _, ok := catalogue[lang][k]; !ok {
				t.Errorf("%s lacks %q", lang, k)
			}
		}
	}
}

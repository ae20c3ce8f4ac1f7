package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/tdkt/tdkt/internal/history"
)

// Limits on what a file may hold.
const (
	// MaxRows caps the data rows of one file (all sheets).
	MaxRows = history.MaxBatchRows
	// maxCellLen caps one cell, in bytes.
	maxCellLen = 64 << 10
	// headerSearchRows is how far down a sheet the header row is looked for, so
	// that a title above the table ("DANH SÁCH …") is allowed.
	headerSearchRows = 10
)

// record is one data row of a sheet: its spreadsheet row number and its values by
// field.
type record struct {
	row    int
	values map[string]string
}

// rowSource yields the rows of one sheet, 1-based, until fn returns an error.
type rowSource func(fn func(row int, cells []string) error) error

// errStop ends a row source early without being an error of the file.
var errStop = errors.New("stop")

// readTable finds the header row of sheet in src and returns the data rows, or
// every bad row. budget is the number of data rows still allowed in the file.
func readTable(src rowSource, sheet Sheet, budget *int) ([]record, history.RowErrors) {
	var errs history.RowErrors
	bad := func(row int, column, format string, args ...any) {
		errs = append(errs, history.RowError{Section: sheet.Section, Sheet: sheet.Name, Row: row, Column: column,
			Reason: fmt.Sprintf(format, args...)})
	}
	want := map[string]Column{}
	for _, c := range sheet.Columns {
		want[headerKey(c.Header)] = c
	}
	var cols []Column // by cell index; a zero Column is ignored
	var out []record
	headerRow := 0
	err := src(func(row int, cells []string) error {
		if headerRow == 0 {
			if row > headerSearchRows {
				return errStop
			}
			found := make([]Column, len(cells))
			seen := map[string]bool{}
			for i, cell := range cells {
				if c, ok := want[headerKey(cell)]; ok {
					if seen[c.Field] {
						bad(row, c.Header, "column appears twice")
					}
					seen[c.Field] = true
					found[i] = c
				}
			}
			missing := []string{}
			for _, c := range sheet.Columns {
				if c.Required && !seen[c.Field] {
					missing = append(missing, c.Header)
				}
			}
			if len(missing) == 0 {
				headerRow, cols = row, found
			} else if len(seen) > 0 {
				// A header with some known columns: report what it lacks.
				bad(row, "", "missing required columns: %s", strings.Join(missing, ", "))
				return errStop
			}
			return nil
		}
		empty := true
		for _, c := range cells {
			if strings.TrimSpace(c) != "" {
				empty = false
				break
			}
		}
		if empty {
			return nil
		}
		if *budget <= 0 {
			bad(row, "", "too many rows for one file (see the template's limits)")
			return errStop
		}
		*budget--
		rec := record{row: row, values: make(map[string]string, len(sheet.Columns))}
		for i, cell := range cells {
			if i >= len(cols) || cols[i].Field == "" {
				continue // a column the template does not know (notes, STT): ignored
			}
			c := cols[i]
			switch {
			case !utf8.ValidString(cell):
				bad(row, c.Header, "not UTF-8 text (save the file as CSV UTF-8 or XLSX)")
				continue
			case len(cell) > maxCellLen:
				bad(row, c.Header, "cell too long (over %d bytes)", maxCellLen)
				continue
			}
			rec.values[c.Field] = history.Clean(cell)
		}
		out = append(out, rec)
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		bad(0, "", "%v", err)
	}
	if headerRow == 0 && len(errs) == 0 {
		var names []string
		for _, c := range sheet.Columns {
			if c.Required {
				names = append(names, c.Header)
			}
		}
		bad(1, "", "no header row with the columns %s in the first %d rows", strings.Join(names, ", "), headerSearchRows)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}

// csvSource reads CSV: UTF-8, with or without a byte-order mark, separated by
// commas, semicolons or tabs (whichever the first line uses most).
func csvSource(data []byte) rowSource {
	return func(fn func(int, []string) error) error {
		data := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
		r := csv.NewReader(bytes.NewReader(data))
		r.Comma = sniffComma(data)
		r.FieldsPerRecord = -1
		// The reader skips blank lines, which a spreadsheet shows as empty rows:
		// count them back in so that row numbers match what the user sees.
		row, prevEnd := 0, 0
		for {
			cells, err := r.Read()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				var pe *csv.ParseError
				if errors.As(err, &pe) {
					return fmt.Errorf("line %d: %v", pe.Line, pe.Err)
				}
				return err
			}
			start, _ := r.FieldPos(0)
			row += 1 + max(0, start-prevEnd-1)
			last := len(cells) - 1
			lastLine, _ := r.FieldPos(last)
			prevEnd = lastLine + strings.Count(cells[last], "\n")
			for i, c := range cells {
				cells[i] = unneutralise(c)
			}
			if err := fn(row, cells); err != nil {
				return err
			}
		}
	}
}

func sniffComma(data []byte) rune {
	line := data
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	best, n := ',', bytes.Count(line, []byte(","))
	for _, c := range []rune{';', '\t'} {
		if m := bytes.Count(line, []byte(string(c))); m > n {
			best, n = c, m
		}
	}
	return best
}

// workbook is an opened XLSX file.
type workbook struct {
	f        *excelize.File
	date1904 bool
}

func openWorkbook(data []byte) (wb *workbook, err error) {
	defer func() {
		// excelize parses untrusted XML and ZIP; a malformed file must be a bad
		// file, never a crashed request.
		if r := recover(); r != nil {
			wb, err = nil, fmt.Errorf("not a readable XLSX workbook")
		}
	}()
	// The central directory first: a ZIP bomb is refused before anything is
	// inflated. The parse then works within the same byte budget.
	if err := CheckArchive(data, DefaultArchiveLimits); err != nil {
		return nil, err
	}
	limit := int64(DefaultArchiveLimits.MaxTotal)
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		RawCellValue: true, UnzipSizeLimit: limit, UnzipXMLSizeLimit: limit,
	})
	if err != nil {
		return nil, fmt.Errorf("not a readable XLSX workbook: %w", err)
	}
	props, err := f.GetWorkbookProps()
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("not a readable XLSX workbook: %w", err)
	}
	return &workbook{f: f, date1904: props.Date1904 != nil && *props.Date1904}, nil
}

func (wb *workbook) close() { _ = wb.f.Close() }

// sheetSource streams the rows of one sheet; gaps in the row numbers are empty rows.
func (wb *workbook) sheetSource(name string) rowSource {
	return func(fn func(int, []string) error) (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("sheet %q is not readable", name)
			}
		}()
		rows, err := wb.f.Rows(name)
		if err != nil {
			return err
		}
		defer rows.Close()
		for row := 1; rows.Next(); row++ {
			cells, err := rows.Columns(excelize.Options{RawCellValue: true})
			if err != nil {
				return fmt.Errorf("row %d: %w", row, err)
			}
			if err := fn(row, cells); err != nil {
				return err
			}
		}
		return rows.Error()
	}
}

// parseYear reads a year cell: "2024", or "2024.0" as a spreadsheet may store it.
func parseYear(s string) (int, bool) {
	if y, err := strconv.Atoi(s); err == nil {
		return y, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1e6 {
		return 0, false
	}
	return int(f), true
}

// dateCell turns a spreadsheet date serial into yyyy-mm-dd; text dates are left
// for the validation to read.
func dateCell(s string, xlsx, date1904 bool) string {
	if !xlsx || s == "" {
		return s
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 1 || f > 200000 {
		return s
	}
	t, err := excelize.ExcelDateToTime(f, date1904)
	if err != nil {
		return s
	}
	return t.Format(history.DateLayout)
}

// ParseHistory reads a history file — an XLSX workbook with any of the template's
// sheets, or one CSV file holding the sheet named by section — and validates it as
// of now. It returns the whole batch, or every bad row (history.RowErrors) and no
// batch. Sheets the template does not know (notes, instructions) are ignored.
func ParseHistory(data []byte, format Format, section string, now time.Time) (*history.Batch, error) {
	b := &history.Batch{}
	budget := MaxRows
	var errs, cellErrs history.RowErrors
	xlsx := format == FormatXLSX
	date1904 := false
	var found int
	read := func(sheet Sheet, src rowSource) {
		found++
		recs, rerrs := readTable(src, sheet, &budget)
		errs = append(errs, rerrs...)
		cellErrs = append(cellErrs, fill(b, sheet, recs, xlsx, date1904)...)
	}
	switch format {
	case FormatXLSX:
		wb, err := openWorkbook(data)
		if err != nil {
			return nil, history.RowErrors{{Row: 0, Reason: err.Error()}}
		}
		defer wb.close()
		date1904 = wb.date1904
		for _, name := range wb.f.GetSheetList() {
			if sheet, ok := historySheet(name); ok {
				read(sheet, wb.sheetSource(name))
			}
		}
		if found == 0 {
			var names []string
			for _, s := range HistorySheets() {
				names = append(names, s.Name)
			}
			return nil, history.RowErrors{{Row: 0, Reason: "the workbook has none of the sheets " + strings.Join(names, ", ")}}
		}
	case FormatCSV:
		sheet, ok := historySheet(section)
		if !ok {
			return nil, history.RowErrors{{Row: 0, Reason: fmt.Sprintf("a CSV file holds one sheet: name it (%s)", strings.Join(sectionNames(), ", "))}}
		}
		read(sheet, csvSource(data))
	default:
		return nil, history.RowErrors{{Row: 0, Reason: fmt.Sprintf("unknown format %q", format)}}
	}
	if len(errs) == 0 {
		// Report every bad cell at once: the conversion errors, and the validation's
		// except where a cell that did not convert would be reported twice.
		errs = cellErrs
		reported := map[string]bool{}
		for _, e := range cellErrs {
			reported[fmt.Sprint(e.Section, e.Row, e.Field)] = true
		}
		for _, e := range b.Validate(now) {
			if !reported[fmt.Sprint(e.Section, e.Row, e.Field)] {
				errs = append(errs, e)
			}
		}
	}
	if len(errs) > 0 {
		Locate(errs)
		errs.Sort()
		return nil, errs
	}
	return b, nil
}

func sectionNames() []string {
	var s []string
	for _, sh := range HistorySheets() {
		s = append(s, sh.Section)
	}
	return s
}

// fill turns a sheet's records into batch entries; only the year needs converting
// here, everything else is checked by Batch.Validate.
func fill(b *history.Batch, sheet Sheet, recs []record, xlsx, date1904 bool) history.RowErrors {
	var errs history.RowErrors
	year := func(r record) int {
		v := r.values["year"]
		y, ok := parseYear(v)
		if !ok {
			if v == "" {
				errs = append(errs, history.RowError{Section: sheet.Section, Row: r.row, Field: "year", Reason: "required"})
			} else {
				errs = append(errs, history.RowError{Section: sheet.Section, Row: r.row, Field: "year", Reason: fmt.Sprintf("%q is not a year", v)})
			}
		}
		return y
	}
	date := func(r record, field string) string { return dateCell(r.values[field], xlsx, date1904) }
	for _, r := range recs {
		v := r.values
		switch sheet.Section {
		case history.SectionSubjects:
			b.Subjects = append(b.Subjects, history.SubjectEntry{Row: r.row, Code: v["code"], Kind: v["kind"], Name: v["name"],
				JobTitle: v["job_title"], Organisation: v["organisation"]})
		case history.SectionRatings:
			b.Ratings = append(b.Ratings, history.RatingEntry{Row: r.row, SubjectCode: v["subject_code"], Year: year(r), Rating: v["rating"]})
		case history.SectionAwards:
			b.Awards = append(b.Awards, history.AwardEntry{Row: r.row, SubjectCode: v["subject_code"], Year: year(r),
				AwardCode: v["award_code"], AwardKind: v["award_kind"], Level: v["level"], DecisionCode: v["decision_code"],
				DecisionDate: date(r, "decision_date"), Note: v["note"]})
		case history.SectionInitiatives:
			b.Initiatives = append(b.Initiatives, history.InitiativeEntry{Row: r.row, SubjectCode: v["subject_code"], Year: year(r),
				Title: v["title"], Scope: v["scope"], RecognisedBy: v["recognised_by"], DecisionCode: v["decision_code"],
				RecognisedOn: date(r, "recognised_on")})
		case history.SectionHolds:
			b.Holds = append(b.Holds, history.HoldEntry{Row: r.row, SubjectCode: v["subject_code"], Kind: v["kind"],
				StartsOn: date(r, "starts_on"), EndsOn: date(r, "ends_on"), Reason: v["reason"], DecisionCode: v["decision_code"]})
		}
	}
	return errs
}

package importer

import (
	"encoding/csv"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/history"
)

// instructionsSheet is the XLSX sheet that documents the columns; reading ignores it.
const instructionsSheet = "Hướng dẫn"

// WriteHistory writes a history batch in the template: an XLSX workbook with
// every sheet and the instructions, or the CSV file of the sheet named by section.
// An empty batch is the blank template. Values are written as the Vietnamese
// labels the import reads back, so an exported file imports unchanged.
func WriteHistory(w io.Writer, format Format, section string, b *history.Batch) error {
	if b == nil {
		b = &history.Batch{}
	}
	if format == FormatCSV {
		sheet, ok := historySheet(section)
		if !ok {
			return domain.Invalid(fmt.Sprintf("a CSV file holds one sheet: choose one of %v", sectionNames()),
				domain.FieldError{Field: "sheet", Message: "unknown sheet"})
		}
		return writeCSV(w, sheet, historyRows(sheet, b))
	}
	sheets := HistorySheets()
	tables := make([][][]any, len(sheets))
	for i, s := range sheets {
		tables[i] = historyRows(s, b)
	}
	return writeXLSX(w, sheets, tables)
}

// WriteNominees writes a nominee list in the template.
func WriteNominees(w io.Writer, format Format, rows []NomineeRow) error {
	sheet := NomineeSheet()
	table := make([][]any, 0, len(rows))
	for _, r := range rows {
		enterprise, level := "", ""
		if r.Enterprise {
			enterprise = "x"
		}
		if l := domain.LeadershipLevel(r.LeadershipLevel); l != domain.LevelNotStated {
			level = l.Label()
		}
		table = append(table, []any{r.SubjectUnitID, r.SubjectCode, history.KindLabel(domain.NomineeKind(r.Kind)), r.Name,
			r.JobTitle, r.Organisation, r.Achievements, enterprise, level})
	}
	if format == FormatCSV {
		return writeCSV(w, sheet, table)
	}
	return writeXLSX(w, []Sheet{sheet}, [][][]any{table})
}

// historyRows lays out a section's entries in the sheet's column order.
func historyRows(sheet Sheet, b *history.Batch) [][]any {
	var out [][]any
	switch sheet.Section {
	case history.SectionSubjects:
		for _, e := range b.Subjects {
			out = append(out, []any{e.Code, history.KindLabel(domain.NomineeKind(e.Kind)), e.Name, e.JobTitle, e.Organisation})
		}
	case history.SectionRatings:
		for _, e := range b.Ratings {
			out = append(out, []any{e.SubjectCode, e.Year, history.Rating(e.Rating).Label()})
		}
	case history.SectionAwards:
		for _, e := range b.Awards {
			out = append(out, []any{e.SubjectCode, e.Year, e.AwardCode, history.AwardKind(e.AwardKind).Label(),
				history.LevelLabel(e.Level), e.DecisionCode, history.FormatDate(e.DecisionDate), e.Note})
		}
	case history.SectionInitiatives:
		for _, e := range b.Initiatives {
			out = append(out, []any{e.SubjectCode, e.Year, e.Title, history.Scope(e.Scope).Label(), e.RecognisedBy,
				e.DecisionCode, history.FormatDate(e.RecognisedOn)})
		}
	case history.SectionHolds:
		for _, e := range b.Holds {
			out = append(out, []any{e.SubjectCode, history.HoldKind(e.Kind).Label(), history.FormatDate(e.StartsOn),
				history.FormatDate(e.EndsOn), e.Reason, e.DecisionCode})
		}
	}
	return out
}

func writeCSV(w io.Writer, sheet Sheet, rows [][]any) error {
	// The byte-order mark makes spreadsheet programs read the file as UTF-8.
	if _, err := io.WriteString(w, "\xef\xbb\xbf"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	header := make([]string, len(sheet.Columns))
	for i, c := range sheet.Columns {
		header[i] = c.Header
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	rec := make([]string, len(sheet.Columns))
	for _, r := range rows {
		for i, v := range r {
			if s, ok := v.(string); ok {
				rec[i] = neutralise(s)
			} else {
				rec[i] = fmt.Sprint(v)
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func writeXLSX(w io.Writer, sheets []Sheet, tables [][][]any) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": codes like 001234 stay text
	if err != nil {
		return err
	}
	for i, sheet := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sheet.Name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(sheet.Name); err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(sheet.Name)
		if err != nil {
			return err
		}
		if err := sw.SetColWidth(1, len(sheet.Columns), 24); err != nil {
			return err
		}
		header := make([]any, len(sheet.Columns))
		for j, c := range sheet.Columns {
			h := c.Header
			if c.Required {
				h += " *"
			}
			header[j] = excelize.Cell{StyleID: bold, Value: h}
		}
		if err := sw.SetRow("A1", header); err != nil {
			return err
		}
		for r, row := range tables[i] {
			cells := make([]any, len(row))
			for j, v := range row {
				if s, ok := v.(string); ok {
					cells[j] = excelize.Cell{StyleID: text, Value: s}
				} else {
					cells[j] = v
				}
			}
			cell, err := excelize.CoordinatesToCellName(1, r+2)
			if err != nil {
				return err
			}
			if err := sw.SetRow(cell, cells); err != nil {
				return err
			}
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	if err := writeInstructions(f, sheets, bold); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// writeInstructions adds the sheet that documents every column of the template.
func writeInstructions(f *excelize.File, sheets []Sheet, bold int) error {
	if _, err := f.NewSheet(instructionsSheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(instructionsSheet)
	if err != nil {
		return err
	}
	if err := sw.SetColWidth(1, 2, 28); err != nil {
		return err
	}
	if err := sw.SetColWidth(4, 4, 90); err != nil {
		return err
	}
	rows := [][]any{
		{excelize.Cell{StyleID: bold, Value: "Mẫu biểu nhập lịch sử thi đua, khen thưởng (tdkt)"}},
		{"Cột có dấu * là bắt buộc. Mỗi tệp được nhập toàn bộ hoặc không nhập gì: dòng lỗi được báo kèm số dòng và lý do."},
		{excelize.Cell{StyleID: bold, Value: "Trang"}, excelize.Cell{StyleID: bold, Value: "Cột"},
			excelize.Cell{StyleID: bold, Value: "Bắt buộc"}, excelize.Cell{StyleID: bold, Value: "Giá trị"}},
	}
	for _, s := range sheets {
		for _, c := range s.Columns {
			req := ""
			if c.Required {
				req = "có"
			}
			rows = append(rows, []any{s.Name, c.Header, req, c.Values})
		}
	}
	for i, r := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, r); err != nil {
			return err
		}
	}
	return sw.Flush()
}

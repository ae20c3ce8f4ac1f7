package statistics

import (
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/tdkt/tdkt/internal/domain"
)

// formTitles are the forms' headings as Thông tư 02/2023/TT-BNV words them.
var formTitles = map[string]string{
	FormMovements: "SỐ PHONG TRÀO THI ĐUA ĐƯỢC PHÁT ĐỘNG",
	FormState:     "SỐ LƯỢNG KHEN THƯỞNG CẤP NHÀ NƯỚC",
	FormProvince:  "SỐ LƯỢNG KHEN THƯỞNG CẤP BỘ, BAN, NGÀNH, TỈNH",
}

// kindHeaders are the kind columns' headings, in KindNames' order.
var kindHeaders = [kindCount]string{"Thường xuyên", "Theo đợt, chuyên đề", "Đột xuất", "Đối ngoại",
	"Quá trình cống hiến", "Niên hạn"}

// xlsxSheet writes the cells of one sheet. Every text is written as a string cell
// (SetCellStr), never as a formula, as the importer's XLSX exports do, so a unit or
// award named "=HYPERLINK(…)" stays inert text.
type xlsxSheet struct {
	f     *excelize.File
	sheet string
	err   error
}

func (s *xlsxSheet) str(col, row int, v string) {
	if s.err == nil {
		cell, _ := excelize.CoordinatesToCellName(col, row)
		s.err = s.f.SetCellStr(s.sheet, cell, v)
	}
}

func (s *xlsxSheet) num(col, row int, v int) {
	if s.err == nil {
		cell, _ := excelize.CoordinatesToCellName(col, row)
		s.err = s.f.SetCellInt(s.sheet, cell, int64(v))
	}
}

func (s *xlsxSheet) merge(c1, r1, c2, r2 int) {
	if s.err == nil {
		a, _ := excelize.CoordinatesToCellName(c1, r1)
		b, _ := excelize.CoordinatesToCellName(c2, r2)
		s.err = s.f.MergeCell(s.sheet, a, b)
	}
}

// WriteXLSX writes the form as a workbook in the form's layout: the form's code,
// heading, year and reporting unit, the header, the total line and the lines, a
// note on the source of the figures and the signature block.
func WriteXLSX(w io.Writer, r Result, unitName string) error {
	f := excelize.NewFile()
	defer f.Close()
	form := FormMovements
	year := 0
	if r.Awards != nil {
		form, year = r.Awards.Form, r.Awards.Year
	} else {
		year = r.Movements.Year
	}
	name := "Biểu " + form + ".N"
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return err
	}
	s := &xlsxSheet{f: f, sheet: name}
	s.str(1, 1, "Biểu số "+form+".N/BNV-TĐKT")
	s.str(1, 2, formTitles[form])
	s.str(1, 3, "Năm "+strconv.Itoa(year))
	if unitName == "" {
		unitName = "Các đơn vị được phân quyền"
	}
	s.str(1, 4, "Đơn vị báo cáo: "+unitName)
	var last, headerEnd int
	if r.Movements != nil {
		last, headerEnd = writeMovements(s, r.Movements), 7
	} else {
		last, headerEnd = writeAwards(s, r.Awards), 9
	}
	if s.err != nil {
		return s.err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}})
	if err != nil {
		return err
	}
	_ = f.SetCellStyle(name, "A1", "A2", bold)
	lastCol, _ := excelize.ColumnNumberToName(last)
	_ = f.SetCellStyle(name, "A6", lastCol+strconv.Itoa(headerEnd), bold)
	_ = f.SetColWidth(name, "A", "A", 6)
	_ = f.SetColWidth(name, "B", "B", 42)
	_ = f.SetColWidth(name, "C", lastCol, 13)
	if r.Awards != nil {
		// The header's cells wrap: the categories are long.
		_ = f.SetRowHeight(name, 8, 75)
	}
	return f.Write(w)
}

// writeMovements writes 0601.N's table from row 6 and returns its last column.
func writeMovements(s *xlsxSheet, m *MovementForm) int {
	head := []string{"STT", "Cấp phát động", "Số phong trào phát động", "Trong đó: triển khai phong trào cấp trên",
		"Số đơn vị đăng ký thi đua"}
	for i, h := range head {
		s.str(i+1, 6, h)
		s.merge(i+1, 6, i+1, 7)
	}
	line := func(row int, stt, label string, l MovementLine) {
		s.str(1, row, stt)
		s.str(2, row, label)
		s.num(3, row, l.Launched)
		s.num(4, row, l.Implementing)
		s.num(5, row, l.Registrations)
	}
	line(8, "", "Tổng số", m.Total)
	for i, l := range m.ByLevel {
		line(9+i, strconv.Itoa(i+1), "Cấp "+l.LevelName, l)
	}
	return len(head)
}

// levelHeaders are the individual columns' headings, in LevelNames' order.
var levelHeaders = func() [levelCount]string {
	var out [levelCount]string
	for i, l := range domain.LeadershipLevels {
		out[i] = l.Label()
	}
	return out
}()

// Columns of the awards forms' table.
const (
	colTotal       = 3
	colCollectives = 4
	colEnterprises = 5
	colHouseholds  = 6
	colIndividuals = 7
	colLevels      = 8
	colKinds       = colLevels + levelCount
	colLast        = colKinds + kindCount - 1
)

// writeAwards writes 0602.N's or 0603.N's table from row 6 (a three-row header,
// then the columns' numbers) and returns its last column.
func writeAwards(s *xlsxSheet, a *AwardForm) int {
	for col, h := range map[int]string{1: "STT", 2: "Chỉ tiêu", colTotal: "Tổng số"} {
		s.str(col, 6, h)
		s.merge(col, 6, col, 8)
	}
	s.str(colCollectives, 6, "Chia theo đối tượng")
	s.merge(colCollectives, 6, colKinds-1, 6)
	s.str(colCollectives, 7, "Tập thể")
	s.merge(colCollectives, 7, colEnterprises, 7)
	s.str(colCollectives, 8, "Tổng số")
	s.str(colEnterprises, 8, "Trong đó: Doanh nghiệp")
	s.str(colHouseholds, 7, "Hộ gia đình")
	s.merge(colHouseholds, 7, colHouseholds, 8)
	s.str(colIndividuals, 7, "Cá nhân")
	s.merge(colIndividuals, 7, colKinds-1, 7)
	s.str(colIndividuals, 8, "Tổng số")
	for i, h := range levelHeaders {
		s.str(colLevels+i, 8, h)
	}
	s.str(colKinds, 6, "Chia theo loại hình khen thưởng")
	s.merge(colKinds, 6, colLast, 6)
	for i, h := range kindHeaders {
		s.str(colKinds+i, 7, h)
		s.merge(colKinds+i, 7, colKinds+i, 8)
	}
	// The columns' numbers, as the circular's forms print them under the header.
	s.str(1, 9, "A")
	s.str(2, 9, "B")
	for col := colTotal; col <= colLast; col++ {
		s.str(col, 9, strconv.Itoa(col-colTotal+1))
	}
	line := func(row int, stt, label string, c Counts) {
		s.str(1, row, stt)
		s.str(2, row, label)
		s.num(colTotal, row, c.Total)
		s.num(colCollectives, row, c.Collectives)
		s.num(colEnterprises, row, c.Enterprises)
		s.num(colHouseholds, row, c.Households)
		s.num(colIndividuals, row, c.Individuals)
		for i, v := range c.ByLevel {
			s.num(colLevels+i, row, v)
		}
		for i, v := range c.ByKind {
			s.num(colKinds+i, row, v)
		}
	}
	row := 10
	line(row, "", "Tổng số", a.Total)
	row++
	s.str(1, row, "I")
	s.str(2, row, "Theo hình thức khen thưởng")
	row++
	for i, l := range a.ByAward {
		line(row, strconv.Itoa(i+1), l.Name, l.Counts)
		row++
	}
	s.str(1, row, "II")
	s.str(2, row, "Theo cơ quan trình khen thưởng")
	row++
	for i, l := range a.BySubmitter {
		line(row, strconv.Itoa(i+1), l.Name, l.Counts)
		row++
	}
	row++
	s.str(1, row, fmt.Sprintf("Ghi chú: số liệu tính từ các quyết định khen thưởng năm %d đã ban hành, chưa bị hủy bỏ. "+
		"Cột (3) = (4) + (6) + (7) = tổng các cột (15) đến (20); cột (7) = tổng các cột (8) đến (14). "+
		"Cột \"Chưa ghi\": cá nhân chưa được phân loại khi lập hồ sơ.", a.Year))
	row += 2
	s.str(2, row, "NGƯỜI LẬP BIỂU")
	s.str(colKinds, row, "THỦ TRƯỞNG ĐƠN VỊ")
	s.str(2, row+1, "(Ký, ghi rõ họ tên)")
	s.str(colKinds, row+1, "(Ký, đóng dấu, ghi rõ họ tên)")
	return colLast
}

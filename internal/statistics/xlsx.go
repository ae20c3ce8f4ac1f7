package statistics

import (
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"
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
// heading, year and reporting unit, a two-row header, the total line and the
// lines, and the notes on what tdkt does not record.
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
	var last int
	if r.Movements != nil {
		last = writeMovements(s, r.Movements)
	} else {
		last = writeAwards(s, r.Awards)
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
	_ = f.SetCellStyle(name, "A6", lastCol+"7", bold)
	_ = f.SetColWidth(name, "A", "A", 6)
	_ = f.SetColWidth(name, "B", "B", 42)
	_ = f.SetColWidth(name, "C", lastCol, 13)
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

// writeAwards writes 0602.N's or 0603.N's table from row 6 and returns its last column.
func writeAwards(s *xlsxSheet, a *AwardForm) int {
	s.str(1, 6, "STT")
	s.merge(1, 6, 1, 7)
	s.str(2, 6, "Chỉ tiêu")
	s.merge(2, 6, 2, 7)
	s.str(3, 6, "Tổng số")
	s.merge(3, 6, 3, 7)
	s.str(4, 6, "Chia theo đối tượng")
	s.merge(4, 6, 6, 6)
	s.str(4, 7, "Tập thể (kể cả doanh nghiệp)")
	s.str(5, 7, "Hộ gia đình")
	s.str(6, 7, "Cá nhân (cấp lãnh đạo: không ghi nhận)")
	s.str(7, 6, "Chia theo loại hình khen thưởng")
	s.merge(7, 6, 6+int(kindCount), 6)
	for i, h := range kindHeaders {
		s.str(7+i, 7, h)
	}
	line := func(row int, stt, label string, c Counts) {
		s.str(1, row, stt)
		s.str(2, row, label)
		s.num(3, row, c.Total)
		s.num(4, row, c.Collectives)
		s.num(5, row, c.Households)
		s.num(6, row, c.Individuals)
		for i, v := range c.ByKind {
			s.num(7+i, row, v)
		}
	}
	row := 8
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
		"tdkt không ghi nhận doanh nghiệp trong số tập thể và cấp lãnh đạo của cá nhân: các cột đó gộp chung.", a.Year))
	return 6 + int(kindCount)
}

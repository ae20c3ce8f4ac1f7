// Package importer reads and writes the spreadsheets units keep today — award
// history and nominee lists, as XLSX workbooks or CSV files — in the published
// template (mẫu biểu). Reading is all or nothing: a file with any bad row yields
// every bad row with its sheet, row number, column and reason, and no data. Text is
// normalised to NFC, so Vietnamese typed with combining marks round-trips exactly.
package importer

import (
	"strings"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/history"
)

// Format is a spreadsheet format.
type Format string

// Formats.
const (
	FormatXLSX Format = "xlsx"
	FormatCSV  Format = "csv"
)

// ContentType is the MIME type of a format.
func (f Format) ContentType() string {
	if f == FormatXLSX {
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "text/csv; charset=utf-8"
}

// DetectFormat tells an XLSX workbook (a ZIP archive) from a CSV file.
func DetectFormat(data []byte) Format {
	if len(data) >= 4 && string(data[:4]) == "PK\x03\x04" {
		return FormatXLSX
	}
	return FormatCSV
}

// Column is one column of a sheet: its Vietnamese header, the field it fills (the
// JSON name of the API), whether it is required, and what it holds.
type Column struct {
	Header   string `json:"header"`
	Field    string `json:"field"`
	Required bool   `json:"required"`
	Values   string `json:"values"`
}

// Sheet is one sheet of a template: its Vietnamese name (the XLSX sheet, the CSV
// file), its section (the API's name, used as ?sheet= for CSV) and its columns.
type Sheet struct {
	Section string   `json:"section"`
	Name    string   `json:"name"`
	Columns []Column `json:"columns"`
}

const (
	valCode   = "mã do đơn vị đặt: số CCCD của cá nhân hoặc mã nội bộ; duy nhất trong đơn vị"
	valYear   = "năm, ví dụ 2024"
	valDate   = "ngày dạng dd/mm/yyyy, ví dụ 15/03/2024"
	valKind   = "Cá nhân | Tập thể | Hộ gia đình"
	valRating = "Hoàn thành xuất sắc nhiệm vụ (HTXS) | Hoàn thành tốt nhiệm vụ (HTT) | Hoàn thành nhiệm vụ (HT) | Không hoàn thành nhiệm vụ (KHT)"
	valAward  = "mã trong danh mục khen thưởng: LDTT, CSTDCS, CSTD_TINH, CSTD_TQ, GK, BK_TINH, BK_TTG…"
	valAKind  = "Thường xuyên (mặc định) | Đột xuất | Chuyên đề | Cống hiến | Niên hạn | Đối ngoại"
	valLevel  = "xã | huyện | tỉnh | trung ương; để trống nếu danh hiệu chỉ do một cấp quyết định"
	valScope  = "Cấp cơ sở | Cấp tỉnh, bộ | Toàn quốc"
	valHold   = "Kỷ luật | Điều tra | Thanh tra, kiểm tra | Khiếu nại, tố cáo"
	valText   = "văn bản"
)

// HistorySheets lists the sheets of the history workbook, in the order they are
// applied.
func HistorySheets() []Sheet {
	subject := Column{"Mã đối tượng", "subject_code", true, valCode}
	year := Column{"Năm", "year", true, valYear}
	return []Sheet{
		{history.SectionSubjects, "Đối tượng", []Column{
			{"Mã đối tượng", "code", true, valCode},
			{"Loại đối tượng", "kind", true, valKind},
			{"Họ tên, tên tập thể", "name", true, valText},
			{"Chức vụ", "job_title", false, valText},
			{"Đơn vị công tác", "organisation", false, valText},
		}},
		{history.SectionRatings, "Xếp loại", []Column{
			subject, year,
			{"Xếp loại", "rating", true, valRating},
		}},
		{history.SectionAwards, "Khen thưởng", []Column{
			subject, year,
			{"Mã danh hiệu, hình thức", "award_code", true, valAward},
			{"Loại khen thưởng", "award_kind", false, valAKind},
			{"Cấp quyết định", "level", false, valLevel},
			{"Số quyết định", "decision_code", false, valText},
			{"Ngày quyết định", "decision_date", false, valDate},
			{"Ghi chú", "note", false, valText},
		}},
		{history.SectionInitiatives, "Sáng kiến", []Column{
			subject, year,
			{"Tên sáng kiến", "title", true, valText},
			{"Phạm vi ảnh hưởng", "scope", true, valScope},
			{"Cơ quan công nhận", "recognised_by", false, valText},
			{"Số quyết định", "decision_code", false, valText},
			{"Ngày công nhận", "recognised_on", false, valDate},
		}},
		{history.SectionHolds, "Kỷ luật, tạm hoãn", []Column{
			subject,
			{"Loại", "kind", true, valHold},
			{"Từ ngày", "starts_on", true, valDate},
			{"Đến ngày", "ends_on", false, valDate + "; để trống nếu chưa kết thúc"},
			{"Lý do", "reason", false, valText},
			{"Số quyết định", "decision_code", false, valText},
		}},
	}
}

// SectionNominees is the section name of a nominee list.
const SectionNominees = "nominees"

// NomineeSheet is the sheet of a nominee list (danh sách đề nghị khen thưởng).
func NomineeSheet() Sheet {
	return Sheet{SectionNominees, "Danh sách đề nghị", []Column{
		{"Mã đơn vị", "subject_unit_id", false, "mã đơn vị quản lý đối tượng; để trống: đơn vị lập hồ sơ"},
		{"Mã đối tượng", "subject_code", false, valCode + "; để trống nếu chưa có lịch sử"},
		{"Loại đối tượng", "kind", true, valKind},
		{"Họ tên, tên tập thể", "name", true, valText},
		{"Chức vụ", "job_title", false, valText},
		{"Đơn vị công tác", "organisation", false, valText},
		{"Tóm tắt thành tích", "achievements", false, valText},
		{"Doanh nghiệp", "enterprise", false, "chỉ với tập thể: x (hoặc Có) nếu tập thể là doanh nghiệp; để trống nếu không"},
		{"Phân loại cá nhân", "leadership_level", false, valLeader + "; chỉ với cá nhân, để trống nếu chưa ghi"},
	}}
}

// valLeader lists the categories of an individual as the list writes them.
var valLeader = func() string {
	var names []string
	for _, l := range domain.LeadershipLevels {
		if l != domain.LevelNotStated {
			names = append(names, l.Label())
		}
	}
	return strings.Join(names, " | ")
}()

// historySheet finds a history sheet by section or by Vietnamese name.
func historySheet(name string) (Sheet, bool) {
	k := headerKey(name)
	for _, s := range HistorySheets() {
		if k == s.Section || k == headerKey(s.Name) {
			return s, true
		}
	}
	return Sheet{}, false
}

// headerKey folds a header for matching: NFC, lower case, no "*" marks, single spaces.
func headerKey(s string) string {
	s = strings.ReplaceAll(history.Clean(s), "*", "")
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// Locate fills the sheet and column of row errors reported by section and field
// (by the database checks after parsing), so that they point into the file.
func Locate(errs history.RowErrors) {
	sheets := append(HistorySheets(), NomineeSheet())
	for i := range errs {
		for _, s := range sheets {
			if s.Section != errs[i].Section {
				continue
			}
			errs[i].Sheet = s.Name
			for _, c := range s.Columns {
				if c.Field == errs[i].Field {
					errs[i].Column = c.Header
				}
			}
		}
	}
}

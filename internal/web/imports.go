package web

import (
	"errors"
	"net/http"
	"regexp"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/history"
	"github.com/tdkt/tdkt/internal/httpx"
	"github.com/tdkt/tdkt/internal/importer"
)

// Spreadsheet import (nhập từ Excel) on the pages: the nominee list of a dossier
// and the award history of a unit. Files go through the same app.Service use cases
// as the API's imports (ImportNominees, ImportHistory), all or nothing; a refused
// file comes back as a table of its bad rows, in the reader's language. The blank
// templates and the exports are the API's downloads, which the session cookie
// opens: one implementation of the file formats.

// RowErrorView is one bad row of a refused file as the pages show it.
type RowErrorView struct {
	Sheet   string
	Row     int
	Column  string
	Message string
}

// ImportView is the import form's state on a page: the file's bad rows, if any.
type ImportView struct {
	FileName string
	Rows     []RowErrorView
}

// rowReasons translates the importer's and the history's row reasons (English,
// stable, as the API answers them) into message keys; the captured parts (a value,
// a number, a code) are the message's arguments. A reason not listed is shown as
// "invalid value" and never as raw text.
var rowReasons = []struct {
	re  *regexp.Regexp
	key string
}{
	{regexp.MustCompile(`^required$`), "rowerr.required"},
	{regexp.MustCompile(`^required: the authority rules do not settle which level decided (\S+) for this unit on (\S+)$`), "rowerr.level_unknown"},
	{regexp.MustCompile(`^at most (\d+) characters$`), "rowerr.too_long"},
	{regexp.MustCompile(`^must be a year between 1945 and (\d+)$`), "rowerr.year_range"},
	{regexp.MustCompile(`^"(.*)" is not a year$`), "rowerr.not_year"},
	{regexp.MustCompile(`^"(.*)" is not a date \(dd/mm/yyyy\)$`), "rowerr.not_date"},
	{regexp.MustCompile(`^date "(.*)" is out of range$`), "rowerr.date_range"},
	{regexp.MustCompile(`^duplicates row (\d+)$`), "rowerr.duplicate"},
	{regexp.MustCompile(`^"(.*)" is not a subject kind`), "rowerr.subject_kind"},
	{regexp.MustCompile(`^"(.*)" is not a category \(`), "rowerr.leadership_level"},
	{regexp.MustCompile(`^"(.*)": write x for an enterprise, or leave empty$`), "rowerr.enterprise"},
	{regexp.MustCompile(`^only an individual has a leadership level$`), "field.level_individual"},
	{regexp.MustCompile(`^only a collective can be an enterprise$`), "field.enterprise_collective"},
	{regexp.MustCompile(`^"(.*)" is not a task rating`), "rowerr.rating"},
	{regexp.MustCompile(`^"(.*)" is not an award kind`), "rowerr.award_kind"},
	{regexp.MustCompile(`^"(.*)" is not a level`), "rowerr.level"},
	{regexp.MustCompile(`^"(.*)" is not a scope`), "rowerr.scope"},
	{regexp.MustCompile(`^"(.*)" is not a hold kind`), "rowerr.hold_kind"},
	{regexp.MustCompile(`^ends before it starts$`), "rowerr.ends_before"},
	{regexp.MustCompile(`^column appears twice$`), "rowerr.column_twice"},
	{regexp.MustCompile(`^missing required columns: (.*)$`), "rowerr.missing_columns"},
	{regexp.MustCompile(`^too many rows for one file`), "rowerr.too_many_rows"},
	{regexp.MustCompile(`^not UTF-8 text`), "rowerr.not_utf8"},
	{regexp.MustCompile(`^cell too long \(over (\d+) bytes\)$`), "rowerr.cell_too_long"},
	{regexp.MustCompile(`^no header row with the columns (.*) in the first (\d+) rows$`), "rowerr.no_header"},
	{regexp.MustCompile(`^a unit without a subject code names nobody$`), "rowerr.unit_without_code"},
	{regexp.MustCompile(`^the list has no nominee$`), "rowerr.no_nominee"},
	{regexp.MustCompile(`^the workbook has none of the sheets (.*)$`), "rowerr.no_sheets"},
	{regexp.MustCompile(`^a CSV file holds one sheet`), "rowerr.csv_sheet"},
	{regexp.MustCompile(`^subject (\S+) is (.*); its kind cannot change$`), "rowerr.kind_change"},
	{regexp.MustCompile(`^no subject "(.*)" in unit (\S+)`), "rowerr.no_subject"},
	{regexp.MustCompile(`^"(.*)" is not in the award catalogue$`), "rowerr.no_award"},
	{regexp.MustCompile(`^(\S+) is not given to a subject of kind (.*)$`), "rowerr.award_not_for_kind"},
	{regexp.MustCompile(`^not allowed for this award$`), "rowerr.kind_not_allowed"},
	{regexp.MustCompile(`^subject (\S+) is of kind (\S+), the nominee (\S+)$`), "rowerr.subject_other_kind"},
	{regexp.MustCompile(`^no such subject$`), "rowerr.no_such_subject"},
	{regexp.MustCompile(`^the same subject as nominees\[\d+\]$`), "rowerr.same_subject"},
	{regexp.MustCompile(`^(\d+) rows: at most (\d+) per batch$`), "rowerr.batch_too_big"},
}

// RowMessage returns a row error's reason in the page's language.
func (p *Page) RowMessage(e history.RowError) string {
	for _, r := range rowReasons {
		if m := r.re.FindStringSubmatch(e.Reason); m != nil {
			args := make([]any, len(m)-1)
			for i, v := range m[1:] {
				args[i] = v
			}
			return p.T(r.key, args...)
		}
	}
	if e.Row == 0 && e.Column == "" && e.Field == "" {
		return p.T("rowerr.unreadable")
	}
	return p.T("rowerr.invalid")
}

// rowErrors returns the bad rows of a refused import in the page's language, or
// nil when err is not about the rows of a file.
func (p *Page) rowErrors(err error) []RowErrorView {
	var rows history.RowErrors
	if domain.KindOf(err) != domain.KindInvalid || !errors.As(err, &rows) {
		return nil
	}
	out := make([]RowErrorView, 0, len(rows))
	for _, r := range rows {
		out = append(out, RowErrorView{Sheet: r.Sheet, Row: r.Row, Column: r.Column, Message: p.RowMessage(r)})
	}
	return out
}

// ImportRefused shows what was wrong with a refused file on v: its bad rows (with
// the page's "file refused" message) or, for any other invalid input, the form's
// field errors. It returns the status to show the form again with; ok is false
// when err is not the user's to correct.
func (p *Page) ImportRefused(v *ImportView, err error) (status int, ok bool) {
	if v.Rows = p.rowErrors(err); v.Rows != nil {
		p.Error = "import.refused"
		return http.StatusUnprocessableEntity, true
	}
	return p.FormError(err)
}

// ErrNoFile is the form error of an import sent without a file.
var ErrNoFile = domain.Invalid("no file", domain.FieldError{Field: "file", Message: "required"})

// UploadedSheet reads a file part of a multipart form (httpx.ReadUpload, as the
// API reads it) as a spreadsheet: XLSX when it is a zip, CSV otherwise (as the
// API decides). An upload over the API's body limit gets the "file too large"
// page and ok is false; a form without a file, or an empty one, is errNoFile.
func (s *Server) UploadedSheet(c *gin.Context, field string) (data []byte, format importer.Format, name string, ok bool, err error) {
	f, err := httpx.ReadUpload(c, field)
	switch {
	case domain.IsKind(err, httpx.KindTooLarge):
		s.Fail(c, err)
		return nil, "", "", false, nil
	case err != nil:
		return nil, "", "", true, ErrNoFile
	}
	return f.Data, importer.DetectFormat(f.Data), f.Name, true, nil
}

// RowErrorsView is the data of the "row-errors" partial.
type RowErrorsView struct {
	P *Page
	*ImportView
}

// RowErrors builds the data of the "row-errors" partial.
func (p *Page) RowErrors(v *ImportView) RowErrorsView { return RowErrorsView{P: p, ImportView: v} }

// Sheeted reports whether any bad row names a sheet: a CSV file (a reorganisation)
// has none, and its table has no sheet column.
func (v RowErrorsView) Sheeted() bool {
	for _, r := range v.Rows {
		if r.Sheet != "" {
			return true
		}
	}
	return false
}

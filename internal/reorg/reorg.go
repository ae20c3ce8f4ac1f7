// Package reorg reads a reorganisation of administrative units (sắp xếp đơn vị
// hành chính) as data: an official list of the new units, each with its code,
// name, kind, parent, first day and the old units it takes in, whole or in part.
// It only parses and checks the file; the store writes it in one transaction
// (store.ImportUnits), so a list with any bad row leaves nothing behind.
package reorg

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/tdkt/tdkt/internal/domain"
)

// Columns are the header of an import file, in this order.
var Columns = []string{"code", "name", "kind", "parent", "valid_from", "predecessors"}

// Predecessor is an old unit taken in by a new one: Whole is false when only part
// of it went there (a split commune goes in part to two new ones).
type Predecessor struct {
	ID    string `json:"id"`
	Whole bool   `json:"whole"`
}

// Row is one new unit of the list. Line is the 1-based line of the file (the header
// is line 1). Level and Name are derived: Level from Kind, Name is the People's
// Committee's name ("UBND xã Thất Khê") unless the file already gives one.
type Row struct {
	Line         int
	Code         string
	Name         string
	Kind         string // subkind: xa, phuong, dac_khu, thi_tran, huyen, thanh_pho, thi_xa, quan, tinh
	Level        string
	Parent       string
	ValidFrom    time.Time
	Predecessors []Predecessor
}

// KindLevels maps the kinds of administrative unit an import accepts to their level.
var KindLevels = map[string]string{
	"xa": "commune", "phuong": "commune", "thi_tran": "commune", "dac_khu": "commune",
	"huyen": "district", "quan": "district", "thi_xa": "district", "thanh_pho": "district",
	"tinh": "province", "thanh_pho_tw": "province",
}

var kindPrefix = map[string]string{
	"xa": "UBND xã ", "phuong": "UBND phường ", "thi_tran": "UBND thị trấn ", "dac_khu": "UBND đặc khu ",
	"huyen": "UBND huyện ", "quan": "UBND quận ", "thi_xa": "UBND thị xã ", "thanh_pho": "UBND thành phố ",
	"tinh": "UBND tỉnh ", "thanh_pho_tw": "UBND thành phố ",
}

// CommitteeName is the name of the People's Committee of an administrative unit of
// the kind ("UBND xã Thất Khê"); a name that already starts with "UBND" is kept.
func CommitteeName(kind, name string) string {
	if strings.HasPrefix(name, "UBND ") {
		return name
	}
	return kindPrefix[kind] + name
}

// CodeRe is the shape of a unit code (units.id), as the admin area accepts it.
var CodeRe = regexp.MustCompile(`^[A-Z0-9]{1,12}(-[A-Z0-9]{1,12}){0,5}$`)

// MaxRows bounds an import file: the largest reorganisation (a whole country's
// communes) fits.
const MaxRows = 20000

// partMarks end a predecessor taken in part.
var partMarks = []string{"(part)", "(một phần)", "(mot phan)"}

// Parse reads a CSV import file (UTF-8, comma-separated, a header naming Columns in
// order) and checks each row on its own. It returns the rows, or a KindInvalid
// domain.Error whose fields name every bad row and column ("row 3: parent"). Checks
// that need the database (the parent exists, a predecessor is in force) are the
// store's.
func Parse(r io.Reader) ([]Row, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, domain.Invalid("the file is empty", domain.FieldError{Field: "file", Message: "header " + strings.Join(Columns, ",") + " expected"})
	}
	if err != nil {
		return nil, domain.Invalid("the file is not CSV", domain.FieldError{Field: "file", Message: err.Error()})
	}
	for i := range head {
		head[i] = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(head[i], "\ufeff")))
	}
	if strings.Join(head, ",") != strings.Join(Columns, ",") {
		return nil, domain.Invalid("the header is wrong", domain.FieldError{Field: "file",
			Message: fmt.Sprintf("header %q expected, got %q", strings.Join(Columns, ","), strings.Join(head, ","))})
	}
	var rows []Row
	var fields []domain.FieldError
	seen := map[string]int{}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, domain.Invalid("the file is not CSV", domain.FieldError{Field: fmt.Sprintf("row %d", line), Message: err.Error()})
		}
		if len(rows) >= MaxRows {
			return nil, domain.Invalid("the file is too long", domain.FieldError{Field: "file", Message: fmt.Sprintf("at most %d rows", MaxRows)})
		}
		bad := func(col, msg string) {
			fields = append(fields, domain.FieldError{Field: fmt.Sprintf("row %d: %s", line, col), Message: msg})
		}
		if len(rec) != len(Columns) {
			bad("file", fmt.Sprintf("%d columns expected, got %d", len(Columns), len(rec)))
			continue
		}
		for i := range rec {
			rec[i] = strings.TrimSpace(norm.NFC.String(rec[i]))
		}
		row := Row{Line: line, Code: strings.ToUpper(rec[0]), Kind: rec[2], Parent: strings.ToUpper(rec[3])}
		if !CodeRe.MatchString(row.Code) {
			bad("code", "letters A-Z and digits in groups joined by -, e.g. LS-06040")
		} else if first, dup := seen[row.Code]; dup {
			bad("code", fmt.Sprintf("already on row %d", first))
		} else {
			seen[row.Code] = line
		}
		row.Level = KindLevels[row.Kind]
		if row.Level == "" {
			bad("kind", "one of xa, phuong, dac_khu, thi_tran, huyen, quan, thi_xa, thanh_pho, tinh, thanh_pho_tw")
		}
		if rec[1] == "" || len([]rune(rec[1])) > 200 {
			bad("name", "required, at most 200 characters")
		} else {
			row.Name = CommitteeName(row.Kind, rec[1])
		}
		if !CodeRe.MatchString(row.Parent) {
			bad("parent", "required: the code of the unit above")
		} else if row.Parent == row.Code {
			bad("parent", "a unit cannot be its own parent")
		}
		if d, err := time.Parse(time.DateOnly, rec[4]); err != nil {
			bad("valid_from", "a date as yyyy-mm-dd")
		} else {
			row.ValidFrom = d
		}
		preds, msg := parsePredecessors(rec[5], row.Code)
		if msg != "" {
			bad("predecessors", msg)
		}
		row.Predecessors = preds
		rows = append(rows, row)
	}
	if len(rows) == 0 && len(fields) == 0 {
		return nil, domain.Invalid("the file has no rows", domain.FieldError{Field: "file", Message: "at least one unit"})
	}
	// A predecessor split between new units must be marked part on each of them;
	// one taken whole goes to one new unit only.
	type use struct {
		line  int
		whole bool
	}
	uses := map[string][]use{}
	for _, r := range rows {
		for _, p := range r.Predecessors {
			uses[p.ID] = append(uses[p.ID], use{r.Line, p.Whole})
		}
	}
	for _, r := range rows {
		for _, p := range r.Predecessors {
			if u := uses[p.ID]; len(u) > 1 && p.Whole {
				other := u[0].line
				if other == r.Line {
					other = u[1].line
				}
				fields = append(fields, domain.FieldError{Field: fmt.Sprintf("row %d: predecessors", r.Line),
					Message: fmt.Sprintf("%s also goes to row %d: mark it (part) on each row it is split between", p.ID, other)})
			}
		}
	}
	if len(fields) > 0 {
		return nil, domain.Invalid(fmt.Sprintf("%d errors in the file; nothing was imported", len(fields)), fields...)
	}
	return rows, nil
}

// parsePredecessors reads "LS-09-003; LS-11-003 (part)": codes separated by ";",
// each optionally marked "(part)" or "(một phần)". It returns a message when the
// list is malformed.
func parsePredecessors(s, self string) ([]Predecessor, string) {
	var out []Predecessor
	seen := map[string]bool{}
	for _, item := range strings.Split(s, ";") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		p := Predecessor{Whole: true}
		lower := strings.ToLower(item)
		for _, m := range partMarks {
			if strings.HasSuffix(lower, m) {
				p.Whole = false
				item = strings.TrimSpace(item[:len(item)-len(m)])
				break
			}
		}
		p.ID = strings.ToUpper(item)
		switch {
		case !CodeRe.MatchString(p.ID):
			return nil, fmt.Sprintf("%q is not a unit code; separate codes with ; and mark a split one (part)", item)
		case p.ID == self:
			return nil, "a unit cannot succeed itself"
		case seen[p.ID]:
			return nil, p.ID + " is listed twice"
		}
		seen[p.ID] = true
		out = append(out, p)
	}
	return out, ""
}

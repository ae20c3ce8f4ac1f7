package history

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tdkt/tdkt/internal/domain"
)

// MaxBatchRows caps the rows of one bulk entry or one imported file, so that one
// request cannot hold a transaction open for long.
const MaxBatchRows = 50000

// Text limits, in characters.
const (
	maxCodeLen  = 64
	maxNameLen  = 300
	maxTitleLen = 1000
	maxNoteLen  = 2000
)

// Sections of a batch, as the JSON API names them.
const (
	SectionSubjects    = "subjects"
	SectionRatings     = "ratings"
	SectionAwards      = "awards"
	SectionInitiatives = "initiatives"
	SectionHolds       = "holds"
)

// Sections lists the sections in the order they are applied: subjects first, so
// that the other rows can name a subject created by the same batch.
var Sections = []string{SectionSubjects, SectionRatings, SectionAwards, SectionInitiatives, SectionHolds}

// Batch is one bulk entry of a unit's history: from the JSON API or from an
// imported spreadsheet. It is applied all or nothing. Rows name their subject by
// the code it has in the batch's unit.
type Batch struct {
	UnitID      string            `json:"unit_id"`
	Subjects    []SubjectEntry    `json:"subjects"`
	Ratings     []RatingEntry     `json:"ratings"`
	Awards      []AwardEntry      `json:"awards"`
	Initiatives []InitiativeEntry `json:"initiatives"`
	Holds       []HoldEntry       `json:"holds"`
}

// Len is the number of rows in the batch.
func (b *Batch) Len() int {
	return len(b.Subjects) + len(b.Ratings) + len(b.Awards) + len(b.Initiatives) + len(b.Holds)
}

// SubjectEntry creates a subject or updates its name, job title and organisation.
type SubjectEntry struct {
	Row          int    `json:"-"`
	Code         string `json:"code"`
	Kind         string `json:"kind"`
	Name         string `json:"name"`
	JobTitle     string `json:"job_title"`
	Organisation string `json:"organisation"`
}

// RatingEntry sets a subject's task rating for a year (a second entry for the same
// year replaces the first: ratings are corrected, not accumulated).
type RatingEntry struct {
	Row         int    `json:"-"`
	SubjectCode string `json:"subject_code"`
	Year        int    `json:"year"`
	Rating      string `json:"rating"`
}

// AwardEntry records a title or commendation received outside the engine (before
// it was in use, or decided elsewhere). Level may be left empty when the award is
// decided at one level only.
type AwardEntry struct {
	Row          int    `json:"-"`
	SubjectCode  string `json:"subject_code"`
	Year         int    `json:"year"`
	AwardCode    string `json:"award_code"`
	AwardKind    string `json:"award_kind"` // merit when empty
	Level        string `json:"level"`
	DecisionCode string `json:"decision_code"`
	DecisionDate string `json:"decision_date"`
	Note         string `json:"note"`
}

// InitiativeEntry records a recognised initiative.
type InitiativeEntry struct {
	Row          int    `json:"-"`
	SubjectCode  string `json:"subject_code"`
	Year         int    `json:"year"`
	Title        string `json:"title"`
	Scope        string `json:"scope"`
	RecognisedBy string `json:"recognised_by"`
	DecisionCode string `json:"decision_code"`
	RecognisedOn string `json:"recognised_on"`
}

// HoldEntry records a discipline, investigation, inspection or complaint period;
// an entry for the same subject, kind and start date updates it (to close it).
type HoldEntry struct {
	Row          int    `json:"-"`
	SubjectCode  string `json:"subject_code"`
	Kind         string `json:"kind"`
	StartsOn     string `json:"starts_on"`
	EndsOn       string `json:"ends_on"`
	Reason       string `json:"reason"`
	DecisionCode string `json:"decision_code"`
}

// RowError is one bad row: its section, its row (the spreadsheet row number of an
// imported file, the array index of a JSON entry), the field and the reason.
type RowError struct {
	Section string `json:"section"`
	Row     int    `json:"row"`
	Field   string `json:"field,omitempty"`
	Reason  string `json:"reason"`
	// Sheet and Column name the place in an imported file (set by the importer).
	Sheet  string `json:"sheet,omitempty"`
	Column string `json:"column,omitempty"`
}

// RowErrors are the bad rows of a batch; a batch with any is not applied at all.
type RowErrors []RowError

func (e RowErrors) Error() string {
	if len(e) == 0 {
		return "no row errors"
	}
	first := e[0]
	where, field := first.Section, first.Field
	if first.Sheet != "" {
		where, field = first.Sheet, first.Column
	}
	msg := fmt.Sprintf("%s row %d", where, first.Row)
	if field != "" {
		msg += " " + field
	}
	msg += ": " + first.Reason
	if len(e) > 1 {
		msg += fmt.Sprintf(" (and %d more)", len(e)-1)
	}
	return msg
}

// Sort orders the errors by section (in application order), row and field.
func (e RowErrors) Sort() {
	order := map[string]int{}
	for i, s := range Sections {
		order[s] = i
	}
	sort.SliceStable(e, func(i, j int) bool {
		if e[i].Section != e[j].Section {
			return order[e[i].Section] < order[e[j].Section]
		}
		if e[i].Row != e[j].Row {
			return e[i].Row < e[j].Row
		}
		return e[i].Field < e[j].Field
	})
}

// Validate normalises every text to NFC, turns Vietnamese labels into codes,
// dates into yyyy-mm-dd, and checks what can be checked without the database:
// required fields, known values, years (1945 to next year), date order and
// duplicates within the batch. It returns every bad row; the batch is usable only
// when there are none.
func (b *Batch) Validate(now time.Time) RowErrors {
	var errs RowErrors
	add := func(section string, row int, field, format string, args ...any) {
		errs = append(errs, RowError{Section: section, Row: row, Field: field, Reason: fmt.Sprintf(format, args...)})
	}
	b.UnitID = strings.TrimSpace(b.UnitID)
	if n := b.Len(); n > MaxBatchRows {
		add(SectionSubjects, 0, "", "%d rows: at most %d per batch", n, MaxBatchRows)
		return errs
	}
	maxYear := now.Year() + 1
	year := func(section string, row, y int) {
		if y < 1945 || y > maxYear {
			add(section, row, "year", "must be a year between 1945 and %d", maxYear)
		}
	}
	code := func(section string, row int, field string, s *string) {
		*s = Clean(*s)
		switch {
		case *s == "":
			add(section, row, field, "required")
		case utf8.RuneCountInString(*s) > maxCodeLen:
			add(section, row, field, "at most %d characters", maxCodeLen)
		}
	}
	text := func(section string, row int, field string, s *string, limit int, required bool) {
		*s = Clean(*s)
		if required && *s == "" {
			add(section, row, field, "required")
		}
		if utf8.RuneCountInString(*s) > limit {
			add(section, row, field, "at most %d characters", limit)
		}
	}
	date := func(section string, row int, field string, s *string, required bool) bool {
		*s = Clean(*s)
		if *s == "" {
			if required {
				add(section, row, field, "required")
				return false
			}
			return true
		}
		d, err := ParseDate(*s)
		if err != nil {
			add(section, row, field, "%v", err)
			return false
		}
		*s = d.Format(DateLayout)
		return true
	}

	seen := map[string]int{}
	dup := func(section string, row int, key string) {
		k := section + "\x00" + key
		if first, ok := seen[k]; ok {
			add(section, row, "", "duplicates row %d", first)
			return
		}
		seen[k] = row
	}

	for i := range b.Subjects {
		e := &b.Subjects[i]
		code(SectionSubjects, e.Row, "code", &e.Code)
		if k, ok := ParseKind(e.Kind); ok {
			e.Kind = string(k)
		} else {
			add(SectionSubjects, e.Row, "kind", "%q is not a subject kind (cá nhân, tập thể, hộ gia đình)", e.Kind)
		}
		text(SectionSubjects, e.Row, "name", &e.Name, maxNameLen, true)
		text(SectionSubjects, e.Row, "job_title", &e.JobTitle, maxNameLen, false)
		text(SectionSubjects, e.Row, "organisation", &e.Organisation, maxNameLen, false)
		if e.Code != "" {
			dup(SectionSubjects, e.Row, e.Code)
		}
	}
	for i := range b.Ratings {
		e := &b.Ratings[i]
		code(SectionRatings, e.Row, "subject_code", &e.SubjectCode)
		year(SectionRatings, e.Row, e.Year)
		if r, ok := ParseRating(e.Rating); ok {
			e.Rating = string(r)
		} else {
			add(SectionRatings, e.Row, "rating", "%q is not a task rating (HTXS, HTT, HT, KHT)", e.Rating)
		}
		dup(SectionRatings, e.Row, e.SubjectCode+"\x00"+strconv.Itoa(e.Year))
	}
	for i := range b.Awards {
		e := &b.Awards[i]
		code(SectionAwards, e.Row, "subject_code", &e.SubjectCode)
		year(SectionAwards, e.Row, e.Year)
		e.AwardCode = strings.ToUpper(Clean(e.AwardCode))
		if e.AwardCode == "" {
			add(SectionAwards, e.Row, "award_code", "required")
		}
		if strings.TrimSpace(e.AwardKind) == "" {
			e.AwardKind = string(AwardMerit)
		}
		if k, ok := ParseAwardKind(e.AwardKind); ok {
			e.AwardKind = string(k)
		} else {
			add(SectionAwards, e.Row, "award_kind", "%q is not an award kind (thường xuyên, đột xuất, chuyên đề, cống hiến, niên hạn, đối ngoại)", e.AwardKind)
		}
		e.Level = strings.ToLower(Clean(e.Level))
		if l, ok := ParseLevel(e.Level); ok {
			e.Level = l
		} else {
			add(SectionAwards, e.Row, "level", "%q is not a level (xã, huyện, tỉnh, trung ương)", e.Level)
		}
		text(SectionAwards, e.Row, "decision_code", &e.DecisionCode, maxCodeLen, false)
		date(SectionAwards, e.Row, "decision_date", &e.DecisionDate, false)
		text(SectionAwards, e.Row, "note", &e.Note, maxNoteLen, false)
		if e.AwardKind == string(AwardMerit) {
			dup(SectionAwards, e.Row, e.SubjectCode+"\x00"+e.AwardCode+"\x00"+strconv.Itoa(e.Year))
		} else {
			dup(SectionAwards, e.Row, e.SubjectCode+"\x00"+e.AwardCode+"\x00"+strconv.Itoa(e.Year)+"\x00"+e.AwardKind+"\x00"+e.DecisionCode)
		}
	}
	for i := range b.Initiatives {
		e := &b.Initiatives[i]
		code(SectionInitiatives, e.Row, "subject_code", &e.SubjectCode)
		year(SectionInitiatives, e.Row, e.Year)
		text(SectionInitiatives, e.Row, "title", &e.Title, maxTitleLen, true)
		if s, ok := ParseScope(e.Scope); ok {
			e.Scope = string(s)
		} else {
			add(SectionInitiatives, e.Row, "scope", "%q is not a scope (cấp cơ sở, cấp tỉnh/bộ, toàn quốc)", e.Scope)
		}
		text(SectionInitiatives, e.Row, "recognised_by", &e.RecognisedBy, maxNameLen, false)
		text(SectionInitiatives, e.Row, "decision_code", &e.DecisionCode, maxCodeLen, false)
		date(SectionInitiatives, e.Row, "recognised_on", &e.RecognisedOn, false)
		dup(SectionInitiatives, e.Row, e.SubjectCode+"\x00"+strconv.Itoa(e.Year)+"\x00"+e.Title)
	}
	for i := range b.Holds {
		e := &b.Holds[i]
		code(SectionHolds, e.Row, "subject_code", &e.SubjectCode)
		if k, ok := ParseHoldKind(e.Kind); ok {
			e.Kind = string(k)
		} else {
			add(SectionHolds, e.Row, "kind", "%q is not a hold kind (kỷ luật, điều tra, thanh tra, khiếu nại)", e.Kind)
		}
		startOK := date(SectionHolds, e.Row, "starts_on", &e.StartsOn, true)
		endOK := date(SectionHolds, e.Row, "ends_on", &e.EndsOn, false)
		if startOK && endOK && e.EndsOn != "" && e.EndsOn < e.StartsOn {
			add(SectionHolds, e.Row, "ends_on", "ends before it starts")
		}
		text(SectionHolds, e.Row, "reason", &e.Reason, maxNoteLen, false)
		text(SectionHolds, e.Row, "decision_code", &e.DecisionCode, maxCodeLen, false)
		dup(SectionHolds, e.Row, e.SubjectCode+"\x00"+e.Kind+"\x00"+e.StartsOn)
	}
	errs.Sort()
	return errs
}

// NumberRows sets each entry's Row to its index in its section, for a JSON batch
// whose errors are reported as ratings[3].rating.
func (b *Batch) NumberRows() {
	for i := range b.Subjects {
		b.Subjects[i].Row = i
	}
	for i := range b.Ratings {
		b.Ratings[i].Row = i
	}
	for i := range b.Awards {
		b.Awards[i].Row = i
	}
	for i := range b.Initiatives {
		b.Initiatives[i].Row = i
	}
	for i := range b.Holds {
		b.Holds[i].Row = i
	}
}

// FieldErrors renders row errors of a JSON batch as API field errors
// ("ratings[3].rating").
func (e RowErrors) FieldErrors() []domain.FieldError {
	out := make([]domain.FieldError, 0, len(e))
	for _, r := range e {
		f := fmt.Sprintf("%s[%d]", r.Section, r.Row)
		if r.Field != "" {
			f += "." + r.Field
		}
		out = append(out, domain.FieldError{Field: f, Message: r.Reason})
	}
	return out
}

// BatchResult counts what a batch wrote.
type BatchResult struct {
	SubjectsCreated int `json:"subjects_created"`
	SubjectsUpdated int `json:"subjects_updated"`
	Ratings         int `json:"ratings"`
	Awards          int `json:"awards"`
	Initiatives     int `json:"initiatives"`
	Holds           int `json:"holds"`
}

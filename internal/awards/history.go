package awards

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/eligibility"
	"github.com/tdkt/tdkt/internal/history"
	"github.com/tdkt/tdkt/internal/importer"
)

// Permissions on the award history (object "history" of policies/policy.csv): read
// a unit's subjects and their history; record them (bulk entry, import).
const (
	ObjHistory   = "history"
	ActRead      = "read"
	ActRecord    = "record"
	MaxReasonLen = 2000
)

// SubjectInput is a new subject (đối tượng) as a user enters it.
type SubjectInput struct {
	UnitID       string `json:"unit_id"`
	Code         string `json:"code"`
	Kind         string `json:"kind"`
	Name         string `json:"name"`
	JobTitle     string `json:"job_title"`
	Organisation string `json:"organisation"`
}

// CreateSubject adds a subject to a unit. Errors: KindInvalid with the offending
// fields, KindForbidden without history record permission in the unit,
// KindConflict when the unit already uses the code.
func (s *Service) CreateSubject(ctx context.Context, userID int64, in SubjectInput) (history.Subject, error) {
	b := history.Batch{UnitID: in.UnitID, Subjects: []history.SubjectEntry{{Code: in.Code, Kind: in.Kind, Name: in.Name,
		JobTitle: in.JobTitle, Organisation: in.Organisation}}}
	errs := b.Validate(s.Clock())
	var fields []domain.FieldError
	for _, e := range errs {
		fields = append(fields, domain.FieldError{Field: e.Field, Message: e.Reason})
	}
	if b.UnitID == "" {
		fields = append(fields, domain.FieldError{Field: "unit_id", Message: "required"})
	}
	if len(fields) > 0 {
		return history.Subject{}, domain.Invalid("the subject has invalid fields", fields...)
	}
	if err := s.Allow(userID, b.UnitID, ObjHistory, ActRecord); err != nil {
		return history.Subject{}, err
	}
	e := b.Subjects[0]
	sub, err := s.Store.CreateSubject(ctx, history.Subject{UnitID: b.UnitID, Code: e.Code, Kind: domain.NomineeKind(e.Kind),
		Name: e.Name, JobTitle: e.JobTitle, Organisation: e.Organisation})
	if domain.IsKind(err, domain.KindConflict) {
		return sub, domain.Errorf(domain.KindConflict, "unit %s already has a subject with code %s", b.UnitID, e.Code)
	}
	return sub, err
}

// Subjects lists the subjects of the units whose history the user may read
// (f.Units is set here).
func (s *Service) Subjects(ctx context.Context, userID int64, f SubjectFilter) ([]history.Subject, error) {
	units, err := s.historyUnits(ctx, userID) // today's units and their past (reorg.go)
	if err != nil {
		return nil, err
	}
	f.Units, f.Query = units, history.Clean(f.Query)
	return s.Store.Subjects(ctx, f)
}

// SubjectHistory returns a subject with its whole history and the dossiers that
// name it. KindNotFound for an unknown subject and, alike, for one outside the
// user's units (subject IDs are sequential; see hideUnseen).
func (s *Service) SubjectHistory(ctx context.Context, userID, id int64) (*history.Record, error) {
	rec, err := s.Store.SubjectRecord(ctx, id)
	if err != nil {
		return nil, err
	}
	if ok, err := s.canReadHistory(ctx, userID, rec.Subject.UnitID); err != nil { // today's units and their past (reorg.go)
		return nil, err
	} else if !ok {
		return nil, domain.HideUnseen(domain.Errorf(domain.KindForbidden, "you may not %s this %s", ActRead, ObjHistory), "no such subject")
	}
	return rec, nil
}

// RecordHistory applies a bulk entry (the yearly ratings and titles, initiatives,
// holds, new subjects) all or nothing. Errors: KindInvalid listing every bad row
// as a field ("ratings[3].rating"), KindForbidden without history record
// permission in the unit.
func (s *Service) RecordHistory(ctx context.Context, userID int64, b history.Batch) (history.BatchResult, error) {
	b.NumberRows()
	b.UnitID = strings.TrimSpace(b.UnitID)
	if b.UnitID == "" {
		return history.BatchResult{}, domain.Invalid("the batch has no unit", domain.FieldError{Field: "unit_id", Message: "required"})
	}
	if err := s.Allow(userID, b.UnitID, ObjHistory, ActRecord); err != nil {
		return history.BatchResult{}, err
	}
	if b.Len() == 0 {
		return history.BatchResult{}, domain.Invalid("the batch is empty")
	}
	if errs := b.Validate(s.Clock()); len(errs) > 0 {
		return history.BatchResult{}, &domain.Error{Kind: domain.KindInvalid, Message: "the batch has bad rows; nothing was recorded",
			Fields: errs.FieldErrors(), Err: errs}
	}
	res, err := s.Store.ApplyHistoryBatch(ctx, &b, history.SourceManual, userID, s.Clock())
	var rows history.RowErrors
	if errors.As(err, &rows) {
		return res, &domain.Error{Kind: domain.KindInvalid, Message: "the batch has bad rows; nothing was recorded",
			Fields: rows.FieldErrors(), Err: rows}
	}
	return res, err
}

// ImportHistory imports a history spreadsheet (XLSX workbook, or the CSV file of
// the sheet named by section) into a unit, all or nothing. Errors: KindInvalid
// wrapping history.RowErrors with the sheet, row number, column and reason of
// every bad row; KindForbidden without history record permission in the unit.
func (s *Service) ImportHistory(ctx context.Context, userID int64, unitID string, data []byte, format importer.Format, section string) (history.BatchResult, error) {
	if unitID == "" {
		return history.BatchResult{}, domain.Invalid("name the unit to import into", domain.FieldError{Field: "unit", Message: "required"})
	}
	if err := s.Allow(userID, unitID, ObjHistory, ActRecord); err != nil {
		return history.BatchResult{}, err
	}
	b, err := importer.ParseHistory(data, format, section, s.Clock())
	if err != nil {
		return history.BatchResult{}, FileError(err)
	}
	if b.Len() == 0 {
		return history.BatchResult{}, domain.Invalid("the file has no rows to import")
	}
	b.UnitID = unitID
	res, err := s.Store.ApplyHistoryBatch(ctx, b, history.SourceImport, userID, s.Clock())
	var rows history.RowErrors
	if errors.As(err, &rows) {
		importer.Locate(rows)
		return res, FileError(rows)
	}
	return res, err
}

// FileError turns the bad rows of a file into an invalid-input error whose
// fields name the sheet, row and column.
func FileError(err error) error {
	var rows history.RowErrors
	if !errors.As(err, &rows) {
		return err
	}
	fields := make([]domain.FieldError, 0, len(rows))
	for _, r := range rows {
		var where []string
		if r.Sheet != "" {
			where = append(where, r.Sheet)
		}
		if r.Row > 0 {
			where = append(where, fmt.Sprintf("dòng %d", r.Row))
		}
		if r.Column != "" {
			where = append(where, "cột "+r.Column)
		}
		fields = append(fields, domain.FieldError{Field: strings.Join(where, ", "), Message: r.Reason})
	}
	return &domain.Error{Kind: domain.KindInvalid, Message: fmt.Sprintf("the file has %d bad rows; nothing was imported", len(rows)),
		Fields: fields, Err: rows}
}

// ExportHistory returns a unit's subjects and their history in the import's shape.
func (s *Service) ExportHistory(ctx context.Context, userID int64, unitID string) (*history.Batch, error) {
	if err := s.Allow(userID, unitID, ObjHistory, ActRead); err != nil {
		return nil, err
	}
	return s.Store.UnitHistory(ctx, unitID)
}

// DeleteHistoryEntry removes an award, initiative or hold entered by hand or by
// import; awards written from a decision go only with the decision's revocation
// (KindConflict).
func (s *Service) DeleteHistoryEntry(ctx context.Context, userID int64, section string, id int64) error {
	unit, _, err := s.Store.HistoryEntryUnit(ctx, section, id)
	if err != nil {
		return err
	}
	if err := s.Allow(userID, unit, ObjHistory, ActRecord); err != nil {
		return err
	}
	return s.Store.DeleteHistoryEntry(ctx, section, id)
}

// EligibilityRules returns the published rule versions.
func (s *Service) EligibilityRules() (*eligibility.RuleSet, error) { return eligibility.Published() }

// EligibilityQuery asks whether a subject meets an award's criteria for a year.
// On (yyyy-mm-dd) is the day the proposal is considered; today when empty.
type EligibilityQuery struct {
	SubjectID int64  `json:"subject_id"`
	AwardCode string `json:"award_code"`
	Year      int    `json:"year"`
	On        string `json:"on"`
}

// SubjectEligibility is the answer for one subject: the explained result and the
// flags (already awarded, in flight elsewhere, on hold).
type SubjectEligibility struct {
	Subject   history.Subject    `json:"subject"`
	Result    eligibility.Result `json:"result"`
	Conflicts []history.Conflict `json:"conflicts"`
}

// CheckEligibility checks a subject against an award's criteria. Errors:
// KindInvalid for a bad query, KindNotFound for an unknown subject, KindForbidden
// when the user may not read the subject's history.
func (s *Service) CheckEligibility(ctx context.Context, userID int64, q EligibilityQuery) (SubjectEligibility, error) {
	var fields []domain.FieldError
	q.AwardCode = strings.ToUpper(strings.TrimSpace(q.AwardCode))
	if q.SubjectID <= 0 {
		fields = append(fields, domain.FieldError{Field: "subject_id", Message: "required"})
	}
	if q.AwardCode == "" {
		fields = append(fields, domain.FieldError{Field: "award_code", Message: "required"})
	}
	now := s.Clock()
	if q.Year < 1945 || q.Year > now.Year()+1 {
		fields = append(fields, domain.FieldError{Field: "year", Message: fmt.Sprintf("must be a year between 1945 and %d", now.Year()+1)})
	}
	on := now.In(calendar.Zone)
	if q.On != "" {
		d, err := time.Parse(history.DateLayout, q.On)
		if err != nil {
			fields = append(fields, domain.FieldError{Field: "on", Message: "must be a date yyyy-mm-dd"})
		}
		on = d
	}
	if len(fields) > 0 {
		return SubjectEligibility{}, domain.Invalid("invalid eligibility query", fields...)
	}
	rec, err := s.SubjectHistory(ctx, userID, q.SubjectID)
	if err != nil {
		return SubjectEligibility{}, err
	}
	if _, err := s.admin.Store.Award(ctx, q.AwardCode); domain.IsKind(err, domain.KindNotFound) {
		return SubjectEligibility{}, domain.Invalid("unknown award", domain.FieldError{Field: "award_code", Message: "no such award"})
	} else if err != nil {
		return SubjectEligibility{}, err
	}
	rules, err := eligibility.Published()
	if err != nil {
		return SubjectEligibility{}, err
	}
	res, err := rules.Evaluate(eligibility.Input{Facts: rec, Award: q.AwardCode, Year: q.Year, On: on, HoldsOn: now.In(calendar.Zone)})
	if err != nil {
		return SubjectEligibility{}, domain.Invalid(err.Error(), domain.FieldError{Field: "on", Message: "no rules in force that day"})
	}
	// The same flags a dossier would show, as if the subject were proposed now.
	probe := domain.Nomination{ID: "00000000-0000-0000-0000-000000000000", AwardCode: q.AwardCode, Year: q.Year,
		Kind: string(history.AwardMerit), Nominees: []domain.Nominee{{ID: 1, SubjectID: &q.SubjectID}}}
	conflicts, err := s.Store.NominationConflicts(ctx, probe)
	if err != nil {
		return SubjectEligibility{}, err
	}
	out := SubjectEligibility{Subject: rec.Subject, Result: res, Conflicts: append(HoldConflicts(rec, now), conflicts[1]...)}
	if out.Conflicts == nil {
		out.Conflicts = []history.Conflict{}
	}
	return out, nil
}

// HoldConflicts flags the holds in force today.
func HoldConflicts(rec *history.Record, now time.Time) []history.Conflict {
	var out []history.Conflict
	today := now.In(calendar.Zone)
	for _, h := range rec.Holds {
		if h.Covers(today) {
			msg := fmt.Sprintf("Đang tạm hoãn: %s từ %s", h.Kind.Label(), history.FormatDate(h.StartsOn))
			if h.EndsOn != "" {
				msg += " đến " + history.FormatDate(h.EndsOn)
			}
			out = append(out, history.Conflict{Kind: history.ConflictOnHold, Message: msg, DecisionCode: h.DecisionCode})
		}
	}
	return out
}

// CheckNomineeSubjects checks the subjects nominees name: each exists, is of the
// nominee's kind, is named once, and belongs to a unit whose history the user may
// read (an unreadable subject is reported as unknown, revealing nothing).
func (s *Service) CheckNomineeSubjects(ctx context.Context, userID int64, nominees []domain.Nominee) error {
	var ids []int64
	for _, nm := range nominees {
		if nm.SubjectID != nil {
			ids = append(ids, *nm.SubjectID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	subjects, err := s.Store.SubjectsByID(ctx, ids)
	if err != nil {
		return err
	}
	var fields []domain.FieldError
	seen := map[int64]int{}
	for i, nm := range nominees {
		if nm.SubjectID == nil {
			continue
		}
		field := fmt.Sprintf("nominees[%d].subject_id", i)
		sub, ok := subjects[*nm.SubjectID]
		if ok {
			if ok, err = s.canReadHistory(ctx, userID, sub.UnitID); err != nil {
				return err
			}
		}
		switch {
		case !ok:
			fields = append(fields, domain.FieldError{Field: field, Message: "no such subject"})
		case sub.Kind != nm.Kind:
			fields = append(fields, domain.FieldError{Field: field, Message: fmt.Sprintf("subject %s is of kind %s, the nominee %s", sub.Code, sub.Kind, nm.Kind)})
		}
		if first, dup := seen[*nm.SubjectID]; dup {
			fields = append(fields, domain.FieldError{Field: field, Message: fmt.Sprintf("the same subject as nominees[%d]", first)})
		} else {
			seen[*nm.SubjectID] = i
		}
	}
	if len(fields) > 0 {
		return domain.Invalid("nominees name subjects that do not fit", fields...)
	}
	return nil
}

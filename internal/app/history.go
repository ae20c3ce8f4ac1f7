package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/eligibility"
	"github.com/tdkt/tdkt/internal/history"
	"github.com/tdkt/tdkt/internal/importer"
	"github.com/tdkt/tdkt/internal/store"
)

// Permissions on the award history (object "history" of policies/policy.csv): read
// a unit's subjects and their history; record them (bulk entry, import).
const (
	objHistory  = "history"
	actRead     = "read"
	actRecord   = "record"
	maxReasonLn = 2000
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
	errs := b.Validate(s.now())
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
	if err := s.Allow(userID, b.UnitID, objHistory, actRecord); err != nil {
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

// SubjectFilter narrows a subject list; Query matches a code or part of a name.
type SubjectFilter struct {
	UnitID, Kind, Query string
	Limit, Offset       int
}

// Subjects lists the subjects of the units whose history the user may read.
func (s *Service) Subjects(ctx context.Context, userID int64, f SubjectFilter) ([]history.Subject, error) {
	units, err := s.historyUnits(ctx, userID) // today's units and their past (reorg.go)
	if err != nil {
		return nil, err
	}
	return s.Store.Subjects(ctx, store.SubjectFilter{Units: units,
		UnitID: f.UnitID, Kind: f.Kind, Query: history.Clean(f.Query), Limit: f.Limit, Offset: f.Offset})
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
		return nil, hideUnseen(domain.Errorf(domain.KindForbidden, "you may not %s this %s", actRead, objHistory), "no such subject")
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
	if err := s.Allow(userID, b.UnitID, objHistory, actRecord); err != nil {
		return history.BatchResult{}, err
	}
	if b.Len() == 0 {
		return history.BatchResult{}, domain.Invalid("the batch is empty")
	}
	if errs := b.Validate(s.now()); len(errs) > 0 {
		return history.BatchResult{}, &domain.Error{Kind: domain.KindInvalid, Message: "the batch has bad rows; nothing was recorded",
			Fields: errs.FieldErrors(), Err: errs}
	}
	res, err := s.Store.ApplyHistoryBatch(ctx, &b, history.SourceManual, userID, s.now())
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
	if err := s.Allow(userID, unitID, objHistory, actRecord); err != nil {
		return history.BatchResult{}, err
	}
	b, err := importer.ParseHistory(data, format, section, s.now())
	if err != nil {
		return history.BatchResult{}, fileError(err)
	}
	if b.Len() == 0 {
		return history.BatchResult{}, domain.Invalid("the file has no rows to import")
	}
	b.UnitID = unitID
	res, err := s.Store.ApplyHistoryBatch(ctx, b, history.SourceImport, userID, s.now())
	var rows history.RowErrors
	if errors.As(err, &rows) {
		importer.Locate(rows)
		return res, fileError(rows)
	}
	return res, err
}

// fileError turns the bad rows of a file into an invalid-input error whose
// fields name the sheet, row and column.
func fileError(err error) error {
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
	if err := s.Allow(userID, unitID, objHistory, actRead); err != nil {
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
	if err := s.Allow(userID, unit, objHistory, actRecord); err != nil {
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
	now := s.now()
	if q.Year < 1945 || q.Year > now.Year()+1 {
		fields = append(fields, domain.FieldError{Field: "year", Message: fmt.Sprintf("must be a year between 1945 and %d", now.Year()+1)})
	}
	on := now.In(store.Vietnam)
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
	if _, err := s.Store.Award(ctx, q.AwardCode); domain.IsKind(err, domain.KindNotFound) {
		return SubjectEligibility{}, domain.Invalid("unknown award", domain.FieldError{Field: "award_code", Message: "no such award"})
	} else if err != nil {
		return SubjectEligibility{}, err
	}
	rules, err := eligibility.Published()
	if err != nil {
		return SubjectEligibility{}, err
	}
	res, err := rules.Evaluate(eligibility.Input{Facts: rec, Award: q.AwardCode, Year: q.Year, On: on, HoldsOn: now.In(store.Vietnam)})
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
	out := SubjectEligibility{Subject: rec.Subject, Result: res, Conflicts: append(holdConflicts(rec, now), conflicts[1]...)}
	if out.Conflicts == nil {
		out.Conflicts = []history.Conflict{}
	}
	return out, nil
}

// holdConflicts flags the holds in force today.
func holdConflicts(rec *history.Record, now time.Time) []history.Conflict {
	var out []history.Conflict
	today := now.In(store.Vietnam)
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

// NominationEligibility is the eligibility of every nominee of a dossier: the
// appraiser's pre-filled checklist and the clerk's warnings.
type NominationEligibility struct {
	NominationID string `json:"nomination_id"`
	AwardCode    string `json:"award_code"`
	Year         int    `json:"year"`
	// CheckedOn is the day whose rules apply: the submission, or today for a draft.
	CheckedOn string `json:"checked_on"`
	// Flagged counts the nominees with at least one warning.
	Flagged  int                  `json:"flagged"`
	Nominees []NomineeEligibility `json:"nominees"`
}

// NomineeEligibility is one nominee's result, flags and warnings. Result is nil
// for a nominee that names no subject: there is no history to check.
type NomineeEligibility struct {
	NomineeID   int64               `json:"nominee_id"`
	Position    int                 `json:"position"`
	Name        string              `json:"name"`
	SubjectID   *int64              `json:"subject_id,omitempty"`
	SubjectCode string              `json:"subject_code,omitempty"`
	AwardCode   string              `json:"award_code"`
	Result      *eligibility.Result `json:"result,omitempty"`
	Conflicts   []history.Conflict  `json:"conflicts"`
	Warnings    []string            `json:"warnings"`
	// Notices are the same warnings as message codes with their arguments, for a
	// page to word in the reader's language (eligibility_notices.go).
	Notices []Notice `json:"notices"`
}

// EligibilityForNomination checks every nominee of a dossier the user may read:
// the rules in force on the day it was submitted (today for a draft), the holds in
// force today, the duplicate and conflict flags, and the appraisers' overrides.
func (s *Service) EligibilityForNomination(ctx context.Context, userID int64, id string) (NominationEligibility, error) {
	n, err := s.Nomination(ctx, userID, id)
	if err != nil {
		return NominationEligibility{}, err
	}
	return s.NominationEligibilityOf(ctx, n)
}

// NominationEligibilityOf checks a dossier already loaded and authorised by the
// caller (the dossier read adds it to its answer).
func (s *Service) NominationEligibilityOf(ctx context.Context, n domain.Nomination) (NominationEligibility, error) {
	now := s.now()
	on := now.In(store.Vietnam)
	if n.SubmittedAt != nil {
		on = n.SubmittedAt.In(store.Vietnam)
	}
	out := NominationEligibility{NominationID: n.ID, AwardCode: n.AwardCode, Year: n.Year, CheckedOn: on.Format(history.DateLayout),
		Nominees: []NomineeEligibility{}}
	var ids []int64
	for _, nm := range n.Nominees {
		if nm.SubjectID != nil {
			ids = append(ids, *nm.SubjectID)
		}
	}
	recs, err := s.Store.SubjectRecords(ctx, ids)
	if err != nil {
		return out, err
	}
	conflicts, err := s.Store.NominationConflicts(ctx, n)
	if err != nil {
		return out, err
	}
	overrides, err := s.Store.EligibilityOverrides(ctx, n.ID)
	if err != nil {
		return out, err
	}
	rules, err := eligibility.Published()
	if err != nil {
		return out, err
	}
	kind := history.AwardKind(n.Kind)
	for _, nm := range n.Nominees {
		ne := NomineeEligibility{NomineeID: nm.ID, Position: nm.Position, Name: nm.Name, SubjectID: nm.SubjectID,
			AwardCode: n.AwardCode, Conflicts: []history.Conflict{}, Warnings: []string{}, Notices: []Notice{}}
		if nm.AwardCode != "" {
			ne.AwardCode = nm.AwardCode
		}
		if nm.SubjectID == nil {
			ne.warn(Notice{Code: "no_subject", Text: "Chưa gắn mã đối tượng: không kiểm tra được lịch sử thi đua, khen thưởng."})
		} else if rec := recs[*nm.SubjectID]; rec != nil {
			ne.SubjectCode = rec.Subject.Code
			res, err := rules.Evaluate(eligibility.Input{Facts: rec, Award: ne.AwardCode, Year: n.Year, On: on, HoldsOn: now.In(store.Vietnam), Kind: kind})
			if err != nil {
				return out, err
			}
			res.ApplyOverrides(overrides[nm.ID])
			ne.Result = &res
			ne.Conflicts = append(ne.Conflicts, holdConflicts(rec, now)...)
			for _, c := range res.Criteria {
				met := c.Met
				if c.Override != nil {
					met = c.Override.Met
				}
				if !met && c.ID != "no_hold" {
					ne.warn(Notice{Code: "unmet", Args: []any{c.Explanation}, Text: "Chưa đạt: " + c.Explanation})
				}
			}
			if res.Status == eligibility.StatusNotChecked {
				for _, note := range res.Notes {
					ne.warn(Notice{Text: note})
				}
			}
		}
		ne.Conflicts = append(ne.Conflicts, conflicts[nm.ID]...)
		for _, c := range ne.Conflicts {
			ne.warn(conflictNotice(c))
		}
		if len(ne.Warnings) > 0 {
			out.Flagged++
		}
		out.Nominees = append(out.Nominees, ne)
	}
	return out, nil
}

// OverrideInput is an appraiser's decision on one criterion of one nominee.
type OverrideInput struct {
	NomineeID int64  `json:"nominee_id"`
	Criterion string `json:"criterion"`
	Met       *bool  `json:"met"`
	Reason    string `json:"reason"`
}

// OverrideEligibility records an appraiser's override of a criterion, with the
// reason, and returns the dossier's eligibility with it applied. The user must be
// an appraiser of a level on the dossier's route, and the dossier must still be in
// its procedure. Errors: KindInvalid (unknown nominee or criterion, no reason),
// KindForbidden, KindConflict for a closed dossier.
func (s *Service) OverrideEligibility(ctx context.Context, userID int64, nominationID string, in OverrideInput) (NominationEligibility, error) {
	n, err := s.Nomination(ctx, userID, nominationID)
	if err != nil {
		return NominationEligibility{}, err
	}
	allowed := false
	for _, stop := range n.Route {
		allowed = allowed || s.Can(userID, stop.UnitID, "nomination", "appraise")
	}
	if !allowed {
		return NominationEligibility{}, domain.Errorf(domain.KindForbidden, "only an appraiser of a level on the dossier's route may override its checklist")
	}
	if n.Status.Terminal() {
		return NominationEligibility{}, domain.Errorf(domain.KindConflict, "the dossier is %s: its checklist is closed", n.Status)
	}
	in.Reason, in.Criterion = history.Clean(in.Reason), strings.TrimSpace(in.Criterion)
	var fields []domain.FieldError
	if in.Reason == "" {
		fields = append(fields, domain.FieldError{Field: "reason", Message: "an override needs a written reason"})
	} else if utf8.RuneCountInString(in.Reason) > maxReasonLn {
		fields = append(fields, domain.FieldError{Field: "reason", Message: fmt.Sprintf("at most %d characters", maxReasonLn)})
	}
	if in.Met == nil {
		fields = append(fields, domain.FieldError{Field: "met", Message: "say whether the criterion is met (true) or not (false)"})
	}
	current, err := s.NominationEligibilityOf(ctx, n)
	if err != nil {
		return current, err
	}
	var nominee *NomineeEligibility
	for i := range current.Nominees {
		if current.Nominees[i].NomineeID == in.NomineeID {
			nominee = &current.Nominees[i]
		}
	}
	switch {
	case nominee == nil:
		fields = append(fields, domain.FieldError{Field: "nominee_id", Message: "not a nominee of this dossier"})
	case nominee.Result == nil:
		fields = append(fields, domain.FieldError{Field: "nominee_id", Message: "the nominee names no subject: there is no checklist to override"})
	default:
		known := false
		var ids []string
		for _, c := range nominee.Result.Criteria {
			known = known || c.ID == in.Criterion
			ids = append(ids, c.ID)
		}
		if !known {
			fields = append(fields, domain.FieldError{Field: "criterion", Message: "one of " + strings.Join(ids, ", ")})
		}
	}
	if len(fields) > 0 {
		return current, domain.Invalid("the override has invalid fields", fields...)
	}
	if err := s.Store.AddEligibilityOverride(ctx, store.EligibilityOverride{NominationID: n.ID, NomineeID: in.NomineeID,
		Criterion: in.Criterion, Met: *in.Met, Reason: in.Reason, ActorID: userID, At: s.now()}); err != nil {
		return current, err
	}
	return s.NominationEligibilityOf(ctx, n)
}

// checkNomineeSubjects checks the subjects nominees name: each exists, is of the
// nominee's kind, is named once, and belongs to a unit whose history the user may
// read (an unreadable subject is reported as unknown, revealing nothing).
func (s *Service) checkNomineeSubjects(ctx context.Context, userID int64, nominees []domain.Nominee) error {
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

// ImportNominees replaces the nominees of a draft or returned dossier with a
// nominee list spreadsheet, all or nothing. Subject codes are looked up in the
// row's unit (the dossier's unit when empty). Errors: KindInvalid with the row of
// every bad row, and those of EditNomination.
func (s *Service) ImportNominees(ctx context.Context, userID int64, nominationID string, data []byte, format importer.Format) (domain.Nomination, error) {
	n, err := s.Nomination(ctx, userID, nominationID)
	if err != nil {
		return n, err
	}
	if err := s.Allow(userID, n.UnitID, "nomination", "edit"); err != nil {
		return n, err
	}
	rows, input, err := s.nomineeFile(ctx, userID, n.UnitID, data, format)
	if err != nil {
		return n, err
	}
	saved, err := s.EditNomination(ctx, userID, n.ID, EditNominationInput{Nominees: input})
	if bad := nomineeRowErrors(err, rows); len(bad) > 0 {
		importer.Locate(bad)
		return n, fileError(bad)
	}
	return saved, err
}

// CreateNominationFromFile creates a dossier whose nominees are the rows of a
// nominee list spreadsheet, all or nothing: the create form's "attach the list"
// for a unit that prepares its list in Excel. The file is read only once the user
// may create dossiers in the unit. Errors: those of CreateNomination, and
// KindInvalid wrapping history.RowErrors for the bad rows of the file (including
// a nominee kind the award is not given to).
func (s *Service) CreateNominationFromFile(ctx context.Context, userID int64, in CreateNominationInput, data []byte, format importer.Format) (domain.Nomination, error) {
	in.UnitID = strings.TrimSpace(in.UnitID)
	if in.UnitID == "" {
		return domain.Nomination{}, domain.Invalid("the dossier has invalid fields", domain.FieldError{Field: "unit_id", Message: "required"})
	}
	if err := s.Allow(userID, in.UnitID, "nomination", "create"); err != nil {
		return domain.Nomination{}, err
	}
	rows, input, err := s.nomineeFile(ctx, userID, in.UnitID, data, format)
	if err != nil {
		return domain.Nomination{}, err
	}
	in.Nominees = input
	n, err := s.CreateNomination(ctx, userID, in)
	if bad := nomineeRowErrors(err, rows); len(bad) > 0 {
		importer.Locate(bad)
		return n, fileError(bad)
	}
	return n, err
}

// nomineeFile reads a nominee list for a dossier of unitID: its rows, and the
// nominees they make, each linked to the subject its code names (looked up in the
// row's unit, the dossier's when empty; a subject the user may not read is
// reported as unknown, revealing nothing). Errors: KindInvalid wrapping the bad
// rows.
func (s *Service) nomineeFile(ctx context.Context, userID int64, unitID string, data []byte, format importer.Format) ([]importer.NomineeRow, []NomineeInput, error) {
	rows, err := importer.ParseNominees(data, format)
	if err != nil {
		return nil, nil, fileError(err)
	}
	var bad history.RowErrors
	input := make([]NomineeInput, len(rows))
	for i, r := range rows {
		input[i] = NomineeInput{Kind: r.Kind, Name: r.Name, JobTitle: r.JobTitle, Organisation: r.Organisation, Achievements: r.Achievements}
		if r.SubjectCode == "" {
			continue
		}
		unit := r.SubjectUnitID
		if unit == "" {
			unit = unitID
		}
		sub, err := s.Store.SubjectByCode(ctx, unit, r.SubjectCode)
		if err != nil && !domain.IsKind(err, domain.KindNotFound) {
			return nil, nil, err
		}
		if err != nil || !s.Can(userID, unit, objHistory, actRead) {
			bad = append(bad, history.RowError{Section: importer.SectionNominees, Row: r.Row, Field: "subject_code",
				Reason: fmt.Sprintf("no subject %q in unit %s", r.SubjectCode, unit)})
			continue
		}
		input[i].SubjectID = &sub.ID
	}
	if len(bad) > 0 {
		importer.Locate(bad)
		return nil, nil, fileError(bad)
	}
	return rows, input, nil
}

// nomineeRowErrors turns the field errors of the dossier's own checks on imported
// nominees ("nominees[2].kind": a kind the award is not given to, a subject of
// another kind) into errors of the file's rows, so that the clerk is told which
// spreadsheet row to correct rather than an index into a list she never saw. It
// returns nil unless every field error names a nominee.
func nomineeRowErrors(err error, rows []importer.NomineeRow) history.RowErrors {
	var de *domain.Error
	if !errors.As(err, &de) || de.Kind != domain.KindInvalid || len(de.Fields) == 0 {
		return nil
	}
	var out history.RowErrors
	for _, f := range de.Fields {
		var i int
		var field string
		if _, scanErr := fmt.Sscanf(f.Field, "nominees[%d].%s", &i, &field); scanErr != nil || i < 0 || i >= len(rows) {
			return nil
		}
		if field == "subject_id" {
			field = "subject_code"
		}
		out = append(out, history.RowError{Section: importer.SectionNominees, Row: rows[i].Row, Field: field, Reason: f.Message})
	}
	return out
}

// ExportNominees returns a dossier's nominees as a nominee list.
func (s *Service) ExportNominees(ctx context.Context, userID int64, nominationID string) ([]importer.NomineeRow, error) {
	n, err := s.Nomination(ctx, userID, nominationID)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, nm := range n.Nominees {
		if nm.SubjectID != nil {
			ids = append(ids, *nm.SubjectID)
		}
	}
	subjects, err := s.Store.SubjectsByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	rows := make([]importer.NomineeRow, 0, len(n.Nominees))
	for _, nm := range n.Nominees {
		r := importer.NomineeRow{Row: nm.Position, Kind: string(nm.Kind), Name: nm.Name, JobTitle: nm.JobTitle,
			Organisation: nm.Organisation, Achievements: nm.Achievements}
		if nm.SubjectID != nil {
			if sub, ok := subjects[*nm.SubjectID]; ok {
				r.SubjectCode = sub.Code
				if sub.UnitID != n.UnitID {
					r.SubjectUnitID = sub.UnitID
				}
			}
		}
		rows = append(rows, r)
	}
	return rows, nil
}

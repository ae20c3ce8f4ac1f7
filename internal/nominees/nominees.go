package nominees

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/tdkt/tdkt/internal/awards"
	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/dossiers"
	"github.com/tdkt/tdkt/internal/eligibility"
	"github.com/tdkt/tdkt/internal/history"
	"github.com/tdkt/tdkt/internal/importer"
)

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
	n, err := s.dossiers.Nomination(ctx, userID, id)
	if err != nil {
		return NominationEligibility{}, err
	}
	return s.NominationEligibilityOf(ctx, n)
}

// NominationEligibilityOf checks a dossier already loaded and authorised by the
// caller (the dossier read adds it to its answer).
func (s *Service) NominationEligibilityOf(ctx context.Context, n domain.Nomination) (NominationEligibility, error) {
	now := s.Clock()
	on := now.In(calendar.Zone)
	if n.SubmittedAt != nil {
		on = n.SubmittedAt.In(calendar.Zone)
	}
	out := NominationEligibility{NominationID: n.ID, AwardCode: n.AwardCode, Year: n.Year, CheckedOn: on.Format(history.DateLayout),
		Nominees: []NomineeEligibility{}}
	var ids []int64
	for _, nm := range n.Nominees {
		if nm.SubjectID != nil {
			ids = append(ids, *nm.SubjectID)
		}
	}
	recs, err := s.awards.Store.SubjectRecords(ctx, ids)
	if err != nil {
		return out, err
	}
	conflicts, err := s.awards.Store.NominationConflicts(ctx, n)
	if err != nil {
		return out, err
	}
	overrides, err := s.awards.Store.EligibilityOverrides(ctx, n.ID)
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
			res, err := rules.Evaluate(eligibility.Input{Facts: rec, Award: ne.AwardCode, Year: n.Year, On: on, HoldsOn: now.In(calendar.Zone), Kind: kind})
			if err != nil {
				return out, err
			}
			res.ApplyOverrides(overrides[nm.ID])
			ne.Result = &res
			ne.Conflicts = append(ne.Conflicts, awards.HoldConflicts(rec, now)...)
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
	n, err := s.dossiers.Nomination(ctx, userID, nominationID)
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
	} else if utf8.RuneCountInString(in.Reason) > awards.MaxReasonLen {
		fields = append(fields, domain.FieldError{Field: "reason", Message: fmt.Sprintf("at most %d characters", awards.MaxReasonLen)})
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
	if err := s.awards.Store.AddEligibilityOverride(ctx, awards.EligibilityOverride{NominationID: n.ID, NomineeID: in.NomineeID,
		Criterion: in.Criterion, Met: *in.Met, Reason: in.Reason, ActorID: userID, At: s.Clock()}); err != nil {
		return current, err
	}
	return s.NominationEligibilityOf(ctx, n)
}

// ImportNominees replaces the nominees of a draft or returned dossier with a
// nominee list spreadsheet, all or nothing. Subject codes are looked up in the
// row's unit (the dossier's unit when empty). Errors: KindInvalid with the row of
// every bad row, and those of EditNomination.
func (s *Service) ImportNominees(ctx context.Context, userID int64, nominationID string, data []byte, format importer.Format) (domain.Nomination, error) {
	n, err := s.dossiers.Nomination(ctx, userID, nominationID)
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
	saved, err := s.dossiers.EditNomination(ctx, userID, n.ID, dossiers.EditNominationInput{Nominees: input})
	if bad := nomineeRowErrors(err, rows); len(bad) > 0 {
		importer.Locate(bad)
		return n, awards.FileError(bad)
	}
	return saved, err
}

// CreateNominationFromFile creates a dossier whose nominees are the rows of a
// nominee list spreadsheet, all or nothing: the create form's "attach the list"
// for a unit that prepares its list in Excel. The file is read only once the user
// may create dossiers in the unit. Errors: those of CreateNomination, and
// KindInvalid wrapping history.RowErrors for the bad rows of the file (including
// a nominee kind the award is not given to).
func (s *Service) CreateNominationFromFile(ctx context.Context, userID int64, in dossiers.CreateNominationInput, data []byte, format importer.Format) (domain.Nomination, error) {
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
	n, err := s.dossiers.CreateNomination(ctx, userID, in)
	if bad := nomineeRowErrors(err, rows); len(bad) > 0 {
		importer.Locate(bad)
		return n, awards.FileError(bad)
	}
	return n, err
}

// nomineeFile reads a nominee list for a dossier of unitID: its rows, and the
// nominees they make, each linked to the subject its code names (looked up in the
// row's unit, the dossier's when empty; a subject the user may not read is
// reported as unknown, revealing nothing). Errors: KindInvalid wrapping the bad
// rows.
func (s *Service) nomineeFile(ctx context.Context, userID int64, unitID string, data []byte, format importer.Format) ([]importer.NomineeRow, []dossiers.NomineeInput, error) {
	rows, err := importer.ParseNominees(data, format)
	if err != nil {
		return nil, nil, awards.FileError(err)
	}
	var bad history.RowErrors
	input := make([]dossiers.NomineeInput, len(rows))
	for i, r := range rows {
		input[i] = dossiers.NomineeInput{Kind: r.Kind, Name: r.Name, JobTitle: r.JobTitle, Organisation: r.Organisation, Achievements: r.Achievements,
			Enterprise: r.Enterprise, LeadershipLevel: r.LeadershipLevel}
		if r.SubjectCode == "" {
			continue
		}
		unit := r.SubjectUnitID
		if unit == "" {
			unit = unitID
		}
		sub, err := s.awards.Store.SubjectByCode(ctx, unit, r.SubjectCode)
		if err != nil && !domain.IsKind(err, domain.KindNotFound) {
			return nil, nil, err
		}
		if err != nil || !s.Can(userID, unit, awards.ObjHistory, awards.ActRead) {
			bad = append(bad, history.RowError{Section: importer.SectionNominees, Row: r.Row, Field: "subject_code",
				Reason: fmt.Sprintf("no subject %q in unit %s", r.SubjectCode, unit)})
			continue
		}
		input[i].SubjectID = &sub.ID
	}
	if len(bad) > 0 {
		importer.Locate(bad)
		return nil, nil, awards.FileError(bad)
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
	n, err := s.dossiers.Nomination(ctx, userID, nominationID)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, nm := range n.Nominees {
		if nm.SubjectID != nil {
			ids = append(ids, *nm.SubjectID)
		}
	}
	subjects, err := s.awards.Store.SubjectsByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	rows := make([]importer.NomineeRow, 0, len(n.Nominees))
	for _, nm := range n.Nominees {
		r := importer.NomineeRow{Row: nm.Position, Kind: string(nm.Kind), Name: nm.Name, JobTitle: nm.JobTitle,
			Organisation: nm.Organisation, Achievements: nm.Achievements, Enterprise: nm.Enterprise, LeadershipLevel: string(nm.LeadershipLevel)}
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

package dossiers

import (
	"context"
	"fmt"

	"github.com/tdkt/tdkt/internal/authority"
	"github.com/tdkt/tdkt/internal/domain"
)

// Consultation returns the dossier's consultation windows, comments and
// concurrence answers.
func (s *Service) Consultation(ctx context.Context, userID int64, nominationID string) (Consultation, error) {
	n, err := s.Nomination(ctx, userID, nominationID)
	if err != nil {
		return Consultation{}, err
	}
	return s.Store.ConsultationOf(ctx, n.ID)
}

// RevokeGrounds are the legal grounds of a revocation (Law 06/2022/QH15 art. 93).
var RevokeGrounds = map[string]string{
	"false_declaration":  "Gian dối trong kê khai thành tích",
	"forged_documents":   "Làm giả hồ sơ, giấy tờ",
	"unlawful_appraisal": "Xác nhận, thẩm định, đề nghị sai",
	"criteria_not_met":   "Không đủ tiêu chuẩn, điều kiện theo quy định",
}

// RevokeDecision cancels a decision with a legal ground and records the recovery
// of the bonus and certificate. Only a decider of the issuing unit (or above) may.
func (s *Service) RevokeDecision(ctx context.Context, userID int64, nominationID, code, ground, note string) (domain.Nomination, error) {
	if _, ok := RevokeGrounds[ground]; !ok {
		return domain.Nomination{}, domain.Invalid("unknown legal ground", domain.FieldError{Field: "ground",
			Message: "false_declaration, forged_documents, unlawful_appraisal or criteria_not_met"})
	}
	n, err := s.Nomination(ctx, userID, nominationID)
	if err != nil {
		return n, err
	}
	var unit string
	for _, d := range n.Decisions {
		if d.Code == code {
			unit = d.UnitID
		}
	}
	if unit == "" {
		return n, domain.Errorf(domain.KindNotFound, "no decision %s on this dossier", code)
	}
	if err := s.Allow(userID, unit, "nomination", "decide"); err != nil {
		return n, err
	}
	if err := s.Store.RevokeDecision(ctx, n.ID, code, userID, ground, domain.Clean(note), s.Clock()); err != nil {
		return n, err
	}
	return s.Store.Nomination(ctx, n.ID)
}

// AuthorityRules returns the authority matrix (anyone logged in may read it).
func (s *Service) AuthorityRules(ctx context.Context, award string) ([]authority.Rule, error) {
	return s.Store.AuthorityRules(ctx, award)
}

// rootUnit is where national data (the authority matrix, the calendar) is managed.
const rootUnit = "TW"

// SaveAuthorityRule creates or changes a rule of the matrix; an administrator at
// the central level only. Dossiers keep the route they were created with.
func (s *Service) SaveAuthorityRule(ctx context.Context, userID int64, r authority.Rule) (authority.Rule, error) {
	if err := s.Allow(userID, rootUnit, "authority", "manage"); err != nil {
		return r, err
	}
	var fields []domain.FieldError
	if _, err := s.admin.Store.Award(ctx, r.AwardCode); err != nil {
		fields = append(fields, domain.FieldError{Field: "award_code", Message: "no such award"})
	}
	levels := map[string]bool{"commune": true, "district": true, "province": true, "central": true}
	if !levels[r.SubmitterLevel] {
		fields = append(fields, domain.FieldError{Field: "submitter_level", Message: "commune, district, province or central"})
	}
	if !levels[r.DecisionLevel] {
		fields = append(fields, domain.FieldError{Field: "decision_level", Message: "commune, district, province or central"})
	}
	if r.Procedure == "" {
		r.Procedure = string(domain.ProcedureStandard)
	}
	if r.Procedure != string(domain.ProcedureStandard) && r.Procedure != string(domain.ProcedureSimplified) {
		fields = append(fields, domain.FieldError{Field: "procedure", Message: "standard or simplified"})
	}
	if !isDate(r.ValidFrom) {
		fields = append(fields, domain.FieldError{Field: "valid_from", Message: "a date yyyy-mm-dd"})
	}
	if r.ValidTo != "" && (!isDate(r.ValidTo) || r.ValidTo <= r.ValidFrom) {
		fields = append(fields, domain.FieldError{Field: "valid_to", Message: "a date yyyy-mm-dd after valid_from"})
	}
	for i, st := range r.Stages {
		if !levels[st.Level] || st.ConsultationDays < 0 || st.ConsultationDays > 60 {
			fields = append(fields, domain.FieldError{Field: fmt.Sprintf("stages[%d]", i), Message: "a known level and 0–60 consultation days"})
		}
	}
	if len(fields) > 0 {
		return r, domain.Invalid("the rule has invalid fields", fields...)
	}
	return s.Store.SaveAuthorityRule(ctx, r)
}

// DeleteAuthorityRule removes a rule; an administrator at the central level only.
func (s *Service) DeleteAuthorityRule(ctx context.Context, userID, id int64) error {
	if err := s.Allow(userID, rootUnit, "authority", "manage"); err != nil {
		return err
	}
	return s.Store.DeleteAuthorityRule(ctx, id)
}

func isDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	_, err := fmt.Sscanf(s, "%4d-%2d-%2d", new(int), new(int), new(int))
	return err == nil
}

package refdata

import (
	"context"
	"fmt"

	"github.com/tdkt/tdkt/internal/authority"
	"github.com/tdkt/tdkt/internal/domain"
)

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

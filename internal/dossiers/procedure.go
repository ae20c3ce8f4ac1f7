package dossiers

import (
	"context"

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

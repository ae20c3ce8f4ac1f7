package dossiers

import (
	"context"
	"fmt"

	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/domain"
)

// LowerAwards lists the awards a dossier's current level may give instead of the
// one proposed (khen hình thức thấp hơn), from the award catalogue and the
// authority matrix in force today:
//
//   - the award is of the same category as the proposed one (a commendation is
//     lowered to a commendation, a title to a title);
//   - it is lower: the lowest level that may decide it ranks below the lowest level
//     that may decide the proposed award (a Giấy khen is lower than a Bằng khen of
//     the province, which is lower than a Huân chương);
//   - an authority rule in force lets the current level decide it, so a level is
//     never offered an award it cannot grant.
//
// Awards of the same lowest deciding level are not ordered by the matrix and are
// not offered. Each award keeps its nominee kinds, for the caller to match with a
// nominee (domain.Award.AllowsKind). The list is ordered from the highest award
// down. A dossier with no current level has none.
func (s *Service) LowerAwards(ctx context.Context, n domain.Nomination) ([]domain.Award, error) {
	if n.CurrentUnitID == "" {
		return nil, nil
	}
	cur, err := s.admin.Store.Unit(ctx, n.CurrentUnitID)
	if err != nil {
		return nil, err
	}
	levels, err := s.admin.Store.Levels(ctx)
	if err != nil {
		return nil, err
	}
	rank := map[string]int{}
	for _, l := range levels {
		rank[l.Code] = l.Rank
	}
	rules, err := s.refdata.Store.AuthorityRules(ctx, "")
	if err != nil {
		return nil, err
	}
	awards, err := s.admin.Store.Awards(ctx)
	if err != nil {
		return nil, err
	}
	day := s.Clock().In(calendar.Zone).Format("2006-01-02")
	lowest := map[string]int{} // award → rank of the lowest level deciding it
	here := map[string]bool{}  // award → the current level may decide it
	for _, r := range rules {
		if !r.InForce(day) {
			continue
		}
		if rk, ok := rank[r.DecisionLevel]; ok {
			if old, seen := lowest[r.AwardCode]; !seen || rk < old {
				lowest[r.AwardCode] = rk
			}
		}
		if r.DecisionLevel == cur.Level {
			here[r.AwardCode] = true
		}
	}
	var proposed *domain.Award
	for i := range awards {
		if awards[i].Code == n.AwardCode {
			proposed = &awards[i]
		}
	}
	top, ok := lowest[n.AwardCode]
	if proposed == nil || !ok {
		return nil, nil
	}
	var out []domain.Award
	for _, a := range awards {
		rk, ok := lowest[a.Code]
		if a.Code == n.AwardCode || !ok || rk >= top || !here[a.Code] || a.Category != proposed.Category {
			continue
		}
		out = append(out, a)
	}
	// Highest first: by the lowest deciding level, descending (stable on the
	// catalogue's order by code).
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && lowest[out[j].Code] > lowest[out[j-1].Code]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out, nil
}

// CheckLowerAward refuses a downgrade of a nominee to an award that LowerAwards
// does not offer for the nominee's kind. The error names the nominee, on the field
// "outcome_<nominee id>".
func CheckLowerAward(lower []domain.Award, nm domain.Nominee, award string) error {
	field := fmt.Sprintf("outcome_%d", nm.ID)
	if award == "" {
		return domain.Invalid(nm.Name+": choose the lower award", domain.FieldError{Field: field, Message: "required"})
	}
	for _, a := range lower {
		if a.Code == award && a.AllowsKind(nm.Kind) {
			return nil
		}
	}
	return domain.Invalid(nm.Name+": "+award+" is not a lower award this level may grant",
		domain.FieldError{Field: field, Message: "not a lower award"})
}

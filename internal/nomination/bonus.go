package nomination

import (
	"math"

	"github.com/tdkt/tdkt/internal/domain"
)

// Bonus is multiplier × base salary, × 1.5 for a household, rounded to the đồng;
// nil when the award has no multiplier set or no base salary is in force.
func Bonus(multiplier *float64, baseSalary *int64, kind domain.NomineeKind) *int64 {
	if multiplier == nil || baseSalary == nil {
		return nil
	}
	v := *multiplier * float64(*baseSalary)
	if kind == domain.NomineeHousehold {
		v *= 1.5
	}
	b := int64(math.Round(v))
	return &b
}

package nominees

import "github.com/tdkt/tdkt/internal/history"

// Notice is one warning about a nominee's eligibility: a message code with its
// arguments, which a page words in the reader's language, and Text, its
// Vietnamese wording (the one Warnings carries). An empty Code has no other
// wording than Text (the rules engine's notes). Arguments that come from the
// engine (its explanations) or from the records are in Vietnamese.
type Notice struct {
	Code string `json:"code,omitempty"`
	Args []any  `json:"args,omitempty"`
	Text string `json:"text"`
}

// warn adds a warning to the nominee's Warnings and Notices alike.
func (ne *NomineeEligibility) warn(n Notice) {
	ne.Warnings = append(ne.Warnings, n.Text)
	ne.Notices = append(ne.Notices, n)
}

// conflictNotice words a conflict flag by its kind: the award, the year and the
// decision number of the conflicting record are its arguments.
func conflictNotice(c history.Conflict) Notice {
	n := Notice{Code: "conflict." + c.Kind, Text: c.Message}
	switch c.Kind {
	case history.ConflictAlreadyAwarded, history.ConflictSameAchievement:
		n.Args = []any{c.AwardCode, c.Year, orNone(c.DecisionCode)}
	case history.ConflictInFlight, history.ConflictPossibleDuplicate:
		n.Args = []any{c.AwardCode, c.Year}
	case history.ConflictOnHold:
		n.Args = []any{c.Message}
	default:
		n.Code = ""
	}
	return n
}

func orNone(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

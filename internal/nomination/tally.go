package nomination

import "math"

// Results of a council vote session.
const (
	CouncilPassed   = "passed"
	CouncilFailed   = "failed"
	CouncilNoQuorum = "no_quorum"
	// CouncilVoided: a member recused after casting a secret ballot, which cannot be
	// told apart from the others; the session is void and the council votes again.
	CouncilVoided = "voided"
)

// Count is what a closed vote session counted: the eligible members (council
// members and the chair, less the recused), those of them who voted, the ballots,
// and how many members who voted were recused afterwards.
type Count struct {
	Members, Present   int
	Yes, No, Abstain   int
	RecusedAfterVoting int
	Secret             bool
	Quorum, Threshold  float64
}

// Tally applies the quorum and threshold, both fractions of the eligible members.
// A member who declared a conflict after voting has the vote withdrawn: on an open
// ballot the ballots counted are those of eligible members only (the caller counts
// them so); on a secret ballot they cannot be told apart, so the session is void.
// Otherwise: no quorum when fewer voted than the quorum requires; passed when the yes
// votes exceed the threshold of all eligible members; failed otherwise. The
// fractions are stored with three decimals, so 0.667 stands for two thirds: the
// required count is rounded with that tolerance.
func Tally(c Count) string {
	if c.Secret && c.RecusedAfterVoting > 0 {
		return CouncilVoided
	}
	if c.Members == 0 || float64(c.Present) < math.Ceil(c.Quorum*float64(c.Members)-0.005) {
		return CouncilNoQuorum
	}
	if float64(c.Yes) > c.Threshold*float64(c.Members)+1e-9 {
		return CouncilPassed
	}
	return CouncilFailed
}

// CouncilResultNote is the history's note for a council result, in Vietnamese.
func CouncilResultNote(result string) string {
	switch result {
	case CouncilPassed:
		return "Hội đồng thông qua"
	case CouncilNoQuorum:
		return "Không đủ số thành viên tham gia biểu quyết; bỏ phiếu lại"
	case CouncilVoided:
		return "Phiên bỏ phiếu vô hiệu (thành viên rút lui sau khi bỏ phiếu kín); bỏ phiếu lại"
	case CouncilFailed:
		return "Hội đồng không thông qua"
	}
	return ""
}

// EligibleVoters returns the members of a council who may vote on the dossier: not
// recused (a declared conflict), and passing CheckVoter (not its preparer, not one
// of its nominees by identity).
func EligibleVoters(d Dossier, members []Person, recused map[int64]bool) []int64 {
	var out []int64
	for _, m := range members {
		if recused[m.UserID] || CheckVoter(d, m) != nil {
			continue
		}
		out = append(out, m.UserID)
	}
	return out
}

package web

import "github.com/tdkt/tdkt/internal/eligibility"

// criterionView is one criterion of an eligibility answer, with its sub-criteria.
type criterionView struct {
	P *Page
	C eligibility.CriterionResult
}

// Criterion builds the data of the recursive "criterion" partial.
func (p *Page) Criterion(c eligibility.CriterionResult) criterionView {
	return criterionView{P: p, C: c}
}

// Met reports whether the criterion counts as met: the appraiser's override when
// there is one, else the rules' answer.
func (v criterionView) Met() bool {
	if v.C.Override != nil {
		return v.C.Override.Met
	}
	return v.C.Met
}

// eligResultView is the data of the "elig-result" partial.
type eligResultView struct {
	P *Page
	R eligibility.Result
}

// EligResult builds the data of the "elig-result" partial.
func (p *Page) EligResult(r eligibility.Result) eligResultView { return eligResultView{P: p, R: r} }

// Package authority is the authority matrix (thẩm quyền khen thưởng) as data: rules
// that say, for an award proposed by a unit of a given level (and optionally kind,
// and nominee kind), in force over a date range, which level decides, which
// procedure applies, and what happens at each level on the way (council vote,
// public consultation, concurrence). From a rule and the unit tree of a day it
// derives a dossier's route. The functions here are pure; the store loads the data.
package authority

import (
	"errors"
	"fmt"

	"github.com/tdkt/tdkt/internal/domain"
)

// Stage says what happens at one level of a route.
type Stage struct {
	Level            string `json:"level"`
	Council          bool   `json:"council,omitempty"`
	ConsultationDays int    `json:"consultation_days,omitempty"`
	Concurrence      bool   `json:"concurrence,omitempty"`
}

// Rule is one row of the authority matrix. Dates are yyyy-mm-dd; ValidTo is
// exclusive and empty while the rule is in force.
type Rule struct {
	ID             int64   `json:"id"`
	AwardCode      string  `json:"award_code"`
	SubmitterLevel string  `json:"submitter_level"`
	SubmitterKind  string  `json:"submitter_kind,omitempty"` // "" = any unit kind
	NomineeKind    string  `json:"nominee_kind,omitempty"`   // "" = any nominee kind
	DecisionLevel  string  `json:"decision_level"`
	Procedure      string  `json:"procedure"`
	Stages         []Stage `json:"stages"`
	ValidFrom      string  `json:"valid_from"`
	ValidTo        string  `json:"valid_to,omitempty"`
}

// InForce reports whether the rule applies on day (yyyy-mm-dd).
func (r Rule) InForce(day string) bool {
	return r.ValidFrom <= day && (r.ValidTo == "" || day < r.ValidTo)
}

// Unit is a node of the unit tree as route derivation needs it.
type Unit struct {
	ID, ParentID, Name, Level, Kind string
	ValidFrom, ValidTo              string // yyyy-mm-dd; ValidTo exclusive, "" = in force
}

// InForce reports whether the unit exists on day.
func (u Unit) InForce(day string) bool {
	return (u.ValidFrom == "" || u.ValidFrom <= day) && (u.ValidTo == "" || day < u.ValidTo)
}

// AuthorityKinds are the unit kinds whose head decides or forwards awards on a
// route: a department's dossier for a provincial award is decided by the People's
// Committee above it, not by a sibling department.
var AuthorityKinds = map[string]bool{"people_committee": true, "government": true, "ministry": true}

// ErrNoRule means no rule in force lets this unit propose this award.
var ErrNoRule = errors.New("no authority rule lets this unit propose this award")

// SelectRule picks the rule in force on day for an award proposed by a unit of
// level and kind with nominees of nomineeKind ("" when the dossier mixes kinds):
// the most specific match wins (submitter kind and nominee kind set beat unset),
// then the latest ValidFrom.
func SelectRule(rules []Rule, award, level, unitKind, nomineeKind, day string) (Rule, error) {
	best, bestScore := Rule{}, -1
	for _, r := range rules {
		if r.AwardCode != award || r.SubmitterLevel != level || !r.InForce(day) {
			continue
		}
		if r.SubmitterKind != "" && r.SubmitterKind != unitKind {
			continue
		}
		if r.NomineeKind != "" && r.NomineeKind != nomineeKind {
			continue
		}
		score := 0
		if r.SubmitterKind != "" {
			score += 2
		}
		if r.NomineeKind != "" {
			score++
		}
		if score > bestScore || (score == bestScore && r.ValidFrom > best.ValidFrom) {
			best, bestScore = r, score
		}
	}
	if bestScore < 0 {
		return Rule{}, ErrNoRule
	}
	return best, nil
}

// Tree gives a unit by id.
type Tree interface {
	Unit(id string) (Unit, bool)
}

// MapTree is a Tree held in a map.
type MapTree map[string]Unit

// Unit returns the unit with the id.
func (m MapTree) Unit(id string) (Unit, bool) { u, ok := m[id]; return u, ok }

// DeriveRoute walks up from the submitting unit on day and returns every authority
// unit above it up to the one at the rule's deciding level (or the unit itself when
// its own level decides and it is an authority), each with the rule's stage for
// its level. The submitting unit does not appraise its own dossier otherwise.
func DeriveRoute(tree Tree, rule Rule, unitID, day string) ([]domain.RouteStop, error) {
	stages := make(map[string]Stage, len(rule.Stages))
	for _, s := range rule.Stages {
		stages[s.Level] = s
	}
	u, ok := tree.Unit(unitID)
	if !ok || !u.InForce(day) {
		return nil, fmt.Errorf("unit %s is not in force on %s", unitID, day)
	}
	var route []domain.RouteStop
	for i := 0; i < 64; i++ { // bounded: a tree is never this deep
		isSelf := i == 0
		if AuthorityKinds[u.Kind] && (!isSelf || u.Level == rule.DecisionLevel) {
			st := stages[u.Level]
			stop := domain.RouteStop{UnitID: u.ID, UnitName: u.Name, Level: u.Level, Council: st.Council,
				ConsultationDays: st.ConsultationDays, Concurrence: st.Concurrence, ValidTo: u.ValidTo}
			if rule.Procedure == string(domain.ProcedureSimplified) {
				stop.Council, stop.ConsultationDays = false, 0
			}
			if u.Level == rule.DecisionLevel {
				stop.Decides = true
				return append(route, stop), nil
			}
			route = append(route, stop)
		}
		if u.ParentID == "" {
			break
		}
		p, ok := tree.Unit(u.ParentID)
		if !ok || !p.InForce(day) {
			break
		}
		u = p
	}
	return nil, fmt.Errorf("no %s-level authority above %s on %s", rule.DecisionLevel, unitID, day)
}

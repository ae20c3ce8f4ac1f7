package nomination

import (
	"fmt"
	"strings"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/history"
)

// Person is who acts: a user account and, when the account is linked to one, the
// person subject (đối tượng) it stands for, with the folded full name as the
// fallback identity.
type Person struct {
	UserID    int64  `json:"user_id"`
	SubjectID int64  `json:"subject_id,omitempty"`
	NameKey   string `json:"name_key,omitempty"`
}

// NameKey folds a person's name for identity comparisons: letter case, spacing and
// Vietnamese diacritics are ignored, with the same folding as name search, so
// "VI VĂN QUÝ", "Vi  Văn Quý" and "Vi Van Quy" are one key.
func NameKey(name string) string {
	return strings.Join(strings.Fields(history.Fold(name)), " ")
}

// SamePerson reports whether p is the nominee nm, and why. Two linked records are
// the same person when they name the same subject; where either link is missing, the
// folded names decide. Only individual nominees are people.
func SamePerson(p Person, nm NomineeRef) (bool, string) {
	if nm.Kind != "" && nm.Kind != string(domain.NomineeIndividual) {
		return false, ""
	}
	if p.SubjectID != 0 && nm.SubjectID != 0 {
		if p.SubjectID == nm.SubjectID {
			return true, "linked to the same person subject"
		}
		return false, ""
	}
	if p.NameKey != "" && p.NameKey == nm.NameKey {
		return true, fmt.Sprintf("the same name (%q) and no subject link tells them apart", p.NameKey)
	}
	return false, ""
}

// DutyOf is the duty an action exercises on a dossier: appraising, or deciding
// (forwarding is the same signature at an intermediate level). Other actions hold no
// duty.
func DutyOf(a domain.Action) string {
	perm, _, _ := Permission(a)
	switch perm {
	case "appraise":
		if a == domain.ActionConcur {
			return ""
		}
		return DutyAppraise
	case "decide", "forward":
		return DutyDecide
	}
	return ""
}

// exempt reports whether an action is outside separation of duties: the submitting
// unit's own steps, a consulted unit's answer and a public comment.
func exempt(a domain.Action) bool {
	return a == domain.ActionSubmit || a == domain.ActionWithdraw || a == domain.ActionConcur || a == domain.ActionComment
}

// CheckSeparation decides separation of duties and conflicts of interest for one
// action, for the actor and, under a delegation, for the delegating user too:
// nobody appraises, votes on, closes the vote of or decides a dossier they prepared
// or in which they are a nominee, and one person holds at most one duty (prepare,
// appraise, decide) on a dossier at one level. duties are those already held.
func CheckSeparation(d Dossier, a Act, duties []Duty) *Error {
	if exempt(a.Action) {
		return nil
	}
	people := []Person{personOf(a.ActorID, a.Actor)}
	if a.OnBehalfOf != 0 {
		people = append(people, personOf(a.OnBehalfOf, a.Principal))
	}
	duty := DutyOf(a.Action)
	for i, p := range people {
		who := "you"
		if i == 1 {
			who = "the user you act for"
		}
		if err := checkPerson(d, p, who); err != nil {
			return err
		}
		if duty == "" {
			continue
		}
		for _, h := range duties {
			if h.UserID == p.UserID && h.UnitID == d.State.CurrentUnitID && h.Duty != duty {
				return refuse(Separation, "%s already %s this dossier at this level; another person must %s it",
					who, pastTense(h.Duty), duty)
			}
		}
	}
	return nil
}

// CheckVoter decides whether a council member may vote on the dossier: not its
// preparer and not one of its nominees. Recusal is checked where the declarations
// are kept.
func CheckVoter(d Dossier, p Person) *Error {
	return checkPerson(d, p, "you")
}

func checkPerson(d Dossier, p Person, who string) *Error {
	if p.UserID != 0 && p.UserID == d.CreatedBy {
		return refuse(Separation, "%s prepared this dossier: nobody may appraise, vote on or decide a dossier they prepared", who)
	}
	for _, nm := range d.State.Nominees {
		if same, why := SamePerson(p, nm); same {
			be := "are"
			if who != "you" {
				be = "is"
			}
			return refuse(Separation, "%s %s named as a nominee of this dossier (%s): nobody may appraise, vote on or decide their own award",
				who, be, why)
		}
	}
	return nil
}

func personOf(id int64, p *Person) Person {
	if p != nil && p.UserID == id {
		return *p
	}
	return Person{UserID: id}
}

func pastTense(duty string) string {
	switch duty {
	case DutyAppraise:
		return "appraised"
	case DutyDecide:
		return "decided or forwarded"
	}
	return "prepared"
}

// DutiesOf lists the duties held on a dossier as its audit trail records them:
// each appraising or deciding action, by its actor and by the user they acted for.
func DutiesOf(events []domain.AuditEvent) []Duty {
	var out []Duty
	for _, e := range events {
		duty := DutyOf(domain.Action(e.Action))
		if duty == "" || e.UnitID == "" {
			continue
		}
		if e.ActorID != 0 {
			out = append(out, Duty{UserID: e.ActorID, Duty: duty, UnitID: e.UnitID})
		}
		if e.OnBehalfOf != 0 {
			out = append(out, Duty{UserID: e.OnBehalfOf, Duty: duty, UnitID: e.UnitID})
		}
	}
	return out
}

// dutiesAfter returns the duties held once action a is applied at unit.
func dutiesAfter(held []Duty, a Act, unit string) []Duty {
	duty := DutyOf(a.Action)
	if duty == "" || a.ActorID == 0 {
		return held
	}
	out := append([]Duty(nil), held...)
	add := func(id int64) {
		for _, h := range out {
			if h.UserID == id && h.Duty == duty && h.UnitID == unit {
				return
			}
		}
		out = append(out, Duty{UserID: id, Duty: duty, UnitID: unit})
	}
	add(a.ActorID)
	if a.OnBehalfOf != 0 {
		add(a.OnBehalfOf)
	}
	return out
}

// ReturnsAt counts the times the dossier was returned for supplementation by the
// level at unit, as its audit trail records them: each level may return it once.
func ReturnsAt(events []domain.AuditEvent, unit string) int {
	n := 0
	for _, e := range events {
		if e.Action == string(domain.ActionReturn) && e.UnitID == unit {
			n++
		}
	}
	return n
}

package nomination

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tdkt/tdkt/internal/domain"
)

// Users of the tests.
const (
	clerk     = int64(1)
	appraiser = int64(2)
	decider   = int64(3)
	member    = int64(4)
	delegate  = int64(5)
	other     = int64(6)
)

var now = time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC)

// route: the commune submits, the province appraises with a council and forwards,
// the centre decides.
func route() []domain.RouteStop {
	return []domain.RouteStop{
		{Level: "province", UnitID: "P", Council: true},
		{Level: "central", UnitID: "C", Decides: true, Concurrence: true},
	}
}

func dossier(st domain.Status, step domain.Step, at string) Dossier {
	return Dossier{ID: "d1", UnitID: "X", CreatedBy: clerk, AwardCode: "BK_TTG", Procedure: domain.ProcedureStandard,
		Route: route(), State: State{Status: st, Step: step, CurrentUnitID: at, Version: 3, Rules: RulesIdentity,
			Nominees: []NomineeRef{{ID: 10, Kind: "individual", Status: domain.NomineePending, NameKey: NameKey("Vi Văn Quý")},
				{ID: 11, Kind: "collective", Status: domain.NomineePending, NameKey: NameKey("Hội Nông dân xã")}}}}
}

func act(a domain.Action, actor int64, unit string) Act {
	return Act{Action: a, ActorID: actor, UnitID: unit, Version: 3}
}

func TestValidateRefusesWithTheRightReason(t *testing.T) {
	intake := dossier(domain.StatusIntake, domain.StepIntake, "P")
	appraising := dossier(domain.StatusAppraising, domain.StepAppraise, "P")
	returned := appraising
	returned.State.Returned = 1
	central := dossier(domain.StatusAppraising, domain.StepAppraise, "C")
	central.State.RouteIndex = 1
	decided := dossier(domain.StatusDecided, "", "")
	draft := dossier(domain.StatusDraft, domain.StepSubmit, "X")
	deciding := dossier(domain.StatusDeciding, domain.StepDecide, "C")
	deciding.State.RouteIndex = 1
	held := deciding
	held.State.Nominees = []NomineeRef{{ID: 10, Kind: "individual", Status: domain.NomineeHeld}}
	withMissing := func(a Act, items ...string) Act { a.MissingItems = items; return a }
	withReason := func(a Act, r string) Act { a.Reason = r; return a }
	withVersion := func(a Act, v int) Act { a.Version = v; return a }
	for _, tc := range []struct {
		name string
		d    Dossier
		a    Act
		want Reason // "" for accepted
	}{
		{"accept at intake", intake, act(domain.ActionAccept, appraiser, "P"), ""},
		{"stale version", intake, withVersion(act(domain.ActionAccept, appraiser, "P"), 2), StaleVersion},
		{"no version named", intake, Act{Action: domain.ActionAccept, ActorID: appraiser, UnitID: "P", Version: 2, AnyVersion: true}, ""},
		{"terminal", decided, act(domain.ActionAccept, appraiser, "P"), WrongState},
		{"no actor", intake, act(domain.ActionAccept, 0, "P"), Invalid},
		{"approve at intake", intake, act(domain.ActionApprove, appraiser, "P"), WrongState},
		{"wrong unit", intake, act(domain.ActionAccept, appraiser, "Q"), WrongUnit},
		{"return needs missing items", appraising, act(domain.ActionReturn, appraiser, "P"), Invalid},
		{"return with items", appraising, withMissing(act(domain.ActionReturn, appraiser, "P"), "biên bản"), ""},
		{"second return at one level", returned, withMissing(act(domain.ActionReturn, appraiser, "P"), "biên bản"), WrongState},
		{"reject needs a reason", appraising, act(domain.ActionReject, appraiser, "P"), Invalid},
		{"reject with a reason", appraising, withReason(act(domain.ActionReject, appraiser, "P"), "không đủ"), ""},
		{"hold needs reason and nominee", appraising, act(domain.ActionHold, appraiser, "P"), Invalid},
		{"comment needs text", dossier(domain.StatusConsulting, "", "P"), act(domain.ActionComment, other, "X"), Invalid},
		{"concur needs an answer", dossier(domain.StatusConcurring, domain.StepConcur, "C"), act(domain.ActionConcur, other, "T"), Invalid},
		{"approve before concurrence", central, act(domain.ActionApprove, appraiser, "C"), WrongState},
		{"submit without nominees", draft, act(domain.ActionSubmit, clerk, "X"), Invalid},
		{"submit from another unit", draft, Act{Action: domain.ActionSubmit, ActorID: clerk, UnitID: "Y", Version: 3, Nominees: []NomineeRef{{ID: 1}}}, WrongUnit},
		{"decide at a level that forwards", dossier(domain.StatusDeciding, domain.StepDecide, "P"), act(domain.ActionDecide, decider, "P"), WrongState},
		{"decide", deciding, act(domain.ActionDecide, decider, "C"), ""},
		{"decide with everyone held", held, act(domain.ActionDecide, decider, "C"), WrongState},
		{"downgrade without an award", deciding, Act{Action: domain.ActionDecide, ActorID: decider, UnitID: "C", Version: 3,
			Outcomes: []Outcome{{NomineeID: 10, Outcome: "downgrade"}}}, Invalid},
		{"unknown action", intake, act("sign", appraiser, "P"), Invalid},
		{"the workflow's own transition", intake, act(domain.ActionCouncilResult, appraiser, "P"), Invalid},
		{"confirm simplified not proposed", intake, Act{Action: domain.ActionAccept, ActorID: appraiser, UnitID: "P", Version: 3, ConfirmSimplified: true}, Invalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Validate(tc.d, tc.a)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.want != "" && err == nil:
				t.Fatalf("accepted, want %s", tc.want)
			case tc.want != "" && err.Reason != tc.want:
				t.Fatalf("refused as %s (%s), want %s", err.Reason, err.Message, tc.want)
			}
		})
	}
}

func TestCheckFieldsListsEveryOffendingFieldOnce(t *testing.T) {
	err := CheckFields(Act{Action: domain.ActionHold})
	if err == nil || len(err.Fields) != 2 {
		t.Fatalf("hold without reason and nominee: %+v", err)
	}
	if err.AsDomain().Kind != domain.KindInvalid {
		t.Fatalf("kind %s", err.AsDomain().Kind)
	}
	err = CheckFields(Act{Action: domain.ActionForward, Outcomes: []Outcome{{NomineeID: 1, Outcome: "award"}, {NomineeID: 1, Outcome: "reject"}}})
	if err == nil || len(err.Fields) != 2 || !strings.Contains(err.Fields[1].Message, "twice") {
		t.Fatalf("forward with award and a duplicate: %+v", err)
	}
}

func TestNameKeyFoldsCaseSpacingAndDiacritics(t *testing.T) {
	want := NameKey("Vi Văn Quý")
	for _, s := range []string{"VI VĂN QUÝ", "Vi  Văn Quý", "Vi Van Quy", " vi văn quý ", "Vi Văn Quý"} {
		if got := NameKey(s); got != want {
			t.Errorf("NameKey(%q) = %q, want %q", s, got, want)
		}
	}
	if NameKey("Vi Văn Quyết") == want {
		t.Errorf("a different name folds to %q", want)
	}
}

func TestSeparationOfDutiesByIdentity(t *testing.T) {
	appraising := dossier(domain.StatusAppraising, domain.StepAppraise, "P")
	deciding := dossier(domain.StatusDeciding, domain.StepDecide, "C")
	deciding.State.RouteIndex = 1
	linked := appraising
	linked.State.Nominees = []NomineeRef{{ID: 10, Kind: "individual", Status: domain.NomineePending, SubjectID: 77, NameKey: NameKey("Vi Văn Quý")}}
	person := func(id int64, name string, subject int64) *Person {
		return &Person{UserID: id, NameKey: NameKey(name), SubjectID: subject}
	}
	as := func(a Act, actor *Person) Act { a.Actor = actor; return a }
	behalf := func(a Act, actor *Person, principal *Person) Act {
		a.Actor, a.Principal, a.OnBehalfOf = actor, principal, principal.UserID
		return a
	}
	approve := act(domain.ActionApprove, appraiser, "P")
	decide := act(domain.ActionDecide, decider, "C")
	for _, tc := range []struct {
		name   string
		d      Dossier
		a      Act
		duties []Duty
		refuse bool
		why    string
	}{
		{"an appraiser who is nobody in particular", appraising, as(approve, person(appraiser, "Lê Thị Hoa", 0)), nil, false, ""},
		{"the preparer appraises", appraising, as(act(domain.ActionApprove, clerk, "P"), person(clerk, "Hoàng Văn Tùng", 0)), nil, true, "prepared"},
		{"the nominee appraises, capitals", appraising, as(approve, person(appraiser, "VI VĂN QUÝ", 0)), nil, true, "nominee"},
		{"the nominee appraises, double space", appraising, as(approve, person(appraiser, "Vi  Văn Quý", 0)), nil, true, "nominee"},
		{"the nominee appraises, no diacritics", appraising, as(approve, person(appraiser, "Vi Van Quy", 0)), nil, true, "nominee"},
		{"the nominee decides", deciding, as(decide, person(decider, "Vi Văn Quý", 0)), nil, true, "nominee"},
		{"the same subject under another name", linked, as(approve, person(appraiser, "Vi Quý", 77)), nil, true, "same person subject"},
		{"a namesake linked to another subject", linked, as(approve, person(appraiser, "Vi Văn Quý", 78)), nil, false, ""},
		{"a collective is not a person", appraising, as(approve, person(appraiser, "Hội Nông dân xã", 0)), nil, false, ""},
		{"the appraiser of this level decides", deciding, as(decide, person(decider, "Lê Văn Ba", 0)),
			[]Duty{{UserID: decider, Duty: DutyAppraise, UnitID: "C"}}, true, "already appraised"},
		{"the appraiser of the level below decides", deciding, as(decide, person(decider, "Lê Văn Ba", 0)),
			[]Duty{{UserID: decider, Duty: DutyAppraise, UnitID: "P"}}, false, ""},
		{"a delegate of the decider who appraised here", deciding,
			behalf(act(domain.ActionDecide, delegate, "C"), person(delegate, "Trần Văn Năm", 0), person(decider, "Lê Văn Ba", 0)),
			[]Duty{{UserID: delegate, Duty: DutyAppraise, UnitID: "C"}}, true, "already appraised"},
		{"a delegate acting for a nominee", deciding,
			behalf(act(domain.ActionDecide, delegate, "C"), person(delegate, "Trần Văn Năm", 0), person(decider, "Vi Văn Quý", 0)),
			nil, true, "the user you act for is named"},
		{"a delegate acting for the preparer", appraising,
			behalf(act(domain.ActionApprove, delegate, "P"), person(delegate, "Trần Văn Năm", 0), person(clerk, "Hoàng Văn Tùng", 0)),
			nil, true, "prepared"},
		{"a delegate with no conflict", deciding,
			behalf(act(domain.ActionDecide, delegate, "C"), person(delegate, "Trần Văn Năm", 0), person(decider, "Lê Văn Ba", 0)),
			nil, false, ""},
		{"the nominee closes the vote", dossier(domain.StatusVoting, domain.StepVote, "P"),
			as(act(domain.ActionCloseVote, member, "P"), person(member, "vi van quy", 0)), nil, true, "nominee"},
		{"the preparer withdraws", appraising, as(act(domain.ActionWithdraw, clerk, "X"), person(clerk, "Hoàng Văn Tùng", 0)), nil, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckSeparation(tc.d, tc.a, tc.duties)
			if (err != nil) != tc.refuse {
				t.Fatalf("refused = %v (%v), want %v", err != nil, err, tc.refuse)
			}
			if err != nil && (err.Reason != Separation || !strings.Contains(err.Message, tc.why)) {
				t.Fatalf("refusal %s %q, want Separation mentioning %q", err.Reason, err.Message, tc.why)
			}
		})
	}
}

func TestValidateAppliesTheDutiesTheStateRecords(t *testing.T) {
	d := dossier(domain.StatusIntake, domain.StepIntake, "C")
	d.Route = []domain.RouteStop{{Level: "central", UnitID: "C", Decides: true}}
	// One person accepts and approves (one duty), then may not decide at the same level.
	for _, a := range []domain.Action{domain.ActionAccept, domain.ActionApprove} {
		x := act(a, delegate, "C")
		x.Version = d.State.Version
		if err := Validate(d, x); err != nil {
			t.Fatalf("%s: %v", a, err)
		}
		d.State, _ = Plan(d, x, now)
	}
	if d.State.Status != domain.StatusDeciding {
		t.Fatalf("status %s", d.State.Status)
	}
	x := Act{Action: domain.ActionDecide, ActorID: delegate, OnBehalfOf: decider, UnitID: "C", Version: d.State.Version}
	if err := Validate(d, x); err == nil || err.Reason != Separation {
		t.Fatalf("the appraiser decided under the decider's delegation: %v", err)
	}
	x.ActorID, x.OnBehalfOf = decider, 0
	if err := Validate(d, x); err != nil {
		t.Fatalf("the decider himself: %v", err)
	}
	// A dossier started before the identity rules keeps no duties in its state.
	old := d
	old.State.Rules, old.State.Duties = 0, nil
	x.ActorID, x.OnBehalfOf = delegate, decider
	if err := Validate(old, x); err != nil {
		t.Fatalf("old rules: %v", err)
	}
}

func TestBehindOnlyWhenTheReadModelHasTheVersion(t *testing.T) {
	d := dossier(domain.StatusIntake, domain.StepIntake, "P") // version 3
	for _, tc := range []struct {
		version, readModel int
		want               bool
	}{
		{3, 3, false}, // in step
		{4, 4, true},  // the read model is one ahead: a lost update
		{5, 5, true},  // two ahead (a close_vote and its council result)
		{5, 3, false}, // a version nobody has seen: stale
		{2, 3, false}, // an old version: stale
	} {
		if got := Behind(d, Act{Version: tc.version, ReadModelVersion: tc.readModel}); got != tc.want {
			t.Errorf("version %d, read model %d: behind %v, want %v", tc.version, tc.readModel, got, tc.want)
		}
	}
}

func TestDutiesOfReadsTheAuditTrailWithDelegations(t *testing.T) {
	got := DutiesOf([]domain.AuditEvent{
		{Action: "submit", ActorID: clerk, UnitID: "X"},
		{Action: "accept", ActorID: delegate, OnBehalfOf: appraiser, UnitID: "P"},
		{Action: "forward", ActorID: decider, UnitID: "P"},
		{Action: "concur", ActorID: other, UnitID: "T"},
		{Action: "council_result", UnitID: "P"},
	})
	want := []Duty{{delegate, DutyAppraise, "P"}, {appraiser, DutyAppraise, "P"}, {decider, DutyDecide, "P"}}
	if !slices.Equal(got, want) {
		t.Fatalf("duties %+v, want %+v", got, want)
	}
}

func TestPlanWalksTheStandardRoute(t *testing.T) {
	d := dossier(domain.StatusDraft, domain.StepSubmit, "X")
	d.Route = []domain.RouteStop{{Level: "district", UnitID: "D", ValidTo: "2025-07-01"},
		{Level: "province", UnitID: "P", Council: true, ConsultationDays: 10}, {Level: "central", UnitID: "C", Decides: true}}
	d.State.Nominees = nil
	type step struct {
		a              Act
		status         domain.Status
		stepName       domain.Step
		unit           string
		letter, decide bool
	}
	nominees := []NomineeRef{{ID: 10, Kind: "individual", Status: domain.NomineePending}}
	steps := []step{
		// The district was abolished on 2025-07-01: the dossier goes straight to the province.
		{Act{Action: domain.ActionSubmit, ActorID: clerk, UnitID: "X", Nominees: nominees}, domain.StatusIntake, domain.StepIntake, "P", false, false},
		{Act{Action: domain.ActionReturn, ActorID: appraiser, UnitID: "P", MissingItems: []string{"biên bản"}}, domain.StatusReturned, domain.StepSupplement, "X", false, false},
		{Act{Action: domain.ActionSubmit, ActorID: clerk, UnitID: "X", Nominees: nominees}, domain.StatusIntake, domain.StepIntake, "P", false, false},
		{Act{Action: domain.ActionAccept, ActorID: appraiser, UnitID: "P"}, domain.StatusAppraising, domain.StepAppraise, "P", false, false},
		{Act{Action: domain.ActionApprove, ActorID: appraiser, UnitID: "P"}, domain.StatusConsulting, "", "P", false, false},
		{Act{Action: domain.ActionConsultationClosed, UnitID: "P"}, domain.StatusVoting, domain.StepVote, "P", false, false},
		{Act{Action: domain.ActionCouncilResult, ActorID: member, UnitID: "P", CouncilResult: CouncilNoQuorum}, domain.StatusVoting, domain.StepVote, "P", false, false},
		{Act{Action: domain.ActionCouncilResult, ActorID: member, UnitID: "P", CouncilResult: CouncilPassed}, domain.StatusForwarding, domain.StepForward, "P", false, false},
		{Act{Action: domain.ActionForward, ActorID: decider, UnitID: "P"}, domain.StatusIntake, domain.StepIntake, "C", true, false},
		// The centre may return once although the province returned too: one return per level.
		{Act{Action: domain.ActionReturn, ActorID: appraiser, UnitID: "C", MissingItems: []string{"hiệp y"}}, domain.StatusReturned, domain.StepSupplement, "X", false, false},
		{Act{Action: domain.ActionSubmit, ActorID: clerk, UnitID: "X", Nominees: nominees}, domain.StatusIntake, domain.StepIntake, "C", false, false},
		{Act{Action: domain.ActionAccept, ActorID: appraiser, UnitID: "C"}, domain.StatusAppraising, domain.StepAppraise, "C", false, false},
		{Act{Action: domain.ActionApprove, ActorID: appraiser, UnitID: "C"}, domain.StatusDeciding, domain.StepDecide, "C", false, false},
		{Act{Action: domain.ActionDecide, ActorID: decider, UnitID: "C"}, domain.StatusDecided, "", "", false, true},
	}
	day := time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC)
	for i, st := range steps {
		st.a.Version = d.State.Version
		if !workflowOwn(st.a.Action) {
			if err := Validate(d, st.a); err != nil {
				t.Fatalf("step %d %s: %v", i, st.a.Action, err)
			}
		}
		to, tr := Plan(d, st.a, day)
		if to.Status != st.status || to.Step != st.stepName || to.CurrentUnitID != st.unit {
			t.Fatalf("step %d %s: %s/%s at %s, want %s/%s at %s", i, st.a.Action, to.Status, to.Step, to.CurrentUnitID,
				st.status, st.stepName, st.unit)
		}
		if (tr.LetterTo != "") != st.letter || (tr.Decision != nil) != st.decide {
			t.Fatalf("step %d: letter %q decision %v", i, tr.LetterTo, tr.Decision)
		}
		if tr.Seq != to.Version || tr.ToStatus != to.Status {
			t.Fatalf("step %d: transition %+v", i, tr)
		}
		if st.a.Action == domain.ActionCouncilResult && tr.Reason != "" {
			t.Fatalf("a council result %q is recorded as a rejection reason %q", st.a.CouncilResult, tr.Reason)
		}
		d.State = to
	}
	if d.State.Returned != 1 {
		t.Fatalf("returned %d times at the last level", d.State.Returned)
	}
}

func workflowOwn(a domain.Action) bool {
	return a == domain.ActionConsultationClosed || a == domain.ActionConcurrenceSilent || a == domain.ActionCouncilResult
}

func TestExtraordinaryProposalKeepsTheCouncilUntilConfirmed(t *testing.T) {
	base := dossier(domain.StatusIntake, domain.StepIntake, "P")
	base.ProposedSimplified = true
	unconfirmed, _ := Plan(base, act(domain.ActionAccept, appraiser, "P"), now)
	base.State = unconfirmed
	afterApprove, _ := Plan(base, act(domain.ActionApprove, appraiser, "P"), now)
	if afterApprove.Status != domain.StatusVoting {
		t.Fatalf("unconfirmed proposal skipped the council: %s", afterApprove.Status)
	}
	base.State = dossier(domain.StatusIntake, domain.StepIntake, "P").State
	confirm := act(domain.ActionAccept, appraiser, "P")
	confirm.ConfirmSimplified = true
	if err := Validate(base, confirm); err != nil {
		t.Fatal(err)
	}
	confirmed, tr := Plan(base, confirm, now)
	if !confirmed.Simplified || tr.Procedure != domain.ProcedureSimplified {
		t.Fatalf("confirmation not recorded: %+v %s", confirmed, tr.Procedure)
	}
	base.State = confirmed
	next, _ := Plan(base, act(domain.ActionApprove, appraiser, "P"), now)
	if next.Status != domain.StatusForwarding {
		t.Fatalf("confirmed simplified procedure still votes: %s", next.Status)
	}
}

func TestTallyQuorumThresholdAndRecusals(t *testing.T) {
	for _, tc := range []struct {
		c    Count
		want string
	}{
		{Count{Members: 9, Present: 5, Yes: 5}, CouncilNoQuorum}, // 2/3 of 9 = 6
		{Count{Members: 9, Present: 6, Yes: 5}, CouncilPassed},   // 5 > 4.5
		{Count{Members: 9, Present: 6, Yes: 4, No: 2}, CouncilFailed},
		{Count{Members: 10, Present: 10, Yes: 5, No: 5}, CouncilFailed}, // not more than half
		{Count{Members: 0}, CouncilNoQuorum},
		// The only eligible member voted no; a recused member's yes was withdrawn (open ballot).
		{Count{Members: 1, Present: 1, No: 1, RecusedAfterVoting: 1}, CouncilFailed},
		// On a secret ballot the withdrawn vote cannot be told apart: the session is void.
		{Count{Members: 1, Present: 1, Yes: 1, No: 1, RecusedAfterVoting: 1, Secret: true}, CouncilVoided},
	} {
		tc.c.Quorum, tc.c.Threshold = 0.667, 0.5
		if got := Tally(tc.c); got != tc.want {
			t.Errorf("%+v: %s, want %s", tc.c, got, tc.want)
		}
	}
	if CouncilResultNote(CouncilPassed) == "" || CouncilResultNote(CouncilVoided) == "" {
		t.Fatal("a council result has no note")
	}
}

func TestEligibleVotersLeaveOutTheRecusedThePreparerAndTheNominees(t *testing.T) {
	d := dossier(domain.StatusVoting, domain.StepVote, "P")
	members := []Person{{UserID: member, NameKey: NameKey("Lê Văn Một")}, {UserID: clerk, NameKey: NameKey("Hoàng Văn Tùng")},
		{UserID: 40, NameKey: NameKey("VI VAN QUY")}, {UserID: 41, NameKey: NameKey("Đỗ Thị Hai")}, {UserID: 42}}
	got := EligibleVoters(d, members, map[int64]bool{41: true})
	if !slices.Equal(got, []int64{member, 42}) {
		t.Fatalf("eligible %v", got)
	}
}

func TestAvailableOffersADelegateTheButtonsAndHidesThemFromTheConflicted(t *testing.T) {
	deciding := dossier(domain.StatusDeciding, domain.StepDecide, "C")
	deciding.State.RouteIndex = 1
	grant := func(holder int64, principal *Person) Grant {
		return func(unit, perm string) (int64, *Person, bool) {
			if unit == "C" && (perm == "decide" || perm == "appraise") {
				if principal != nil {
					return principal.UserID, principal, true
				}
				return 0, nil, true
			}
			return 0, nil, false
		}
	}
	none := func(string, string) (int64, *Person, bool) { return 0, nil, false }
	dec := &Person{UserID: decider, NameKey: NameKey("Lê Văn Ba")}
	for _, tc := range []struct {
		name   string
		who    Person
		duties []Duty
		can    Grant
		want   []domain.Action
	}{
		{"the decider", Person{UserID: decider, NameKey: NameKey("Lê Văn Ba")}, nil, grant(decider, nil),
			[]domain.Action{domain.ActionDecide, domain.ActionHold, domain.ActionRelease}},
		{"a delegate of the decider", Person{UserID: delegate, NameKey: NameKey("Trần Văn Năm")}, nil, grant(delegate, dec),
			[]domain.Action{domain.ActionDecide, domain.ActionHold, domain.ActionRelease}},
		{"a delegate who appraised here", Person{UserID: delegate}, []Duty{{delegate, DutyAppraise, "C"}}, grant(delegate, dec),
			[]domain.Action{domain.ActionHold, domain.ActionRelease}},
		{"a decider named as nominee", Person{UserID: decider, NameKey: NameKey("vi van quy")}, nil, grant(decider, nil), nil},
		{"someone without the role", Person{UserID: other}, nil, none, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Available(deciding, tc.who, tc.duties, tc.can); !slices.Equal(got, tc.want) {
				t.Fatalf("available %v, want %v", got, tc.want)
			}
		})
	}
}

func TestBonusIsMultiplierTimesBaseSalaryAndHalfAgainForHouseholds(t *testing.T) {
	base := int64(2340000)
	f := func(v float64) *float64 { return &v }
	for _, tc := range []struct {
		mult *float64
		kind domain.NomineeKind
		want int64 // -1 for none
	}{
		{f(0.3), domain.NomineeIndividual, 702000},
		{f(0.3), domain.NomineeHousehold, 1053000},
		{f(1.5), domain.NomineeCollective, 3510000},
		{nil, domain.NomineeIndividual, -1},
	} {
		got := Bonus(tc.mult, &base, tc.kind)
		if (got == nil) != (tc.want == -1) || (got != nil && *got != tc.want) {
			t.Errorf("Bonus(%v, %s) = %v, want %d", tc.mult, tc.kind, got, tc.want)
		}
	}
}

package dossiers

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/tdkt/tdkt/internal/accounts"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/nomination"
	"github.com/tdkt/tdkt/workflows/contract"
)

// Limits on a dossier's contents.
const (
	MaxNominees        = 200
	maxNameLen         = 300
	maxTitleLen        = 500
	maxAchievementsLen = 20000
)

// NomineeInput is a nominee as a user enters it.
type NomineeInput struct {
	Kind         string `json:"kind"`
	Name         string `json:"name"`
	JobTitle     string `json:"job_title"`
	Organisation string `json:"organisation"`
	Achievements string `json:"achievements"`
	SubjectID    *int64 `json:"subject_id"` // optional: the subject (đối tượng) whose history is checked
	// Enterprise marks a collective that is an enterprise (doanh nghiệp); refused
	// on an individual or a household.
	Enterprise bool `json:"enterprise"`
	// LeadershipLevel is an individual's category on the statistics forms (see
	// domain.LeadershipLevels); empty: not stated. Refused on a collective or a household.
	LeadershipLevel string `json:"leadership_level"`
}

// CreateNominationInput is a new dossier as a user enters it.
type CreateNominationInput struct {
	UnitID    string `json:"unit_id"`
	AwardCode string `json:"award_code"`
	// Kind is the kind of commendation (merit by default; extraordinary uses the
	// simplified procedure).
	Kind     string         `json:"kind"`
	Year     int            `json:"year"`
	Title    string         `json:"title"`
	Nominees []NomineeInput `json:"nominees"`
	// MovementID and CampaignID link a commendation to the movement and review it
	// rewards (khen thưởng phong trào); both optional.
	MovementID string `json:"movement_id,omitempty"`
	CampaignID string `json:"campaign_id,omitempty"`
}

// EditNominationInput changes a draft or returned dossier; nil Nominees keeps them.
// Version, when set (from If-Match), is the dossier version the user saw.
type EditNominationInput struct {
	Title    string         `json:"title"`
	Nominees []NomineeInput `json:"nominees"`
	Version  *int           `json:"-"`
}

// errStale marks a refusal because the version the user saw is no longer the dossier's.
var errStale = errors.New("stale dossier version")

// ActInput is one action as a user requests it. Version, when set, is the dossier
// version the user saw; a different current version is a conflict.
type ActInput struct {
	Action       string   `json:"action"`
	Version      *int     `json:"version"`
	Note         string   `json:"note"`
	MissingItems []string `json:"missing_items"`
	Reason       string   `json:"reason"`
	// Units are the units asked for concurrence (request_concurrence).
	Units []string `json:"units"`
	// UnitID is the consulted unit answering a concurrence (concur); defaults to
	// the user's only unit holding the appraiser role among those asked.
	UnitID string `json:"unit_id"`
	// Answer is agree or object (concur).
	Answer string `json:"answer"`
	// NomineeID names the nominee of a hold or release.
	NomineeID int64 `json:"nominee_id"`
	// Outcomes are per-nominee choices at decide (award, downgrade, reject) and
	// forward (forward, downgrade, reject).
	Outcomes []nomination.Outcome `json:"outcomes"`
	// ConfirmSimplified, on accept, confirms the simplified procedure the submitter
	// proposed for extraordinary achievements.
	ConfirmSimplified bool `json:"confirm_simplified"`
}

// leadershipLevelList names the categories an individual may be given, for field errors.
var leadershipLevelList = func() string {
	var names []string
	for _, l := range domain.LeadershipLevels {
		if l != domain.LevelNotStated {
			names = append(names, string(l))
		}
	}
	return strings.Join(names, ", ") + " (or empty: not stated)"
}()

// nominationKindList names the kinds of commendation, for field errors.
var nominationKindList = func() string {
	names := make([]string, len(domain.NominationKinds))
	for i, k := range domain.NominationKinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}()

// validateNominees checks and converts nominee inputs, collecting every field error.
func validateNominees(in []NomineeInput, fields *[]domain.FieldError) []domain.Nominee {
	if len(in) == 0 {
		*fields = append(*fields, domain.FieldError{Field: "nominees", Message: "at least one nominee is required"})
	}
	if len(in) > MaxNominees {
		*fields = append(*fields, domain.FieldError{Field: "nominees", Message: fmt.Sprintf("at most %d nominees per dossier", MaxNominees)})
		return nil
	}
	out := make([]domain.Nominee, 0, len(in))
	for i, nm := range in {
		f := func(name string) string { return fmt.Sprintf("nominees[%d].%s", i, name) }
		n := domain.Nominee{Position: i + 1, Kind: domain.NomineeKind(nm.Kind), Name: domain.Clean(nm.Name),
			JobTitle: domain.Clean(nm.JobTitle), Organisation: domain.Clean(nm.Organisation), Achievements: domain.Clean(nm.Achievements),
			SubjectID: nm.SubjectID, Enterprise: nm.Enterprise, LeadershipLevel: domain.LeadershipLevel(strings.TrimSpace(nm.LeadershipLevel))}
		if !n.Kind.Valid() {
			*fields = append(*fields, domain.FieldError{Field: f("kind"), Message: "must be individual, collective or household"})
		}
		if n.Enterprise && n.Kind != domain.NomineeCollective {
			*fields = append(*fields, domain.FieldError{Field: f("enterprise"), Message: "only a collective can be an enterprise"})
		}
		switch {
		case !n.LeadershipLevel.Valid():
			*fields = append(*fields, domain.FieldError{Field: f("leadership_level"), Message: "one of " + leadershipLevelList})
		case n.LeadershipLevel != domain.LevelNotStated && n.Kind != domain.NomineeIndividual:
			*fields = append(*fields, domain.FieldError{Field: f("leadership_level"), Message: "only an individual has a leadership level"})
		}
		if n.Name == "" {
			*fields = append(*fields, domain.FieldError{Field: f("name"), Message: "required"})
		}
		if utf8.RuneCountInString(n.Name) > maxNameLen || utf8.RuneCountInString(n.JobTitle) > maxNameLen ||
			utf8.RuneCountInString(n.Organisation) > maxNameLen {
			*fields = append(*fields, domain.FieldError{Field: f("name"), Message: fmt.Sprintf("at most %d characters", maxNameLen)})
		}
		if utf8.RuneCountInString(n.Achievements) > maxAchievementsLen {
			*fields = append(*fields, domain.FieldError{Field: f("achievements"), Message: fmt.Sprintf("at most %d characters", maxAchievementsLen)})
		}
		out = append(out, n)
	}
	return out
}

// CreateNomination stores a draft dossier and starts its workflow. The rows are
// committed only after the workflow has started, so a failure leaves nothing. It
// returns KindInvalid with every offending field, KindForbidden when the user may
// not create dossiers in the unit.
func (s *Service) CreateNomination(ctx context.Context, userID int64, req CreateNominationInput) (domain.Nomination, error) {
	var fields []domain.FieldError
	req.UnitID, req.AwardCode, req.Title = strings.TrimSpace(req.UnitID), strings.TrimSpace(req.AwardCode), domain.Clean(req.Title)
	if req.UnitID == "" {
		fields = append(fields, domain.FieldError{Field: "unit_id", Message: "required"})
	}
	if req.AwardCode == "" {
		fields = append(fields, domain.FieldError{Field: "award_code", Message: "required"})
	}
	now := s.Clock()
	kind := domain.NominationKind(req.Kind)
	if req.Kind == "" {
		kind = domain.KindMerit
	}
	if !kind.Valid() {
		fields = append(fields, domain.FieldError{Field: "kind", Message: "one of " + nominationKindList})
	}
	if req.Year < 2000 || req.Year > now.Year()+1 {
		fields = append(fields, domain.FieldError{Field: "year", Message: fmt.Sprintf("must be between 2000 and %d", now.Year()+1)})
	}
	if utf8.RuneCountInString(req.Title) > maxTitleLen {
		fields = append(fields, domain.FieldError{Field: "title", Message: fmt.Sprintf("at most %d characters", maxTitleLen)})
	}
	nominees := validateNominees(req.Nominees, &fields)
	if len(fields) > 0 {
		return domain.Nomination{}, domain.Invalid("the dossier has invalid fields", fields...)
	}
	unit, err := s.admin.Store.Unit(ctx, req.UnitID)
	if domain.IsKind(err, domain.KindNotFound) {
		return domain.Nomination{}, domain.Invalid("unknown unit", domain.FieldError{Field: "unit_id", Message: "no such unit"})
	} else if err != nil {
		return domain.Nomination{}, err
	}
	if err := s.Allow(userID, unit.ID, "nomination", "create"); err != nil {
		return domain.Nomination{}, err
	}
	award, err := s.admin.Store.Award(ctx, req.AwardCode)
	if domain.IsKind(err, domain.KindNotFound) {
		return domain.Nomination{}, domain.Invalid("unknown award", domain.FieldError{Field: "award_code", Message: "no such award"})
	} else if err != nil {
		return domain.Nomination{}, err
	}
	for i, nm := range nominees {
		if !award.AllowsKind(nm.Kind) {
			fields = append(fields, domain.FieldError{Field: fmt.Sprintf("nominees[%d].kind", i),
				Message: fmt.Sprintf("%s cannot be given to a nominee of kind %s", award.Code, nm.Kind)})
		}
	}
	if len(fields) > 0 {
		return domain.Nomination{}, domain.Invalid("nominees do not fit the award", fields...)
	}
	if err := s.awards.CheckNomineeSubjects(ctx, userID, nominees); err != nil {
		return domain.Nomination{}, err
	}
	nomineeKind := string(nominees[0].Kind)
	for _, nm := range nominees {
		if string(nm.Kind) != nomineeKind {
			nomineeKind = ""
		}
	}
	rr, err := s.refdata.Store.Route(ctx, unit.ID, award.Code, nomineeKind, now)
	if err != nil {
		return domain.Nomination{}, err
	}
	route := rr.Route
	procedure := domain.Procedure(rr.Rule.Procedure)
	// Extraordinary achievements may follow the simplified procedure (tờ trình, list
	// and summary; no council minutes), but only once an appraiser confirms it at
	// intake: until then the standard route, with its councils, holds.
	proposed := kind == domain.KindExtraordinary && procedure != domain.ProcedureSimplified
	if req.Title == "" {
		req.Title = fmt.Sprintf("Đề nghị %s năm %d – %s", award.Name, req.Year, unit.Name)
	}
	id := accounts.IdempotentID(ctx, uuid.NewString())
	nn := NewNomination{ID: id, WorkflowID: contract.NominationWorkflowID(id), UnitID: unit.ID,
		AwardCode: award.Code, Kind: kind, Procedure: procedure, Year: req.Year, Title: req.Title, CreatedBy: userID,
		Route: route, Nominees: nominees, At: now, MovementID: req.MovementID, CampaignID: req.CampaignID}
	_, err = s.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: nn.WorkflowID, TaskQueue: s.TaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
	}, contract.NominationWorkflowName, contract.NominationInput{NominationID: id, UnitID: unit.ID, CreatedBy: userID,
		AwardCode: award.Code, Procedure: procedure, Route: route, ProposedSimplified: proposed,
		Revision: contract.NominationRevision})
	if err != nil {
		return domain.Nomination{}, fmt.Errorf("start dossier workflow: %w", err)
	}
	if err := s.commitCreated(ctx, nn); err != nil {
		// The workflow exists without its rows: end it so nothing is left behind.
		_ = s.Temporal.TerminateWorkflow(context.WithoutCancel(ctx), nn.WorkflowID, "", "dossier rows not committed")
		return domain.Nomination{}, err
	}
	return s.Store.Nomination(ctx, id)
}

// Nomination loads a dossier the user may read: KindNotFound for an unknown
// dossier and, exactly alike, for one outside the user's units, so that answers
// do not tell which dossiers exist elsewhere.
func (s *Service) Nomination(ctx context.Context, userID int64, id string) (domain.Nomination, error) {
	n, err := s.load(ctx, id)
	if err != nil {
		return domain.Nomination{}, domain.HideUnseen(err, "no such dossier")
	}
	if err := s.Allow(userID, n.UnitID, "nomination", "read"); err != nil {
		if ok, err2 := s.mayReadEnded(ctx, userID, n.UnitID, "nomination"); err2 != nil || !ok {
			return domain.Nomination{}, domain.HideUnseen(err, "no such dossier")
		}
	}
	return n, nil
}

// AuditTrail returns the audit trail of a dossier the user may read (its events;
// "history" is the award history of subjects, internal/history).
func (s *Service) AuditTrail(ctx context.Context, userID int64, id string) ([]domain.AuditEvent, error) {
	n, err := s.Nomination(ctx, userID, id)
	if err != nil {
		return nil, err
	}
	return s.Store.AuditTrail(ctx, n.ID)
}

// EditNomination changes a draft or returned dossier's title and nominees: the
// preparation and the supplementation after a return.
func (s *Service) EditNomination(ctx context.Context, userID int64, id string, req EditNominationInput) (domain.Nomination, error) {
	n, err := s.Nomination(ctx, userID, id)
	if err != nil {
		return n, err
	}
	if err := s.Allow(userID, n.UnitID, "nomination", "edit"); err != nil {
		return n, err
	}
	if req.Version != nil && *req.Version != n.Version {
		return n, &domain.Error{Kind: domain.KindConflict, Message: fmt.Sprintf("the dossier is at version %d, not %d", n.Version, *req.Version), Err: errStale}
	}
	var fields []domain.FieldError
	var nominees []domain.Nominee
	if req.Nominees != nil {
		nominees = validateNominees(req.Nominees, &fields)
		award, err := s.admin.Store.Award(ctx, n.AwardCode)
		if err != nil {
			return n, err
		}
		for i, nm := range nominees {
			if nm.Kind.Valid() && !award.AllowsKind(nm.Kind) {
				fields = append(fields, domain.FieldError{Field: fmt.Sprintf("nominees[%d].kind", i), Message: "not allowed for this award"})
			}
		}
	}
	req.Title = domain.Clean(req.Title)
	if utf8.RuneCountInString(req.Title) > maxTitleLen {
		fields = append(fields, domain.FieldError{Field: "title", Message: fmt.Sprintf("at most %d characters", maxTitleLen)})
	}
	if len(fields) > 0 {
		return n, domain.Invalid("the dossier has invalid fields", fields...)
	}
	if err := s.awards.CheckNomineeSubjects(ctx, userID, nominees); err != nil {
		return n, err
	}
	if err := s.Store.ReplaceNominees(ctx, n.ID, req.Title, nominees); err != nil {
		return n, err
	}
	return s.Store.Nomination(ctx, n.ID)
}

// ActOnTask completes an open inbox task with one of its step's actions.
func (s *Service) ActOnTask(ctx context.Context, userID, taskID int64, req ActInput) (domain.Nomination, error) {
	t, err := s.Store.Task(ctx, taskID)
	if err != nil {
		return domain.Nomination{}, err
	}
	if req.Version == nil {
		req.Version = &t.Version
	}
	return s.Act(ctx, userID, t.NominationID, req, t.Step)
}

// Act authorises one action and sends it to the dossier's workflow as the act
// update, waiting until the workflow has recorded it; it returns the dossier as the
// read model now shows it. step, when set, is the task the action completes. The
// nomination core decides the fields, the unit, and separation of duties; the
// workflow's validator decides again against the state it holds.
// Errors: KindInvalid for a malformed action, KindForbidden when the user may not
// take it, KindConflict for a wrong state or a stale version.
func (s *Service) Act(ctx context.Context, userID int64, nominationID string, req ActInput, step domain.Step) (domain.Nomination, error) {
	act := nomination.Act{Action: domain.Action(req.Action), ActorID: userID, Note: domain.Clean(req.Note),
		Reason: domain.Clean(req.Reason), Units: req.Units, Answer: req.Answer, NomineeID: req.NomineeID,
		Outcomes: req.Outcomes, ConfirmSimplified: req.ConfirmSimplified}
	for _, m := range req.MissingItems {
		if m = domain.Clean(m); m != "" {
			act.MissingItems = append(act.MissingItems, m)
		}
	}
	for i := range act.Outcomes {
		act.Outcomes[i].Reason = domain.Clean(act.Outcomes[i].Reason)
	}
	// Authorisation before validation: a dossier the user may not read is not found,
	// and the action's permission is checked before its fields.
	n, err := s.Nomination(ctx, userID, nominationID)
	if err != nil {
		return n, err
	}
	perm, where, known := nomination.Permission(act.Action)
	if !known {
		return n, nomination.CheckFields(act).AsDomain()
	}
	if n.Status.Terminal() {
		return n, domain.Errorf(domain.KindConflict, "the dossier is %s", n.Status)
	}
	d := coreDossier(n)
	named := ""
	if where == nomination.InNamedUnit {
		if named, err = s.concurringUnit(ctx, userID, n.ID, req.UnitID, perm); err != nil {
			return n, err
		}
	}
	act.UnitID = d.Unit(act.Action, named)
	if act.OnBehalfOf, err = s.allowActing(ctx, userID, act.UnitID, "nomination", perm); err != nil {
		return n, err
	}
	if err := nomination.CheckFields(act); err != nil {
		return n, err.AsDomain()
	}
	if err := nomination.TaskTakes(step, act.Action); err != nil {
		return n, err.AsDomain()
	}
	if err := s.identify(ctx, &act); err != nil {
		return n, err
	}
	duties, err := s.duties(ctx, n.ID)
	if err != nil {
		return n, err
	}
	if err := nomination.CheckSeparation(d, act, duties); err != nil {
		return n, err.AsDomain()
	}
	taskStep := step
	if taskStep == "" {
		taskStep = n.CurrentStep
	}
	if err := s.checkClaim(ctx, userID, n.ID, taskStep); err != nil {
		return n, err
	}
	if err := s.checkDowngrades(ctx, n, act.Outcomes); err != nil {
		return n, err
	}
	for _, u := range act.Units {
		if _, err := s.admin.Store.Unit(ctx, u); err != nil {
			return n, domain.Invalid("unknown unit", domain.FieldError{Field: "units", Message: "no unit " + u})
		}
	}
	act.Version, act.AnyVersion, act.ReadModelVersion = n.Version, req.Version == nil, n.Version
	if req.Version != nil {
		act.Version = *req.Version
	}
	if act.Action == domain.ActionSubmit {
		act.Nominees = d.State.Nominees
		for i := range act.Nominees {
			act.Nominees[i].Status = domain.NomineePending
		}
	}
	h, err := s.Temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: n.WorkflowID, UpdateName: contract.UpdateAct, Args: []any{act},
		WaitForStage: client.WorkflowUpdateStageCompleted, UpdateID: accounts.UpdateIDFrom(ctx),
	})
	if err == nil {
		var st contract.NominationState
		err = h.Get(ctx, &st)
	}
	if err != nil {
		return n, updateError(err)
	}
	return s.Store.Nomination(ctx, nominationID)
}

// coreDossier is the nomination core's view of a dossier as the read model shows
// it: what it was created with, where it stands, and its nominees' identities.
func coreDossier(n domain.Nomination) nomination.Dossier {
	d := nomination.Dossier{ID: n.ID, UnitID: n.UnitID, CreatedBy: n.CreatedBy, AwardCode: n.AwardCode,
		Procedure: domain.Procedure(n.Procedure), Route: n.Route,
		ProposedSimplified: domain.NominationKind(n.Kind) == domain.KindExtraordinary && n.Procedure != string(domain.ProcedureSimplified),
		State: nomination.State{Status: n.Status, Step: n.CurrentStep, Version: n.Version, RouteIndex: n.RouteIndex,
			CurrentUnitID: n.CurrentUnitID}}
	for _, nm := range n.Nominees {
		ref := nomination.NomineeRef{ID: nm.ID, Kind: string(nm.Kind), Status: nm.Status, NameKey: nomination.NameKey(nm.Name)}
		if nm.SubjectID != nil {
			ref.SubjectID = *nm.SubjectID
		}
		d.State.Nominees = append(d.State.Nominees, ref)
	}
	return d
}

// identify fills in the identities of the actor and, under a delegation, of the
// user they act for.
func (s *Service) identify(ctx context.Context, act *nomination.Act) error {
	p, err := s.Store.Person(ctx, act.ActorID)
	if err != nil {
		return err
	}
	act.Actor = &p
	if act.OnBehalfOf != 0 {
		q, err := s.Store.Person(ctx, act.OnBehalfOf)
		if err != nil {
			return err
		}
		act.Principal = &q
	}
	return nil
}

// duties lists the duties held on a dossier, as its audit trail records them.
func (s *Service) duties(ctx context.Context, nominationID string) ([]nomination.Duty, error) {
	events, err := s.Store.AuditTrail(ctx, nominationID)
	if err != nil {
		return nil, err
	}
	return nomination.DutiesOf(events), nil
}

// allowActing authorises the user directly or through an active delegation and
// returns the delegating user (0 when acting in their own right).
func (s *Service) allowActing(ctx context.Context, userID int64, unitID, obj, act string) (int64, error) {
	return s.accounts.AllowActing(ctx, userID, unitID, obj, act)
}

// concurringUnit is the consulted unit a user answers for: the one named, or the
// only one asked in which the user may appraise.
func (s *Service) concurringUnit(ctx context.Context, userID int64, nominationID, named, perm string) (string, error) {
	pending, err := s.Store.PendingConcurrences(ctx, nominationID)
	if err != nil {
		return "", err
	}
	if named != "" {
		return named, nil
	}
	var mine []string
	for _, u := range pending {
		if s.Can(userID, u, "nomination", perm) {
			mine = append(mine, u)
		}
	}
	if len(mine) != 1 {
		return "", domain.Invalid("say which consulted unit answers", domain.FieldError{Field: "unit_id", Message: "required"})
	}
	return mine[0], nil
}

// checkDowngrades verifies each downgrade: an award lower than the one proposed that
// the current level may grant to that nominee (LowerAwards, CheckLowerAward).
func (s *Service) checkDowngrades(ctx context.Context, n domain.Nomination, outcomes []nomination.Outcome) error {
	var lower []domain.Award
	loaded := false
	for _, o := range outcomes {
		if o.Outcome != "downgrade" {
			continue
		}
		if !loaded {
			var err error
			if lower, err = s.LowerAwards(ctx, n); err != nil {
				return err
			}
			loaded = true
		}
		for _, nm := range n.Nominees {
			if nm.ID == o.NomineeID {
				if err := CheckLowerAward(lower, nm, o.AwardCode); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// IsStale reports whether an action or an edit was refused because the version the
// user saw is no longer the dossier's: the workflow's validator decides it for
// actions, EditNomination for edits.
func IsStale(err error) bool {
	var appErr *temporal.ApplicationError
	return errors.Is(err, errStale) || errors.As(err, &appErr) && appErr.Type() == contract.ErrTypeStaleVersion
}

// updateError maps a rejected or failed update to an application error: the
// workflow's validator types become conflict/invalid/forbidden; a closed workflow
// is a conflict.
func updateError(err error) error {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		switch appErr.Type() {
		case contract.ErrTypeStaleVersion, contract.ErrTypeWrongState, contract.ErrTypeWrongUnit:
			return &domain.Error{Kind: domain.KindConflict, Message: appErr.Message(), Err: err}
		case contract.ErrTypeInvalid:
			return &domain.Error{Kind: domain.KindInvalid, Message: appErr.Message(), Err: err}
		case contract.ErrTypeSeparation:
			return &domain.Error{Kind: domain.KindForbidden, Message: appErr.Message(), Err: err}
		}
	}
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return &domain.Error{Kind: domain.KindConflict, Message: "the dossier's procedure has ended", Err: err}
	}
	return fmt.Errorf("dossier update: %w", err)
}

// Nominations lists the dossiers the user may read, newest first.
func (s *Service) Nominations(ctx context.Context, userID int64, f NominationFilter) ([]domain.Nomination, error) {
	f.Units = s.Authz.VisibleUnits(userID, "nomination", "read")
	return s.Store.Nominations(ctx, f)
}

// Awards returns the award catalogue.
func (s *Service) Awards(ctx context.Context) ([]domain.Award, error) {
	return s.admin.Store.Awards(ctx)
}

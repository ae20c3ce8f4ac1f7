package app

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
	"golang.org/x/text/unicode/norm"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/store"
	"github.com/tdkt/tdkt/workflows"
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
type EditNominationInput struct {
	Title    string         `json:"title"`
	Nominees []NomineeInput `json:"nominees"`
}

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
	Outcomes []workflows.Outcome `json:"outcomes"`
}

// Clean normalises user text to NFC and trims it, so Vietnamese text typed on
// different keyboards compares and round-trips the same.
func Clean(s string) string { return strings.TrimSpace(norm.NFC.String(s)) }

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
		n := domain.Nominee{Position: i + 1, Kind: domain.NomineeKind(nm.Kind), Name: Clean(nm.Name),
			JobTitle: Clean(nm.JobTitle), Organisation: Clean(nm.Organisation), Achievements: Clean(nm.Achievements),
			SubjectID: nm.SubjectID}
		if !n.Kind.Valid() {
			*fields = append(*fields, domain.FieldError{Field: f("kind"), Message: "must be individual, collective or household"})
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
	req.UnitID, req.AwardCode, req.Title = strings.TrimSpace(req.UnitID), strings.TrimSpace(req.AwardCode), Clean(req.Title)
	if req.UnitID == "" {
		fields = append(fields, domain.FieldError{Field: "unit_id", Message: "required"})
	}
	if req.AwardCode == "" {
		fields = append(fields, domain.FieldError{Field: "award_code", Message: "required"})
	}
	now := s.now()
	kind := domain.NominationKind(req.Kind)
	if req.Kind == "" {
		kind = domain.KindMerit
	}
	if !kind.Valid() {
		fields = append(fields, domain.FieldError{Field: "kind", Message: "one of merit, extraordinary, movement, long_service, foreign"})
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
	unit, err := s.Store.Unit(ctx, req.UnitID)
	if domain.IsKind(err, domain.KindNotFound) {
		return domain.Nomination{}, domain.Invalid("unknown unit", domain.FieldError{Field: "unit_id", Message: "no such unit"})
	} else if err != nil {
		return domain.Nomination{}, err
	}
	if err := s.Allow(userID, unit.ID, "nomination", "create"); err != nil {
		return domain.Nomination{}, err
	}
	award, err := s.Store.Award(ctx, req.AwardCode)
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
	if err := s.checkNomineeSubjects(ctx, userID, nominees); err != nil {
		return domain.Nomination{}, err
	}
	nomineeKind := string(nominees[0].Kind)
	for _, nm := range nominees {
		if string(nm.Kind) != nomineeKind {
			nomineeKind = ""
		}
	}
	rr, err := s.Store.Route(ctx, unit.ID, award.Code, nomineeKind, now)
	if err != nil {
		return domain.Nomination{}, err
	}
	route := rr.Route
	procedure := domain.Procedure(rr.Rule.Procedure)
	if kind == domain.KindExtraordinary {
		// Extraordinary achievements: tờ trình, list and summary; no council minutes.
		procedure = domain.ProcedureSimplified
		for i := range route {
			route[i].Council, route[i].ConsultationDays = false, 0
		}
	}
	if req.Title == "" {
		req.Title = fmt.Sprintf("Đề nghị %s năm %d – %s", award.Name, req.Year, unit.Name)
	}
	id := idempotentID(ctx, uuid.NewString())
	nn := store.NewNomination{ID: id, WorkflowID: workflows.NominationWorkflowID(id), UnitID: unit.ID,
		AwardCode: award.Code, Kind: kind, Procedure: procedure, Year: req.Year, Title: req.Title, CreatedBy: userID,
		Route: route, Nominees: nominees, At: now, MovementID: req.MovementID, CampaignID: req.CampaignID}
	tx, err := s.Store.BeginTx(ctx)
	if err != nil {
		return domain.Nomination{}, err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // no-op after commit
	if err := store.CreateNominationTx(ctx, tx, nn); err != nil {
		return domain.Nomination{}, err
	}
	_, err = s.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: nn.WorkflowID, TaskQueue: s.TaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
	}, workflows.NominationWorkflowName, workflows.NominationInput{NominationID: id, UnitID: unit.ID, CreatedBy: userID,
		AwardCode: award.Code, Procedure: procedure, Route: route})
	if err != nil {
		return domain.Nomination{}, fmt.Errorf("start dossier workflow: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		// The workflow exists without its rows: end it so nothing is left behind.
		_ = s.Temporal.TerminateWorkflow(context.WithoutCancel(ctx), nn.WorkflowID, "", "dossier rows not committed")
		return domain.Nomination{}, fmt.Errorf("commit dossier: %w", err)
	}
	return s.Store.Nomination(ctx, id)
}

// Nomination loads a dossier the user may read: KindNotFound for an unknown
// dossier, KindForbidden for one outside the user's units.
func (s *Service) Nomination(ctx context.Context, userID int64, id string) (domain.Nomination, error) {
	n, err := s.Store.Nomination(ctx, id)
	if err != nil {
		return n, err
	}
	if err := s.Allow(userID, n.UnitID, "nomination", "read"); err != nil {
		return domain.Nomination{}, err
	}
	return n, nil
}

// History returns the audit trail of a dossier the user may read.
func (s *Service) History(ctx context.Context, userID int64, id string) ([]domain.AuditEvent, error) {
	n, err := s.Nomination(ctx, userID, id)
	if err != nil {
		return nil, err
	}
	return s.Store.History(ctx, n.ID)
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
	var fields []domain.FieldError
	var nominees []domain.Nominee
	if req.Nominees != nil {
		nominees = validateNominees(req.Nominees, &fields)
		award, err := s.Store.Award(ctx, n.AwardCode)
		if err != nil {
			return n, err
		}
		for i, nm := range nominees {
			if nm.Kind.Valid() && !award.AllowsKind(nm.Kind) {
				fields = append(fields, domain.FieldError{Field: fmt.Sprintf("nominees[%d].kind", i), Message: "not allowed for this award"})
			}
		}
	}
	req.Title = Clean(req.Title)
	if utf8.RuneCountInString(req.Title) > maxTitleLen {
		fields = append(fields, domain.FieldError{Field: "title", Message: fmt.Sprintf("at most %d characters", maxTitleLen)})
	}
	if len(fields) > 0 {
		return n, domain.Invalid("the dossier has invalid fields", fields...)
	}
	if err := s.checkNomineeSubjects(ctx, userID, nominees); err != nil {
		return n, err
	}
	if err := s.Store.ReplaceNominees(ctx, n.ID, req.Title, nominees); err != nil {
		return n, err
	}
	return s.Store.Nomination(ctx, n.ID)
}

// StepActions lists the actions that complete each step's task.
var StepActions = map[domain.Step][]domain.Action{
	domain.StepSubmit:     {domain.ActionSubmit, domain.ActionWithdraw},
	domain.StepSupplement: {domain.ActionSubmit, domain.ActionWithdraw},
	domain.StepIntake:     {domain.ActionAccept, domain.ActionReturn, domain.ActionReject, domain.ActionHold, domain.ActionRelease},
	domain.StepAppraise: {domain.ActionApprove, domain.ActionReturn, domain.ActionReject, domain.ActionRequestConcurrence,
		domain.ActionHold, domain.ActionRelease},
	domain.StepConcur:  {domain.ActionConcur},
	domain.StepVote:    {domain.ActionCloseVote},
	domain.StepDecide:  {domain.ActionDecide, domain.ActionHold, domain.ActionRelease},
	domain.StepForward: {domain.ActionForward, domain.ActionHold, domain.ActionRelease},
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
// read model now shows it. step, when set, is the task the action completes.
// Errors: KindInvalid for a malformed action, KindForbidden when the user may not
// take it, KindConflict for a wrong state or a stale version.
func (s *Service) Act(ctx context.Context, userID int64, nominationID string, req ActInput, step domain.Step) (domain.Nomination, error) {
	action := domain.Action(req.Action)
	perm, where, ok := action.Permission()
	if !ok {
		return domain.Nomination{}, domain.Invalid("unknown action", domain.FieldError{Field: "action",
			Message: "one of submit, accept, approve, return, reject, request_concurrence, concur, comment, close_vote, hold, release, forward, decide, withdraw"})
	}
	if step != "" && !containsAction(StepActions[step], action) {
		return domain.Nomination{}, domain.Invalid("this task is not done by that action", domain.FieldError{Field: "action",
			Message: fmt.Sprintf("a %s task takes %v", step, StepActions[step])})
	}
	var fields []domain.FieldError
	missing := make([]string, 0, len(req.MissingItems))
	for _, m := range req.MissingItems {
		if m = Clean(m); m != "" {
			missing = append(missing, m)
		}
	}
	req.Reason, req.Note = Clean(req.Reason), Clean(req.Note)
	switch action {
	case domain.ActionReturn:
		if len(missing) == 0 {
			fields = append(fields, domain.FieldError{Field: "missing_items", Message: "list everything that is missing, at least one item"})
		}
	case domain.ActionReject, domain.ActionHold:
		if req.Reason == "" {
			fields = append(fields, domain.FieldError{Field: "reason", Message: "a written reason is required"})
		}
	case domain.ActionRelease:
		if req.NomineeID == 0 {
			fields = append(fields, domain.FieldError{Field: "nominee_id", Message: "required"})
		}
	case domain.ActionRequestConcurrence:
		if len(req.Units) == 0 {
			fields = append(fields, domain.FieldError{Field: "units", Message: "name at least one unit"})
		}
	case domain.ActionConcur:
		if req.Answer != "agree" && req.Answer != "object" {
			fields = append(fields, domain.FieldError{Field: "answer", Message: "agree or object"})
		}
	case domain.ActionComment:
		if req.Note == "" {
			fields = append(fields, domain.FieldError{Field: "note", Message: "the comment's text is required"})
		}
	}
	if action == domain.ActionHold && req.NomineeID == 0 {
		fields = append(fields, domain.FieldError{Field: "nominee_id", Message: "required"})
	}
	if len(fields) > 0 {
		return domain.Nomination{}, domain.Invalid("the action has invalid fields", fields...)
	}
	n, err := s.Nomination(ctx, userID, nominationID)
	if err != nil {
		return n, err
	}
	if n.Status.Terminal() {
		return n, domain.Errorf(domain.KindConflict, "the dossier is %s", n.Status)
	}
	var unit string
	switch where {
	case domain.InSubmittingUnit:
		unit = n.UnitID
	case domain.InCurrentUnit:
		unit = n.CurrentUnitID
	case domain.InNamedUnit:
		if unit, err = s.concurringUnit(ctx, userID, n.ID, req.UnitID); err != nil {
			return n, err
		}
	}
	onBehalfOf, err := s.allowActing(ctx, userID, unit, "nomination", perm)
	if err != nil {
		return n, err
	}
	for _, o := range req.Outcomes {
		if o.Outcome == "downgrade" {
			if err := s.checkDowngrade(ctx, n, o.AwardCode); err != nil {
				return n, err
			}
		}
	}
	for _, u := range req.Units {
		if _, err := s.Store.Unit(ctx, u); err != nil {
			return n, domain.Invalid("unknown unit", domain.FieldError{Field: "units", Message: "no unit " + u})
		}
	}
	version := n.Version
	if req.Version != nil {
		version = *req.Version
	}
	in := workflows.ActInput{Action: action, ActorID: userID, OnBehalfOf: onBehalfOf, UnitID: unit, Version: version,
		Note: req.Note, MissingItems: missing, Reason: req.Reason, Units: req.Units, Answer: req.Answer,
		NomineeID: req.NomineeID, Outcomes: req.Outcomes}
	if action == domain.ActionSubmit {
		for _, nm := range n.Nominees {
			in.Nominees = append(in.Nominees, workflows.NomineeRef{ID: nm.ID, Kind: string(nm.Kind), Status: domain.NomineePending})
		}
	}
	h, err := s.Temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: n.WorkflowID, UpdateName: workflows.UpdateAct, Args: []any{in},
		WaitForStage: client.WorkflowUpdateStageCompleted, UpdateID: updateIDFrom(ctx),
	})
	if err == nil {
		var st workflows.NominationState
		err = h.Get(ctx, &st)
	}
	if err != nil {
		return n, updateError(err)
	}
	return s.Store.Nomination(ctx, nominationID)
}

// allowActing authorises the user directly or through an active delegation and
// returns the delegating user (0 when acting in their own right).
func (s *Service) allowActing(ctx context.Context, userID int64, unitID, obj, act string) (int64, error) {
	return s.AllowActing(ctx, userID, unitID, obj, act)
}

// concurringUnit is the consulted unit a user answers for: the one named, or the
// only one asked in which the user may appraise.
func (s *Service) concurringUnit(ctx context.Context, userID int64, nominationID, named string) (string, error) {
	pending, err := s.Store.PendingConcurrences(ctx, nominationID)
	if err != nil {
		return "", err
	}
	if named != "" {
		return named, nil
	}
	var mine []string
	for _, u := range pending {
		if s.Can(userID, u, "nomination", "appraise") {
			mine = append(mine, u)
		}
	}
	if len(mine) != 1 {
		return "", domain.Invalid("say which consulted unit answers", domain.FieldError{Field: "unit_id", Message: "required"})
	}
	return mine[0], nil
}

// checkDowngrade verifies that the current level may grant the lower award: an
// authority rule in force lets the dossier's level decide it.
func (s *Service) checkDowngrade(ctx context.Context, n domain.Nomination, award string) error {
	if _, err := s.Store.Award(ctx, award); err != nil {
		return domain.Invalid("unknown award", domain.FieldError{Field: "outcomes.award_code", Message: "no award " + award})
	}
	cur, err := s.Store.Unit(ctx, n.CurrentUnitID)
	if err != nil {
		return err
	}
	rules, err := s.Store.AuthorityRules(ctx, award)
	if err != nil {
		return err
	}
	day := s.now().In(store.Vietnam).Format("2006-01-02")
	for _, r := range rules {
		if r.DecisionLevel == cur.Level && r.InForce(day) {
			return nil
		}
	}
	return domain.Invalid("this level cannot grant that award", domain.FieldError{Field: "outcomes.award_code",
		Message: fmt.Sprintf("%s is not decided at the %s level", award, cur.Level)})
}

func containsAction(as []domain.Action, a domain.Action) bool {
	for _, x := range as {
		if x == a {
			return true
		}
	}
	return false
}

// updateError maps a rejected or failed update to an application error: the
// workflow's validator types become conflict/invalid/forbidden; a closed workflow
// is a conflict.
func updateError(err error) error {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		switch appErr.Type() {
		case workflows.ErrTypeStaleVersion, workflows.ErrTypeWrongState, workflows.ErrTypeWrongUnit:
			return &domain.Error{Kind: domain.KindConflict, Message: appErr.Message(), Err: err}
		case workflows.ErrTypeInvalid:
			return &domain.Error{Kind: domain.KindInvalid, Message: appErr.Message(), Err: err}
		case workflows.ErrTypeSeparation:
			return &domain.Error{Kind: domain.KindForbidden, Message: appErr.Message(), Err: err}
		}
	}
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return &domain.Error{Kind: domain.KindConflict, Message: "the dossier's procedure has ended", Err: err}
	}
	return fmt.Errorf("dossier update: %w", err)
}

// NominationFilter narrows a dossier list.
type NominationFilter struct {
	UnitID, Status, AwardCode string
	Year, Limit, Offset       int
}

// Nominations lists the dossiers the user may read, newest first.
func (s *Service) Nominations(ctx context.Context, userID int64, f NominationFilter) ([]domain.Nomination, error) {
	return s.Store.Nominations(ctx, store.NominationFilter{
		Units: s.Authz.VisibleUnits(userID, "nomination", "read"), UnitID: f.UnitID, Status: f.Status,
		AwardCode: f.AwardCode, Year: f.Year, Limit: f.Limit, Offset: f.Offset,
	})
}

// Inbox returns the open tasks the user may act on, soonest due first.
func (s *Service) Inbox(ctx context.Context, userID int64) ([]domain.Task, error) {
	entries, err := s.InboxWithAssignees(ctx, userID)
	if err != nil {
		return nil, err
	}
	tasks := make([]domain.Task, len(entries))
	for i, e := range entries {
		tasks[i] = e.Task
	}
	return tasks, nil
}

// Awards returns the award catalogue.
func (s *Service) Awards(ctx context.Context) ([]domain.Award, error) { return s.Store.Awards(ctx) }

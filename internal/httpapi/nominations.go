package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
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
	maxNominees        = 200
	maxNameLen         = 300
	maxTitleLen        = 500
	maxAchievementsLen = 20000
)

type nomineeInput struct {
	Kind         string `json:"kind"`
	Name         string `json:"name"`
	JobTitle     string `json:"job_title"`
	Organisation string `json:"organisation"`
	Achievements string `json:"achievements"`
}

type createNominationRequest struct {
	UnitID    string         `json:"unit_id"`
	AwardCode string         `json:"award_code"`
	Year      int            `json:"year"`
	Title     string         `json:"title"`
	Nominees  []nomineeInput `json:"nominees"`
}

// clean normalises user text to NFC and trims it, so Vietnamese text typed on
// different keyboards compares and round-trips the same.
func clean(s string) string { return strings.TrimSpace(norm.NFC.String(s)) }

// validateNominees checks and converts nominee inputs, collecting every field error.
func validateNominees(in []nomineeInput, fields *[]domain.FieldError) []domain.Nominee {
	if len(in) == 0 {
		*fields = append(*fields, domain.FieldError{Field: "nominees", Message: "at least one nominee is required"})
	}
	if len(in) > maxNominees {
		*fields = append(*fields, domain.FieldError{Field: "nominees", Message: fmt.Sprintf("at most %d nominees per dossier", maxNominees)})
		return nil
	}
	out := make([]domain.Nominee, 0, len(in))
	for i, nm := range in {
		f := func(name string) string { return fmt.Sprintf("nominees[%d].%s", i, name) }
		n := domain.Nominee{Position: i + 1, Kind: domain.NomineeKind(nm.Kind), Name: clean(nm.Name),
			JobTitle: clean(nm.JobTitle), Organisation: clean(nm.Organisation), Achievements: clean(nm.Achievements)}
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

// createNomination stores a draft dossier and starts its workflow. The rows are
// committed only after the workflow has started, so a failure leaves nothing.
func (s *Server) createNomination(c *gin.Context) {
	var req createNominationRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	var fields []domain.FieldError
	req.UnitID, req.AwardCode, req.Title = strings.TrimSpace(req.UnitID), strings.TrimSpace(req.AwardCode), clean(req.Title)
	if req.UnitID == "" {
		fields = append(fields, domain.FieldError{Field: "unit_id", Message: "required"})
	}
	if req.AwardCode == "" {
		fields = append(fields, domain.FieldError{Field: "award_code", Message: "required"})
	}
	thisYear := s.Now().Year()
	if req.Year < 2000 || req.Year > thisYear+1 {
		fields = append(fields, domain.FieldError{Field: "year", Message: fmt.Sprintf("must be between 2000 and %d", thisYear+1)})
	}
	if utf8.RuneCountInString(req.Title) > maxTitleLen {
		fields = append(fields, domain.FieldError{Field: "title", Message: fmt.Sprintf("at most %d characters", maxTitleLen)})
	}
	nominees := validateNominees(req.Nominees, &fields)
	if len(fields) > 0 {
		s.fail(c, domain.Invalid("the dossier has invalid fields", fields...))
		return
	}
	unit, err := s.Store.Unit(ctx(c), req.UnitID)
	if domain.IsKind(err, domain.KindNotFound) {
		s.fail(c, domain.Invalid("unknown unit", domain.FieldError{Field: "unit_id", Message: "no such unit"}))
		return
	} else if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.allow(c, unit.ID, "nomination", "create"); err != nil {
		s.fail(c, err)
		return
	}
	award, err := s.Store.Award(ctx(c), req.AwardCode)
	if domain.IsKind(err, domain.KindNotFound) {
		s.fail(c, domain.Invalid("unknown award", domain.FieldError{Field: "award_code", Message: "no such award"}))
		return
	} else if err != nil {
		s.fail(c, err)
		return
	}
	for i, nm := range nominees {
		if !award.AllowsKind(nm.Kind) {
			fields = append(fields, domain.FieldError{Field: fmt.Sprintf("nominees[%d].kind", i),
				Message: fmt.Sprintf("%s cannot be given to a nominee of kind %s", award.Code, nm.Kind)})
		}
	}
	if len(fields) > 0 {
		s.fail(c, domain.Invalid("nominees do not fit the award", fields...))
		return
	}
	now := s.Now()
	route, err := s.Store.Route(ctx(c), unit.ID, award.Code, now)
	if err != nil {
		s.fail(c, err)
		return
	}
	if req.Title == "" {
		req.Title = fmt.Sprintf("Đề nghị %s năm %d – %s", award.Name, req.Year, unit.Name)
	}
	id := uuid.NewString()
	nn := store.NewNomination{ID: id, WorkflowID: workflows.NominationWorkflowID(id), UnitID: unit.ID,
		AwardCode: award.Code, Year: req.Year, Title: req.Title, CreatedBy: userID(c), Route: route,
		Nominees: nominees, At: now}
	tx, err := s.Store.BeginTx(ctx(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	defer tx.Rollback(ctx(c)) //nolint:errcheck // no-op after commit
	if err := store.CreateNominationTx(ctx(c), tx, nn); err != nil {
		s.fail(c, err)
		return
	}
	_, err = s.Temporal.ExecuteWorkflow(ctx(c), client.StartWorkflowOptions{
		ID: nn.WorkflowID, TaskQueue: s.TaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
	}, workflows.NominationWorkflowName, workflows.NominationInput{NominationID: id, UnitID: unit.ID, CreatedBy: userID(c), Route: route})
	if err != nil {
		s.fail(c, fmt.Errorf("start dossier workflow: %w", err))
		return
	}
	if err := tx.Commit(ctx(c)); err != nil {
		// The workflow exists without its rows: end it so nothing is left behind.
		_ = s.Temporal.TerminateWorkflow(ctx(c), nn.WorkflowID, "", "dossier rows not committed")
		s.fail(c, fmt.Errorf("commit dossier: %w", err))
		return
	}
	n, err := s.Store.Nomination(ctx(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/nominations/"+id)
	c.JSON(http.StatusCreated, n)
}

// readable loads a dossier and checks that the user may read it: 404 for an
// unknown dossier, 403 for one outside the user's units.
func (s *Server) readable(c *gin.Context) (domain.Nomination, bool) {
	n, err := s.Store.Nomination(ctx(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return n, false
	}
	if err := s.allow(c, n.UnitID, "nomination", "read"); err != nil {
		s.fail(c, err)
		return n, false
	}
	return n, true
}

func (s *Server) getNomination(c *gin.Context) {
	if n, ok := s.readable(c); ok {
		c.JSON(http.StatusOK, n)
	}
}

func (s *Server) history(c *gin.Context) {
	n, ok := s.readable(c)
	if !ok {
		return
	}
	evs, err := s.Store.History(ctx(c), n.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"nomination_id": n.ID, "events": evs})
}

type editNominationRequest struct {
	Title    string         `json:"title"`
	Nominees []nomineeInput `json:"nominees"`
}

// editNomination changes a draft or returned dossier's title and nominees: the
// preparation and the supplementation after a return.
func (s *Server) editNomination(c *gin.Context) {
	n, ok := s.readable(c)
	if !ok {
		return
	}
	if err := s.allow(c, n.UnitID, "nomination", "edit"); err != nil {
		s.fail(c, err)
		return
	}
	var req editNominationRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	var fields []domain.FieldError
	var nominees []domain.Nominee
	if req.Nominees != nil {
		nominees = validateNominees(req.Nominees, &fields)
		award, err := s.Store.Award(ctx(c), n.AwardCode)
		if err != nil {
			s.fail(c, err)
			return
		}
		for i, nm := range nominees {
			if nm.Kind.Valid() && !award.AllowsKind(nm.Kind) {
				fields = append(fields, domain.FieldError{Field: fmt.Sprintf("nominees[%d].kind", i), Message: "not allowed for this award"})
			}
		}
	}
	req.Title = clean(req.Title)
	if utf8.RuneCountInString(req.Title) > maxTitleLen {
		fields = append(fields, domain.FieldError{Field: "title", Message: fmt.Sprintf("at most %d characters", maxTitleLen)})
	}
	if len(fields) > 0 {
		s.fail(c, domain.Invalid("the dossier has invalid fields", fields...))
		return
	}
	if err := s.Store.ReplaceNominees(ctx(c), n.ID, req.Title, nominees); err != nil {
		s.fail(c, err)
		return
	}
	n, err := s.Store.Nomination(ctx(c), n.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, n)
}

type actRequest struct {
	Action       string   `json:"action"`
	Version      *int     `json:"version"`
	Note         string   `json:"note"`
	MissingItems []string `json:"missing_items"`
	Reason       string   `json:"reason"`
}

func (s *Server) submitNomination(c *gin.Context) {
	var req actRequest
	if c.Request.ContentLength != 0 {
		if err := decode(c, &req); err != nil {
			s.fail(c, err)
			return
		}
	}
	req.Action = string(domain.ActionSubmit)
	s.act(c, c.Param("id"), req, "")
}

func (s *Server) actOnNomination(c *gin.Context) {
	var req actRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	s.act(c, c.Param("id"), req, "")
}

// stepActions lists the actions that complete each step's task.
var stepActions = map[domain.Step][]domain.Action{
	domain.StepSubmit:     {domain.ActionSubmit, domain.ActionWithdraw},
	domain.StepSupplement: {domain.ActionSubmit, domain.ActionWithdraw},
	domain.StepAppraise:   {domain.ActionApprove, domain.ActionReturn, domain.ActionReject},
	domain.StepDecide:     {domain.ActionDecide},
	domain.StepForward:    {domain.ActionForward},
}

// actOnTask completes an open inbox task with one of its step's actions.
func (s *Server) actOnTask(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		s.fail(c, domain.Errorf(domain.KindNotFound, "no such task"))
		return
	}
	t, err := s.Store.Task(ctx(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	var req actRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	if req.Version == nil {
		req.Version = &t.Version
	}
	s.act(c, t.NominationID, req, t.Step)
}

// act authorises one action and sends it to the dossier's workflow as the act
// update, waiting until the workflow has recorded it; the answer is the dossier as
// the read model now shows it.
func (s *Server) act(c *gin.Context, nominationID string, req actRequest, step domain.Step) {
	action := domain.Action(req.Action)
	perm, inSubmittingUnit, ok := action.Permission()
	if !ok {
		s.fail(c, domain.Invalid("unknown action", domain.FieldError{Field: "action",
			Message: "one of submit, approve, return, reject, forward, decide, withdraw"}))
		return
	}
	if step != "" && !containsAction(stepActions[step], action) {
		s.fail(c, domain.Invalid("this task is not done by that action", domain.FieldError{Field: "action",
			Message: fmt.Sprintf("a %s task takes %v", step, stepActions[step])}))
		return
	}
	var fields []domain.FieldError
	missing := make([]string, 0, len(req.MissingItems))
	for _, m := range req.MissingItems {
		if m = clean(m); m != "" {
			missing = append(missing, m)
		}
	}
	if action == domain.ActionReturn && len(missing) == 0 {
		fields = append(fields, domain.FieldError{Field: "missing_items", Message: "list everything that is missing, at least one item"})
	}
	req.Reason = clean(req.Reason)
	if action == domain.ActionReject && req.Reason == "" {
		fields = append(fields, domain.FieldError{Field: "reason", Message: "a rejection needs a written reason"})
	}
	if len(fields) > 0 {
		s.fail(c, domain.Invalid("the action has invalid fields", fields...))
		return
	}
	c.Params = append(c.Params, gin.Param{Key: "id", Value: nominationID})
	n, err := s.Store.Nomination(ctx(c), nominationID)
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.allow(c, n.UnitID, "nomination", "read"); err != nil {
		s.fail(c, err)
		return
	}
	if n.Status.Terminal() {
		s.fail(c, domain.Errorf(domain.KindConflict, "the dossier is %s", n.Status))
		return
	}
	unit := n.CurrentUnitID
	if inSubmittingUnit {
		unit = n.UnitID
	}
	if err := s.allow(c, unit, "nomination", perm); err != nil {
		s.fail(c, err)
		return
	}
	version := n.Version
	if req.Version != nil {
		version = *req.Version
	}
	if im := c.GetHeader("If-Match"); im != "" {
		v, err := strconv.Atoi(strings.Trim(im, `"W/`))
		if err != nil {
			s.fail(c, domain.Invalid("If-Match must be the dossier version"))
			return
		}
		version = v
	}
	in := workflows.ActInput{Action: action, ActorID: userID(c), UnitID: unit, Version: version,
		Note: clean(req.Note), MissingItems: missing, Reason: req.Reason}
	h, err := s.Temporal.UpdateWorkflow(ctx(c), client.UpdateWorkflowOptions{
		WorkflowID: n.WorkflowID, UpdateName: workflows.UpdateAct, Args: []any{in},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err == nil {
		var st workflows.NominationState
		err = h.Get(ctx(c), &st)
	}
	if err != nil {
		s.fail(c, updateError(err))
		return
	}
	n, err = s.Store.Nomination(ctx(c), nominationID)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, n)
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
// workflow's validator types become 409/400/403; a closed workflow is a 409.
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

func (s *Server) listNominations(c *gin.Context) {
	f := store.NominationFilter{
		Units:     s.Authz.VisibleUnits(userID(c), "nomination", "read"),
		UnitID:    c.Query("unit"),
		Status:    c.Query("status"),
		AwardCode: c.Query("award"),
	}
	var fields []domain.FieldError
	intParam := func(name string, dst *int) {
		if v := c.Query(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				fields = append(fields, domain.FieldError{Field: name, Message: "must be a non-negative whole number"})
				return
			}
			*dst = n
		}
	}
	intParam("year", &f.Year)
	intParam("limit", &f.Limit)
	intParam("offset", &f.Offset)
	if len(fields) > 0 {
		s.fail(c, domain.Invalid("invalid filter", fields...))
		return
	}
	ns, err := s.Store.Nominations(ctx(c), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"nominations": ns})
}

func (s *Server) inbox(c *gin.Context) {
	ts, err := s.Store.Inbox(ctx(c), userID(c), 100, s.Now())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"tasks": ts})
}

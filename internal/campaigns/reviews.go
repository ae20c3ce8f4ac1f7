package campaigns

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/tdkt/tdkt/internal/accounts"
	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/review"
	"github.com/tdkt/tdkt/workflows/contract"
)

// Authorization vocabulary of movements and reviews (policies/policy.csv).
const (
	objMovement       = "movement"
	objReview         = "review"
	objReviewTemplate = "review_template"
)

// Defaults of a review campaign, in working days (configurable per campaign).
const (
	DefaultGapWorkingDays      = 5  // each level reports this long before its parent
	DefaultReminderWorkingDays = 2  // reminder before each deadline
	DefaultScheduleWorkingDays = 15 // a scheduled campaign's final deadline after it opens
	maxLabelLen                = 300
	maxReviewTitleLen          = 500
	maxPlanLen                 = 20000
)

// reviewUpdateError maps a rejected or failed update of a review or movement workflow
// to an application error; a workflow that has ended is a conflict.
func reviewUpdateError(err error, what string) error {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		switch appErr.Type() {
		case contract.ErrTypeStaleVersion, contract.ErrTypeWrongState, contract.ErrTypeWrongUnit:
			return &domain.Error{Kind: domain.KindConflict, Message: appErr.Message(), Err: err}
		case contract.ErrTypeInvalid:
			return &domain.Error{Kind: domain.KindInvalid, Message: appErr.Message(), Err: err}
		}
	}
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return &domain.Error{Kind: domain.KindConflict, Message: what + " has ended", Err: err}
	}
	return fmt.Errorf("%s update: %w", what, err)
}

// reviewUpdate sends an update to a workflow and waits until it has completed.
func (s *Service) reviewUpdate(ctx context.Context, workflowID, name string, arg, result any, what string) error {
	h, err := s.Temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: workflowID, UpdateName: name, Args: []any{arg}, WaitForStage: client.WorkflowUpdateStageCompleted,
		UpdateID: accounts.UpdateIDFrom(ctx),
	})
	if err == nil {
		err = h.Get(ctx, result)
	}
	if err != nil {
		return reviewUpdateError(err, what)
	}
	return nil
}

// reviewDay parses a yyyy-mm-dd date, adding a field error when it is malformed.
func reviewDay(field, v string, fields *[]domain.FieldError) *time.Time {
	if v == "" {
		return nil
	}
	d, err := calendar.ParseDate(v)
	if err != nil {
		*fields = append(*fields, domain.FieldError{Field: field, Message: "must be a date yyyy-mm-dd"})
		return nil
	}
	t := d.Time(calendar.Zone)
	return &t
}

// reviewDeadline parses a deadline: a date means the end of that day in Vietnam, an
// RFC 3339 instant is taken as is.
func reviewDeadline(field, v string, fields *[]domain.FieldError) time.Time {
	if d, err := calendar.ParseDate(v); err == nil {
		return review.EndOfDay(d)
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		*fields = append(*fields, domain.FieldError{Field: field, Message: "must be a date yyyy-mm-dd or an RFC 3339 instant"})
		return time.Time{}
	}
	return t.UTC()
}

func reviewCheckLen(field, v string, max int, fields *[]domain.FieldError) {
	if utf8.RuneCountInString(v) > max {
		*fields = append(*fields, domain.FieldError{Field: field, Message: fmt.Sprintf("at most %d characters", max)})
	}
}

// ---- Templates ----

// ReviewTemplates returns the indicator templates.
func (s *Service) ReviewTemplates(ctx context.Context) ([]review.Template, error) {
	return s.Store.ReviewTemplates(ctx)
}

// ReviewTemplate returns one template; KindNotFound if unknown.
func (s *Service) ReviewTemplate(ctx context.Context, code string) (review.Template, error) {
	return s.Store.ReviewTemplate(ctx, code)
}

// PutReviewTemplate stores a template after validating it. Only a user who manages
// templates somewhere (the administrator) may; running campaigns keep their snapshot.
func (s *Service) PutReviewTemplate(ctx context.Context, userID int64, t review.Template) (review.Template, error) {
	if len(s.Authz.VisibleUnits(userID, objReviewTemplate, "manage")) == 0 {
		return t, domain.Errorf(domain.KindForbidden, "you may not manage review templates")
	}
	t.Code, t.Name = strings.TrimSpace(t.Code), domain.Clean(t.Name)
	for i := range t.Indicators {
		t.Indicators[i].Name = domain.Clean(t.Indicators[i].Name)
	}
	if err := t.Validate(); err != nil {
		return t, err
	}
	if err := s.Store.PutReviewTemplate(ctx, t); err != nil {
		return t, err
	}
	return s.Store.ReviewTemplate(ctx, t.Code)
}

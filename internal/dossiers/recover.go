package dossiers

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/tdkt/tdkt/internal/accounts"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/workflows/contract"
)

// RecoverCreate finds out what a create whose API died did. If the dossier was
// committed it returns it (true). Otherwise it ends the dossier's workflow if one
// was started without its rows, gives the key a fresh dossier id and returns it
// (false): the caller runs the create again with that id.
func (s *Service) RecoverCreate(ctx context.Context, userID int64, key string, rec accounts.IdempotencyRecord) (domain.Nomination, string, bool, error) {
	if rec.ResourceID != "" {
		ok, err := s.accounts.Store.NominationExists(ctx, rec.ResourceID)
		if err != nil {
			return domain.Nomination{}, "", false, err
		}
		if ok {
			n, err := s.Nomination(ctx, userID, rec.ResourceID)
			return n, rec.ResourceID, err == nil, err
		}
		// A workflow id cannot be reused, so the retry takes a new dossier id.
		err = s.Temporal.TerminateWorkflow(ctx, contract.NominationWorkflowID(rec.ResourceID), "", "dossier rows were never committed")
		var nf *serviceerror.NotFound
		if err != nil && !errors.As(err, &nf) {
			return domain.Nomination{}, "", false, fmt.Errorf("end the orphan workflow: %w", err)
		}
	}
	id := uuid.NewString()
	if err := s.accounts.Store.SetIdempotencyResource(ctx, userID, key, id); err != nil {
		return domain.Nomination{}, "", false, err
	}
	return domain.Nomination{}, id, false, nil
}

// RecoverAction finds out what an action whose API died did: when the dossier's
// workflow has the update of the key, it waits for its outcome and returns the
// dossier (true) or the update's error. When the workflow never received it, it
// returns false and the caller runs the action again. taskID, when not zero,
// names the dossier through a task instead of nominationID.
func (s *Service) RecoverAction(ctx context.Context, userID int64, nominationID string, taskID int64, key string) (domain.Nomination, bool, error) {
	if taskID != 0 {
		id, err := s.accounts.Store.TaskNomination(ctx, taskID)
		if err != nil {
			return domain.Nomination{}, false, err
		}
		nominationID = id
	}
	n, err := s.Nomination(ctx, userID, nominationID)
	if err != nil {
		return n, false, err
	}
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	h := s.Temporal.GetWorkflowUpdateHandle(client.GetWorkflowUpdateHandleOptions{
		WorkflowID: n.WorkflowID, UpdateID: accounts.ActUpdateID(userID, key)})
	var st contract.NominationState
	if err := h.Get(wctx, &st); err != nil {
		var nf *serviceerror.NotFound
		if errors.As(err, &nf) {
			return n, false, nil
		}
		return n, false, updateError(err)
	}
	n, err = s.Store.Nomination(ctx, nominationID)
	return n, err == nil, err
}

// TaskNominationID returns the dossier of an open task the user may read.
func (s *Service) TaskNominationID(ctx context.Context, userID, taskID int64) (string, error) {
	t, err := s.Store.Task(ctx, taskID)
	if err != nil {
		return "", err
	}
	if _, err := s.Nomination(ctx, userID, t.NominationID); err != nil {
		return "", err
	}
	return t.NominationID, nil
}

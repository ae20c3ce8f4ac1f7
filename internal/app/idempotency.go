package app

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/store"
	"github.com/tdkt/tdkt/workflows"
)

// IdempotencyLease is how long the first request with an Idempotency-Key holds it:
// longer than any request may run (the server's write timeout is 60 s), so that a
// retry within it is told the request is in progress, and a retry after it finds
// out what the first request did before the API died.
const IdempotencyLease = 2 * time.Minute

// Idempotency is the Idempotency-Key of the request being served.
type Idempotency struct {
	UserID int64
	Key    string
	// ResourceID is the id a create gives the new dossier, fixed when the key is
	// claimed so that a retry finds it.
	ResourceID string
}

type idempotencyCtxKey struct{}

// WithIdempotency attaches the request's key to ctx: a create then uses the key's
// dossier id, and an action is sent as the Temporal update whose id derives from
// the key, so that Temporal applies it at most once.
func WithIdempotency(ctx context.Context, i Idempotency) context.Context {
	return context.WithValue(ctx, idempotencyCtxKey{}, i)
}

func idempotencyFrom(ctx context.Context) (Idempotency, bool) {
	i, ok := ctx.Value(idempotencyCtxKey{}).(Idempotency)
	return i, ok
}

// idempotentID is the id of a new dossier: the key's resource id, or fresh.
func idempotentID(ctx context.Context, fresh string) string {
	if i, ok := idempotencyFrom(ctx); ok && i.ResourceID != "" {
		return i.ResourceID
	}
	return fresh
}

// ActUpdateID is the Temporal update id of an action sent with an Idempotency-Key:
// the same user and key give the same id. Empty without a key (the SDK picks one).
func ActUpdateID(userID int64, key string) string {
	sum := sha256.Sum256([]byte(key))
	return fmt.Sprintf("idem-%d-%x", userID, sum[:16])
}

func updateIDFrom(ctx context.Context) string {
	if i, ok := idempotencyFrom(ctx); ok {
		return ActUpdateID(i.UserID, i.Key)
	}
	return ""
}

// ClaimIdempotencyKey claims the user's key for a request whose hash is given (see
// store.ClaimIdempotencyKey), minting the dossier id a create would use.
func (s *Service) ClaimIdempotencyKey(ctx context.Context, userID int64, key string, requestHash []byte) (store.IdempotencyRecord, store.Claim, error) {
	return s.Store.ClaimIdempotencyKey(ctx, userID, key, requestHash, uuid.NewString(), s.now(), IdempotencyLease)
}

// CompleteIdempotencyKey stores the response to replay for the key.
func (s *Service) CompleteIdempotencyKey(ctx context.Context, userID int64, key string, status int, contentType, location string, body []byte) error {
	return s.Store.CompleteIdempotencyKey(ctx, userID, key, status, contentType, location, body, s.now())
}

// ReleaseIdempotencyKey forgets an unfinished key after a server-side failure.
func (s *Service) ReleaseIdempotencyKey(ctx context.Context, userID int64, key string) error {
	return s.Store.ReleaseIdempotencyKey(ctx, userID, key)
}

// RecoverCreate finds out what a create whose API died did. If the dossier was
// committed it returns it (true). Otherwise it ends the dossier's workflow if one
// was started without its rows, gives the key a fresh dossier id and returns it
// (false): the caller runs the create again with that id.
func (s *Service) RecoverCreate(ctx context.Context, userID int64, key string, rec store.IdempotencyRecord) (domain.Nomination, string, bool, error) {
	if rec.ResourceID != "" {
		ok, err := s.Store.NominationExists(ctx, rec.ResourceID)
		if err != nil {
			return domain.Nomination{}, "", false, err
		}
		if ok {
			n, err := s.Nomination(ctx, userID, rec.ResourceID)
			return n, rec.ResourceID, err == nil, err
		}
		// A workflow id cannot be reused, so the retry takes a new dossier id.
		err = s.Temporal.TerminateWorkflow(ctx, workflows.NominationWorkflowID(rec.ResourceID), "", "dossier rows were never committed")
		var nf *serviceerror.NotFound
		if err != nil && !errors.As(err, &nf) {
			return domain.Nomination{}, "", false, fmt.Errorf("end the orphan workflow: %w", err)
		}
	}
	id := uuid.NewString()
	if err := s.Store.SetIdempotencyResource(ctx, userID, key, id); err != nil {
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
		id, err := s.Store.TaskNomination(ctx, taskID)
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
		WorkflowID: n.WorkflowID, UpdateID: ActUpdateID(userID, key)})
	var st workflows.NominationState
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

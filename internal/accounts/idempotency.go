package accounts

import (
	"context"
	"crypto/sha256"
	"fmt"
	"time"

	"github.com/google/uuid"
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

// IdempotentID is the id of a new dossier: the key's resource id, or fresh.
func IdempotentID(ctx context.Context, fresh string) string {
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

func UpdateIDFrom(ctx context.Context) string {
	if i, ok := idempotencyFrom(ctx); ok {
		return ActUpdateID(i.UserID, i.Key)
	}
	return ""
}

// ClaimIdempotencyKey claims the user's key for a request whose hash is given (see
// store.ClaimIdempotencyKey), minting the dossier id a create would use.
func (s *Service) ClaimIdempotencyKey(ctx context.Context, userID int64, key string, requestHash []byte) (IdempotencyRecord, Claim, error) {
	return s.Store.ClaimIdempotencyKey(ctx, userID, key, requestHash, uuid.NewString(), s.Clock(), IdempotencyLease)
}

// CompleteIdempotencyKey stores the response to replay for the key.
func (s *Service) CompleteIdempotencyKey(ctx context.Context, userID int64, key string, status int, contentType, location string, body []byte) error {
	return s.Store.CompleteIdempotencyKey(ctx, userID, key, status, contentType, location, body, s.Clock())
}

// ReleaseIdempotencyKey forgets an unfinished key after a server-side failure.
func (s *Service) ReleaseIdempotencyKey(ctx context.Context, userID int64, key string) error {
	return s.Store.ReleaseIdempotencyKey(ctx, userID, key)
}

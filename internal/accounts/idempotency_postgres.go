package accounts

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/tdkt/tdkt/internal/postgres"
)

// IdempotencyKeyTTL is how long a stored response is replayed. An older key is
// claimed anew as if unknown; PurgeIdempotencyKeys removes the old rows.
const IdempotencyKeyTTL = 24 * time.Hour

// IdempotencyRecord is a stored Idempotency-Key: the request it belongs to, the
// dossier a create makes, and the response once there is one.
type IdempotencyRecord struct {
	RequestHash []byte
	ResourceID  string
	// Status is nil while the first request runs.
	Status      *int
	ContentType string
	Location    string
	Body        []byte
	LeaseUntil  time.Time
}

// Claim says how ClaimIdempotencyKey found the key.
type Claim int

// Outcomes of a claim.
const (
	// ClaimNew: the key was unknown; the caller runs the request.
	ClaimNew Claim = iota
	// ClaimTakenOver: the key's first request never finished and its lease has
	// ended (the API died); the caller finds out what it did and finishes it.
	ClaimTakenOver
	// ClaimExisting: the key is taken; the record says by what and how far it got.
	ClaimExisting
)

// ClaimIdempotencyKey records the key as in flight until now+lease, or returns its
// record. A record whose first request is unfinished, whose lease has ended and
// whose request is the same is taken over atomically: of several retries, one wins.
// A key created more than IdempotencyKeyTTL ago is claimed anew, in the same
// statement, as an unknown one is.
func (s *Store) ClaimIdempotencyKey(ctx context.Context, userID int64, key string, requestHash []byte, resourceID string,
	now time.Time, lease time.Duration) (IdempotencyRecord, Claim, error) {
	const op = "accounts.ClaimIdempotencyKey"
	var rec IdempotencyRecord
	scan := func(row pgx.Row) error {
		return row.Scan(&rec.RequestHash, &rec.ResourceID, &rec.Status, &rec.ContentType, &rec.Location, &rec.Body, &rec.LeaseUntil)
	}
	const cols = `request_hash, resource_id, status, content_type, location, body, lease_until`
	err := scan(s.Pool.QueryRow(ctx, `INSERT INTO idempotency_keys AS k (user_id, key, request_hash, resource_id, created_at, lease_until)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (user_id, key) DO UPDATE SET request_hash = excluded.request_hash, resource_id = excluded.resource_id,
			status = NULL, content_type = '', location = '', body = NULL, created_at = excluded.created_at,
			lease_until = excluded.lease_until, completed_at = NULL
		WHERE k.created_at < $7
		RETURNING `+cols, userID, key, requestHash, resourceID, now, now.Add(lease), now.Add(-IdempotencyKeyTTL)))
	if err == nil {
		return rec, ClaimNew, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return rec, 0, postgres.Translate(op, err)
	}
	err = scan(s.Pool.QueryRow(ctx, `UPDATE idempotency_keys SET lease_until = $5
		WHERE user_id = $1 AND key = $2 AND request_hash = $3 AND status IS NULL AND lease_until < $4
		RETURNING `+cols, userID, key, requestHash, now, now.Add(lease)))
	if err == nil {
		return rec, ClaimTakenOver, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return rec, 0, postgres.Translate(op, err)
	}
	err = scan(s.Pool.QueryRow(ctx, `SELECT `+cols+` FROM idempotency_keys WHERE user_id = $1 AND key = $2`, userID, key))
	if errors.Is(err, pgx.ErrNoRows) {
		// Released between our insert and our read: the caller may try again.
		return rec, ClaimExisting, nil
	}
	return rec, ClaimExisting, postgres.Translate(op, err)
}

// PurgeIdempotencyKeys deletes the keys created more than IdempotencyKeyTTL before
// now, at most limit of them (oldest first, from idempotency_keys_created_idx), and
// returns how many. The worker calls it periodically; it used to run for the user
// at each claim, where it read all of a busy user's keys on every request.
func (s *Store) PurgeIdempotencyKeys(ctx context.Context, now time.Time, limit int) (int64, error) {
	tag, err := s.Pool.Exec(ctx, `DELETE FROM idempotency_keys WHERE created_at < $1 AND (user_id, key) IN (
		SELECT user_id, key FROM idempotency_keys WHERE created_at < $1 ORDER BY created_at LIMIT $2)`,
		now.Add(-IdempotencyKeyTTL), limit)
	return tag.RowsAffected(), postgres.Translate("accounts.PurgeIdempotencyKeys", err)
}

// CompleteIdempotencyKey stores the response of the key's request, to be replayed.
func (s *Store) CompleteIdempotencyKey(ctx context.Context, userID int64, key string, status int, contentType, location string,
	body []byte, now time.Time) error {
	_, err := s.Pool.Exec(ctx, `UPDATE idempotency_keys SET status = $3, content_type = $4, location = $5, body = $6, completed_at = $7
		WHERE user_id = $1 AND key = $2 AND status IS NULL`, userID, key, status, contentType, location, body, now)
	return postgres.Translate("accounts.CompleteIdempotencyKey", err)
}

// ReleaseIdempotencyKey forgets an unfinished key (its request failed on the
// server's side), so that a retry runs the request again.
func (s *Store) ReleaseIdempotencyKey(ctx context.Context, userID int64, key string) error {
	_, err := s.Pool.Exec(ctx, `DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND status IS NULL`, userID, key)
	return postgres.Translate("accounts.ReleaseIdempotencyKey", err)
}

// SetIdempotencyResource records the dossier id a taken-over create will use.
func (s *Store) SetIdempotencyResource(ctx context.Context, userID int64, key, resourceID string) error {
	_, err := s.Pool.Exec(ctx, `UPDATE idempotency_keys SET resource_id = $3 WHERE user_id = $1 AND key = $2 AND status IS NULL`,
		userID, key, resourceID)
	return postgres.Translate("accounts.SetIdempotencyResource", err)
}

// TaskNomination returns the dossier of a task, open or not; KindNotFound if unknown.
func (s *Store) TaskNomination(ctx context.Context, taskID int64) (string, error) {
	var id string
	err := s.Pool.QueryRow(ctx, `SELECT nomination_id FROM tasks WHERE id = $1`, taskID).Scan(&id)
	return id, postgres.Translate("accounts.TaskNomination", err)
}

// NominationExists reports whether a dossier row exists.
func (s *Store) NominationExists(ctx context.Context, id string) (bool, error) {
	var ok bool
	err := s.Pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM nominations WHERE id = $1)`, id).Scan(&ok)
	return ok, postgres.Translate("accounts.NominationExists", err)
}

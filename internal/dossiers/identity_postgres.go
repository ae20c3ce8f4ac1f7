package dossiers

import (
	"context"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/nomination"
	"github.com/tdkt/tdkt/internal/postgres"
)

// rowQuerier is what both the pool and a transaction answer.
type rowQuerier interface {
	postgres.Querier
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Person returns the identity of a user for separation of duties: the person
// subject the account is linked to, and the folded full name.
func (s *Store) Person(ctx context.Context, userID int64) (nomination.Person, error) {
	p := nomination.Person{UserID: userID}
	var name string
	var subject *int64
	err := s.Pool.QueryRow(ctx, `SELECT full_name, subject_id FROM users WHERE id = $1`, userID).Scan(&name, &subject)
	if err == pgx.ErrNoRows {
		return p, &domain.Error{Op: "dossiers.Person", Kind: domain.KindNotFound, Message: "no such user"}
	}
	if subject != nil {
		p.SubjectID = *subject
	}
	p.NameKey = nomination.NameKey(name)
	return p, postgres.Translate("dossiers.Person", err)
}

// identityDossier reads what the core needs to decide who may vote on a dossier:
// its preparer and its nominees with their identities.
func identityDossier(ctx context.Context, q rowQuerier, nominationID string) (nomination.Dossier, error) {
	d := nomination.Dossier{ID: nominationID}
	if err := q.QueryRow(ctx, `SELECT created_by, unit_id FROM nominations WHERE id = $1`, nominationID).
		Scan(&d.CreatedBy, &d.UnitID); err != nil {
		return d, err
	}
	rows, err := q.Query(ctx, `SELECT id, kind, status, coalesce(subject_id, 0), name FROM nominees
		WHERE nomination_id = $1 ORDER BY position`, nominationID)
	if err != nil {
		return d, err
	}
	d.State.Nominees, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (nomination.NomineeRef, error) {
		var nm nomination.NomineeRef
		var name string
		err := r.Scan(&nm.ID, &nm.Kind, &nm.Status, &nm.SubjectID, &name)
		nm.NameKey = nomination.NameKey(name)
		return nm, err
	})
	return d, err
}

// eligibleVoters lists the members of unit's council who may vote on the dossier,
// as the core decides (nomination.EligibleVoters): active council members and the
// chair, less the recused, the preparer and the nominees.
func eligibleVoters(ctx context.Context, q rowQuerier, nominationID, unitID string) ([]int64, error) {
	d, err := identityDossier(ctx, q, nominationID)
	if err != nil {
		return nil, err
	}
	rows, err := q.Query(ctx, `SELECT DISTINCT u.id, coalesce(u.subject_id, 0), u.full_name FROM users u
		JOIN role_assignments r ON r.user_id = u.id
		WHERE u.active AND r.unit_id = $1 AND r.role IN ('council_member', 'council_chair') ORDER BY u.id`, unitID)
	if err != nil {
		return nil, err
	}
	members, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (nomination.Person, error) {
		var p nomination.Person
		var name string
		err := r.Scan(&p.UserID, &p.SubjectID, &name)
		p.NameKey = nomination.NameKey(name)
		return p, err
	})
	if err != nil {
		return nil, err
	}
	rows, err = q.Query(ctx, `SELECT user_id FROM council_conflicts WHERE nomination_id = $1`, nominationID)
	if err != nil {
		return nil, err
	}
	conflicted, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, err
	}
	recused := map[int64]bool{}
	for _, id := range conflicted {
		recused[id] = true
	}
	return nomination.EligibleVoters(d, members, recused), nil
}

// IsEligibleVoter reports whether the user may vote on the dossier in the unit's
// council (a member or the chair, not recused, not its preparer, not a nominee).
func (s *Store) IsEligibleVoter(ctx context.Context, nominationID, unitID string, userID int64) (bool, error) {
	ids, err := eligibleVoters(ctx, s.Pool, nominationID, unitID)
	return slices.Contains(ids, userID), postgres.Translate("dossiers.IsEligibleVoter", err)
}

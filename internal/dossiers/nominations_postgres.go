package dossiers

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/inbox"
	"github.com/tdkt/tdkt/internal/postgres"
)

// NewNomination is a validated dossier ready to be stored in draft.
type NewNomination struct {
	ID         string // chosen by the caller so the workflow ID is known before insert
	WorkflowID string
	UnitID     string
	AwardCode  string
	Kind       domain.NominationKind
	Procedure  domain.Procedure
	Year       int
	Title      string
	CreatedBy  int64
	Route      []domain.RouteStop
	Nominees   []domain.Nominee
	At         time.Time
	// MovementID and CampaignID, when set, link the dossier to a movement and a review.
	MovementID, CampaignID string
}

// CreateNominationRowsTx inserts a draft dossier, its nominees and the submit task
// in the submitting unit's inbox, inside tx, but not its audit event: see
// CreateNominationTx and AuditNominationCreatedTx (nominations_create.go).
func CreateNominationRowsTx(ctx context.Context, tx pgx.Tx, n NewNomination) error {
	const op = "dossiers.CreateNomination"
	route, err := json.Marshal(n.Route)
	if err != nil {
		return postgres.Translate(op, err)
	}
	if n.Kind == "" {
		n.Kind = domain.KindMerit
	}
	if n.Procedure == "" {
		n.Procedure = domain.ProcedureStandard
	}
	if _, err := tx.Exec(ctx, `INSERT INTO nominations
		(id, workflow_id, unit_id, award_code, year, title, status, current_step, current_unit_id, route, created_by,
		 created_at, updated_at, kind, procedure)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $3, $9, $10, $11, $11, $12, $13)`,
		n.ID, n.WorkflowID, n.UnitID, n.AwardCode, n.Year, n.Title, domain.StatusDraft, domain.StepSubmit,
		route, n.CreatedBy, n.At, n.Kind, n.Procedure); err != nil {
		return postgres.Translate(op, err)
	}
	if n.MovementID != "" || n.CampaignID != "" {
		if _, err := tx.Exec(ctx, `UPDATE nominations SET movement_id = $2, campaign_id = $3 WHERE id = $1`,
			n.ID, postgres.NullUUID(n.MovementID), postgres.NullUUID(n.CampaignID)); err != nil {
			return postgres.Translate(op, err)
		}
	}
	if err := insertNominees(ctx, tx, n.ID, n.Nominees); err != nil {
		return postgres.Translate(op, err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO tasks (nomination_id, seq, step, unit_id, role, created_at)
		VALUES ($1, 0, $2, $3, $4, $5)`, n.ID, domain.StepSubmit, n.UnitID, domain.StepRole(domain.StepSubmit), n.At); err != nil {
		return postgres.Translate(op, err)
	}
	return nil
}

func insertNominees(ctx context.Context, tx pgx.Tx, nominationID string, ns []domain.Nominee) error {
	rows := make([][]any, len(ns))
	for i, nm := range ns {
		rows[i] = []any{nominationID, i + 1, string(nm.Kind), nm.Name, nm.JobTitle, nm.Organisation, nm.Achievements, nm.SubjectID,
			nm.Enterprise, string(nm.LeadershipLevel)}
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"nominees"},
		[]string{"nomination_id", "position", "kind", "name", "job_title", "organisation", "achievements", "subject_id",
			"enterprise", "leadership_level"},
		pgx.CopyFromRows(rows))
	return err
}

// ReplaceNominees replaces the nominees of a dossier that is still with its
// submitting unit (draft or returned): the supplementation of a returned dossier.
// It fails with a conflict when the dossier has moved on.
func (s *Store) ReplaceNominees(ctx context.Context, nominationID, title string, ns []domain.Nominee) error {
	const op = "dossiers.ReplaceNominees"
	return s.InTx(ctx, op, func(tx pgx.Tx) error {
		var status string
		if err := tx.QueryRow(ctx, `SELECT status FROM nominations WHERE id = $1 FOR UPDATE`, nominationID).Scan(&status); err != nil {
			return postgres.Translate(op, err)
		}
		if status != string(domain.StatusDraft) && status != string(domain.StatusReturned) {
			return domain.Errorf(domain.KindConflict, "dossier is %s: only a draft or returned dossier can be edited", status)
		}
		if title != "" {
			if _, err := tx.Exec(ctx, `UPDATE nominations SET title = $2, updated_at = now() WHERE id = $1`, nominationID, title); err != nil {
				return err
			}
		}
		if ns == nil {
			return nil
		}
		if _, err := tx.Exec(ctx, `DELETE FROM nominees WHERE nomination_id = $1`, nominationID); err != nil {
			return err
		}
		return insertNominees(ctx, tx, nominationID, ns)
	})
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// querier runs a query: a pool, a connection or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// decisionsQuery reads a dossier's decisions, oldest first; $2 > 0 narrows to the
// decision issued by that transition.
const decisionsQuery = `SELECT d.id, d.nomination_id, d.unit_id, d.year, d.number, d.code, d.signed_by, d.signed_on,
	d.created_at, d.revoked_at, d.revoke_ground
	FROM decisions d WHERE d.nomination_id = $1 AND ($2 = 0 OR d.seq = $2) ORDER BY d.id`

// decisionsOf returns a dossier's decisions with their awardees, oldest first; seq
// > 0 narrows to the decision issued by that transition.
func decisionsOf(ctx context.Context, q querier, nominationID string, seq int) ([]domain.Decision, error) {
	rows, err := q.Query(ctx, decisionsQuery, nominationID, seq)
	if err != nil {
		return nil, err
	}
	list, err := scanDecisions(rows)
	if err != nil {
		return nil, err
	}
	return withAwardees(ctx, q, list)
}

// decisionRow is a decision as decisionsQuery reads it, with its row id.
type decisionRow struct {
	id int64
	d  domain.Decision
}

// scanDecisions reads the rows of decisionsQuery.
func scanDecisions(rows pgx.Rows) ([]decisionRow, error) {
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (decisionRow, error) {
		var x decisionRow
		var signedOn time.Time
		err := r.Scan(&x.id, &x.d.NominationID, &x.d.UnitID, &x.d.Year, &x.d.Number, &x.d.Code, &x.d.SignedBy, &signedOn,
			&x.d.CreatedAt, &x.d.RevokedAt, &x.d.RevokeGround)
		x.d.SignedOn = signedOn.Format("2006-01-02")
		return x, err
	})
}

// withAwardees reads each decision's awardees.
func withAwardees(ctx context.Context, q querier, list []decisionRow) ([]domain.Decision, error) {
	out := make([]domain.Decision, 0, len(list))
	for _, x := range list {
		rows, err := q.Query(ctx, `SELECT a.nominee_id, n.name, n.kind, a.award_code, a.bonus_vnd, a.recovered
			FROM decision_awardees a JOIN nominees n ON n.id = a.nominee_id WHERE a.decision_id = $1 ORDER BY n.position`, x.id)
		if err != nil {
			return nil, err
		}
		x.d.Awardees, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Awardee, error) {
			var a domain.Awardee
			err := r.Scan(&a.NomineeID, &a.Name, &a.Kind, &a.AwardCode, &a.BonusVND, &a.Recovered)
			return a, err
		})
		if err != nil {
			return nil, err
		}
		out = append(out, x.d)
	}
	return out, nil
}

const nominationColumns = `n.id, n.workflow_id, n.unit_id, u.name, n.award_code, a.name, n.kind, n.procedure, n.year, n.title,
	n.status, n.current_step, coalesce(n.current_unit_id, ''), n.route, n.route_index, n.version, n.missing_items, n.reason,
	n.created_by, n.created_at, n.updated_at, n.submitted_at, n.closed_at, n.stage_due_at, n.code,
	(SELECT count(*) FROM nominees nm WHERE nm.nomination_id = n.id)`

const nominationFrom = ` FROM nominations n JOIN units u ON u.id = n.unit_id JOIN awards a ON a.code = n.award_code`

func scanNomination(row pgx.Row) (domain.Nomination, error) {
	var n domain.Nomination
	var route, missing []byte
	err := row.Scan(&n.ID, &n.WorkflowID, &n.UnitID, &n.UnitName, &n.AwardCode, &n.AwardName, &n.Kind, &n.Procedure,
		&n.Year, &n.Title, &n.Status, &n.CurrentStep, &n.CurrentUnitID, &route, &n.RouteIndex, &n.Version, &missing,
		&n.Reason, &n.CreatedBy, &n.CreatedAt, &n.UpdatedAt, &n.SubmittedAt, &n.ClosedAt, &n.StageDueAt, &n.Code, &n.NomineeCount)
	if err != nil {
		return n, err
	}
	if err := json.Unmarshal(route, &n.Route); err != nil {
		return n, err
	}
	if err := json.Unmarshal(missing, &n.MissingItems); err != nil {
		return n, err
	}
	return n, nil
}

// Nomination returns a dossier with its nominees and decision; KindNotFound if unknown.
// The dossier, its nominees and its decisions are read in one round trip (a
// batch); a decided dossier's awardees take one more per decision.
func (s *Store) Nomination(ctx context.Context, id string) (domain.Nomination, error) {
	const op = "dossiers.Nomination"
	if !postgres.IsUUID(id) {
		return domain.Nomination{}, &domain.Error{Op: op, Kind: domain.KindNotFound, Message: "no such dossier"}
	}
	b := &pgx.Batch{}
	b.Queue(`SELECT `+nominationColumns+nominationFrom+` WHERE n.id = $1`, id)
	b.Queue(`SELECT id, position, kind, name, job_title, organisation, achievements, status,
		coalesce(award_code, ''), hold_reason, subject_id, enterprise, leadership_level FROM nominees WHERE nomination_id = $1 ORDER BY position`, id)
	b.Queue(decisionsQuery, id, 0)
	br := s.Pool.SendBatch(ctx, b)
	n, err := scanNomination(br.QueryRow())
	if err != nil {
		br.Close()
		return n, postgres.Translate(op, err)
	}
	rows, err := br.Query()
	if err == nil {
		n.Nominees, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Nominee, error) {
			var nm domain.Nominee
			err := r.Scan(&nm.ID, &nm.Position, &nm.Kind, &nm.Name, &nm.JobTitle, &nm.Organisation, &nm.Achievements, &nm.Status,
				&nm.AwardCode, &nm.HoldReason, &nm.SubjectID, &nm.Enterprise, &nm.LeadershipLevel)
			return nm, err
		})
	}
	if err != nil {
		br.Close()
		return n, postgres.Translate(op, err)
	}
	// The decisions' rows are read from the batch; their awardees, if any, once
	// it has given its connection back.
	var list []decisionRow
	if rows, err = br.Query(); err == nil {
		list, err = scanDecisions(rows)
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, postgres.Translate(op, err)
	}
	decisions, err := withAwardees(ctx, s.Pool, list)
	if err != nil {
		return n, postgres.Translate(op, err)
	}
	n.Decisions = decisions
	if len(n.Decisions) > 0 {
		n.Decision = &n.Decisions[len(n.Decisions)-1]
	}
	return n, nil
}

// NominationFilter narrows a dossier list. Units is the set the caller may read
// (from the authorizer); it is always applied.
type NominationFilter struct {
	Units     []string
	UnitID    string
	Status    string
	AwardCode string
	Year      int
	// Query: words each found in the code, the title or a nominee's name, with or
	// without diacritics (dossierTextMatch).
	Query  string
	Limit  int
	Offset int
}

// Nominations lists dossiers newest first, restricted to f.Units.
func (s *Store) Nominations(ctx context.Context, f NominationFilter) ([]domain.Nomination, error) {
	const op = "dossiers.Nominations"
	q := `SELECT ` + nominationColumns + nominationFrom + ` WHERE n.unit_id = ANY($1)`
	args := []any{f.Units}
	add := func(cond string, v any) {
		args = append(args, v)
		q += fmt.Sprintf(" AND "+cond, len(args))
	}
	if f.UnitID != "" {
		add("n.unit_id = $%d", f.UnitID)
	}
	if f.Status != "" {
		add("n.status = $%d", f.Status)
	}
	if f.AwardCode != "" {
		add("n.award_code = $%d", f.AwardCode)
	}
	if f.Year != 0 {
		add("n.year = $%d", f.Year)
	}
	q += inbox.DossierTextMatch(f.Query, &args)
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	args = append(args, f.Limit, f.Offset)
	q += fmt.Sprintf(" ORDER BY n.created_at DESC, n.id LIMIT $%d OFFSET $%d", len(args)-1, len(args))
	// Plan each call with its values: a cached generic plan ignores how selective
	// the filters are and made filtered lists ten times slower.
	rows, err := s.Pool.Query(ctx, q, append([]any{pgx.QueryExecModeExec}, args...)...)
	if err != nil {
		return nil, postgres.Translate(op, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Nomination, error) { return scanNomination(r) })
	return out, postgres.Translate(op, err)
}

// Task returns one task (open or not); KindNotFound if unknown.
func (s *Store) Task(ctx context.Context, id int64) (domain.Task, error) {
	var t domain.Task
	err := s.Pool.QueryRow(ctx, `SELECT t.id, t.nomination_id, n.title, n.award_code, n.status, n.version, t.step,
		t.unit_id, u.name, t.role, t.due_at, t.created_at
		FROM tasks t JOIN nominations n ON n.id = t.nomination_id JOIN units u ON u.id = t.unit_id
		WHERE t.id = $1 AND t.status = 'open'`, id).
		Scan(&t.ID, &t.NominationID, &t.NominationTitle, &t.AwardCode, &t.Status, &t.Version, &t.Step,
			&t.UnitID, &t.UnitName, &t.Role, &t.DueAt, &t.CreatedAt)
	return t, postgres.Translate("dossiers.Task", err)
}

// AuditTrail returns a dossier's audit events in order.
func (s *Store) AuditTrail(ctx context.Context, nominationID string) ([]domain.AuditEvent, error) {
	const op = "dossiers.History"
	rows, err := s.Pool.Query(ctx, `SELECT e.seq, e.at, coalesce(e.actor_id, 0), coalesce(us.full_name, ''),
		coalesce(e.on_behalf_of, 0), coalesce(ub.full_name, ''), e.action,
		e.from_status, e.to_status, coalesce(e.unit_id, ''), e.details
		FROM audit_events e LEFT JOIN users us ON us.id = e.actor_id LEFT JOIN users ub ON ub.id = e.on_behalf_of
		WHERE e.nomination_id = $1 ORDER BY e.seq`, nominationID)
	if err != nil {
		return nil, postgres.Translate(op, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.AuditEvent, error) {
		var e domain.AuditEvent
		var details []byte
		if err := r.Scan(&e.Seq, &e.At, &e.ActorID, &e.ActorName, &e.OnBehalfOf, &e.OnBehalfOfName, &e.Action, &e.FromStatus, &e.ToStatus, &e.UnitID, &details); err != nil {
			return e, err
		}
		return e, json.Unmarshal(details, &e.Details)
	})
	return out, postgres.Translate(op, err)
}

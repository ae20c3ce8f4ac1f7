package dossiers

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/awards"
	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/inbox"
	"github.com/tdkt/tdkt/internal/nomination"
	"github.com/tdkt/tdkt/internal/postgres"
)

// Timing carries the instants the caller computed with the working-day calendar
// for a transition: each opened step's due date and reminder, the consultation
// window's close and the concurrence deadline.
type Timing struct {
	Due                map[domain.Step]time.Time
	Remind             map[domain.Step]time.Time
	ConsultationCloses time.Time
	ConcurrenceDue     time.Time
}

// Record writes one workflow transition in one transaction: the dossier's new
// projection, the tasks it closes and opens (with due dates and a notification to
// each task's role), per-nominee outcomes, a numbered decision with bonus amounts
// or a numbered submission letter, concurrence, consultation and council records,
// and the audit event. It is idempotent on (dossier, seq): a retry after a commit
// returns the first outcome and writes nothing.
func (s *Store) Record(ctx context.Context, t domain.Transition, tm Timing) (domain.RecordResult, error) {
	const op = "dossiers.Record"
	var res domain.RecordResult
	err := s.InTx(ctx, op, func(tx pgx.Tx) error {
		var version, year int
		var awardCode string
		if err := tx.QueryRow(ctx, `SELECT version, year, award_code FROM nominations WHERE id = $1 FOR UPDATE`,
			t.NominationID).Scan(&version, &year, &awardCode); err != nil {
			return err
		}
		if version >= t.Seq {
			return replayed(ctx, tx, t, &res)
		}
		if version != t.Seq-1 {
			return fmt.Errorf("dossier %s is at version %d; cannot record event %d", t.NominationID, version, t.Seq)
		}
		details := map[string]any{}
		if err := closeAndOpenTasks(ctx, tx, t, tm, details, &res); err != nil {
			return err
		}
		if err := moveTasks(ctx, tx, t, details, &res); err != nil {
			return err
		}
		if err := recordOutcomes(ctx, tx, t); err != nil {
			return err
		}
		if t.Decision != nil {
			d, err := issueDecision(ctx, tx, t)
			if err != nil {
				return err
			}
			if err := awards.RecordDecisionHistoryTx(ctx, tx, t.NominationID, d); err != nil {
				return err
			}
			res.Decision = d
			details["decision_code"] = d.Code
			details["decision_number"] = d.Number
		}
		if t.LetterTo != "" {
			code, err := issueLetter(ctx, tx, t)
			if err != nil {
				return err
			}
			res.Letter = code
			details["letter_code"] = code
		}
		if t.Action == domain.ActionReturn && t.ActorID != 0 {
			code, err := issueReturnLetter(ctx, tx, t)
			if err != nil {
				return err
			}
			details["return_letter_code"] = code
		}
		if err := recordConcurrence(ctx, tx, t, tm, details, &res); err != nil {
			return err
		}
		if err := recordConsultation(ctx, tx, t, tm, details, &res); err != nil {
			return err
		}
		if err := recordCouncil(ctx, tx, t, awardCode, details, &res); err != nil {
			return err
		}
		missing, _ := json.Marshal(nonNil(t.MissingItems))
		var curUnit any
		if t.CurrentUnitID != "" {
			curUnit = t.CurrentUnitID
		}
		if _, err := tx.Exec(ctx, `UPDATE nominations SET status = $2, current_step = $3, current_unit_id = $4,
				route_index = $5, version = $6, missing_items = CASE WHEN $7 = 'return' THEN $8::jsonb ELSE missing_items END,
				reason = CASE WHEN $9 <> '' THEN $9 ELSE reason END, updated_at = $10,
				submitted_at = CASE WHEN $7 = 'submit' AND submitted_at IS NULL THEN $10 ELSE submitted_at END,
				closed_at = CASE WHEN $11 THEN $10 ELSE closed_at END, stage_due_at = $12,
				procedure = CASE WHEN $13 <> '' THEN $13 ELSE procedure END
			WHERE id = $1`,
			t.NominationID, t.ToStatus, t.Step, curUnit, t.RouteIndex, t.Seq, string(t.Action), missing,
			t.Reason, t.At, t.ToStatus.Terminal(), res.DueAt, string(t.Procedure)); err != nil {
			return err
		}
		if t.ToStatus == domain.StatusRejected || t.ToStatus == domain.StatusWithdrawn {
			st := domain.NomineeRejected
			if t.ToStatus == domain.StatusWithdrawn {
				st = domain.NomineeWithdrawn
			}
			if _, err := tx.Exec(ctx, `UPDATE nominees SET status = $2 WHERE nomination_id = $1 AND status IN ('pending', 'held')`,
				t.NominationID, st); err != nil {
				return err
			}
		}
		for k, v := range map[string]any{"missing_items": t.MissingItems, "reason": t.Reason, "note": t.Note} {
			switch v := v.(type) {
			case []string:
				if len(v) > 0 {
					details[k] = v
				}
			case string:
				if v != "" {
					details[k] = v
				}
			}
		}
		if len(t.Outcomes) > 0 {
			details["outcomes"] = t.Outcomes
		}
		if t.Procedure != "" {
			details["procedure"] = t.Procedure
		}
		if t.Act != nil {
			details["act"] = t.Act
		}
		if t.Step != "" {
			details["next_step"] = t.Step
			details["next_unit_id"] = t.CurrentUnitID
		}
		detailsJSON, _ := json.Marshal(details)
		var actor, behalf, unit any
		if t.ActorID != 0 {
			actor = t.ActorID
		}
		if t.OnBehalfOf != 0 {
			behalf = t.OnBehalfOf
		}
		if t.UnitID != "" {
			unit = t.UnitID
		}
		_, err := tx.Exec(ctx, `INSERT INTO audit_events (nomination_id, seq, at, actor_id, on_behalf_of, action, from_status, to_status, unit_id, details)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			t.NominationID, t.Seq, t.At, actor, behalf, string(t.Action), t.FromStatus, t.ToStatus, unit, detailsJSON)
		return err
	})
	return res, err
}

// replayed answers a retry of a committed transition with what it wrote first.
func replayed(ctx context.Context, tx pgx.Tx, t domain.Transition, res *domain.RecordResult) error {
	var action string
	if err := tx.QueryRow(ctx, `SELECT action FROM audit_events WHERE nomination_id = $1 AND seq = $2`,
		t.NominationID, t.Seq).Scan(&action); err != nil {
		return fmt.Errorf("dossier has no event %d: %w", t.Seq, err)
	}
	if action != string(t.Action) {
		return fmt.Errorf("event %d of dossier %s is %q, not %q", t.Seq, t.NominationID, action, t.Action)
	}
	ds, err := decisionsOf(ctx, tx, t.NominationID, t.Seq)
	if err != nil {
		return err
	}
	if len(ds) > 0 {
		res.Decision = &ds[0]
	}
	if err := tx.QueryRow(ctx, `SELECT code FROM submission_letters WHERE nomination_id = $1 AND seq = $2`,
		t.NominationID, t.Seq).Scan(&res.Letter); err != nil && err != pgx.ErrNoRows {
		return err
	}
	if t.CouncilClose {
		var c domain.CouncilResult
		if err := tx.QueryRow(ctx, `SELECT session, members, present, yes, no, abstain, result FROM council_sessions
			WHERE nomination_id = $1 AND session = $2`, t.NominationID, t.CouncilSession).
			Scan(&c.Session, &c.Members, &c.Present, &c.Yes, &c.No, &c.Abstain, &c.Result); err != nil {
			return err
		}
		res.Council = &c
	}
	return tx.QueryRow(ctx, `SELECT stage_due_at FROM nominations WHERE id = $1`, t.NominationID).Scan(&res.DueAt)
}

func closeAndOpenTasks(ctx context.Context, tx pgx.Tx, t domain.Transition, tm Timing, details map[string]any, res *domain.RecordResult) error {
	status := "done"
	if t.Action == domain.ActionWithdraw {
		status = "cancelled"
	}
	var actor any
	if t.ActorID != 0 {
		actor = t.ActorID
	}
	if t.CloseAll {
		if _, err := tx.Exec(ctx, `UPDATE tasks SET status = $2, done_at = $3, done_by = $4, outcome = $5
			WHERE nomination_id = $1 AND status = 'open'`, t.NominationID, status, t.At, actor, string(t.Action)); err != nil {
			return err
		}
	}
	for _, k := range t.Close {
		if _, err := tx.Exec(ctx, `UPDATE tasks SET status = $2, done_at = $3, done_by = $4, outcome = $5
			WHERE nomination_id = $1 AND status = 'open' AND step = $6 AND unit_id = $7`,
			t.NominationID, status, t.At, actor, string(t.Action), k.Step, k.UnitID); err != nil {
			return err
		}
	}
	for _, o := range t.Open {
		var due, remind any
		if d, ok := tm.Due[o.Step]; ok {
			due = d
			if res.DueAt == nil || d.Before(*res.DueAt) {
				dd := d
				res.DueAt = &dd
			}
		}
		if r, ok := tm.Remind[o.Step]; ok {
			remind = r
			if res.RemindAt == nil || r.Before(*res.RemindAt) {
				rr := r
				res.RemindAt = &rr
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO tasks (nomination_id, seq, step, unit_id, role, due_at, remind_at, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, t.NominationID, t.Seq, o.Step, o.UnitID, o.Role, due, remind, t.At); err != nil {
			return err
		}
		if _, err := inbox.NotifyTx(ctx, tx, inbox.NewNotification{UnitID: o.UnitID, Role: o.Role, Kind: "task",
			Title: "Việc mới: " + stepTitle(o.Step), Link: "/nominations/" + t.NominationID,
			DedupKey: fmt.Sprintf("task:%s:%d:%s:%s:%s", t.NominationID, t.Seq, o.Step, o.UnitID, o.Role), At: t.At}); err != nil {
			return err
		}
	}
	// The submitting unit's clerks hear of a forward, decision, rejection or return.
	if _, err := NotifyOutcomeTx(ctx, tx, t); err != nil {
		return err
	}
	return nil
}

// stepTitle names a step in Vietnamese for notifications.
func stepTitle(s domain.Step) string {
	switch s {
	case domain.StepSubmit:
		return "trình hồ sơ"
	case domain.StepIntake:
		return "tiếp nhận hồ sơ"
	case domain.StepAppraise:
		return "thẩm định hồ sơ"
	case domain.StepSupplement:
		return "bổ sung hồ sơ"
	case domain.StepConcur:
		return "cho ý kiến hiệp y"
	case domain.StepVote:
		return "bỏ phiếu hội đồng"
	case domain.StepDecide:
		return "ký quyết định khen thưởng"
	case domain.StepForward:
		return "ký tờ trình đề nghị cấp trên"
	}
	return string(s)
}

func recordOutcomes(ctx context.Context, tx pgx.Tx, t domain.Transition) error {
	for _, o := range t.Outcomes {
		var award any
		if o.AwardCode != "" {
			award = o.AwardCode
		}
		if _, err := tx.Exec(ctx, `INSERT INTO nominee_outcomes (nomination_id, nominee_id, seq, unit_id, outcome, award_code, reason, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, t.NominationID, o.NomineeID, t.Seq, t.UnitID, o.Outcome, award, o.Reason, t.At); err != nil {
			return err
		}
		var status string
		switch o.Outcome {
		case "held":
			status = domain.NomineeHeld
		case "released", "forwarded":
			status = domain.NomineePending
		case "awarded":
			status = domain.NomineeAwarded
		case "downgraded":
			status = domain.NomineeDowngraded
		case "rejected":
			status = domain.NomineeRejected
		default:
			return fmt.Errorf("unknown nominee outcome %q", o.Outcome)
		}
		hold := ""
		if o.Outcome == "held" {
			hold = o.Reason
		}
		if _, err := tx.Exec(ctx, `UPDATE nominees SET status = $3, hold_reason = $4,
			award_code = CASE WHEN $5::text IS NOT NULL THEN $5 ELSE award_code END
			WHERE nomination_id = $1 AND id = $2`, t.NominationID, o.NomineeID, status, hold, award); err != nil {
			return err
		}
	}
	return nil
}

// issueDecision takes the next number of the issuing unit's yearly register and
// lists the awardees with their bonus: the award's multiplier × the base salary in
// force on the decision date (× 1.5 for a household). The counter row is locked by
// the upsert, so concurrent decisions of one unit queue and the numbers stay unique
// and gapless (a rolled-back transaction returns its number).
func issueDecision(ctx context.Context, tx pgx.Tx, t domain.Transition) (*domain.Decision, error) {
	signedOn := t.At.In(calendar.Zone)
	year := signedOn.Year()
	number, err := nextNumber(ctx, tx, decisionRegister, t.Decision.UnitID, year)
	if err != nil {
		return nil, err
	}
	code := fmt.Sprintf("%d/QĐ-%s", number, issuerSuffix(t.Decision.UnitID))
	d := &domain.Decision{NominationID: t.NominationID, UnitID: t.Decision.UnitID, Year: year, Number: number,
		Code: code, SignedBy: t.ActorID, SignedOn: signedOn.Format("2006-01-02"), CreatedAt: t.At}
	var id int64
	// The signer's title (chair, vice-chair, acting chair) on the day decides the
	// signature authority the decision's document prints (KT./TM./Q.).
	if err := tx.QueryRow(ctx, `INSERT INTO decisions (nomination_id, seq, unit_id, year, number, code, signed_by, signed_on, created_at, signer_title)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, COALESCE((SELECT title FROM users WHERE id = $7), '')) RETURNING id`, d.NominationID, t.Seq, d.UnitID, d.Year, d.Number, d.Code,
		d.SignedBy, d.SignedOn, d.CreatedAt).Scan(&id); err != nil {
		return nil, err
	}
	var base *int64
	if err := tx.QueryRow(ctx, `SELECT amount FROM base_salaries WHERE valid_from <= $1 ORDER BY valid_from DESC LIMIT 1`,
		d.SignedOn).Scan(&base); err != nil && err != pgx.ErrNoRows {
		return nil, err
	}
	for _, a := range t.Decision.Awardees {
		var mult *float64
		var kind, name string
		if err := tx.QueryRow(ctx, `SELECT a.bonus_multiplier::float8, n.kind, n.name FROM awards a, nominees n
			WHERE a.code = $1 AND n.id = $2`, a.AwardCode, a.NomineeID).Scan(&mult, &kind, &name); err != nil {
			return nil, fmt.Errorf("awardee %d (%s): %w", a.NomineeID, a.AwardCode, err)
		}
		a.Name, a.Kind = name, kind
		a.BonusVND = nomination.Bonus(mult, base, domain.NomineeKind(kind))
		if _, err := tx.Exec(ctx, `INSERT INTO decision_awardees (decision_id, nominee_id, award_code, bonus_vnd) VALUES ($1, $2, $3, $4)`,
			id, a.NomineeID, a.AwardCode, a.BonusVND); err != nil {
			return nil, err
		}
		d.Awardees = append(d.Awardees, a)
	}
	return d, nil
}

func issueLetter(ctx context.Context, tx pgx.Tx, t domain.Transition) (string, error) {
	signedOn := t.At.In(calendar.Zone)
	year := signedOn.Year()
	number, err := nextNumber(ctx, tx, letterRegister, t.UnitID, year)
	if err != nil {
		return "", err
	}
	code := fmt.Sprintf("%d/TTr-%s", number, issuerSuffix(t.UnitID))
	_, err = tx.Exec(ctx, `INSERT INTO submission_letters (nomination_id, seq, unit_id, to_unit_id, year, number, code, signed_by, signed_on)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, t.NominationID, t.Seq, t.UnitID, t.LetterTo, year, number, code,
		t.ActorID, signedOn.Format("2006-01-02"))
	return code, err
}

// issuerSuffix is the issuing-body part of a decision or letter code: UBND
// (People's Committee) for local units, TTg for the Prime Minister.
func issuerSuffix(unitID string) string {
	if unitID == "TW" {
		return "TTg"
	}
	return "UBND"
}

func recordConcurrence(ctx context.Context, tx pgx.Tx, t domain.Transition, tm Timing, details map[string]any, res *domain.RecordResult) error {
	switch {
	case len(t.ConcurrenceUnits) > 0:
		due := tm.ConcurrenceDue
		for _, u := range t.ConcurrenceUnits {
			if _, err := tx.Exec(ctx, `INSERT INTO concurrences (nomination_id, round, unit_id, requested_at, due_at)
				VALUES ($1, $2, $3, $4, $5)`, t.NominationID, t.ConcurrenceRound, u, t.At, due); err != nil {
				return err
			}
		}
		if !due.IsZero() {
			res.DueAt = &due
		}
		details["concurrence_units"] = t.ConcurrenceUnits
	case t.ConcurrenceAnswer != "":
		tag, err := tx.Exec(ctx, `UPDATE concurrences SET answer = $4, note = $5, answered_by = $6, answered_at = $7
			WHERE nomination_id = $1 AND round = $2 AND unit_id = $3 AND answer IS NULL`,
			t.NominationID, t.ConcurrenceRound, t.UnitID, t.ConcurrenceAnswer, t.Note, t.ActorID, t.At)
		if err != nil {
			return err
		}
		if tag.RowsAffected() != 1 {
			return fmt.Errorf("no open concurrence request to %s in round %d", t.UnitID, t.ConcurrenceRound)
		}
		details["concurrence_answer"] = t.ConcurrenceAnswer
		// Still waiting for others: the deadline stays.
		if err := tx.QueryRow(ctx, `SELECT max(due_at) FROM concurrences WHERE nomination_id = $1 AND round = $2 AND answer IS NULL`,
			t.NominationID, t.ConcurrenceRound).Scan(&res.DueAt); err != nil {
			return err
		}
	case t.ConcurrenceSilence:
		tag, err := tx.Exec(ctx, `UPDATE concurrences SET answer = 'silent', note = 'Quá hạn không trả lời: coi như đồng ý', answered_at = $3
			WHERE nomination_id = $1 AND round = $2 AND answer IS NULL`, t.NominationID, t.ConcurrenceRound, t.At)
		if err != nil {
			return err
		}
		details["silent_units"] = tag.RowsAffected()
	}
	return nil
}

func recordConsultation(ctx context.Context, tx pgx.Tx, t domain.Transition, tm Timing, details map[string]any, res *domain.RecordResult) error {
	if t.ConsultationDays > 0 {
		closes := tm.ConsultationCloses
		if _, err := tx.Exec(ctx, `INSERT INTO consultations (nomination_id, round, unit_id, opens_at, closes_at) VALUES ($1, $2, $3, $4, $5)`,
			t.NominationID, t.ConsultationRound, t.CurrentUnitID, t.At, closes); err != nil {
			return err
		}
		res.DueAt = &closes
		details["consultation_closes_at"] = closes
	}
	if t.Comment != "" {
		if _, err := tx.Exec(ctx, `INSERT INTO consultation_comments (nomination_id, round, author_id, body, created_at) VALUES ($1, $2, $3, $4, $5)`,
			t.NominationID, t.ConsultationRound, t.ActorID, t.Comment, t.At); err != nil {
			return err
		}
		details["comment"] = t.Comment
		if err := tx.QueryRow(ctx, `SELECT closes_at FROM consultations WHERE nomination_id = $1 AND round = $2`,
			t.NominationID, t.ConsultationRound).Scan(&res.DueAt); err != nil {
			return err
		}
	}
	return nil
}

// recordCouncil opens a vote session with the award's vote rule, or closes one and
// tallies it: the eligible members are the active council members and chair of the
// unit who have not declared a conflict, did not prepare the dossier and are not
// named as a nominee; the quorum and the threshold are fractions of them.
func recordCouncil(ctx context.Context, tx pgx.Tx, t domain.Transition, awardCode string, details map[string]any, res *domain.RecordResult) error {
	if t.CouncilOpen {
		if _, err := tx.Exec(ctx, `INSERT INTO council_sessions (nomination_id, session, unit_id, opened_at, secret, quorum, threshold)
			SELECT $1, $2, $3, $4, coalesce(r.secret, false), coalesce(r.quorum, 0.667), coalesce(r.threshold, 0.5)
			FROM (SELECT 1) one LEFT JOIN award_vote_rules r ON r.award_code = $5`,
			t.NominationID, t.CouncilSession, t.CurrentUnitID, t.At, awardCode); err != nil {
			return err
		}
		details["council_session"] = t.CouncilSession
	}
	if !t.CouncilClose {
		return nil
	}
	c := domain.CouncilResult{Session: t.CouncilSession}
	n := nomination.Count{}
	var unit string
	if err := tx.QueryRow(ctx, `SELECT unit_id, quorum::float8, threshold::float8, secret FROM council_sessions
		WHERE nomination_id = $1 AND session = $2 AND closed_at IS NULL FOR UPDATE`, t.NominationID, t.CouncilSession).
		Scan(&unit, &n.Quorum, &n.Threshold, &n.Secret); err != nil {
		return fmt.Errorf("council session %d: %w", t.CouncilSession, err)
	}
	eligible, err := eligibleVoters(ctx, tx, t.NominationID, unit)
	if err != nil {
		return err
	}
	n.Members = len(eligible)
	rows, err := tx.Query(ctx, `SELECT user_id, coalesce(choice, '') FROM council_attendance
		WHERE nomination_id = $1 AND session = $2`, t.NominationID, t.CouncilSession)
	if err != nil {
		return err
	}
	type attendance struct {
		UserID int64
		Choice string
	}
	voted, err := pgx.CollectRows(rows, pgx.RowToStructByPos[attendance])
	if err != nil {
		return err
	}
	choices := map[string]*int{"yes": &n.Yes, "no": &n.No, "abstain": &n.Abstain}
	for _, v := range voted {
		if !slices.Contains(eligible, v.UserID) {
			// Recused after voting: the vote is withdrawn.
			n.RecusedAfterVoting++
			continue
		}
		n.Present++
		if p := choices[v.Choice]; p != nil && !n.Secret {
			*p++
		}
	}
	if n.Secret {
		if err := tx.QueryRow(ctx, `SELECT count(*) FILTER (WHERE choice = 'yes'), count(*) FILTER (WHERE choice = 'no'),
			count(*) FILTER (WHERE choice = 'abstain') FROM council_ballots WHERE nomination_id = $1 AND session = $2`,
			t.NominationID, t.CouncilSession).Scan(&n.Yes, &n.No, &n.Abstain); err != nil {
			return err
		}
	}
	c.Members, c.Present, c.Yes, c.No, c.Abstain = n.Members, n.Present, n.Yes, n.No, n.Abstain
	c.Result = nomination.Tally(n)
	quorum, threshold := n.Quorum, n.Threshold
	minutes, _ := json.Marshal(map[string]any{"members": c.Members, "present": c.Present, "yes": c.Yes, "no": c.No,
		"abstain": c.Abstain, "quorum": quorum, "threshold": threshold, "result": c.Result, "closed_by": t.ActorID})
	if _, err := tx.Exec(ctx, `UPDATE council_sessions SET closed_at = $3, members = $4, present = $5, yes = $6, no = $7,
		abstain = $8, result = $9, minutes = $10 WHERE nomination_id = $1 AND session = $2`,
		t.NominationID, t.CouncilSession, t.At, c.Members, c.Present, c.Yes, c.No, c.Abstain, c.Result, minutes); err != nil {
		return err
	}
	if err := numberMinutes(ctx, tx, t, unit, eligible, details); err != nil {
		return err
	}
	res.Council = &c
	details["council"] = c
	return nil
}

// PendingConcurrences lists the units asked for concurrence on a dossier that have
// not answered yet.
func (s *Store) PendingConcurrences(ctx context.Context, nominationID string) ([]string, error) {
	rows, err := s.Pool.Query(ctx, `SELECT unit_id FROM concurrences WHERE nomination_id = $1 AND answer IS NULL ORDER BY unit_id`, nominationID)
	if err != nil {
		return nil, postgres.Translate("dossiers.PendingConcurrences", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return out, postgres.Translate("dossiers.PendingConcurrences", err)
}

// RecordedActs returns the acts recorded for a dossier after event afterSeq, in
// order, as the workflow applied them: a workflow that lost the update of a
// committed record applies them again (nomination.Behind). It stops at the first
// event recorded without its act (before acts were kept).
func (s *Store) RecordedActs(ctx context.Context, nominationID string, afterSeq int) ([]nomination.Recorded, error) {
	const op = "dossiers.RecordedActs"
	rows, err := s.Pool.Query(ctx, `SELECT seq, details->'act' FROM audit_events
		WHERE nomination_id = $1 AND seq > $2 ORDER BY seq`, nominationID, afterSeq)
	if err != nil {
		return nil, postgres.Translate(op, err)
	}
	type row struct {
		Seq int
		Act []byte
	}
	all, err := pgx.CollectRows(rows, pgx.RowToStructByPos[row])
	if err != nil {
		return nil, postgres.Translate(op, err)
	}
	var out []nomination.Recorded
	for _, r := range all {
		if len(r.Act) == 0 || string(r.Act) == "null" {
			break
		}
		var a nomination.Act
		if err := json.Unmarshal(r.Act, &a); err != nil {
			return nil, fmt.Errorf("%s: event %d: %w", op, r.Seq, err)
		}
		out = append(out, nomination.Recorded{Seq: r.Seq, Act: a})
	}
	return out, nil
}

package campaigns

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/inbox"
	"github.com/tdkt/tdkt/internal/postgres"
	"github.com/tdkt/tdkt/internal/review"
)

// ---- Reports ----

// Report is one unit's report of a campaign as the read model holds it.
type Report struct {
	ID               int64         `json:"-"`
	CampaignID       string        `json:"campaign_id"`
	UnitID           string        `json:"unit_id"`
	UnitName         string        `json:"unit_name"`
	Level            string        `json:"level"`
	ParentUnitID     string        `json:"parent_unit_id,omitempty"`
	Depth            int           `json:"depth"`
	Status           review.Status `json:"status"`
	Version          int           `json:"version"`
	Seq              int           `json:"-"`
	Deadline         *time.Time    `json:"deadline,omitempty"`
	RemindAt         *time.Time    `json:"remind_at,omitempty"`
	Values           review.Values `json:"values"`
	Aggregate        review.Values `json:"aggregate"`
	Missing          []string      `json:"missing_unit_ids"`
	ChildrenTotal    int           `json:"children_total"`
	ChildrenReported int           `json:"children_reported"`
	PrefilledAt      *time.Time    `json:"prefilled_at,omitempty"`
	SubmittedAt      *time.Time    `json:"submitted_at,omitempty"`
	SubmittedBy      int64         `json:"submitted_by,omitempty"`
	Late             bool          `json:"late"`
	Stale            bool          `json:"stale"`
	ReturnedCount    int           `json:"returned_count"`
	ReturnReason     string        `json:"return_reason,omitempty"`
	AcceptedAt       *time.Time    `json:"accepted_at,omitempty"`
	AcceptedBy       int64         `json:"accepted_by,omitempty"`
	RemindedAt       *time.Time    `json:"reminded_at,omitempty"`
	OverdueAt        *time.Time    `json:"overdue_at,omitempty"`
	UpdatedAt        time.Time     `json:"updated_at"`
}

const reportColumns = `r.id, r.campaign_id, r.unit_id, u.name, u.level, coalesce(r.parent_unit_id, ''), r.depth, r.status,
	r.version, r.seq, r.deadline, r.remind_at, r.vals, r.aggregate, r.missing_units, r.children_total, r.children_reported,
	r.prefilled_at, r.submitted_at, coalesce(r.submitted_by, 0), r.late, r.stale, r.returned_count, r.return_reason,
	r.accepted_at, coalesce(r.accepted_by, 0), r.reminded_at, r.overdue_at, r.updated_at`

// reportColumnsLight leaves out the values, for dashboards over thousands of units.
const reportColumnsLight = `r.id, r.campaign_id, r.unit_id, u.name, u.level, coalesce(r.parent_unit_id, ''), r.depth, r.status,
	r.version, r.seq, r.deadline, r.remind_at, '{}'::jsonb, '{}'::jsonb, r.missing_units, r.children_total, r.children_reported,
	r.prefilled_at, r.submitted_at, coalesce(r.submitted_by, 0), r.late, r.stale, r.returned_count, r.return_reason,
	r.accepted_at, coalesce(r.accepted_by, 0), r.reminded_at, r.overdue_at, r.updated_at`

func scanReport(row pgx.Row) (Report, error) {
	var r Report
	var vals, agg []byte
	err := row.Scan(&r.ID, &r.CampaignID, &r.UnitID, &r.UnitName, &r.Level, &r.ParentUnitID, &r.Depth, &r.Status,
		&r.Version, &r.Seq, &r.Deadline, &r.RemindAt, &vals, &agg, &r.Missing, &r.ChildrenTotal, &r.ChildrenReported,
		&r.PrefilledAt, &r.SubmittedAt, &r.SubmittedBy, &r.Late, &r.Stale, &r.ReturnedCount, &r.ReturnReason,
		&r.AcceptedAt, &r.AcceptedBy, &r.RemindedAt, &r.OverdueAt, &r.UpdatedAt)
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal(vals, &r.Values); err != nil {
		return r, err
	}
	return r, json.Unmarshal(agg, &r.Aggregate)
}

// Report returns one unit's report of a campaign; KindNotFound if the unit does not
// take part.
func (s *Store) Report(ctx context.Context, campaignID, unitID string) (Report, error) {
	if !postgres.IsUUID(campaignID) {
		return Report{}, &domain.Error{Op: "Report", Kind: domain.KindNotFound, Message: "no such review campaign"}
	}
	r, err := scanReport(s.Pool.QueryRow(ctx, `SELECT `+reportColumns+` FROM review_reports r JOIN units u ON u.id = r.unit_id
		WHERE r.campaign_id = $1 AND r.unit_id = $2`, campaignID, unitID))
	if errors.Is(err, pgx.ErrNoRows) {
		return r, &domain.Error{Op: "Report", Kind: domain.KindNotFound, Message: "this unit takes no part in the campaign", Err: err}
	}
	return r, postgres.Translate("Report", err)
}

// Reports returns the reports of the campaign's subtree rooted at rootUnitID, parents
// before children (by depth, then unit id). withValues loads the figures too.
func (s *Store) Reports(ctx context.Context, campaignID, rootUnitID string, withValues bool) ([]Report, error) {
	cols := reportColumnsLight
	if withValues {
		cols = reportColumns
	}
	rows, err := s.Pool.Query(ctx, `WITH RECURSIVE sub AS (
			SELECT unit_id FROM review_reports WHERE campaign_id = $1 AND unit_id = $2
			UNION ALL SELECT r.unit_id FROM review_reports r JOIN sub ON r.parent_unit_id = sub.unit_id WHERE r.campaign_id = $1)
		SELECT `+cols+` FROM review_reports r JOIN units u ON u.id = r.unit_id
		WHERE r.campaign_id = $1 AND r.unit_id IN (SELECT unit_id FROM sub) ORDER BY r.depth, r.unit_id`, campaignID, rootUnitID)
	if err != nil {
		return nil, postgres.Translate("campaigns.Reports", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Report, error) { return scanReport(r) })
	return out, postgres.Translate("campaigns.Reports", err)
}

// ChildReports returns the reports of the units that report to unitID, by unit id;
// withValues loads the figures too.
func (s *Store) ChildReports(ctx context.Context, campaignID, unitID string, withValues bool) ([]Report, error) {
	cols := reportColumnsLight
	if withValues {
		cols = reportColumns
	}
	rows, err := s.Pool.Query(ctx, `SELECT `+cols+` FROM review_reports r JOIN units u ON u.id = r.unit_id
		WHERE r.campaign_id = $1 AND r.parent_unit_id = $2 ORDER BY r.unit_id`, campaignID, unitID)
	if err != nil {
		return nil, postgres.Translate("campaigns.ChildReports", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Report, error) { return scanReport(r) })
	return out, postgres.Translate("campaigns.ChildReports", err)
}

// ReviewEvent is one event of a report's history.
type ReviewEvent struct {
	Seq        int            `json:"seq"`
	At         time.Time      `json:"at"`
	ActorID    int64          `json:"actor_id,omitempty"`
	ActorName  string         `json:"actor_name,omitempty"`
	Action     string         `json:"action"`
	FromStatus string         `json:"from_status,omitempty"`
	ToStatus   string         `json:"to_status,omitempty"`
	Details    map[string]any `json:"details,omitempty"`
}

// ReviewEvents returns a report's events in order.
func (s *Store) ReviewEvents(ctx context.Context, campaignID, unitID string) ([]ReviewEvent, error) {
	rows, err := s.Pool.Query(ctx, `SELECT e.seq, e.at, coalesce(e.actor_id, 0), coalesce(us.full_name, ''), e.action,
			e.from_status, e.to_status, e.details
		FROM review_events e JOIN review_reports r ON r.id = e.report_id LEFT JOIN users us ON us.id = e.actor_id
		WHERE r.campaign_id = $1 AND r.unit_id = $2 ORDER BY e.seq`, campaignID, unitID)
	if err != nil {
		return nil, postgres.Translate("campaigns.ReviewEvents", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ReviewEvent, error) {
		var e ReviewEvent
		var details []byte
		if err := r.Scan(&e.Seq, &e.At, &e.ActorID, &e.ActorName, &e.Action, &e.FromStatus, &e.ToStatus, &details); err != nil {
			return e, err
		}
		return e, json.Unmarshal(details, &e.Details)
	})
	return out, postgres.Translate("campaigns.ReviewEvents", err)
}

// lockedReport is a report row locked for a transition, with what the transition needs.
type lockedReport struct {
	Report
	campaignTitle string
	template      review.Template
}

func lockReport(ctx context.Context, tx pgx.Tx, campaignID, unitID string) (lockedReport, error) {
	var lr lockedReport
	var tpl []byte
	err := tx.QueryRow(ctx, `SELECT c.title, c.template FROM review_campaigns c WHERE c.id = $1`, campaignID).Scan(&lr.campaignTitle, &tpl)
	if err != nil {
		return lr, err
	}
	if lr.template, err = campaignTemplates.parse(campaignID, tpl); err != nil {
		return lr, err
	}
	lr.Report, err = scanReport(tx.QueryRow(ctx, `SELECT `+reportColumns+` FROM review_reports r JOIN units u ON u.id = r.unit_id
		WHERE r.campaign_id = $1 AND r.unit_id = $2 FOR UPDATE OF r`, campaignID, unitID))
	return lr, err
}

// reportLink is where a notification about a report points.
func reportLink(campaignID, unitID string) string {
	return "/api/v1/reviews/" + campaignID + "/reports/" + unitID
}

// RecordReview writes one event of a report in one transaction: the report's new
// status, version and figures; for a child's submission, return or acceptance the
// parent's aggregate, missing units and (in a pre-filled draft) the figures that
// follow the aggregate; for a pre-fill the aggregate written into the draft; for the
// root's plan the deadlines of every level; the notifications; and the event. It is
// idempotent on (report, seq): a retry after a commit returns the first outcome.
func (s *Store) RecordReview(ctx context.Context, t review.Transition) (review.RecordResult, error) {
	const op = "campaigns.RecordReview"
	var res review.RecordResult
	err := s.InTx(ctx, op, func(tx pgx.Tx) error {
		r, err := lockReport(ctx, tx, t.CampaignID, t.UnitID)
		if err != nil {
			return err
		}
		if r.Seq >= t.Seq {
			var action string
			if err := tx.QueryRow(ctx, `SELECT action FROM review_events WHERE report_id = $1 AND seq = $2`, r.ID, t.Seq).Scan(&action); err != nil {
				return fmt.Errorf("report at seq %d has no event %d: %w", r.Seq, t.Seq, err)
			}
			if action != string(t.Action) {
				return fmt.Errorf("event %d of report %s/%s is %q, not %q", t.Seq, t.CampaignID, t.UnitID, action, t.Action)
			}
			res = review.RecordResult{Status: r.Status, Version: r.Version, Late: r.Late}
			if t.Action == review.ActionSubmit && r.ParentUnitID != "" {
				// A retry after the commit: whether the parent's set is complete now.
				err := tx.QueryRow(ctx, `SELECT children_reported = children_total FROM review_reports
					WHERE campaign_id = $1 AND unit_id = $2`, t.CampaignID, r.ParentUnitID).Scan(&res.ParentComplete)
				if err != nil {
					return fmt.Errorf("parent report %s: %w", r.ParentUnitID, err)
				}
			}
			return nil
		}
		if r.Seq != t.Seq-1 {
			return fmt.Errorf("report %s/%s is at seq %d; cannot record event %d", t.CampaignID, t.UnitID, r.Seq, t.Seq)
		}
		next := r.Report
		details := map[string]any{}
		var notes []inbox.NewNotification
		notify := func(unit, role, kind, title, body string) {
			notes = append(notes, inbox.NewNotification{UnitID: unit, Role: role, Kind: kind, Title: title, Body: body,
				Link: reportLink(t.CampaignID, unit), DedupKey: fmt.Sprintf("review:%s:%s:%d:%s:%s", t.CampaignID, t.UnitID, t.Seq, unit, role), At: t.At})
		}
		deadline := ""
		if r.Deadline != nil {
			deadline = review.FormatShortDate(*r.Deadline)
		}
		switch t.Action {
		case review.ActionSave:
			next.Values = review.Merge(r.Values, t.Values, t.Clear)
		case review.ActionSubmit:
			next.Values = review.Merge(r.Values, t.Values, t.Clear)
			next.SubmittedAt, next.SubmittedBy = &t.At, t.ActorID
			next.Late = r.Deadline != nil && t.At.After(*r.Deadline)
			next.Stale = false
			details["late"] = next.Late
		case review.ActionReturn:
			next.ReturnedCount++
			next.ReturnReason = t.Reason
			details["reason"] = t.Reason
			body := "Lý do: " + t.Reason
			notify(t.UnitID, domain.RoleClerk, "review", "Báo cáo bị trả lại: "+r.campaignTitle, body)
			notify(t.UnitID, domain.RoleUnitHead, "review", "Báo cáo bị trả lại: "+r.campaignTitle, body)
		case review.ActionAccept:
			next.AcceptedAt, next.AcceptedBy = &t.At, t.ActorID
		case review.ActionPrefill:
			agg, err := refreshAggregate(ctx, tx, t.CampaignID, &next, r.template)
			if err != nil {
				return err
			}
			next.Values = review.Prefill(r.template, r.Values, agg)
			next.PrefilledAt = &t.At
			details["missing"] = next.Missing
			if r.Status.Open() || r.Depth == 0 {
				notify(t.UnitID, domain.RoleClerk, "review", "Số liệu tổng hợp đã được điền sẵn: "+r.campaignTitle,
					fmt.Sprintf("%d/%d đơn vị đã gửi báo cáo; còn thiếu %d đơn vị.", next.ChildrenReported, next.ChildrenTotal, len(next.Missing)))
			}
		case review.ActionRemind:
			next.RemindedAt = &t.At
			title := "Nhắc hạn gửi báo cáo: " + r.campaignTitle
			notify(t.UnitID, domain.RoleClerk, "reminder", title, "Hạn gửi báo cáo: "+deadline+".")
			notify(t.UnitID, domain.RoleUnitHead, "reminder", title, "Hạn gửi báo cáo: "+deadline+".")
		case review.ActionOverdue:
			next.OverdueAt = &t.At
			title := "Quá hạn gửi báo cáo: " + r.campaignTitle
			notify(t.UnitID, domain.RoleClerk, "overdue", title, "Hạn gửi báo cáo là "+deadline+"; báo cáo vẫn được tiếp nhận nhưng ghi nhận nộp muộn.")
			notify(t.UnitID, domain.RoleUnitHead, "overdue", title, "Hạn gửi báo cáo là "+deadline+".")
			if r.ParentUnitID != "" {
				notes = append(notes, inbox.NewNotification{UnitID: r.ParentUnitID, Role: domain.RoleAppraiser, Kind: "overdue",
					Title: r.UnitName + " chưa gửi báo cáo: " + r.campaignTitle, Body: "Đã quá hạn " + deadline + ".",
					Link: reportLink(t.CampaignID, t.UnitID), DedupKey: fmt.Sprintf("review:%s:%s:%d:parent", t.CampaignID, t.UnitID, t.Seq), At: t.At})
			}
		case review.ActionPlan, review.ActionDeadlines:
			if err := writePlan(ctx, tx, t.CampaignID, t.Plan); err != nil {
				return err
			}
			details["plan"] = t.Plan
		case review.ActionComplete, review.ActionClose:
			if _, err := tx.Exec(ctx, `UPDATE review_campaigns SET status = $2, closed_at = $3 WHERE id = $1`,
				t.CampaignID, string(t.ToStatus), t.At); err != nil {
				return err
			}
		default:
			return fmt.Errorf("unknown review action %q", t.Action)
		}
		if t.Note != "" {
			details["note"] = t.Note
		}
		next.Status, next.Version, next.Seq = t.ToStatus, t.Version, t.Seq
		vals, err := json.Marshal(next.Values)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE review_reports SET status = $2, version = $3, seq = $4, vals = $5,
				prefilled_at = $6, submitted_at = $7, submitted_by = $8, late = $9, stale = $10, returned_count = $11,
				return_reason = $12, accepted_at = $13, accepted_by = $14, reminded_at = $15, overdue_at = $16, updated_at = $17
			WHERE id = $1`, r.ID, string(next.Status), next.Version, next.Seq, vals, next.PrefilledAt, next.SubmittedAt,
			reviewNullID(next.SubmittedBy), next.Late, next.Stale, next.ReturnedCount, next.ReturnReason, next.AcceptedAt,
			reviewNullID(next.AcceptedBy), next.RemindedAt, next.OverdueAt, t.At); err != nil {
			return err
		}
		detailsJSON, err := json.Marshal(details)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO review_events (report_id, seq, at, actor_id, action, from_status, to_status, details)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, r.ID, t.Seq, t.At, reviewNullID(t.ActorID), string(t.Action),
			string(t.FromStatus), string(t.ToStatus), detailsJSON); err != nil {
			return err
		}
		parentComplete := false
		if r.ParentUnitID != "" && (t.Action == review.ActionSubmit || t.Action == review.ActionReturn || t.Action == review.ActionAccept) {
			parent, parentNotes, err := refreshParent(ctx, tx, t, r, next)
			if err != nil {
				return err
			}
			notes = append(notes, parentNotes...)
			parentComplete = t.Action == review.ActionSubmit && parent.ChildrenReported == parent.ChildrenTotal
		}
		for _, n := range notes {
			if _, err := inbox.NotifyTx(ctx, tx, n); err != nil {
				return err
			}
		}
		res = review.RecordResult{Status: next.Status, Version: next.Version, Late: next.Late, ParentComplete: parentComplete}
		return nil
	})
	return res, err
}

// writePlan sets every report's deadline and reminder from the plan of its depth.
func writePlan(ctx context.Context, tx pgx.Tx, campaignID string, plan []review.LevelPlan) error {
	js, err := json.Marshal(plan)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE review_reports r SET deadline = p.deadline, remind_at = p.remind_at
		FROM jsonb_to_recordset($2::jsonb) AS p(depth int, deadline timestamptz, remind_at timestamptz)
		WHERE r.campaign_id = $1 AND r.depth = p.depth`, campaignID, js); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE review_campaigns SET levels = $2,
		final_deadline = coalesce(($2::jsonb -> 0 ->> 'deadline')::timestamptz, final_deadline) WHERE id = $1`, campaignID, js)
	return err
}

// refreshAggregate recomputes a report's aggregate from its children's reports that
// have arrived (submitted or accepted), in unit order, and sets its missing units and
// counts on r. The caller holds r's row lock, so concurrent children queue on it.
func refreshAggregate(ctx context.Context, tx pgx.Tx, campaignID string, r *Report, tpl review.Template) (review.Values, error) {
	rows, err := tx.Query(ctx, `SELECT r.unit_id, u.name, r.status, r.vals FROM review_reports r JOIN units u ON u.id = r.unit_id
		WHERE r.campaign_id = $1 AND r.parent_unit_id = $2 ORDER BY r.unit_id`, campaignID, r.UnitID)
	if err != nil {
		return review.Values{}, err
	}
	type child struct {
		id, name string
		status   review.Status
		vals     []byte
	}
	children, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (child, error) {
		var c child
		err := row.Scan(&c.id, &c.name, &c.status, &c.vals)
		return c, err
	})
	if err != nil {
		return review.Values{}, err
	}
	var parts []review.Part
	missing := []string{}
	for _, c := range children {
		if !c.status.Reported() {
			missing = append(missing, c.id)
			continue
		}
		p := review.Part{UnitID: c.id, UnitName: c.name}
		if err := json.Unmarshal(c.vals, &p.Values); err != nil {
			return review.Values{}, err
		}
		parts = append(parts, p)
	}
	agg := review.Aggregate(tpl, parts)
	aggJSON, err := json.Marshal(agg)
	if err != nil {
		return agg, err
	}
	r.Aggregate, r.Missing, r.ChildrenReported, r.ChildrenTotal = agg, missing, len(parts), len(children)
	_, err = tx.Exec(ctx, `UPDATE review_reports SET aggregate = $2, missing_units = $3, children_reported = $4, children_total = $5
		WHERE id = $1`, r.ID, aggJSON, missing, len(parts), len(children))
	return agg, err
}

// refreshParent updates the parent's aggregate after a child's submission, return or
// acceptance: a pre-filled draft follows the new aggregate, a parent that has already
// submitted is marked stale and told, a late report is announced to the parent's
// standing body. It returns the parent's report as updated, with its children's counts.
func refreshParent(ctx context.Context, tx pgx.Tx, t review.Transition, child lockedReport, next Report) (Report, []inbox.NewNotification, error) {
	parent, err := lockReport(ctx, tx, t.CampaignID, child.ParentUnitID)
	if err != nil {
		return Report{}, nil, fmt.Errorf("parent report %s: %w", child.ParentUnitID, err)
	}
	oldAgg := parent.Aggregate
	p := parent.Report
	agg, err := refreshAggregate(ctx, tx, t.CampaignID, &p, parent.template)
	if err != nil {
		return p, nil, err
	}
	var notes []inbox.NewNotification
	if p.PrefilledAt != nil && (p.Status.Open() || p.Depth == 0) {
		p.Values = review.Follow(parent.template, p.Values, oldAgg, agg)
	}
	if t.Action == review.ActionSubmit {
		if p.Status == review.StatusSubmitted || p.Status == review.StatusAccepted {
			p.Stale = true
			notes = append(notes, inbox.NewNotification{UnitID: p.UnitID, Role: domain.RoleClerk, Kind: "review",
				Title:    "Báo cáo của " + child.UnitName + " đến sau khi đơn vị đã gửi báo cáo tổng hợp",
				Body:     "Số liệu tổng hợp đã thay đổi: " + child.campaignTitle + ".",
				Link:     reportLink(t.CampaignID, p.UnitID),
				DedupKey: fmt.Sprintf("review:%s:%s:%d:stale", t.CampaignID, t.UnitID, t.Seq), At: t.At})
		}
		if next.Late {
			notes = append(notes, inbox.NewNotification{UnitID: p.UnitID, Role: domain.RoleAppraiser, Kind: "review",
				Title:    child.UnitName + " gửi báo cáo muộn: " + child.campaignTitle,
				Link:     reportLink(t.CampaignID, t.UnitID),
				DedupKey: fmt.Sprintf("review:%s:%s:%d:late", t.CampaignID, t.UnitID, t.Seq), At: t.At})
		}
	}
	vals, err := json.Marshal(p.Values)
	if err != nil {
		return p, nil, err
	}
	_, err = tx.Exec(ctx, `UPDATE review_reports SET vals = $2, stale = $3, updated_at = $4 WHERE id = $1`, p.ID, vals, p.Stale, t.At)
	return p, notes, err
}

// AwardCounts counts, by award and nominee kind, the awardees of the decisions issued
// (and not revoked) on dossiers linked to the campaign or to its movement or a lower
// level's version of it, submitted by unitID or a unit below it.
func (s *Store) AwardCounts(ctx context.Context, campaignID, unitID string) ([]review.AwardCount, error) {
	rows, err := s.Pool.Query(ctx, `WITH RECURSIVE fam AS (
			SELECT c.movement_id AS id FROM review_campaigns c WHERE c.id = $1
			UNION SELECT m.id FROM movements m JOIN fam ON m.parent_id = fam.id),
		sub AS (
			SELECT $2::text AS id
			UNION SELECT u.id FROM units u JOIN sub ON u.parent_id = sub.id)
		SELECT da.award_code, a.name,
			count(*) FILTER (WHERE ne.kind = 'collective'),
			count(*) FILTER (WHERE ne.kind = 'individual'),
			count(*) FILTER (WHERE ne.kind = 'household')
		FROM decision_awardees da
		JOIN decisions d ON d.id = da.decision_id AND d.revoked_at IS NULL
		JOIN nominees ne ON ne.id = da.nominee_id
		JOIN nominations n ON n.id = d.nomination_id
		JOIN awards a ON a.code = da.award_code
		WHERE (n.campaign_id = $1 OR n.movement_id IN (SELECT id FROM fam)) AND n.unit_id IN (SELECT id FROM sub)
		GROUP BY da.award_code, a.name ORDER BY da.award_code`, campaignID, unitID)
	if err != nil {
		return nil, postgres.Translate("campaigns.AwardCounts", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (review.AwardCount, error) {
		var a review.AwardCount
		err := r.Scan(&a.AwardCode, &a.AwardName, &a.Collective, &a.Individual, &a.Household)
		return a, err
	})
	return out, postgres.Translate("campaigns.AwardCounts", err)
}

// UnitNames returns the names of the given units.
func (s *Store) UnitNames(ctx context.Context, ids []string) (map[string]string, error) {
	rows, err := s.Pool.Query(ctx, `SELECT id, name FROM units WHERE id = ANY($1)`, ids)
	if err != nil {
		return nil, postgres.Translate("campaigns.UnitNames", err)
	}
	out := make(map[string]string, len(ids))
	var id, name string
	_, err = pgx.ForEachRow(rows, []any{&id, &name}, func() error { out[id] = name; return nil })
	return out, postgres.Translate("campaigns.UnitNames", err)
}

package inbox

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/postgres"
)

// AtRiskCount is the number of open tasks of one step in one unit that are at risk.
type AtRiskCount struct {
	UnitID string
	Step   domain.Step
	AtRisk int
}

// AtRiskCounts counts, by unit and step, the open tasks of units that are not
// overdue at now and due no later than until[step] (the latest due date at risk
// for that step, app.atRiskUntil); steps absent from until have none at risk.
func (s *Store) AtRiskCounts(ctx context.Context, units []string, now time.Time, until map[domain.Step]time.Time) ([]AtRiskCount, error) {
	const op = "inbox.AtRiskCounts"
	steps := make([]string, 0, len(until))
	limits := make([]time.Time, 0, len(until))
	for st, t := range until {
		steps = append(steps, string(st))
		limits = append(limits, t)
	}
	rows, err := s.Pool.Query(ctx, `SELECT t.unit_id, t.step, count(*)
		FROM tasks t JOIN unnest($2::text[], $3::timestamptz[]) AS r(step, until) ON r.step = t.step
		WHERE t.status = 'open' AND t.unit_id = ANY($1) AND t.due_at >= $4 AND t.due_at <= r.until
		GROUP BY t.unit_id, t.step`, units, steps, limits, now)
	if err != nil {
		return nil, postgres.Translate(op, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (AtRiskCount, error) {
		var c AtRiskCount
		err := r.Scan(&c.UnitID, &c.Step, &c.AtRisk)
		return c, err
	})
	return out, postgres.Translate(op, err)
}

package ops

import (
	"context"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/postgres"
)

// Store is the gauges' SQL.
type Store struct{ postgres.DB }

// NewStore returns the gauges' SQL on the pool.
func NewStore(pool *pgxpool.Pool) *Store { return &Store{postgres.DB{Pool: pool}} }

// OpsCount is one labelled count of the operations gauges.
type OpsCount struct {
	Labels []string
	N      float64
}

// OpsGauges are the business counts an operator watches: open tasks by the level
// of the unit holding them and step, the open tasks at risk (reminder passed, not
// yet due) and overdue by level, audit events by action, decisions issued by the
// level of the deciding unit, and review reports submitted late or still missing
// past their deadline in running campaigns. Every label is a code from a closed
// set (levels, steps, actions), never an identifier.
type OpsGauges struct {
	OpenTasks        []OpsCount // level, step
	AtRiskTasks      []OpsCount // level
	OverdueTasks     []OpsCount // level
	Actions          []OpsCount // action
	Decisions        []OpsCount // level
	ReportsLate      float64
	ReportsOverdue   float64
	OpenNominations  []OpsCount // status
	RunningCampaigns float64
}

// gaugeStatements are the statements of two gauges, by the name of their field in
// OpsGauges. The audit events by action and the decisions by deciding unit are
// summed from the counts their triggers append (appended_counts, migration 0030),
// not counted in the log and the decisions: at 1M dossiers, 8 million events and
// 500,000 decisions the two counts took 0.9–1.1 s a reading.
var gaugeStatements = map[string]string{
	"Actions": `SELECT label, sum(n)::bigint FROM appended_counts WHERE gauge = 'actions' GROUP BY 1`,
	"Decisions": `SELECT u.level, sum(c.n)::bigint FROM appended_counts c JOIN units u ON u.id = c.label
		WHERE c.gauge = 'decisions' GROUP BY 1`,
}

// GaugeStatement is the statement of the gauge name (a field of OpsGauges) when
// it is read on its own, for a benchmark to time it alone; "" for the others.
func GaugeStatement(name string) string { return gaugeStatements[name] }

// LoadOpsGauges counts OpsGauges at now in one snapshot.
func (s *Store) LoadOpsGauges(ctx context.Context, now time.Time) (OpsGauges, error) {
	const op = "ops.LoadOpsGauges"
	var g OpsGauges
	tx, err := s.Pool.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead})
	if err != nil {
		return g, postgres.Translate(op, err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // read-only
	counts := func(dst *[]OpsCount, labels int, q string, args ...any) error {
		rows, err := tx.Query(ctx, q, args...)
		if err != nil {
			return err
		}
		out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (OpsCount, error) {
			c := OpsCount{Labels: make([]string, labels)}
			dest := make([]any, 0, labels+1)
			for i := range c.Labels {
				dest = append(dest, &c.Labels[i])
			}
			var n int64
			err := r.Scan(append(dest, &n)...)
			c.N = float64(n)
			return c, err
		})
		*dst = out
		return err
	}
	// The open tasks and the open dossiers are summed from the counts their
	// triggers keep (task_counts, migration 0026; nomination_counts, 0022), not
	// read one by one: at 1M dossiers the two scans took 0.3 s and 0.5 s a reading.
	// The overdue tasks are those of the counts' due dates before now.
	rows, err := tx.Query(ctx, `SELECT u.level, c.step, sum(c.n)::bigint, coalesce(sum(c.n) FILTER (WHERE c.due_at < $1), 0)::bigint
		FROM task_counts c JOIN units u ON u.id = c.unit_id GROUP BY 1, 2 HAVING sum(c.n) <> 0 ORDER BY 1, 2`, now)
	if err != nil {
		return g, postgres.Translate(op, err)
	}
	var level, step string
	var open, late int64
	if _, err := pgx.ForEachRow(rows, []any{&level, &step, &open, &late}, func() error {
		g.OpenTasks = append(g.OpenTasks, OpsCount{Labels: []string{level, step}, N: float64(open)})
		if late == 0 {
			return nil
		}
		// The rows come by level: a level's overdue tasks add up in its last entry.
		if n := len(g.OverdueTasks); n > 0 && g.OverdueTasks[n-1].Labels[0] == level {
			g.OverdueTasks[n-1].N += float64(late)
		} else {
			g.OverdueTasks = append(g.OverdueTasks, OpsCount{Labels: []string{level}, N: float64(late)})
		}
		return nil
	}); err != nil {
		return g, postgres.Translate(op, err)
	}
	steps := []struct {
		dst    *[]OpsCount
		labels int
		q      string
	}{
		// The reminder instant is not kept in the counts: the tasks past their
		// reminder and not yet due are read from the tasks.
		{&g.AtRiskTasks, 1, `SELECT u.level, count(*) FROM tasks t JOIN units u ON u.id = t.unit_id
			WHERE t.status = 'open' AND t.remind_at <= $1 AND t.due_at >= $1 GROUP BY 1`},
		{&g.Actions, 1, gaugeStatements["Actions"]},
		{&g.Decisions, 1, gaugeStatements["Decisions"]},
		{&g.OpenNominations, 1, `SELECT status, sum(n)::bigint FROM nomination_counts GROUP BY 1 HAVING sum(n) <> 0`},
	}
	for _, st := range steps {
		var args []any
		if st.dst == &g.AtRiskTasks {
			args = []any{now}
		}
		if err := counts(st.dst, st.labels, st.q, args...); err != nil {
			return g, postgres.Translate(op, err)
		}
	}
	// A dossier is open while its status is not terminal (domain.Status.Terminal).
	g.OpenNominations = slices.DeleteFunc(g.OpenNominations, func(c OpsCount) bool { return domain.Status(c.Labels[0]).Terminal() })
	var reportsLate, overdue, running int64
	if err := tx.QueryRow(ctx, `SELECT count(*) FILTER (WHERE r.late),
			count(*) FILTER (WHERE r.status IN ('not_started', 'draft', 'returned') AND r.deadline < $1),
			count(DISTINCT c.id)
		FROM review_campaigns c JOIN review_reports r ON r.campaign_id = c.id WHERE c.status = 'running'`, now).
		Scan(&reportsLate, &overdue, &running); err != nil {
		return g, postgres.Translate(op, err)
	}
	g.ReportsLate, g.ReportsOverdue, g.RunningCampaigns = float64(reportsLate), float64(overdue), float64(running)
	return g, nil
}

// CompactAppendedCounts folds the rows of appended_counts into one per gauge and
// label, in one statement: the rows appended meanwhile are not in its snapshot
// and stay for the next time, and a reading sees the rows before or after, the
// same sums. It returns the number of rows it wrote, one per gauge and label.
func (s *Store) CompactAppendedCounts(ctx context.Context) (int64, error) {
	tag, err := s.Pool.Exec(ctx, `WITH gone AS (DELETE FROM appended_counts RETURNING gauge, label, n)
		INSERT INTO appended_counts (gauge, label, n) SELECT gauge, label, sum(n) FROM gone GROUP BY gauge, label`)
	return tag.RowsAffected(), postgres.Translate("ops.CompactAppendedCounts", err)
}

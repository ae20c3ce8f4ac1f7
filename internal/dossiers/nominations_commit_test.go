package dossiers

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/pgtest"
	"github.com/tdkt/tdkt/internal/postgres"
	"github.com/tdkt/tdkt/internal/seed"
	"github.com/tdkt/tdkt/internal/usecase"
)

// allowAll is an authorizer that allows everything: these tests are about the
// transaction around the workflow start, not about permissions.
type allowAll struct{}

func (allowAll) Allow(int64, string, string, string) (bool, error) { return true, nil }
func (allowAll) VisibleUnits(int64, string, string) []string       { return nil }

// startProbe stands in for the Temporal client: while CreateNomination starts the
// dossier's workflow it runs probe (another writer of the audit log), then answers
// err. Any other method of the client is not expected and panics (nil embedded).
type startProbe struct {
	client.Client
	probe      func(ctx context.Context) error
	err        error
	probeErr   error
	started    int
	terminated []string
}

func (p *startProbe) ExecuteWorkflow(ctx context.Context, _ client.StartWorkflowOptions, _ any, _ ...any) (client.WorkflowRun, error) {
	p.started++
	p.probeErr = p.probe(ctx)
	return nil, p.err
}

func (p *startProbe) TerminateWorkflow(_ context.Context, id, _, _ string, _ ...any) error {
	p.terminated = append(p.terminated, id)
	return nil
}

// auditWrite commits one audit event (an administrative one, as another replica
// would write) in a transaction of its own that gives up after 2 s of waiting for
// a lock: it fails if the chain head is locked by someone else for that long.
func auditWrite(pool *pgxpool.Pool) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		tx, err := pool.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx) //nolint:errcheck // no-op after commit
		if _, err := tx.Exec(ctx, `SET LOCAL lock_timeout = '2s'`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO audit_events (nomination_id, seq, at, action, details)
			VALUES (NULL, 0, now(), 'probe', '{}')`); err != nil {
			return err
		}
		return tx.Commit(ctx)
	}
}

// TestCreateNominationDoesNotHoldTheAuditChainWhileStarting: while a dossier's
// workflow is being started, another audit write commits (the chain head is not
// locked across the round trip to Temporal); the dossier's rows and its "create"
// event are then committed after it, and the chain verifies. When the start fails,
// neither the rows nor the event are left, and the chain still verifies.
func TestCreateNominationDoesNotHoldTheAuditChainWhileStarting(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewPool(t)
	if _, _, err := seed.DemoToday(ctx, pool, func(string) (string, error) { return "x", nil }); err != nil {
		t.Fatal(err)
	}
	var clerk int64
	if err := pool.QueryRow(ctx, `SELECT id FROM users WHERE username = 'xa.clerk'`).Scan(&clerk); err != nil {
		t.Fatal(err)
	}
	probe := &startProbe{probe: auditWrite(pool)}
	s := newTestService(pool, &usecase.Base{Authz: allowAll{}, Temporal: probe, TaskQueue: "test",
		Now: func() time.Time { return time.Date(2026, 3, 10, 3, 0, 0, 0, time.UTC) }})
	in := CreateNominationInput{UnitID: seed.TodayCommune, AwardCode: "GK", Year: 2026,
		Nominees: []NomineeInput{{Kind: "individual", Name: "Hoàng Văn Tùng", JobTitle: "Trưởng thôn", Achievements: "Dẫn đầu phong trào"}}}

	n, err := s.CreateNomination(ctx, clerk, in)
	if err != nil {
		t.Fatal(err)
	}
	if probe.started != 1 || probe.probeErr != nil {
		t.Fatalf("an audit write during the workflow start: %v (starts %d), want it committed", probe.probeErr, probe.started)
	}
	// The create event opens the dossier's own audit chain (migration 0024); the
	// write made during the start is in the global chain.
	var probeSeq int64
	var createPos int
	if err := pool.QueryRow(ctx, `SELECT
			(SELECT chain_seq FROM audit_events WHERE action = 'probe'),
			(SELECT dossier_pos FROM audit_events WHERE nomination_id = $1 AND seq = 0 AND action = 'create')`, n.ID).
		Scan(&probeSeq, &createPos); err != nil {
		t.Fatal(err)
	}
	if probeSeq < 1 || createPos != 1 {
		t.Errorf("the write made during the start is at global position %d, the create event at position %d of its dossier's chain: want ≥ 1 and 1", probeSeq, createPos)
	}
	if n.Status != domain.StatusDraft {
		t.Errorf("dossier status %s, want draft", n.Status)
	}
	rep, err := (postgres.DB{Pool: pool}).VerifyAuditChain(ctx)
	if err != nil || rep.Break != nil {
		t.Fatalf("audit chain after a create: %v %+v", err, rep.Break)
	}

	// A failed start: nothing of the dossier is left, and the chain holds.
	var before, createsBefore int
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM nominations),
			(SELECT count(*) FROM audit_events WHERE action = 'create')`).Scan(&before, &createsBefore); err != nil {
		t.Fatal(err)
	}
	probe.err = errors.New("temporal unavailable")
	if _, err := s.CreateNomination(ctx, clerk, in); err == nil {
		t.Fatal("create succeeded although the workflow did not start")
	}
	if probe.probeErr != nil {
		t.Fatalf("an audit write during the failed start: %v", probe.probeErr)
	}
	var after, creates int
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM nominations),
			(SELECT count(*) FROM audit_events WHERE action = 'create')`).Scan(&after, &creates); err != nil {
		t.Fatal(err)
	}
	if after != before || creates != createsBefore {
		t.Errorf("after a failed start: %d dossiers (was %d), %d create events (was %d)", after, before, creates, createsBefore)
	}
	rep, err = (postgres.DB{Pool: pool}).VerifyAuditChain(ctx)
	if err != nil || rep.Break != nil {
		t.Fatalf("audit chain after a failed create: %v %+v", err, rep.Break)
	}
	if rep.Events < 3 {
		t.Errorf("chain of %d events, want at least the two probes and the create", rep.Events)
	}
}

// codeWrite takes the next dossier code of unit, as another clerk's create in the
// same unit would, in a transaction of its own that gives up after 2 s of waiting
// for a lock: it fails if the unit's counter is locked by someone else that long.
func codeWrite(pool *pgxpool.Pool, unit string) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		tx, err := pool.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx) //nolint:errcheck // no-op after commit
		if _, err := tx.Exec(ctx, `SET LOCAL lock_timeout = '2s'`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO dossier_counters (unit_id, year, last_number) VALUES ($1, 2026, 1)
			ON CONFLICT (unit_id, year) DO UPDATE SET last_number = dossier_counters.last_number + 1`, unit); err != nil {
			return err
		}
		return tx.Commit(ctx)
	}
}

// TestCreateNominationDoesNotHoldTheUnitsCounterWhileStarting: while a dossier's
// workflow is being started, another creation in the same unit can take its code
// (the unit's counter is not locked across the round trip to Temporal), and the
// dossier then gets the next code: the numbers stay gapless. When writing the rows
// fails after the start, the started workflow is terminated and nothing is left.
func TestCreateNominationDoesNotHoldTheUnitsCounterWhileStarting(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewPool(t)
	if _, _, err := seed.DemoToday(ctx, pool, func(string) (string, error) { return "x", nil }); err != nil {
		t.Fatal(err)
	}
	var clerk int64
	if err := pool.QueryRow(ctx, `SELECT id FROM users WHERE username = 'xa.clerk'`).Scan(&clerk); err != nil {
		t.Fatal(err)
	}
	probe := &startProbe{probe: codeWrite(pool, seed.TodayCommune)}
	s := newTestService(pool, &usecase.Base{Authz: allowAll{}, Temporal: probe, TaskQueue: "test",
		Now: func() time.Time { return time.Date(2026, 3, 10, 3, 0, 0, 0, time.UTC) }})
	in := CreateNominationInput{UnitID: seed.TodayCommune, AwardCode: "GK", Year: 2026,
		Nominees: []NomineeInput{{Kind: "individual", Name: "Hoàng Văn Tùng", JobTitle: "Trưởng thôn", Achievements: "Dẫn đầu phong trào"}}}

	var before int
	if err := pool.QueryRow(ctx, `SELECT coalesce((SELECT last_number FROM dossier_counters WHERE unit_id = $1 AND year = 2026), 0)`,
		seed.TodayCommune).Scan(&before); err != nil {
		t.Fatal(err)
	}
	n, err := s.CreateNomination(ctx, clerk, in)
	if err != nil {
		t.Fatal(err)
	}
	if probe.started != 1 || probe.probeErr != nil {
		t.Fatalf("a code taken in the same unit during the workflow start: %v (starts %d), want it committed", probe.probeErr, probe.started)
	}
	if want := fmt.Sprintf("%s/2026/%04d", seed.TodayCommune, before+2); n.Code != want {
		t.Errorf("dossier code %q, want %q (the number after the one taken during the start)", n.Code, want)
	}

	// Writing the rows fails after the start (a nominee the table refuses): the
	// workflow is terminated, and no dossier, nominee, event or number is left.
	var dossiers, events, counter int
	count := func() (int, int, int) {
		t.Helper()
		var d, e, c int
		if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM nominations), (SELECT count(*) FROM audit_events),
				(SELECT last_number FROM dossier_counters WHERE unit_id = $1 AND year = 2026)`, seed.TodayCommune).Scan(&d, &e, &c); err != nil {
			t.Fatal(err)
		}
		return d, e, c
	}
	dossiers, events, counter = count()
	probe.probe = func(ctx context.Context) error {
		_, err := pool.Exec(ctx, `ALTER TABLE nominees ADD CONSTRAINT test_refuse CHECK (name <> 'Hoàng Văn Tùng') NOT VALID`)
		return err
	}
	if _, err := s.CreateNomination(ctx, clerk, in); err == nil {
		t.Fatal("create succeeded although its rows could not be written")
	}
	if probe.probeErr != nil {
		t.Fatal(probe.probeErr)
	}
	if len(probe.terminated) != 1 {
		t.Errorf("terminated workflows %v, want the one started for the rows that failed", probe.terminated)
	}
	if d, e, c := count(); d != dossiers || e != events || c != counter {
		t.Errorf("after a failed write: %d dossiers (was %d), %d events (was %d), counter %d (was %d)", d, dossiers, e, events, c, counter)
	}
}

package dossiers_test

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/dossiers"
	"github.com/tdkt/tdkt/internal/password"
	"github.com/tdkt/tdkt/internal/pgtest"
	"github.com/tdkt/tdkt/internal/postgres"
	"github.com/tdkt/tdkt/internal/refdata"
	"github.com/tdkt/tdkt/internal/seed"
)

func demoStore(t *testing.T) *dossiers.Store {
	t.Helper()
	pool := pgtest.NewPool(t)
	if _, err := seed.Demo(context.Background(), pool, password.Hasher{Cost: bcrypt.MinCost}.Hash); err != nil {
		t.Fatal(err)
	}
	return dossiers.NewStore(pool)
}

func unitIDs(route []domain.RouteStop) string {
	s := ""
	for _, r := range route {
		if s != "" {
			s += ">"
		}
		s += r.UnitID
		if r.Decides {
			s += "*"
		}
	}
	return s
}

func TestRouteFollowsTheAuthorityRulesAndTheTree(t *testing.T) {
	s := demoStore(t)
	ctx := context.Background()
	before := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	after := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		on                time.Time
		unit, award, want string
	}{
		{before, seed.DemoCommune, "BK_TINH", seed.DemoDistrict + ">" + seed.Province + "*"},
		{before, seed.DemoCommune, "GK", seed.DemoDistrict + "*"},
		{before, seed.DemoCommune, "LDTT", seed.DemoCommune + "*"},
		{before, seed.DemoCommune, "BK_TTG", seed.DemoDistrict + ">" + seed.Province + ">" + seed.Central + "*"},
		{before, seed.DemoDistrict, "BK_TINH", seed.Province + "*"},
		{before, seed.Province, "BK_TTG", seed.Central + "*"},
		// After the reform the commune's chair decides Giấy khen; districts propose nothing.
		{after, seed.DemoCommune, "GK", seed.DemoCommune + "*"},
		{after, seed.DemoCommune, "BK_TINH", seed.DemoDistrict + ">" + seed.Province + "*"},
	} {
		on := tc.on
		rr, err := refdata.NewStore(s.Pool).Route(ctx, tc.unit, tc.award, "", on)
		if err != nil {
			t.Errorf("%s from %s: %v", tc.award, tc.unit, err)
			continue
		}
		if got := unitIDs(rr.Route); got != tc.want {
			t.Errorf("%s from %s: route %s, want %s", tc.award, tc.unit, got, tc.want)
		}
	}
	if _, err := refdata.NewStore(s.Pool).Route(ctx, seed.DemoDistrict, "BK_TINH", "", after); !domain.IsKind(err, domain.KindInvalid) {
		t.Errorf("a district proposing after the reform: want invalid, got %v", err)
	}
	if _, err := refdata.NewStore(s.Pool).Route(ctx, seed.Province, "LDTT", "", after); !domain.IsKind(err, domain.KindInvalid) {
		t.Errorf("a province proposing a commune-level title: want invalid, got %v", err)
	}
}

// newDossier creates a draft dossier directly in the dossiers.
func newDossier(t *testing.T, s *dossiers.Store, clerk int64) string {
	t.Helper()
	ctx := context.Background()
	id := uuid.NewString()
	tx, err := s.BeginTx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	err = dossiers.CreateNominationTx(ctx, tx, dossiers.NewNomination{ID: id, WorkflowID: "nomination-" + id, UnitID: seed.DemoCommune,
		AwardCode: "GK", Year: 2026, Title: "Hồ sơ thử", CreatedBy: clerk,
		Route:    []domain.RouteStop{{UnitID: seed.DemoDistrict, Level: "district", Decides: true}},
		Nominees: []domain.Nominee{{Kind: domain.NomineeIndividual, Name: "Nguyễn Văn A"}}, At: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	return id
}

func userOf(t *testing.T, s *dossiers.Store, name string) int64 { return userID(t, s, name) }

func TestRecordIsIdempotentPerSequence(t *testing.T) {
	s := demoStore(t)
	ctx := context.Background()
	clerk := userOf(t, s, "xa.clerk")
	id := newDossier(t, s, clerk)
	tr := domain.Transition{NominationID: id, Seq: 1, At: time.Now().UTC(), ActorID: clerk, Action: domain.ActionSubmit,
		FromStatus: domain.StatusDraft, ToStatus: domain.StatusIntake, Step: domain.StepIntake, CloseAll: true,
		UnitID: seed.DemoCommune, CurrentUnitID: seed.DemoDistrict,
		Open: []domain.TaskSpec{{Step: domain.StepIntake, UnitID: seed.DemoDistrict, Role: domain.RoleAppraiser}}}
	due := time.Now().Add(240 * time.Hour)
	tm := dossiers.Timing{Due: map[domain.Step]time.Time{domain.StepIntake: due}}
	for i := 0; i < 3; i++ {
		if _, err := s.Record(ctx, tr, tm); err != nil {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	var events, open int
	s.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE nomination_id = $1`, id).Scan(&events)
	s.Pool.QueryRow(ctx, `SELECT count(*) FROM tasks WHERE nomination_id = $1 AND status = 'open'`, id).Scan(&open)
	if events != 2 || open != 1 {
		t.Fatalf("after 3 identical records: %d events (want 2), %d open tasks (want 1)", events, open)
	}
	// A different action claiming the same sequence is refused, not silently merged.
	tr.Action = domain.ActionWithdraw
	if _, err := s.Record(ctx, tr, dossiers.Timing{}); err == nil {
		t.Fatal("a conflicting transition with a used sequence was accepted")
	}
	// Skipping a sequence is refused.
	tr.Seq, tr.Action = 5, domain.ActionApprove
	if _, err := s.Record(ctx, tr, dossiers.Timing{}); err == nil {
		t.Fatal("a transition skipping versions was accepted")
	}
	var notes int
	s.Pool.QueryRow(ctx, `SELECT count(*) FROM notifications WHERE kind = 'task'`).Scan(&notes)
	if notes != 1 {
		t.Fatalf("the district appraiser should be notified of the new task once, got %d notifications", notes)
	}
}

func TestAuditEventsCannotBeChangedOrDeleted(t *testing.T) {
	s := demoStore(t)
	ctx := context.Background()
	id := newDossier(t, s, userOf(t, s, "xa.clerk"))
	if _, err := s.Pool.Exec(ctx, `UPDATE audit_events SET action = 'forged' WHERE nomination_id = $1`, id); err == nil {
		t.Fatal("an audit event was updated")
	}
	if _, err := s.Pool.Exec(ctx, `DELETE FROM audit_events WHERE nomination_id = $1`, id); err == nil {
		t.Fatal("an audit event was deleted")
	}
}

// TestConcurrentDecisionsGetUniqueGaplessNumbers issues 20 decisions of one unit at
// once: the numbers must be exactly 1..20.
func TestConcurrentDecisionsGetUniqueGaplessNumbers(t *testing.T) {
	s := demoStore(t)
	ctx := context.Background()
	clerk, decider := userOf(t, s, "xa.clerk"), userOf(t, s, "huyen.decider")
	const n = 20
	ids := make([]string, n)

	for i := range ids {
		ids[i] = newDossier(t, s, clerk)
		// Move each to "deciding" at version 1.
		if _, err := s.Pool.Exec(ctx, `UPDATE nominations SET status = 'deciding', version = 1 WHERE id = $1`, ids[i]); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	nums := make([]int, n)
	errs := make([]error, n)
	at := time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
	for i := range ids {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			var nominee int64
			if err := s.Pool.QueryRow(ctx, `SELECT id FROM nominees WHERE nomination_id = $1`, ids[i]).Scan(&nominee); err != nil {
				errs[i] = err
				return
			}
			res, err := s.Record(ctx, domain.Transition{NominationID: ids[i], Seq: 2, At: at, ActorID: decider,
				Action: domain.ActionDecide, FromStatus: domain.StatusDeciding, ToStatus: domain.StatusDecided, CloseAll: true,
				UnitID: seed.DemoDistrict, Decision: &domain.DecisionSpec{UnitID: seed.DemoDistrict,
					Awardees: []domain.Awardee{{NomineeID: nominee, AwardCode: "GK"}}}}, dossiers.Timing{})
			errs[i] = err
			if err == nil {
				nums[i] = res.Decision.Number
			}
		}(i)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	sort.Ints(nums)
	for i, got := range nums {
		if got != i+1 {
			t.Fatalf("decision numbers %v are not 1..%d", nums, n)
		}
	}
	var code string
	s.Pool.QueryRow(ctx, `SELECT code FROM decisions WHERE number = 20 AND unit_id = $1`, seed.DemoDistrict).Scan(&code)
	if code != fmt.Sprintf("%d/QĐ-UBND", 20) {
		t.Fatalf("decision code %q", code)
	}
	// Giấy khen: 0.3 × the base salary in force on 20/11/2026 (2,340,000 đ) = 702,000 đ each.
	var bonuses, total int64
	s.Pool.QueryRow(ctx, `SELECT count(*), sum(bonus_vnd) FROM decision_awardees`).Scan(&bonuses, &total)
	if bonuses != n || total != n*702000 {
		t.Fatalf("%d bonuses totalling %d đ, want %d × 702000", bonuses, total, n)
	}
}

func TestCreateRolledBackLeavesNothing(t *testing.T) {
	s := demoStore(t)
	ctx := context.Background()
	tx, err := s.BeginTx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	id := uuid.NewString()
	if err := dossiers.CreateNominationTx(ctx, tx, dossiers.NewNomination{ID: id, WorkflowID: "nomination-" + id, UnitID: seed.DemoCommune,
		AwardCode: "GK", Year: 2026, Title: "x", CreatedBy: userOf(t, s, "xa.clerk"), Route: []domain.RouteStop{},
		Nominees: []domain.Nominee{{Kind: domain.NomineeIndividual, Name: "A"}}, At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	tx.Rollback(ctx) //nolint:errcheck
	for _, table := range []string{"nominations", "nominees", "tasks", "audit_events"} {
		var n int
		s.Pool.QueryRow(ctx, "SELECT count(*) FROM "+table).Scan(&n)
		if n != 0 {
			t.Errorf("%d rows left in %s", n, table)
		}
	}
	// An unknown award is an invalid-input error at the store boundary.
	tx, _ = s.BeginTx(ctx)
	defer tx.Rollback(ctx) //nolint:errcheck
	err = dossiers.CreateNominationTx(ctx, tx, dossiers.NewNomination{ID: uuid.NewString(), WorkflowID: "w", UnitID: seed.DemoCommune,
		AwardCode: "NOPE", Year: 2026, Title: "x", CreatedBy: userOf(t, s, "xa.clerk"), At: time.Now()})
	if !domain.IsKind(err, domain.KindInvalid) {
		t.Fatalf("unknown award: want invalid, got %v", err)
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	pool := pgtest.NewPool(t)
	applied, err := postgres.Migrate(context.Background(), pool)
	if err != nil || len(applied) != 0 {
		t.Fatalf("second migrate applied %v, err %v", applied, err)
	}
}

func userID(tb testing.TB, s *dossiers.Store, username string) int64 {
	var id int64
	if err := s.Pool.QueryRow(context.Background(), `SELECT id FROM users WHERE username = $1`, username).Scan(&id); err != nil {
		tb.Fatal(err)
	}
	return id
}

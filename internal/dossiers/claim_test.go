package dossiers

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/pgtest"
	"github.com/tdkt/tdkt/internal/seed"
	"github.com/tdkt/tdkt/internal/usecase"
)

// TestClaimedTaskIsActedOnOnlyByItsAssigneeOrTheHead: a dossier's appraisal task
// claimed by xa.appraiser may be acted on by her and by the commune's head;
// the clerk gets 409 naming her. Unclaimed, or at a step with no open task,
// nobody is stopped by the claim rule.
func TestClaimedTaskIsActedOnOnlyByItsAssigneeOrTheHead(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewPool(t)
	if _, err := seed.Demo(ctx, pool, func(string) (string, error) { return "x", nil }); err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	for _, u := range []string{"xa.clerk", "xa.head", "xa.appraiser"} {
		var id int64
		if err := pool.QueryRow(ctx, `SELECT id FROM users WHERE username = $1`, u).Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids[u] = id
	}
	var nom string
	if err := pool.QueryRow(ctx, `INSERT INTO nominations (id, workflow_id, unit_id, award_code, year, title, status, route, created_by)
		VALUES (gen_random_uuid(), 'claim-test', $1, 'BK_TINH', 2026, 'Hồ sơ', 'appraising', '[]', $2) RETURNING id::text`,
		seed.DemoCommune, ids["xa.clerk"]).Scan(&nom); err != nil {
		t.Fatal(err)
	}
	var task int64
	if err := pool.QueryRow(ctx, `INSERT INTO tasks (nomination_id, seq, step, unit_id, role, created_at)
		VALUES ($1, 1, 'appraise', $2, $3, now()) RETURNING id`, nom, seed.DemoCommune, domain.RoleAppraiser).Scan(&task); err != nil {
		t.Fatal(err)
	}
	base := &usecase.Base{Now: func() time.Time { return time.Date(2026, 3, 10, 3, 0, 0, 0, time.UTC) }}
	s := newTestService(pool, base)
	// Unclaimed: the claim rule stops nobody.
	for _, u := range []string{"xa.clerk", "xa.appraiser"} {
		if err := s.checkClaim(ctx, ids[u], nom, domain.StepAppraise); err != nil {
			t.Fatalf("unclaimed, %s: %v", u, err)
		}
	}
	if _, err := s.inbox.ClaimTask(ctx, ids["xa.appraiser"], task); err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"xa.appraiser", "xa.head"} {
		if err := s.checkClaim(ctx, ids[u], nom, domain.StepAppraise); err != nil {
			t.Errorf("claimed, %s: %v", u, err)
		}
	}
	err := s.checkClaim(ctx, ids["xa.clerk"], nom, domain.StepAppraise)
	if !domain.IsKind(err, domain.KindConflict) || !strings.Contains(err.Error(), "Lương Thị Hoa") {
		t.Fatalf("claimed, clerk: %v, want a conflict naming the assignee", err)
	}
	// Another step of the dossier has no open task: no claim applies.
	if err := s.checkClaim(ctx, ids["xa.clerk"], nom, domain.StepDecide); err != nil {
		t.Fatalf("step without a task: %v", err)
	}
}

// TestHideUnseen: a refusal to read and a missing parent both answer as an
// unknown object; other errors pass.
func TestHideUnseen(t *testing.T) {
	for _, err := range []error{domain.Errorf(domain.KindForbidden, "you may not read this history"), domain.Errorf(domain.KindNotFound, "no such dossier")} {
		got := domain.HideUnseen(err, "not found")
		if !domain.IsKind(got, domain.KindNotFound) || got.Error() != (&domain.Error{Kind: domain.KindNotFound, Message: "not found"}).Error() {
			t.Errorf("%v became %v", err, got)
		}
	}
	if err := domain.Invalid("bad"); domain.HideUnseen(err, "x") != err {
		t.Error("an invalid request was hidden")
	}
}

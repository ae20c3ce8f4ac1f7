package dossiers

import (
	"context"
	"testing"
	"time"

	"github.com/tdkt/tdkt/internal/authz"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/pgtest"
	"github.com/tdkt/tdkt/internal/seed"
	"github.com/tdkt/tdkt/internal/usecase"
)

// TestReadMemoLoadsADossierOncePerRequestAndStillChecksWhoReads: under
// WithReadMemo a dossier is loaded once (a change made after the first load is not
// seen by the same request, and is seen by the next one); each caller gets its own
// copy; and who may read is decided at every call, whoever loaded it first.
func TestReadMemoLoadsADossierOncePerRequestAndStillChecksWhoReads(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewPool(t)
	if _, err := seed.Demo(ctx, pool, func(string) (string, error) { return "x", nil }); err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	for _, u := range []string{"xa.clerk", "tinh.appraiser"} {
		var id int64
		if err := pool.QueryRow(ctx, `SELECT id FROM users WHERE username = $1`, u).Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids[u] = id
	}
	var other string // a commune outside the demo commune's district
	if err := pool.QueryRow(ctx, `SELECT u.id FROM units u WHERE u.level = 'commune' AND u.id <> $1
		AND NOT EXISTS (SELECT 1 FROM role_assignments r WHERE r.unit_id = u.id) ORDER BY u.id LIMIT 1`, seed.DemoCommune).Scan(&other); err != nil {
		t.Fatal(err)
	}
	var nom string
	if err := pool.QueryRow(ctx, `INSERT INTO nominations (id, workflow_id, unit_id, award_code, year, title, status, route, created_by)
		VALUES (gen_random_uuid(), 'memo-test', $1, 'GK', 2026, 'Trước', 'appraising', '[]', $2) RETURNING id::text`,
		seed.DemoCommune, ids["xa.clerk"]).Scan(&nom); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO nominees (nomination_id, position, kind, name) VALUES ($1, 0, 'individual', 'Nguyễn Văn A')`, nom); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 10, 3, 0, 0, 0, time.UTC)
	enf, err := authz.Load(ctx, pool, now)
	if err != nil {
		t.Fatal(err)
	}
	s := newTestService(pool, &usecase.Base{Authz: enf, Now: func() time.Time { return now }})

	req := WithReadMemo(ctx)
	first, err := s.Nomination(req, ids["xa.clerk"], nom)
	if err != nil || first.Title != "Trước" || len(first.Nominees) != 1 {
		t.Fatalf("first read: %+v, %v", first, err)
	}
	first.Nominees[0].Name = "changed by the caller"
	if _, err := pool.Exec(ctx, `UPDATE nominations SET title = 'Sau' WHERE id = $1`, nom); err != nil {
		t.Fatal(err)
	}
	again, err := s.Nomination(req, ids["xa.clerk"], nom)
	if err != nil || again.Title != "Trước" {
		t.Fatalf("same request: %q, %v; want the first load's title", again.Title, err)
	}
	if again.Nominees[0].Name != "Nguyễn Văn A" {
		t.Fatalf("a caller's change reached the memo: %q", again.Nominees[0].Name)
	}
	if next, err := s.Nomination(WithReadMemo(ctx), ids["xa.clerk"], nom); err != nil || next.Title != "Sau" {
		t.Fatalf("next request: %q, %v; want the change", next.Title, err)
	}
	if plain, err := s.Nomination(ctx, ids["xa.clerk"], nom); err != nil || plain.Title != "Sau" {
		t.Fatalf("without a memo: %q, %v", plain.Title, err)
	}

	// A reader outside the dossier's units is refused from the memo too, as not
	// found, and an unknown dossier stays unknown.
	if _, err := pool.Exec(ctx, `UPDATE nominations SET unit_id = $2 WHERE id = $1`, nom, other); err != nil {
		t.Fatal(err)
	}
	req = WithReadMemo(ctx)
	if _, err := s.Nomination(req, ids["xa.clerk"], nom); !domain.IsKind(err, domain.KindNotFound) {
		t.Fatalf("the clerk of another commune read it: %v", err)
	}
	if _, err := s.Nomination(req, ids["tinh.appraiser"], nom); err != nil {
		t.Fatalf("the province's appraiser may read it: %v", err)
	}
	if _, err := s.Nomination(req, ids["xa.clerk"], nom); !domain.IsKind(err, domain.KindNotFound) {
		t.Fatalf("after the appraiser's load, the clerk of another commune read it from the memo: %v", err)
	}
	if _, err := s.Nomination(req, ids["xa.clerk"], "00000000-0000-0000-0000-000000000000"); !domain.IsKind(err, domain.KindNotFound) {
		t.Fatalf("unknown dossier: %v", err)
	}
}

package accounts_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tdkt/tdkt/internal/app"
	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/pgtest"
	"github.com/tdkt/tdkt/internal/seed"
	"github.com/tdkt/tdkt/internal/usecase"
)

// fakeAuthz allows exactly the listed (user, unit) pairs, for any object and action;
// fail makes every answer an error.
type fakeAuthz struct {
	allowed map[int64]map[string]bool
	fail    error
}

func (f fakeAuthz) Allow(userID int64, unitID, _, _ string) (bool, error) {
	if f.fail != nil {
		return false, f.fail
	}
	return f.allowed[userID][unitID], nil
}

func (f fakeAuthz) VisibleUnits(int64, string, string) []string { return nil }

func demoPool(t *testing.T) (*pgxpool.Pool, map[string]int64) {
	t.Helper()
	ctx := context.Background()
	pool := pgtest.NewPool(t)
	if _, err := seed.Demo(ctx, pool, func(string) (string, error) { return "x", nil }); err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	rows, err := pool.Query(ctx, `SELECT username, id FROM users`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		var id int64
		if err := rows.Scan(&name, &id); err != nil {
			t.Fatal(err)
		}
		ids[name] = id
	}
	return pool, ids
}

func TestAllowActing(t *testing.T) {
	ctx := context.Background()
	pool, ids := demoPool(t)
	decider, vice, clerk, other := ids["tinh.decider"], ids["tinh.head"], ids["tinh.clerk"], ids["huyen.decider"]
	authz := fakeAuthz{allowed: map[int64]map[string]bool{
		decider: {seed.Province: true},
		other:   {seed.DemoDistrict: true},
	}}
	// 10:00 in Vietnam on Tuesday 10 March 2026.
	morning := time.Date(2026, 3, 10, 10, 0, 0, 0, calendar.Zone)
	// 01:30 in Vietnam on 11 March, still 10 March in UTC.
	pastMidnight := time.Date(2026, 3, 10, 18, 30, 0, 0, time.UTC)
	type deleg struct {
		from          int64
		fromDay, toDy string
		revoked       bool
	}
	tests := []struct {
		name        string
		now         time.Time
		user        int64
		unit        string
		delegations []deleg
		authzErr    error
		want        int64
		wantKind    domain.ErrorKind // "" for success
	}{
		{name: "allowed directly acts in own right", now: morning, user: decider, unit: seed.Province, want: 0,
			delegations: []deleg{{from: other, fromDay: "2026-03-01", toDy: "2026-03-31"}}},
		{name: "active delegation from an allowed giver", now: morning, user: clerk, unit: seed.Province, want: decider,
			delegations: []deleg{{from: decider, fromDay: "2026-03-09", toDy: "2026-03-13"}}},
		{name: "last day included", now: morning, user: clerk, unit: seed.Province, want: decider,
			delegations: []deleg{{from: decider, fromDay: "2026-03-02", toDy: "2026-03-10"}}},
		{name: "first day included", now: morning, user: clerk, unit: seed.Province, want: decider,
			delegations: []deleg{{from: decider, fromDay: "2026-03-10", toDy: "2026-03-10"}}},
		{name: "expired yesterday", now: morning, user: clerk, unit: seed.Province, wantKind: domain.KindForbidden,
			delegations: []deleg{{from: decider, fromDay: "2026-03-02", toDy: "2026-03-09"}}},
		{name: "not started yet", now: morning, user: clerk, unit: seed.Province, wantKind: domain.KindForbidden,
			delegations: []deleg{{from: decider, fromDay: "2026-03-11", toDy: "2026-03-20"}}},
		{name: "the day is taken in Vietnam, not UTC", now: pastMidnight, user: clerk, unit: seed.Province, want: decider,
			delegations: []deleg{{from: decider, fromDay: "2026-03-11", toDy: "2026-03-20"}}},
		{name: "revoked", now: morning, user: clerk, unit: seed.Province, wantKind: domain.KindForbidden,
			delegations: []deleg{{from: decider, fromDay: "2026-03-01", toDy: "2026-03-31", revoked: true}}},
		{name: "giver not allowed in this unit", now: morning, user: clerk, unit: seed.Province, wantKind: domain.KindForbidden,
			delegations: []deleg{{from: other, fromDay: "2026-03-01", toDy: "2026-03-31"}}},
		{name: "giver without permission delegates nothing", now: morning, user: clerk, unit: seed.Province, wantKind: domain.KindForbidden,
			delegations: []deleg{{from: vice, fromDay: "2026-03-01", toDy: "2026-03-31"}}},
		{name: "of several givers the allowed one", now: morning, user: clerk, unit: seed.DemoDistrict, want: other,
			delegations: []deleg{{from: decider, fromDay: "2026-03-01", toDy: "2026-03-31"}, {from: other, fromDay: "2026-03-05", toDy: "2026-03-15"}}},
		{name: "no delegation", now: morning, user: clerk, unit: seed.Province, wantKind: domain.KindForbidden},
		{name: "authorizer failure is an error, not a denial", now: morning, user: clerk, unit: seed.Province,
			authzErr: errors.New("model broken"), wantKind: domain.KindInternal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := pool.Exec(ctx, `DELETE FROM delegations`); err != nil {
				t.Fatal(err)
			}
			for _, d := range tt.delegations {
				var revoked any
				if d.revoked {
					revoked = tt.now.Add(-time.Hour)
				}
				if _, err := pool.Exec(ctx, `INSERT INTO delegations (from_user_id, to_user_id, valid_from, valid_to, reason, revoked_at)
					VALUES ($1, $2, $3, $4, 'đi công tác', $5)`, d.from, tt.user, d.fromDay, d.toDy, revoked); err != nil {
					t.Fatal(err)
				}
			}
			az := authz
			az.fail = tt.authzErr
			svc := app.New(pool, &usecase.Base{Authz: az, Now: func() time.Time { return tt.now }})
			got, err := svc.AllowActing(ctx, tt.user, tt.unit, "nomination", "decide")
			if tt.wantKind == "" {
				if err != nil || got != tt.want {
					t.Fatalf("AllowActing = %d, %v; want %d, nil", got, err, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("AllowActing = %d, nil; want a %s error", got, tt.wantKind)
			}
			if k := domain.KindOf(err); k != tt.wantKind {
				t.Fatalf("AllowActing error %v is %s, want %s", err, k, tt.wantKind)
			}
			if got != 0 {
				t.Errorf("on error onBehalfOf = %d, want 0", got)
			}
		})
	}
}

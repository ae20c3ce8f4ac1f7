package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/tdkt/tdkt/internal/password"
	"github.com/tdkt/tdkt/internal/seed"
	"golang.org/x/crypto/bcrypt"
)

// beforeReform is a day when districts still existed.
func beforeReform() time.Time { return time.Date(2025, 6, 16, 3, 0, 0, 0, time.UTC) }

// act sends an action on a dossier and fails the test unless the status is want.
func (b *bundle) actOn(want int, user, id string, body map[string]any) map[string]any {
	b.t.Helper()
	return b.must(want, user, "POST", "/api/v1/nominations/"+id+"/actions", body).body
}

// status reads a dossier's status as the provincial auditor.
func (b *bundle) status(id string) string {
	b.t.Helper()
	var s string
	if err := b.pool.QueryRow(context.Background(), `SELECT status FROM nominations WHERE id = $1`, id).Scan(&s); err != nil {
		b.t.Fatal(err)
	}
	return s
}

// provincialCouncil are the nine eligible members of Lạng Sơn's council in the demo.
var provincialCouncil = []string{"tinh.council_chair", "tinh.council_vice", "tinh.council_member", "tinh.council_member2",
	"tinh.council_member3", "tinh.council_member4", "tinh.council_member5", "tinh.council_member6", "tinh.council_member7"}

// votePasses has the given members vote yes and the chair close the vote.
func (b *bundle) councilVotes(id, chair string, voters []string, choice string) map[string]any {
	b.t.Helper()
	for _, v := range voters {
		b.must(http.StatusOK, v, "POST", "/api/v1/nominations/"+id+"/votes", map[string]any{"choice": choice})
	}
	return b.actOn(http.StatusOK, chair, id, map[string]any{"action": "close_vote"})
}

// waitStatus polls until the dossier reaches status, for transitions the
// workflow's timers take; bounded.
func (b *bundle) waitStatus(id, status string, within time.Duration) {
	b.t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if b.status(id) == status {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.t.Fatalf("dossier %s still %s after %v, want %s", id, b.status(id), within, status)
}

// addUser creates a user holding role in unit and reloads nothing: call
// b.reloadAuthz after adding users.
func (b *bundle) addUser(username, fullName, role, unit string) {
	b.t.Helper()
	h, err := password.Hasher{Cost: bcrypt.MinCost}.Hash(seed.DemoPassword)
	if err != nil {
		b.t.Fatal(err)
	}
	ctx := context.Background()
	var id int64
	if err := b.pool.QueryRow(ctx, `INSERT INTO users (username, full_name, password_hash, unit_id) VALUES ($1, $2, $3, $4) RETURNING id`,
		username, fullName, h, unit).Scan(&id); err != nil {
		b.t.Fatal(err)
	}
	if _, err := b.pool.Exec(ctx, `INSERT INTO role_assignments (user_id, role, unit_id) VALUES ($1, $2, $3)`, id, role, unit); err != nil {
		b.t.Fatal(err)
	}
}

// reloadAuthz makes the API see new units and role assignments.
func (b *bundle) reloadAuthz() {
	b.t.Helper()
	if err := b.enf.Reload(context.Background(), b.pool, time.Now()); err != nil {
		b.t.Fatal(err)
	}
}

func idOf(t *testing.T, v any) string {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("not an object: %v", v)
	}
	return fmt.Sprint(m["id"])
}

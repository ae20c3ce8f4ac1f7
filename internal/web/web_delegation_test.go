package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/tdkt/tdkt/internal/accounts"
	"github.com/tdkt/tdkt/internal/authz"
	"github.com/tdkt/tdkt/internal/dossiers"
	"github.com/tdkt/tdkt/internal/password"
	"github.com/tdkt/tdkt/internal/seed"
	"golang.org/x/crypto/bcrypt"
)

// TestADelegateSeesAndUsesTheButtonsOfTheDelegatingUser: the district's appraiser
// delegates to a colleague who holds no appraiser role; the colleague's dossier page
// offers the intake buttons (the page asks the same core as the API), the accept goes
// through, and the timeline says on whose behalf. A clerk of another unit still gets
// no buttons.
func TestADelegateSeesAndUsesTheButtonsOfTheDelegatingUser(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	h, err := password.Hasher{Cost: bcrypt.MinCost}.Hash(seed.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	var staff int64
	if err := b.pool.QueryRow(ctx, `INSERT INTO users (username, full_name, password_hash, unit_id) VALUES ('huyen.staff', 'Lục Thị Thơm', $1, $2) RETURNING id`,
		h, seed.DemoDistrict).Scan(&staff); err != nil {
		t.Fatal(err)
	}
	if _, err := b.pool.Exec(ctx, `INSERT INTO role_assignments (user_id, role, unit_id) VALUES ($1, 'auditor', $2)`, staff, seed.DemoDistrict); err != nil {
		t.Fatal(err)
	}
	if err := b.svc.Authz.(*authz.Enforcer).Reload(ctx, b.pool, beforeReform()); err != nil {
		t.Fatal(err)
	}
	day := beforeReform().In(time.FixedZone("ICT", 7*3600)).Format("2006-01-02")
	if _, err := b.svc.CreateDelegation(ctx, b.userID("huyen.appraiser"), accounts.DelegationInput{ToUserID: staff, ValidFrom: day,
		ValidTo: day, Reason: "Đi công tác"}); err != nil {
		t.Fatal(err)
	}
	n, err := b.svc.CreateNomination(ctx, b.userID("xa.clerk"), dossiers.CreateNominationInput{UnitID: seed.DemoCommune,
		AwardCode: "BK_TINH", Year: 2025, Nominees: []dossiers.NomineeInput{{Kind: "individual", Name: "Hoàng Văn Tùng"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.svc.Act(ctx, b.userID("xa.clerk"), n.ID, dossiers.ActInput{Action: "submit"}, ""); err != nil {
		t.Fatal(err)
	}

	b.login("xa2.clerk").get("/dossiers/"+n.ID).lacks(t, `id="act-accept"`)
	delegate := b.login("huyen.staff")
	p := delegate.get("/dossiers/"+n.ID).must(t, 200).has(t, `id="appraise-form"`, `id="act-accept"`, `id="act-return"`)
	p = delegate.act(n.ID, p, "accept", url.Values{"checklist": {"1"}, "have": {"submission", "report", "minutes"}}).
		must(t, http.StatusOK).has(t, "Đã tiếp nhận hồ sơ", "Lục Thị Thơm (thay mặt "+fullName(t, b, "huyen.appraiser")+" theo ủy quyền)")
	p.has(t, `id="act-approve"`)
}

func fullName(t *testing.T, b *bundle, username string) string {
	t.Helper()
	var name string
	if err := b.pool.QueryRow(context.Background(), `SELECT full_name FROM users WHERE username = $1`, username).Scan(&name); err != nil {
		t.Fatal(err)
	}
	return name
}

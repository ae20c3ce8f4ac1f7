package seed

import (
	"errors"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tdkt/tdkt/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// newDB returns a pool on an empty, migrated database of its own.
func newDB(t *testing.T) *pgxpool.Pool {
	t.Helper()
	return pgtest.NewPool(t)
}

// fakeHash stands in for bcrypt and counts its calls.
type fakeHash struct {
	calls  int
	failAt int // fail on this call (1-based); 0 never fails
}

var errHashBroken = errors.New("hash broken")

func (h *fakeHash) hash(password string) (string, error) {
	h.calls++
	if h.failAt > 0 && h.calls >= h.failAt {
		return "", errHashBroken
	}
	return "fake:" + password, nil
}

func count(t *testing.T, db *pgxpool.Pool, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(t.Context(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

var seededTables = []string{"levels", "awards", "authority_rules", "units", "users", "role_assignments"}

func rowCounts(t *testing.T, db *pgxpool.Pool) map[string]int {
	t.Helper()
	counts := map[string]int{}
	for _, table := range seededTables {
		counts[table] = count(t, db, `SELECT count(*) FROM `+table)
	}
	return counts
}

func TestDemoSeedsLangSonAsInTheReport(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	h := &fakeHash{}
	logins, err := Demo(t.Context(), db, h.hash)
	if err != nil {
		t.Fatalf("Demo: %v", err)
	}
	if h.calls != len(demoUsers()) {
		t.Errorf("hash called %d times, want once per account (%d)", h.calls, len(demoUsers()))
	}
	if n := count(t, db, `SELECT count(*) FROM units WHERE level = 'province' AND kind = 'people_committee'`); n != 1 {
		t.Errorf("got %d provinces, want 1", n)
	}
	rows, err := db.Query(t.Context(), `SELECT name FROM units WHERE level = 'district' AND parent_id = $1 ORDER BY id`, Province)
	if err != nil {
		t.Fatal(err)
	}
	var districts []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		districts = append(districts, name)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	wantDistricts := []string{"UBND thành phố Lạng Sơn", "UBND huyện Tràng Định", "UBND huyện Văn Lãng",
		"UBND huyện Văn Quan", "UBND huyện Bình Gia", "UBND huyện Bắc Sơn", "UBND huyện Hữu Lũng",
		"UBND huyện Chi Lăng", "UBND huyện Cao Lộc", "UBND huyện Lộc Bình", "UBND huyện Đình Lập"}
	if !slices.Equal(districts, wantDistricts) {
		t.Errorf("districts:\n got %q\nwant %q", districts, wantDistricts)
	}
	for subkind, want := range map[string]int{"xa": 207, "thi_tran": 14, "phuong": 5} {
		if n := count(t, db, `SELECT count(*) FROM units WHERE level = 'commune' AND subkind = $1`, subkind); n != want {
			t.Errorf("communes of subkind %s: got %d, want %d", subkind, n, want)
		}
	}
	if n := count(t, db, `SELECT count(*) FROM units WHERE level = 'commune'`); n != 226 {
		t.Errorf("got %d communes, want 226", n)
	}
	if n := count(t, db, `SELECT count(*) FROM units c LEFT JOIN units p ON p.id = c.parent_id
		WHERE c.level = 'commune' AND (p.level IS DISTINCT FROM 'district' OR p.parent_id IS DISTINCT FROM $1)`, Province); n != 0 {
		t.Errorf("%d communes are not under a district of the province", n)
	}
	if n := count(t, db, `SELECT count(*) FROM units WHERE valid_from <> DATE '2000-01-01' OR valid_to IS NOT NULL`); n != 0 {
		t.Errorf("%d units are not in force from 2000-01-01 without end", n)
	}
	if n := count(t, db, `SELECT count(*) FROM authority_rules WHERE valid_from NOT IN (DATE '2000-01-01', DATE '2025-07-01')
		OR valid_to NOT IN (DATE '2025-07-01')`); n != 0 {
		t.Errorf("%d authority rules start or end on other days than 2000-01-01 and the 2025-07-01 reform", n)
	}
	if n := count(t, db, `SELECT count(*) FROM authority_rules`); n != len(authorityRules()) {
		t.Errorf("got %d authority rules, want %d", n, len(authorityRules()))
	}

	if len(logins) != len(demoUsers()) {
		t.Fatalf("got %d logins, want %d", len(logins), len(demoUsers()))
	}
	for _, l := range logins {
		var fullName, hash, unitName string
		err := db.QueryRow(t.Context(), `
			SELECT u.full_name, u.password_hash, n.name
			FROM users u
			JOIN role_assignments r ON r.user_id = u.id
			JOIN units n ON n.id = r.unit_id
			WHERE u.username = $1 AND r.role = $2 AND r.unit_id = $3 AND u.active`,
			l.Username, l.Role, l.UnitID).Scan(&fullName, &hash, &unitName)
		if err != nil {
			t.Errorf("login %s as %s in %s: %v", l.Username, l.Role, l.UnitID, err)
			continue
		}
		if fullName != l.FullName || unitName != l.UnitName || l.UnitName == "" {
			t.Errorf("login %+v: stored name %q, unit %q", l, fullName, unitName)
		}
		if l.Password != DemoPassword || hash != "fake:"+DemoPassword {
			t.Errorf("login %s: password %q stored as %q", l.Username, l.Password, hash)
		}
	}
}

func TestDemoTwiceChangesNothing(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	first, err := Demo(t.Context(), db, (&fakeHash{}).hash)
	if err != nil {
		t.Fatalf("first Demo: %v", err)
	}
	before := rowCounts(t, db)
	h := &fakeHash{}
	second, err := Demo(t.Context(), db, h.hash)
	if err != nil {
		t.Fatalf("second Demo: %v", err)
	}
	if after := rowCounts(t, db); !equalCounts(before, after) {
		t.Errorf("row counts changed: before %v, after %v", before, after)
	}
	if !slices.Equal(first, second) {
		t.Errorf("logins changed:\nfirst  %+v\nsecond %+v", first, second)
	}
	if h.calls != 0 {
		t.Errorf("second run hashed %d passwords, want 0", h.calls)
	}
}

func equalCounts(a, b map[string]int) bool {
	for _, table := range seededTables {
		if a[table] != b[table] {
			return false
		}
	}
	return true
}

func TestDemoFailureLeavesNothing(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	h := &fakeHash{failAt: 5}
	logins, err := Demo(t.Context(), db, h.hash)
	if !errors.Is(err, errHashBroken) {
		t.Fatalf("Demo: got %v, want the hash error", err)
	}
	if logins != nil {
		t.Errorf("got logins %v on failure", logins)
	}
	for table, n := range rowCounts(t, db) {
		if n != 0 {
			t.Errorf("%s has %d rows after a failed seed, want 0", table, n)
		}
	}
}

func TestDemoJoinsTheCallersTransaction(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	ctx := t.Context()
	tx, err := db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Demo(ctx, tx, (&fakeHash{}).hash); err != nil {
		t.Fatalf("Demo in a transaction: %v", err)
	}
	var n int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM units`).Scan(&n); err != nil || n != len(demoUnits()) {
		t.Fatalf("inside the transaction: %d units (%v), want %d", n, err, len(demoUnits()))
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, `SELECT count(*) FROM units`); n != 0 {
		t.Errorf("%d units survive the caller's rollback, want 0", n)
	}
}

func TestReferenceKeepsWhatAnAdministratorConfigured(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	ctx := t.Context()
	if err := Reference(ctx, db); err != nil {
		t.Fatalf("Reference: %v", err)
	}
	if n := count(t, db, `SELECT count(*) FROM awards WHERE bonus_multiplier IS NULL`); n != 6 {
		t.Errorf("%d awards without a multiplier, want 6", n)
	}
	if _, err := db.Exec(ctx, `UPDATE awards SET bonus_multiplier = 0.5 WHERE code = 'GK'`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, `UPDATE authority_rules SET decision_level = 'commune'
		WHERE award_code = 'GK' AND submitter_level = 'commune' AND valid_from = DATE '2000-01-01'`); err != nil {
		t.Fatal(err)
	}
	before := rowCounts(t, db)
	if err := Reference(ctx, db); err != nil {
		t.Fatalf("second Reference: %v", err)
	}
	if after := rowCounts(t, db); !equalCounts(before, after) {
		t.Errorf("row counts changed: before %v, after %v", before, after)
	}
	var bonus float64
	if err := db.QueryRow(ctx, `SELECT bonus_multiplier FROM awards WHERE code = 'GK'`).Scan(&bonus); err != nil || bonus != 0.5 {
		t.Errorf("GK multiplier = %v (%v), want the configured 0.5", bonus, err)
	}
	if n := count(t, db, `SELECT count(*) FROM authority_rules WHERE award_code = 'GK' AND submitter_level = 'commune'
		AND valid_from = DATE '2000-01-01' AND decision_level = 'commune'`); n != 1 {
		t.Errorf("%d configured rules for GK from a commune, want the one configured", n)
	}
}

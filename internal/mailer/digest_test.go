package mailer_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tdkt/tdkt/internal/accounts"
	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/inbox"
	"github.com/tdkt/tdkt/internal/mailer"
	"github.com/tdkt/tdkt/internal/seed"
)

// TestDailyDigestListsOpenAndOverdueWorkOncePerDay: the district's appraiser, who
// has an e-mail address, has two tasks of two dossiers in her inbox, one overdue;
// the digest of the day lists both with their codes, the overdue one first and
// marked, with the counts in its title, linked to the inbox, and waits in the
// outbox; writing the day's digests again adds nothing, the next day writes a new
// one; the commune's clerk, with an address but nothing open, gets none.
func TestDailyDigestListsOpenAndOverdueWorkOncePerDay(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var appraiser int64
	if err := f.pool.QueryRow(ctx, `SELECT id FROM users WHERE username = 'huyen.appraiser'`).Scan(&appraiser); err != nil {
		t.Fatal(err)
	}
	if err := accounts.NewStore(f.pool).SetUserEmail(ctx, appraiser, "thu.mt@caoloc.langson.gov.vn"); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 10, 1, 30, 0, 0, time.UTC) // 08:30 in Vietnam
	codes := map[string]string{}
	for i, c := range []struct {
		title string
		due   time.Time
	}{{"Hồ sơ đúng hạn", now.Add(72 * time.Hour)}, {"Hồ sơ quá hạn", now.Add(-48 * time.Hour)}} {
		var id, code string
		if err := f.pool.QueryRow(ctx, `INSERT INTO nominations (workflow_id, unit_id, award_code, year, title, status, route, created_by)
			VALUES ($1, $2, 'GK', 2026, $3, 'appraising', '[]', $4) RETURNING id::text, code`,
			"digest-"+c.title, seed.DemoCommune, c.title, f.withMail).Scan(&id, &code); err != nil {
			t.Fatal(err)
		}
		codes[c.title] = code
		if _, err := f.pool.Exec(ctx, `INSERT INTO tasks (nomination_id, seq, step, unit_id, role, due_at, created_at)
			VALUES ($1, $2, 'appraise', $3, 'appraiser', $4, $5)`, id, i+1, seed.DemoDistrict, c.due, now.Add(-240*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	d := &mailer.Digest{Store: inbox.NewStore(f.pool), Pool: f.pool, Now: func() time.Time { return now }}
	day := calendar.DateOf(now.In(calendar.Zone))
	if _, err := d.Send(ctx, day); err != nil {
		t.Fatal(err)
	}
	var title, body, link string
	if err := f.pool.QueryRow(ctx, `SELECT title, body, link FROM notifications WHERE user_id = $1 AND kind = 'digest'
		AND emailed_at IS NULL`, appraiser).Scan(&title, &body, &link); err != nil {
		t.Fatalf("no digest for the appraiser: %v", err)
	}
	if !strings.HasPrefix(title, "Việc cần xử lý ngày 10/03/2026: ") || !strings.HasSuffix(title, " quá hạn") || link != "/inbox" {
		t.Fatalf("digest title %q, link %q", title, link)
	}
	late, onTime := strings.Index(body, codes["Hồ sơ quá hạn"]), strings.Index(body, codes["Hồ sơ đúng hạn"])
	if late < 0 || onTime < 0 || late > onTime || !strings.Contains(body, "Hồ sơ quá hạn (UBND huyện Cao Lộc, hạn 08/03/2026) – QUÁ HẠN") {
		t.Fatalf("digest body:\n%s", body)
	}
	if _, err := d.Send(ctx, day); err != nil {
		t.Fatal(err)
	}
	count := func(user int64) int {
		var n int
		if err := f.pool.QueryRow(ctx, `SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'digest'`, user).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(appraiser); n != 1 {
		t.Fatalf("%d digests after writing the day's twice, want 1", n)
	}
	if _, err := d.Send(ctx, day.AddDays(1)); err != nil {
		t.Fatal(err)
	}
	if n := count(appraiser); n != 2 {
		t.Fatalf("%d digests after the next day, want 2", n)
	}
	if n := count(f.withMail); n != 0 {
		t.Fatalf("the commune's clerk, with an address but no open task, got %d digests", n)
	}
}

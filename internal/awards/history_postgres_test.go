package awards_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/metrics"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/crypto/bcrypt"

	"github.com/tdkt/tdkt/internal/awards"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/dossiers"
	"github.com/tdkt/tdkt/internal/eligibility"
	"github.com/tdkt/tdkt/internal/history"
	"github.com/tdkt/tdkt/internal/importer"
	"github.com/tdkt/tdkt/internal/password"
	"github.com/tdkt/tdkt/internal/pgtest"
	"github.com/tdkt/tdkt/internal/seed"
)

var historyNow = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

type historyFixture struct {
	t     testing.TB
	pool  *pgxpool.Pool
	st    *awards.Store
	clerk int64
}

func newHistoryFixture(t testing.TB) *historyFixture {
	t.Helper()
	pool := pgtest.NewPool(t)
	if _, err := seed.Demo(context.Background(), pool, password.Hasher{Cost: bcrypt.MinCost}.Hash); err != nil {
		t.Fatal(err)
	}
	f := &historyFixture{t: t, pool: pool, st: awards.NewStore(pool)}
	if err := pool.QueryRow(context.Background(), `SELECT id FROM users WHERE username = 'xa.clerk'`).Scan(&f.clerk); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *historyFixture) count(sql string, args ...any) int {
	f.t.Helper()
	var n int
	if err := f.pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

func (f *historyFixture) apply(b *history.Batch) (history.BatchResult, error) {
	f.t.Helper()
	b.UnitID = seed.DemoCommune
	b.NumberRows()
	if errs := b.Validate(historyNow); len(errs) > 0 {
		f.t.Fatalf("batch does not validate: %v", errs)
	}
	return f.st.ApplyHistoryBatch(context.Background(), b, history.SourceManual, f.clerk, historyNow)
}

func lanBatch() *history.Batch {
	return &history.Batch{
		Subjects: []history.SubjectEntry{
			{Code: "012345678901", Kind: "individual", Name: "Hoàng Thị Lan", JobTitle: "Công chức"},
			{Code: "HND", Kind: "collective", Name: "Hội Nông dân xã Bảo Lâm"},
		},
		Ratings: []history.RatingEntry{
			{SubjectCode: "012345678901", Year: 2023, Rating: "htxs"},
			{SubjectCode: "012345678901", Year: 2024, Rating: "htxs"},
		},
		Awards: []history.AwardEntry{
			{SubjectCode: "012345678901", Year: 2024, AwardCode: "CSTDCS", DecisionCode: "15/QĐ-UBND", DecisionDate: "2024-12-20"},
			{SubjectCode: "HND", Year: 2024, AwardCode: "GK", Level: "xã", AwardKind: "đột xuất"},
		},
		Initiatives: []history.InitiativeEntry{
			{SubjectCode: "012345678901", Year: 2023, Title: "Số hóa hồ sơ hộ nghèo", Scope: "grassroots"},
			{SubjectCode: "012345678901", Year: 2024, Title: "Bản đồ số hộ cận nghèo", Scope: "grassroots"},
		},
		Holds: []history.HoldEntry{
			{SubjectCode: "HND", Kind: "inspection", StartsOn: "2025-02-01", EndsOn: "2025-04-30"},
		},
	}
}

func TestHistoryBatchIsAppliedOnceAndRead(t *testing.T) {
	f := newHistoryFixture(t)
	ctx := context.Background()
	res, err := f.apply(lanBatch())
	if err != nil {
		t.Fatal(err)
	}
	want := history.BatchResult{SubjectsCreated: 2, Ratings: 2, Awards: 2, Initiatives: 2, Holds: 1}
	if res != want {
		t.Fatalf("result %+v, want %+v", res, want)
	}
	// The same batch again writes nothing: re-importing a file is harmless.
	if res, err := f.apply(lanBatch()); err != nil || res != (history.BatchResult{}) {
		t.Fatalf("second apply: %+v, %v; want nothing written", res, err)
	}
	lan, err := f.st.SubjectByCode(ctx, seed.DemoCommune, "012345678901")
	if err != nil {
		t.Fatal(err)
	}
	recs, err := f.st.SubjectRecords(ctx, []int64{lan.ID})
	if err != nil {
		t.Fatal(err)
	}
	r := recs[lan.ID]
	if len(r.Ratings) != 2 || len(r.Awards) != 1 || len(r.Initiatives) != 2 || len(r.Holds) != 0 {
		t.Fatalf("record: %+v", r)
	}
	a := r.Awards[0]
	if a.Level != "district" || a.Kind != history.AwardMerit || a.DecisionDate != "2024-12-20" || a.Source != history.SourceManual {
		t.Fatalf("CSTĐCS entered without a level should be the district's (the only level deciding it): %+v", a)
	}
	// The MOHA example is now in the database; the rules find it eligible.
	rules, err := eligibility.Published()
	if err != nil {
		t.Fatal(err)
	}
	out, err := rules.Evaluate(eligibility.Input{Facts: r, Award: "BK_TINH", Year: 2024, On: historyNow})
	if err != nil || !out.Eligible {
		t.Fatalf("MOHA example from the database: %+v, %v", out, err)
	}

	// A correction: the 2024 rating changes, the hold closes later; one row each.
	res, err = f.apply(&history.Batch{
		Ratings: []history.RatingEntry{{SubjectCode: "012345678901", Year: 2024, Rating: "htt"}},
		Holds:   []history.HoldEntry{{SubjectCode: "HND", Kind: "inspection", StartsOn: "2025-02-01", EndsOn: "2025-06-30"}},
	})
	if err != nil || res.Ratings != 1 || res.Holds != 1 {
		t.Fatalf("correction: %+v, %v", res, err)
	}
	export, err := f.st.UnitHistory(ctx, seed.DemoCommune)
	if err != nil {
		t.Fatal(err)
	}
	if len(export.Subjects) != 2 || len(export.Ratings) != 2 || export.Ratings[1].Rating != "htt" || export.Holds[0].EndsOn != "2025-06-30" {
		t.Fatalf("export: %+v", export)
	}
}

func TestHistoryBatchWithBadRowsWritesNothing(t *testing.T) {
	f := newHistoryFixture(t)
	if _, err := f.apply(lanBatch()); err != nil {
		t.Fatal(err)
	}
	before := f.count(`SELECT (SELECT count(*) FROM subjects) + (SELECT count(*) FROM task_ratings) + (SELECT count(*) FROM award_records)`)
	_, err := f.apply(&history.Batch{
		Subjects: []history.SubjectEntry{
			{Code: "NEW", Kind: "individual", Name: "Vi Văn Quý"},         // fine, but must not be kept
			{Code: "HND", Kind: "individual", Name: "Hội Nông dân (sửa)"}, // 1: kind change
		},
		Ratings: []history.RatingEntry{{SubjectCode: "NOBODY", Year: 2024, Rating: "ht"}}, // 0: unknown subject
		Awards: []history.AwardEntry{
			{SubjectCode: "NEW", Year: 2024, AwardCode: "NOPE"}, // 0: unknown award
			{SubjectCode: "NEW", Year: 2024, AwardCode: "GK"},   // fine: the district decided a commune's Giấy khen in 2024
		},
	})
	var de *domain.Error
	var rows history.RowErrors
	if !errors.As(err, &de) || de.Kind != domain.KindInvalid || !errors.As(err, &rows) {
		t.Fatalf("error %v: want KindInvalid with row errors", err)
	}
	got := map[string]bool{}
	for _, r := range rows {
		got[fmt.Sprintf("%s[%d].%s", r.Section, r.Row, r.Field)] = true
	}
	if want := map[string]bool{"subjects[1].kind": true, "ratings[0].subject_code": true, "awards[0].award_code": true}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("row errors %v, want %v", got, want)
	}
	if after := f.count(`SELECT (SELECT count(*) FROM subjects) + (SELECT count(*) FROM task_ratings) + (SELECT count(*) FROM award_records)`); after != before {
		t.Fatalf("rows went from %d to %d: a bad batch must write nothing", before, after)
	}
	// The database-level checks of a well-formed batch, one at a time.
	_, err = f.apply(&history.Batch{Awards: []history.AwardEntry{{SubjectCode: "012345678901", Year: 2024, AwardCode: "CSTDCS", DecisionCode: "99/QĐ"}}})
	if !errors.As(err, &rows) || len(rows) != 1 || rows[0].Field != "decision_code" {
		t.Fatalf("second CSTĐCS 2024 under another decision: %v", err)
	}
	_, err = f.apply(&history.Batch{Awards: []history.AwardEntry{{SubjectCode: "HND", Year: 2024, AwardCode: "CSTDCS"}}})
	if !errors.As(err, &rows) || len(rows) != 1 || rows[0].Field != "award_code" {
		t.Fatalf("CSTĐCS for a collective: %v", err)
	}
}

// decidedDossier writes, as the procedure would have, a dossier decided by the
// district with one awardee per subject (and one nominee without a subject).
func (f *historyFixture) decidedDossier(award string, year int, subjects ...int64) (string, string) {
	f.t.Helper()
	ctx := context.Background()
	id := uuid.NewString()
	if _, err := f.pool.Exec(ctx, `INSERT INTO nominations (id, workflow_id, unit_id, award_code, year, title, status, route, created_by)
		VALUES ($1::uuid, 'nomination-'||$1::text, $2, $3, $4, 'test', 'decided', '[]', $5)`, id, seed.DemoCommune, award, year, f.clerk); err != nil {
		f.t.Fatal(err)
	}
	var decision int64
	code := fmt.Sprintf("%d/QĐ-UBND", f.count(`SELECT count(*) FROM decisions`)+1)
	if err := f.pool.QueryRow(ctx, `INSERT INTO decisions (nomination_id, unit_id, year, number, code, signed_by, signed_on)
		VALUES ($1, $2, 2026, $3, $4, $5, '2026-02-10') RETURNING id`, id, seed.DemoDistrict, f.count(`SELECT count(*) FROM decisions`)+1, code, f.clerk).Scan(&decision); err != nil {
		f.t.Fatal(err)
	}
	for i, s := range append(subjects, 0) {
		var subject any
		if s != 0 {
			subject = s
		}
		var nominee int64
		if err := f.pool.QueryRow(ctx, `INSERT INTO nominees (nomination_id, position, kind, name, status, subject_id)
			VALUES ($1, $2, 'individual', $3, 'awarded', $4) RETURNING id`, id, i+1, fmt.Sprintf("Người %d", i), subject).Scan(&nominee); err != nil {
			f.t.Fatal(err)
		}
		if _, err := f.pool.Exec(ctx, `INSERT INTO decision_awardees (decision_id, nominee_id, award_code) VALUES ($1, $2, $3)`, decision, nominee, award); err != nil {
			f.t.Fatal(err)
		}
	}
	return id, code
}

func TestDecisionsAreWrittenIntoTheHistoryAndRevocationRemovesThem(t *testing.T) {
	f := newHistoryFixture(t)
	ctx := context.Background()
	if _, err := f.apply(lanBatch()); err != nil {
		t.Fatal(err)
	}
	lan, _ := f.st.SubjectByCode(ctx, seed.DemoCommune, "012345678901")
	id, code := f.decidedDossier("CSTDCS", 2025, lan.ID)
	tx, err := f.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := awards.RecordDecisionHistoryTx(ctx, tx, id, &domain.Decision{NominationID: id, Code: code}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	recs, _ := f.st.SubjectRecords(ctx, []int64{lan.ID})
	var found *history.AwardRecord
	for _, a := range recs[lan.ID].Awards {
		if a.Year == 2025 {
			found = &a
		}
	}
	if found == nil || found.AwardCode != "CSTDCS" || found.Level != "district" || found.Kind != history.AwardMerit ||
		found.DecisionCode != code || found.DecisionDate != "2026-02-10" || found.Source != history.SourceDecision || found.NominationID != id {
		t.Fatalf("decision in history: %+v", found)
	}
	// An entry from a decision is removed only by revoking the decision.
	if err := f.st.DeleteHistoryEntry(ctx, history.SectionAwards, found.ID); !domain.IsKind(err, domain.KindConflict) {
		t.Fatalf("deleting a decision's entry: %v, want conflict", err)
	}
	// Revocation: the decision is marked revoked, then its history goes.
	tx, _ = f.pool.Begin(ctx)
	if _, err := tx.Exec(ctx, `UPDATE decisions SET revoked_at = now() WHERE nomination_id = $1`, id); err != nil {
		t.Fatal(err)
	}
	if err := awards.RevokeDecisionHistoryTx(ctx, tx, id); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if n := f.count(`SELECT count(*) FROM award_records WHERE nomination_id = $1`, id); n != 0 {
		t.Fatalf("%d records of the revoked decision remain", n)
	}
	if n := f.count(`SELECT count(*) FROM award_records WHERE subject_id = $1`, lan.ID); n != 1 {
		t.Fatalf("the manual CSTĐCS 2024 should remain, have %d records", n)
	}
}

func TestConflictsFlagTheSameAchievementEverywhere(t *testing.T) {
	f := newHistoryFixture(t)
	ctx := context.Background()
	if _, err := f.apply(lanBatch()); err != nil {
		t.Fatal(err)
	}
	lan, _ := f.st.SubjectByCode(ctx, seed.DemoCommune, "012345678901")
	// Another dossier, still open, proposes Lan for BK tỉnh 2025 and "Người 1" by name.
	other, _ := f.decidedDossier("BK_TINH", 2025, lan.ID)
	if _, err := f.pool.Exec(ctx, `UPDATE nominations SET status = 'appraising' WHERE id = $1`, other); err != nil {
		t.Fatal(err)
	}
	this, _ := f.decidedDossier("BK_TINH", 2025, lan.ID)
	n, err := dossiers.NewStore(f.st.Pool).Nomination(ctx, this)
	if err != nil {
		t.Fatal(err)
	}
	conflicts, err := f.st.NominationConflicts(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	kinds := func(nominee int64) []string {
		var k []string
		for _, c := range conflicts[nominee] {
			k = append(k, c.Kind+"@"+c.NominationID)
		}
		return k
	}
	if got := kinds(n.Nominees[0].ID); len(got) != 1 || got[0] != history.ConflictInFlight+"@"+other {
		t.Fatalf("Lan: %v", got)
	}
	if got := kinds(n.Nominees[1].ID); len(got) != 1 || got[0] != history.ConflictPossibleDuplicate+"@"+other {
		t.Fatalf("nominee without a subject: %v", got)
	}
	// Lan's CSTĐCS 2024 is recorded: a CSTĐCS 2024 dossier is already awarded; a GK
	// 2024 is not the same award, but a Giấy khen and a Bằng khen are both commendations.
	cstdcs, _ := f.decidedDossier("CSTDCS", 2024, lan.ID)
	n, _ = dossiers.NewStore(f.st.Pool).Nomination(ctx, cstdcs)
	conflicts, _ = f.st.NominationConflicts(ctx, n)
	if c := conflicts[n.Nominees[0].ID]; len(c) != 1 || c[0].Kind != history.ConflictAlreadyAwarded || c[0].DecisionCode != "15/QĐ-UBND" {
		t.Fatalf("CSTĐCS 2024 again: %+v", c)
	}
	bk, _ := f.decidedDossier("BK_TINH", 2024, lan.ID)
	gk, _ := f.decidedDossier("GK", 2024, lan.ID)
	if _, err := f.pool.Exec(ctx, `UPDATE nominations SET status = 'deciding' WHERE id = $1`, gk); err != nil {
		t.Fatal(err)
	}
	n, _ = dossiers.NewStore(f.st.Pool).Nomination(ctx, bk)
	conflicts, _ = f.st.NominationConflicts(ctx, n)
	if c := conflicts[n.Nominees[0].ID]; len(c) != 1 || c[0].Kind != history.ConflictSameAchievement || c[0].NominationID != gk {
		t.Fatalf("BK tỉnh 2024 while a GK 2024 is in flight: %+v", c)
	}
}

func TestOverridesKeepTheLatestPerCriterion(t *testing.T) {
	f := newHistoryFixture(t)
	ctx := context.Background()
	id, _ := f.decidedDossier("LDTT", 2025)
	n, _ := dossiers.NewStore(f.st.Pool).Nomination(ctx, id)
	nominee := n.Nominees[0].ID
	for i, met := range []bool{false, true} {
		if err := f.st.AddEligibilityOverride(ctx, awards.EligibilityOverride{NominationID: id, NomineeID: nominee, Criterion: "rating",
			Met: met, Reason: fmt.Sprintf("lần %d", i+1), ActorID: f.clerk, At: historyNow.Add(time.Duration(i) * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	os, err := f.st.EligibilityOverrides(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if o := os[nominee]["rating"]; !o.Met || o.Reason != "lần 2" || o.Actor != "Hoàng Thị Lan" {
		t.Fatalf("override: %+v", o)
	}
	err = f.st.AddEligibilityOverride(ctx, awards.EligibilityOverride{NominationID: id, NomineeID: 999999, Criterion: "rating", Reason: "x", ActorID: f.clerk, At: historyNow})
	if !domain.IsKind(err, domain.KindInvalid) {
		t.Fatalf("override of a nominee not in the dossier: %v", err)
	}
}

// BenchmarkImportXLSX10000Rows imports a workbook of 10,000 task ratings (2,500
// subjects over four years) end to end: parse, validate, and write in one
// transaction. It reports rows per second and the peak heap above the baseline.
func BenchmarkImportXLSX10000Rows(b *testing.B) {
	const n = 10000
	f := newHistoryFixture(b)
	ctx := context.Background()
	batch := &history.Batch{}
	ratings := []string{"htxs", "htt", "ht", "kht"}
	for i := range n / 4 {
		batch.Subjects = append(batch.Subjects, history.SubjectEntry{Code: fmt.Sprintf("%012d", i), Kind: "individual", Name: fmt.Sprintf("Nguyễn Văn %d", i)})
	}
	if _, err := f.apply(batch); err != nil {
		b.Fatal(err)
	}
	file := &history.Batch{}
	for i := range n {
		file.Ratings = append(file.Ratings, history.RatingEntry{SubjectCode: fmt.Sprintf("%012d", i/4), Year: 2021 + i%4, Rating: ratings[i%4]})
	}
	var buf bytes.Buffer
	if err := importer.WriteHistory(&buf, importer.FormatXLSX, "", file); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	round := 0
	peak := peakHeapOf(func() {
		for b.Loop() {
			parsed, err := importer.ParseHistory(data, importer.FormatXLSX, "", historyNow)
			if err != nil {
				b.Fatal(err)
			}
			parsed.UnitID = seed.DemoCommune
			// Alternate the ratings so that every round writes all rows.
			round++
			for i := range parsed.Ratings {
				parsed.Ratings[i].Rating = ratings[(i+round)%4]
			}
			res, err := f.st.ApplyHistoryBatch(ctx, parsed, history.SourceImport, f.clerk, historyNow)
			if err != nil || res.Ratings != n {
				b.Fatalf("apply: %+v, %v", res, err)
			}
		}
	})
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(peak/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(len(data))/1024, "file-KiB")
}

// peakHeapOf runs fn while sampling the live heap every millisecond, and returns
// its peak above the heap at the start, in bytes.
func peakHeapOf(fn func()) float64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() float64 {
		metrics.Read(sample)
		return float64(sample[0].Value.Uint64())
	}
	base := read()
	peak := make(chan float64)
	done := make(chan struct{})
	go func() {
		p := base
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				peak <- max(p, read())
				return
			case <-tick.C:
				p = max(p, read())
			}
		}
	}()
	fn()
	close(done)
	return <-peak - base
}

// TestSameNameFlagsIgnoreCaseAndNameTheNewestFew: a name written in capitals
// ("ĐỖ VĂN AN") is the same name as "Đỗ Văn An" whatever the database's ctype, a
// name with other diacritics ("Đỗ Văn Ân") is not, and when the name stands in
// more dossiers than MaxSameNameDossiers the newest are named and the message says
// there are more.
func TestSameNameFlagsIgnoreCaseAndNameTheNewestFew(t *testing.T) {
	f := newHistoryFixture(t)
	ctx := context.Background()
	rename := func(id, name string, open bool) {
		t.Helper()
		if _, err := f.pool.Exec(ctx, `UPDATE nominees SET name = $2 WHERE nomination_id = $1`, id, name); err != nil {
			t.Fatal(err)
		}
		if open {
			if _, err := f.pool.Exec(ctx, `UPDATE nominations SET status = 'appraising' WHERE id = $1`, id); err != nil {
				t.Fatal(err)
			}
		}
	}
	const others = awards.MaxSameNameDossiers + 2
	var newest []string
	for i := 0; i < others; i++ {
		id, _ := f.decidedDossier("BK_TINH", 2025)
		if _, err := f.pool.Exec(ctx, `UPDATE nominations SET created_at = now() - make_interval(mins => $2) WHERE id = $1`, id, others-i); err != nil {
			t.Fatal(err)
		}
		rename(id, "ĐỖ VĂN AN", i%2 == 0)
		if i >= others-awards.MaxSameNameDossiers {
			newest = append(newest, id)
		}
	}
	notSame, _ := f.decidedDossier("BK_TINH", 2025)
	rename(notSame, "Đỗ Văn Ân", true)
	this, _ := f.decidedDossier("BK_TINH", 2025)
	rename(this, "Đỗ Văn An", true)
	n, err := dossiers.NewStore(f.st.Pool).Nomination(ctx, this)
	if err != nil {
		t.Fatal(err)
	}
	conflicts, err := f.st.NominationConflicts(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	got := conflicts[n.Nominees[0].ID]
	if len(got) != awards.MaxSameNameDossiers {
		t.Fatalf("%d flags, want the newest %d: %+v", len(got), awards.MaxSameNameDossiers, got)
	}
	want := map[string]bool{}
	for _, id := range newest {
		want[id] = true
	}
	for _, c := range got {
		if c.Kind != history.ConflictPossibleDuplicate || !want[c.NominationID] {
			t.Errorf("flag %+v is not one of the newest same-name dossiers", c)
		}
		if !strings.Contains(c.Message, fmt.Sprintf("trong hơn %d hồ sơ khác", awards.MaxSameNameDossiers)) {
			t.Errorf("message %q does not say there are more than %d", c.Message, awards.MaxSameNameDossiers)
		}
	}
}

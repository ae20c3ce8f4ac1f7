package web_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
)

// benchSubjects is how many subjects the award history pages run against.
const benchSubjects = 20_000

// seedBenchSubjects adds n subjects to the demo, spread over every commune of
// Lạng Sơn (a tenth of them named Nguyễn Văn …, for the search), each with five
// yearly ratings, an initiative and, for every third, a CSTĐCS; the subject
// returned has the MOHA worked example of DOMAIN.md §6, for the eligibility
// check. The rows are written in bulk SQL, in the shapes ApplyHistoryBatch writes.
func seedBenchSubjects(tb testing.TB, pool *pgxpool.Pool, n int) int64 {
	tb.Helper()
	ctx := context.Background()
	_, err := pool.Exec(ctx, `
		WITH communes AS (
			SELECT id, row_number() OVER (ORDER BY id) - 1 AS i, count(*) OVER () AS total FROM units WHERE level = 'commune')
		INSERT INTO subjects (unit_id, code, kind, name, job_title, organisation)
		SELECT c.id, 'S' || g, CASE WHEN g % 7 = 0 THEN 'collective' ELSE 'individual' END,
			CASE WHEN g % 10 = 0 THEN 'Nguyễn Văn ' || g WHEN g % 7 = 0 THEN 'Hội Nông dân thôn ' || g ELSE 'Hoàng Thị ' || g END,
			'Công chức', 'UBND xã'
		FROM generate_series(1, $1) g JOIN communes c ON c.i = g % c.total`, n)
	if err != nil {
		tb.Fatal(err)
	}
	_, err = pool.Exec(ctx, `
		INSERT INTO task_ratings (subject_id, year, rating, source)
		SELECT s.id, y, CASE WHEN (s.id + y) % 3 = 0 THEN 'htxs' ELSE 'htt' END, 'import'
		FROM subjects s CROSS JOIN generate_series(2020, 2024) y;
		INSERT INTO initiatives (subject_id, year, title, scope, source)
		SELECT id, 2024, 'Sáng kiến số hóa hồ sơ ' || id, 'grassroots', 'import' FROM subjects;
		INSERT INTO award_records (subject_id, award_code, year, level, kind, decision_code, source)
		SELECT id, 'CSTDCS', 2024, 'district', 'merit', id || '/QĐ-UBND', 'import' FROM subjects WHERE id % 3 = 0;
		ANALYZE subjects; ANALYZE task_ratings; ANALYZE initiatives; ANALYZE award_records`)
	if err != nil {
		tb.Fatal(err)
	}
	var id int64
	err = pool.QueryRow(ctx, `
		WITH s AS (INSERT INTO subjects (unit_id, code, kind, name) VALUES ('LS-09-003', '012345678901', 'individual', 'Hoàng Thị Lan') RETURNING id),
		r AS (INSERT INTO task_ratings (subject_id, year, rating, source) SELECT id, y, 'htxs', 'import' FROM s, generate_series(2023, 2024) y),
		i AS (INSERT INTO initiatives (subject_id, year, title, scope, source) SELECT id, y, 'Sáng kiến năm ' || y, 'grassroots', 'import' FROM s, generate_series(2023, 2024) y),
		a AS (INSERT INTO award_records (subject_id, award_code, year, level, kind, decision_code, source) SELECT id, 'CSTDCS', 2024, 'district', 'merit', '15/QĐ-UBND', 'import' FROM s)
		SELECT id FROM s`).Scan(&id)
	if err != nil {
		tb.Fatal(err)
	}
	return id
}

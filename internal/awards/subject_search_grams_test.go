package awards_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tdkt/tdkt/internal/awards"
	"github.com/tdkt/tdkt/internal/history"
	"github.com/tdkt/tdkt/internal/pgtest"
	"github.com/tdkt/tdkt/internal/postgres"
	"github.com/tdkt/tdkt/internal/seed"
)

// TestSubjectSearchByNamePiecesFindsWhatThePlainLikeFinds: the subject search
// looks a query of NameGramLength letters or more up in the index of the names'
// 5-letter pieces (migration 0025) before the LIKE decides; over 3,000 generated
// Vietnamese names it answers every query exactly as the plain
// `code = q OR name_folded LIKE '%q%'` does: full names typed with and without
// diacritics and in capitals, names cut inside their last word ("nguyen van a")
// or their first ("yen van an"), pieces from the middle, names made of common
// syllables that nobody bears, queries of fewer than 5 letters (the trigram
// index), spaces doubled or around, LIKE's wildcards typed, and a code. The
// store runs with sequential scans off, so that the indexes answer.
func TestSubjectSearchByNamePiecesFindsWhatThePlainLikeFinds(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewPool(t)
	if err := seed.Reference(ctx, pool); err != nil {
		t.Fatal(err)
	}
	units := []string{"T-1", "T-2"}
	for _, u := range units {
		if _, err := pool.Exec(ctx, `INSERT INTO units (id, name, level, kind) VALUES ($1, $1, 'commune', 'people_committee')`, u); err != nil {
			t.Fatal(err)
		}
	}
	families := []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Vũ", "Đặng", "Nông", "Lương", "Vi", "Ngô"}
	middles := []string{"Văn", "Thị", "Đức", "Minh", "Ngọc", "Quang", "Hữu", "Thu"}
	givens := []string{"An", "Anh", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hương", "Lan", "Linh", "Long", "Nam", "Ngân", "Quân", "Sơn", "Thắng", "Thủy", "Yến", "Đạt"}
	rng := rand.New(rand.NewPCG(17, 2))
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	var names []string
	for i := range 3000 {
		name := pick(families) + " " + pick(middles) + " " + pick(givens)
		switch i % 10 {
		case 0: // four words
			name = pick(families) + " " + pick(middles) + " " + pick(middles) + " " + pick(givens)
		case 1: // an organisation
			name = "Hội Nông dân xã " + pick(givens) + " " + pick(givens)
		}
		names = append(names, name)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO subjects (unit_id, code, kind, name)
		SELECT ($1::text[])[1 + i % 2], 'C' || lpad(i::text, 6, '0'), 'individual', n
		FROM unnest($2::text[]) WITH ORDINALITY AS x(n, i)`, units, names); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `ANALYZE subjects`); err != nil {
		t.Fatal(err)
	}
	var pieces5, pieces4 int // the index's pieces are NameGramLength letters long
	if err := pool.QueryRow(ctx, `SELECT cardinality(name_grams(repeat('a', $1))), cardinality(name_grams(repeat('a', $1 - 1)))`,
		awards.NameGramLength).Scan(&pieces5, &pieces4); err != nil || pieces5 != 1 || pieces4 != 0 {
		t.Fatalf("name_grams of %d letters: %d pieces, of one fewer: %d (%v); want 1 and 0", awards.NameGramLength, pieces5, pieces4, err)
	}
	pc := pool.Config()
	pc.ConnConfig.RuntimeParams["enable_seqscan"] = "off"
	indexed, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		t.Fatal(err)
	}
	defer indexed.Close()
	st := awards.NewStore(indexed)

	queries := []string{"", "  ", "an", "van", "thi ", "nga", "uyen", "ng v", " van ", "n van", "nguyen  van", " nguyen van",
		"nguyen van ", "50%", "a_h", "%", "_", "C000042", "c000042", "hoi nong dan xa", "HỘI NÔNG DÂN", "dan xa an b"}
	for range 120 {
		full := names[rng.IntN(len(names))]
		folded := history.Fold(full)
		r := []rune(folded)
		cut := 1 + rng.IntN(len(r)-1)
		queries = append(queries, full, folded, strings.ToUpper(full),
			string(r[:cut]), string(r[cut:]), string(r[cut/2:cut/2+(len(r)-cut/2)/2+1]),
			pick(families)+" "+pick(middles)+" "+pick(givens), // common syllables, often nobody's name
			history.Fold(pick(families)+" "+pick(givens)+" "+pick(middles)))
	}
	long := 0
	for _, q := range queries {
		got, err := st.Subjects(ctx, awards.SubjectFilter{Units: units, Query: q, Limit: 500})
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		want := plainSubjectSearch(t, pool, units, q)
		ids := make([]int64, len(got))
		for i, s := range got {
			ids[i] = s.ID
		}
		if !slices.Equal(ids, want) {
			t.Errorf("search %q found %d subjects, the plain LIKE %d: %v, want %v", q, len(ids), len(want), head(ids), head(want))
		}
		if len([]rune(history.Fold(q))) >= awards.NameGramLength {
			long++
		}
	}
	if long < len(queries)/2 {
		t.Fatalf("only %d of %d queries were long enough for the index of pieces", long, len(queries))
	}
}

// plainSubjectSearch is the search as it was before the index of pieces: the code,
// or the folded name containing the folded query.
func plainSubjectSearch(t *testing.T, pool *pgxpool.Pool, units []string, q string) []int64 {
	t.Helper()
	sql, args := `SELECT id FROM subjects WHERE unit_id = ANY($1) AND (code = $2 OR name_folded LIKE $3)
		ORDER BY unit_id, name, id LIMIT 500`, []any{units, q, "%" + postgres.LikeEscape(history.Fold(q)) + "%"}
	if q == "" { // no query: every subject
		sql, args = `SELECT id FROM subjects WHERE unit_id = ANY($1) ORDER BY unit_id, name, id LIMIT 500`, args[:1]
	}
	rows, err := pool.Query(context.Background(), sql, args...)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func head(ids []int64) string {
	if len(ids) > 5 {
		return fmt.Sprint(ids[:5]) + "…"
	}
	return fmt.Sprint(ids)
}

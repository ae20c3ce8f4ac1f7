package seed

import (
	"context"
	"embed"
	"encoding/csv"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// The demo as it is today. Lạng Sơn's communes were rearranged twice after the
// 2018 shape that Demo loads: in 2020 (Resolution 818/NQ-UBTVQH14, and again on
// 1/1/2025), and by Resolution 1672/NQ-UBTVQH15, whose 65 communes operate from
// 2025-07-01 directly under the province (the districts are abolished). Today
// applies both to the demo, from the official lists in data/ (see data/README.md):
//
//   - the 2018 units get their official codes (lang-son-2018.csv);
//   - a 2018 commune whose code AND name are both in the list of 2025-01-01
//     (lang-son-2025-pre.csv) is the same unit and stays in force until
//     2025-06-30; the others end on 2019-12-31, and the units of that list not in
//     the 2018 one start on 2020-01-01. The 2020 and 2025-01-01 steps are
//     simplified into this one date, with no succession recorded for them: the data
//     proves no link (13 codes were reused under other names);
//   - the 65 communes of 2025-07-01 (lang-son-2025.csv) are created under the
//     province, every pre-reform commune and district ends on 2025-06-30, and the
//     successions of Resolution 1672 are recorded, the splits of xã Bính Xá and xã
//     Kiên Mộc as parts;
//   - the commune accounts move to the new commune that took in their old one; the
//     district accounts are deactivated and stay, ended, with their district.

//go:embed data/*.csv data/README.md
var dataFiles embed.FS

// Dates of the demo's history.
const (
	Reform2020 = "2020-01-01" // the 2018 → 2025-pre change, simplified to one date
	Reform2025 = "2025-07-01" // Resolution 1672: the two-level government
)

// Source1672 is the legal act recorded with the 2025 successions.
const Source1672 = "Nghị quyết 1672/NQ-UBTVQH15"

// TodayCommune is the commune of 2025-07-01 that took in the demo commune (xã Bảo
// Lâm, huyện Cao Lộc): xã Đồng Đăng. TodayOtherCommune took in xã Ái Quốc.
const (
	TodayCommune      = "LS-06184" // UBND xã Đồng Đăng
	TodayOtherCommune = "LS-06607" // UBND xã Xuân Dương
)

// TodayReport counts what Today changed.
type TodayReport struct {
	Coded2018, Kept, Ended2020, Started2020, Communes2025, Successions int
	AlreadyApplied                                                     bool
}

// Today reshapes the demo loaded by Demo (and Review1258) into Lạng Sơn as it is
// today, as the package comment above says, in one transaction. A second run
// finds the 2025 communes and changes nothing.
func Today(ctx context.Context, db DB) (TodayReport, error) {
	var rep TodayReport
	err := inTx(ctx, db, func(tx DB) error {
		var done bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM units WHERE id = $1)`, TodayCommune).Scan(&done); err != nil {
			return fmt.Errorf("seed today: %w", err)
		}
		if done {
			rep.AlreadyApplied = true
			return nil
		}
		var err error
		rep, err = today(ctx, tx)
		return err
	})
	return rep, err
}

// officialUnit is a row of the 2018 and 2025-pre lists.
type officialUnit struct{ code, name, kind, district string }

func readList(name string) ([][]string, error) {
	f, err := dataFiles.Open("data/" + name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return recs[1:], nil
}

func readOfficial(name string) ([]officialUnit, error) {
	recs, err := readList(name)
	if err != nil {
		return nil, err
	}
	out := make([]officialUnit, len(recs))
	for i, r := range recs {
		out[i] = officialUnit{r[0], r[1], r[2], r[3]}
	}
	return out, nil
}

// nameKey compares unit names as the lists spell them: letter case aside, and the
// statistics office's "NT" for nông trường.
func nameKey(kind, name string) string {
	n := strings.ToLower(strings.TrimSpace(name))
	if strings.HasPrefix(n, "nt ") {
		n = "nông trường " + n[3:]
	}
	return kind + "|" + n
}

// kindWords are the words the resolution puts before a commune's name.
var kindWords = []struct{ word, kind string }{{"thị trấn ", subkindTown}, {"phường ", subkindWard}, {"xã ", subkindCommune}}

func today(ctx context.Context, tx DB) (TodayReport, error) {
	var rep TodayReport
	// The demo's districts by their official name ("huyện Cao Lộc").
	districtIDs := map[string]string{}
	seeded := map[string]string{} // district id + nameKey → unit id
	for _, d := range langSonDistricts() {
		districtIDs[strings.TrimPrefix(committeeName(d.subkind, d.name), "UBND ")] = d.id
		n := 0
		for _, group := range []struct {
			names []string
			kind  string
		}{{d.wards, subkindWard}, {d.towns, subkindTown}, {d.communes, subkindCommune}} {
			for _, name := range group.names {
				n++
				seeded[d.id+"|"+nameKey(group.kind, name)] = communeID(d.id, n)
			}
		}
	}
	list2018, err := readOfficial("lang-son-2018.csv")
	if err != nil {
		return rep, err
	}
	// The demo's 2018 list spells one commune of huyện Văn Quan as it is known later
	// (Điềm He); the official list of 2018 has Vân Mộng there. A demo unit left
	// unmatched takes the official name of the one official row of its district and
	// kind left unmatched.
	matched := map[string]bool{}
	var unmatched []officialUnit
	for _, u := range list2018 {
		if id := seeded[districtIDs[u.district]+"|"+nameKey(u.kind, u.name)]; id != "" {
			matched[id] = true
		} else {
			unmatched = append(unmatched, u)
		}
	}
	for _, u := range unmatched {
		d, ok := districtIDs[u.district]
		var spare []string
		for k, id := range seeded {
			if strings.HasPrefix(k, d+"|"+u.kind+"|") && !matched[id] {
				spare = append(spare, k)
			}
		}
		if !ok || len(spare) != 1 {
			return rep, fmt.Errorf("seed today: the 2018 unit %s %s (%s) is not in the demo", u.code, u.name, u.district)
		}
		id := seeded[spare[0]]
		if _, err := tx.Exec(ctx, `UPDATE units SET name = $2 WHERE id = $1`, id, committeeName(u.kind, u.name)); err != nil {
			return rep, fmt.Errorf("seed today: rename %s: %w", id, err)
		}
		delete(seeded, spare[0])
		seeded[d+"|"+nameKey(u.kind, u.name)] = id
		matched[id] = true
	}
	byCode2018 := map[string]string{} // code + nameKey → unit id
	for _, u := range list2018 {
		id := seeded[districtIDs[u.district]+"|"+nameKey(u.kind, u.name)]
		if _, err := tx.Exec(ctx, `UPDATE units SET code = $2 WHERE id = $1`, id, u.code); err != nil {
			return rep, fmt.Errorf("seed today: code of %s: %w", id, err)
		}
		byCode2018[u.code+"|"+nameKey(u.kind, u.name)] = id
		rep.Coded2018++
	}

	pre, err := readOfficial("lang-son-2025-pre.csv")
	if err != nil {
		return rep, err
	}
	preIDs := map[string]string{} // district id + nameKey → unit id in force on 2025-06-30
	kept := map[string]bool{}
	for _, u := range pre {
		d, ok := districtIDs[u.district]
		if !ok {
			return rep, fmt.Errorf("seed today: unknown district %q of %s", u.district, u.name)
		}
		id, same := byCode2018[u.code+"|"+nameKey(u.kind, u.name)]
		if same {
			kept[id] = true
			rep.Kept++
		} else {
			id = "LS-P-" + u.code
			if _, err := tx.Exec(ctx, `INSERT INTO units (id, parent_id, name, level, kind, subkind, valid_from, code)
				VALUES ($1, $2, $3, $4, 'people_committee', $5, $6, $7)`,
				id, d, committeeName(u.kind, u.name), levelCommune, u.kind, Reform2020, u.code); err != nil {
				return rep, fmt.Errorf("seed today: unit %s: %w", id, err)
			}
			rep.Started2020++
		}
		preIDs[d+"|"+nameKey(u.kind, u.name)] = id
	}
	for _, id := range byCode2018 {
		if kept[id] {
			continue
		}
		if _, err := tx.Exec(ctx, `UPDATE units SET valid_to = $2 WHERE id = $1`, id, Reform2020); err != nil {
			return rep, fmt.Errorf("seed today: end %s: %w", id, err)
		}
		rep.Ended2020++
	}

	now, err := readList("lang-son-2025.csv")
	if err != nil {
		return rep, err
	}
	succeeded := map[string]bool{}
	for _, r := range now {
		code, name, kind, olds := r[0], r[1], r[2], r[3]
		id := "LS-" + code
		if _, err := tx.Exec(ctx, `INSERT INTO units (id, parent_id, name, level, kind, subkind, valid_from, code)
			VALUES ($1, $2, $3, $4, 'people_committee', $5, $6, $7)`,
			id, Province, committeeName(kind, name), levelCommune, kind, Reform2025, code); err != nil {
			return rep, fmt.Errorf("seed today: unit %s: %w", id, err)
		}
		rep.Communes2025++
		for _, old := range strings.Split(olds, ";") {
			predID, whole, err := resolveOld(strings.TrimSpace(old), districtIDs, preIDs)
			if err != nil {
				return rep, fmt.Errorf("seed today: %s: %w", name, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO unit_successions (predecessor_id, successor_id, whole, effective, source)
				VALUES ($1, $2, $3, $4, $5)`, predID, id, whole, Reform2025, Source1672); err != nil {
				return rep, fmt.Errorf("seed today: succession %s → %s: %w", predID, id, err)
			}
			succeeded[predID] = true
			rep.Successions++
		}
	}
	for _, id := range preIDs {
		if !succeeded[id] {
			return rep, fmt.Errorf("seed today: %s has no successor in lang-son-2025.csv", id)
		}
	}
	// Every commune and district still in force ends with the reform.
	if _, err := tx.Exec(ctx, `UPDATE units SET valid_to = $1 WHERE valid_to IS NULL AND level IN ($2, $3)
		AND valid_from < $1`, Reform2025, levelCommune, levelDistrict); err != nil {
		return rep, fmt.Errorf("seed today: end the pre-reform units: %w", err)
	}
	return rep, moveAccounts(ctx, tx)
}

// resolveOld finds the pre-reform unit an entry of old_units names, e.g. "xã Bính
// Xá (huyện Đình Lập, một phần)", and whether it went there whole.
func resolveOld(s string, districts, pre map[string]string) (string, bool, error) {
	open := strings.LastIndex(s, "(")
	if open < 0 || !strings.HasSuffix(s, ")") {
		return "", false, fmt.Errorf("old unit %q has no district", s)
	}
	inner := s[open+1 : len(s)-1]
	whole := true
	if district, rest, ok := strings.Cut(inner, ","); ok {
		if strings.TrimSpace(rest) != "một phần" {
			return "", false, fmt.Errorf("old unit %q: unknown mark %q", s, rest)
		}
		inner, whole = district, false
	}
	d, ok := districts[strings.TrimSpace(inner)]
	if !ok {
		return "", false, fmt.Errorf("old unit %q: unknown district", s)
	}
	head := strings.TrimSpace(s[:open])
	for _, k := range kindWords {
		if strings.HasPrefix(head, k.word) {
			if id, ok := pre[d+"|"+nameKey(k.kind, strings.TrimPrefix(head, k.word))]; ok {
				return id, whole, nil
			}
		}
	}
	return "", false, fmt.Errorf("old unit %q is not in lang-son-2025-pre.csv", s)
}

// moveAccounts puts the commune accounts in the commune that took in theirs (the
// only successor of a whole commune), and deactivates the district accounts, whose
// roles stay with the ended district.
func moveAccounts(ctx context.Context, tx DB) error {
	for _, c := range []string{DemoCommune, OtherCommune} {
		var succ string
		err := tx.QueryRow(ctx, `SELECT successor_id FROM unit_successions WHERE predecessor_id = $1 AND whole`, c).Scan(&succ)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("seed today: %s has no whole successor", c)
		}
		if err != nil {
			return fmt.Errorf("seed today: successor of %s: %w", c, err)
		}
		if _, err := tx.Exec(ctx, `UPDATE role_assignments SET unit_id = $2 WHERE unit_id = $1`, c, succ); err != nil {
			return fmt.Errorf("seed today: roles of %s: %w", c, err)
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET unit_id = $2 WHERE unit_id = $1`, c, succ); err != nil {
			return fmt.Errorf("seed today: accounts of %s: %w", c, err)
		}
	}
	if _, err := tx.Exec(ctx, `UPDATE users SET active = false WHERE unit_id IN
		(SELECT id FROM units WHERE level = $1)`, levelDistrict); err != nil {
		return fmt.Errorf("seed today: district accounts: %w", err)
	}
	return nil
}

// DemoToday loads the demo as it is today, in one transaction: Demo, the 1258
// review (on the 2018 tree), the dossiers decided before the reform (PreReform),
// then Today. The logins name the unit where each role is held now; a role of an
// ended unit says so, and its account is inactive.
func DemoToday(ctx context.Context, db DB, hash func(password string) (string, error)) ([]Login, TodayReport, error) {
	var logins []Login
	var rep TodayReport
	err := inTx(ctx, db, func(tx DB) error {
		var applied bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM units WHERE id = $1)`, TodayCommune).Scan(&applied); err != nil {
			return err
		}
		var err error
		if applied {
			// Demo again would give the moved accounts back their old roles.
			rep.AlreadyApplied = true
			if err := reference(ctx, tx); err != nil {
				return err
			}
			for _, u := range demoUsers() {
				logins = append(logins, Login{Username: u.username, Password: DemoPassword, FullName: u.fullName, Role: u.role})
			}
		} else {
			if logins, err = Demo(ctx, tx, hash); err != nil {
				return err
			}
			if err := Review1258(ctx, tx); err != nil {
				return err
			}
			if err := PreReform(ctx, tx); err != nil {
				return err
			}
			if rep, err = Today(ctx, tx); err != nil {
				return err
			}
		}
		for i, l := range logins {
			var unit, name string
			var ended *time.Time
			var active bool
			if err := tx.QueryRow(ctx, `SELECT un.id, un.name, un.valid_to, u.active FROM users u
				JOIN role_assignments r ON r.user_id = u.id JOIN units un ON un.id = r.unit_id
				WHERE u.username = $1 AND r.role = $2 ORDER BY un.valid_to NULLS FIRST LIMIT 1`, l.Username, l.Role).
				Scan(&unit, &name, &ended, &active); err != nil {
				return fmt.Errorf("seed: login %s: %w", l.Username, err)
			}
			if ended != nil {
				name += " (ended " + ended.AddDate(0, 0, -1).Format("02/01/2006") + ")"
			}
			if !active {
				name += " — inactive"
			}
			logins[i].UnitID, logins[i].UnitName = unit, name
		}
		return nil
	})
	return logins, rep, err
}

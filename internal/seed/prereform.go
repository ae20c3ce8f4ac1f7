package seed

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/tdkt/tdkt/internal/domain"
)

// Dossiers decided before the reform, when a commune's award went up through its
// district: they keep the four-level chain (commune → district → province → Prime
// Minister) in the demo's history after the districts are gone.
const (
	PreReformBKTinh = "20250000-0000-4000-8000-0000000000b1" // xã Bảo Lâm, BK tỉnh 2022: commune → district → province
	PreReformBKTTg  = "20250000-0000-4000-8000-0000000000b2" // xã Bảo Lâm, BK TTg 2023: commune → district → province → PM
	PreReformCSTD   = "20250000-0000-4000-8000-0000000000b3" // xã Ái Quốc, BK tỉnh 2024: commune → district → province
)

type preReformDossier struct {
	id, unit, district, award, title, nominee, nomineeKind, code string
	year, number                                                 int
	submitted                                                    string
	route                                                        []string // unit ids from the district up; the last decides
	signers                                                      []string // who forwards or decides at each stop
}

// PreReform inserts the decided dossiers above with their history (create, submit,
// a forward at each intermediate stop, the decision). It must run while the demo's
// districts exist in the data (before Today); a second run changes nothing.
func PreReform(ctx context.Context, db DB) error {
	return inTx(ctx, db, func(tx DB) error { return preReform(ctx, tx) })
}

func preReform(ctx context.Context, db DB) error {
	var exists bool
	if err := db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM nominations WHERE id = $1)`, PreReformBKTinh).Scan(&exists); err != nil || exists {
		return err
	}
	users := map[string]int64{}
	rows, err := db.Query(ctx, `SELECT username, id FROM users`)
	if err != nil {
		return fmt.Errorf("seed pre-reform: users: %w", err)
	}
	for rows.Next() {
		var u string
		var id int64
		if err := rows.Scan(&u, &id); err != nil {
			rows.Close()
			return err
		}
		users[u] = id
	}
	if err := rows.Err(); err != nil {
		return err
	}
	names := map[string]string{}
	levels := map[string]string{}
	for _, u := range demoUnits() {
		names[u.id], levels[u.id] = u.name, u.level
	}
	ds := []preReformDossier{
		{id: PreReformBKTinh, unit: DemoCommune, award: "BK_TINH", year: 2022, number: 412, submitted: "2022-11-07",
			title:   "Đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh cho ông Nông Văn Páo, trưởng thôn Khòn Khuyên, xã Bảo Lâm",
			nominee: "Nông Văn Páo", nomineeKind: "individual", code: "QĐ-UBND",
			route: []string{DemoDistrict, Province}, signers: []string{"huyen.decider", "tinh.decider"}},
		{id: PreReformBKTTg, unit: DemoCommune, award: "BK_TTG", year: 2023, number: 1187, submitted: "2023-08-14",
			title:   "Đề nghị tặng Bằng khen của Thủ tướng Chính phủ cho Nhân dân và cán bộ xã Bảo Lâm, huyện Cao Lộc",
			nominee: "Nhân dân và cán bộ xã Bảo Lâm, huyện Cao Lộc", nomineeKind: "collective", code: "QĐ-TTg",
			route: []string{DemoDistrict, Province, Central}, signers: []string{"huyen.decider", "tinh.decider", "tw.decider"}},
		{id: PreReformCSTD, unit: OtherCommune, award: "BK_TINH", year: 2024, number: 198, submitted: "2024-10-21",
			title:   "Đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh cho bà Triệu Thị Mai, y sĩ Trạm Y tế xã Ái Quốc",
			nominee: "Triệu Thị Mai", nomineeKind: "individual", code: "QĐ-UBND",
			route: []string{OtherDistrict, Province}, signers: []string{"huyen.decider", "tinh.decider"}},
	}
	for _, d := range ds {
		var route []domain.RouteStop
		for i, u := range d.route {
			stop := domain.RouteStop{UnitID: u, UnitName: names[u], Level: levels[u], Decides: i == len(d.route)-1}
			if levels[u] == levelDistrict {
				stop.ValidTo = Reform2025
			}
			route = append(route, stop)
		}
		js, err := json.Marshal(route)
		if err != nil {
			return err
		}
		submitted := day(d.submitted)
		at := func(weeks int) time.Time { return submitted.AddDate(0, 0, 7*weeks) }
		signed := at(3 * len(d.route))
		creator := users["xa.clerk"]
		if d.unit == OtherCommune {
			creator = users["xa2.clerk"]
		}
		decider := d.route[len(d.route)-1]
		if _, err := db.Exec(ctx, `INSERT INTO nominations (id, workflow_id, unit_id, award_code, year, title, status, current_step,
				route, route_index, version, created_by, created_at, updated_at, submitted_at, closed_at)
			VALUES ($1, $2, $3, $4, $5, $6, 'decided', '', $7, $8, $9, $10, $11, $12, $11, $12)`,
			d.id, "seed-prereform-"+d.id, d.unit, d.award, d.year, d.title, js, len(d.route)-1, 2+len(d.route),
			creator, submitted, signed); err != nil {
			return fmt.Errorf("seed pre-reform: dossier %s: %w", d.title, err)
		}
		var nomineeID int64
		if err := db.QueryRow(ctx, `INSERT INTO nominees (nomination_id, position, kind, name, status)
			VALUES ($1, 1, $2, $3, 'awarded') RETURNING id`, d.id, d.nomineeKind, d.nominee).Scan(&nomineeID); err != nil {
			return fmt.Errorf("seed pre-reform: nominee %s: %w", d.nominee, err)
		}
		var decisionID int64
		if err := db.QueryRow(ctx, `INSERT INTO decisions (nomination_id, unit_id, year, number, code, signed_by, signed_on, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, d.id, decider, signed.Year(), d.number,
			fmt.Sprintf("%d/%s", d.number, d.code), users[d.signers[len(d.signers)-1]], signed.Format(time.DateOnly), signed).Scan(&decisionID); err != nil {
			return fmt.Errorf("seed pre-reform: decision on %s: %w", d.title, err)
		}
		if _, err := db.Exec(ctx, `INSERT INTO decision_awardees (decision_id, nominee_id, award_code) VALUES ($1, $2, $3)`,
			decisionID, nomineeID, d.award); err != nil {
			return fmt.Errorf("seed pre-reform: awardee: %w", err)
		}
		if _, err := db.Exec(ctx, `INSERT INTO decision_counters (unit_id, year, last_number) VALUES ($1, $2, $3)
			ON CONFLICT (unit_id, year) DO UPDATE SET last_number = GREATEST(decision_counters.last_number, EXCLUDED.last_number)`,
			decider, signed.Year(), d.number); err != nil {
			return fmt.Errorf("seed pre-reform: decision register: %w", err)
		}
		// The history: created and submitted at the commune, forwarded by each
		// intermediate level's head, decided by the last.
		type ev struct {
			at               time.Time
			actor            int64
			action, from, to string
			unit             string
		}
		evs := []ev{{submitted.AddDate(0, 0, -2), creator, "create", "", "draft", d.unit},
			{submitted, creator, "submit", "draft", "intake", d.unit}}
		for i, u := range d.route {
			if i < len(d.route)-1 {
				evs = append(evs, ev{at(3*i + 3), users[d.signers[i]], "forward", "forwarding", "intake", u})
			} else {
				evs = append(evs, ev{signed, users[d.signers[i]], "decide", "deciding", "decided", u})
			}
		}
		for seq, e := range evs {
			if _, err := db.Exec(ctx, `INSERT INTO audit_events (nomination_id, seq, at, actor_id, action, from_status, to_status, unit_id, details)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '{"source": "demo before the reform"}')`,
				d.id, seq, e.at, e.actor, e.action, e.from, e.to, e.unit); err != nil {
				return fmt.Errorf("seed pre-reform: history of %s: %w", d.title, err)
			}
		}
	}
	return nil
}

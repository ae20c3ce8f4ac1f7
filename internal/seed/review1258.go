package seed

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/review"
)

// reviewTemplates stores the built-in indicator templates; existing ones are kept, so
// that an administrator's changes survive a restart.
func reviewTemplates(ctx context.Context, db DB) error {
	for _, t := range review.Builtin() {
		def, err := json.Marshal(t)
		if err != nil {
			return err
		}
		if _, err := db.Exec(ctx, `INSERT INTO review_templates (code, name, definition) VALUES ($1, $2, $3)
			ON CONFLICT (code) DO NOTHING`, t.Code, t.Name, def); err != nil {
			return fmt.Errorf("seed: review template %s: %w", t.Code, err)
		}
	}
	return nil
}

// Ids of the 1258 scenario, fixed so that the demo and its tests can refer to them.
const (
	Movement1258ID   = "12580000-0000-4000-8000-000000000001" // Quyết định 1258/QĐ-TTg
	MovementLS1258ID = "12580000-0000-4000-8000-000000000002" // Kế hoạch 165/KH-UBND of Lạng Sơn
	Campaign1258ID   = "12580000-0000-4000-8000-000000002422" // Công văn 2422, sơ kết giữa kỳ
)

// Province1258 are Lạng Sơn's figures as its mid-term report states them (seed/
// bao-cao-so-ket-1258-lang-son.md), with the denominators the report does not print
// chosen so that the percentages recompute to the printed ones: households 191,640
// (36,544 poor = 19.07%, 21,814 near-poor = 11.38%); 189,800 households with 42,458 poor
// at the start of 2017 (22.37%, so the rate fell 3.3 points); 192,500 households with
// 33,822 poor in mid-2018 (17.57%, 1.5 points lower); population 788,400 with 754,500
// insured (95.7%); 480,000 of working age with 228,480 trained (47.6%).
var Province1258 = map[string]int64{
	"so_ho_dau_ky": 189800, "so_ho_ngheo_dau_ky": 42458,
	"so_ho": 191640, "so_ho_ngheo": 36544, "so_ho_can_ngheo": 21814,
	"so_ho_6t2018": 192500, "so_ho_ngheo_6t2018": 33822, "so_ho_thoat_ngheo_6t2018": 2700,
	"dan_so": 788400, "so_nguoi_bhyt": 754500, "so_lao_dong": 480000, "so_lao_dong_qua_dao_tao": 228480,
	"so_nhan_khau_cuu_doi": 14090, "gao_cuu_doi": 550,
	"so_xa_dat_chuan_ntm": 36, "so_xa_dat_chuan_ntm_2017": 12,
	"quy_vi_nguoi_ngheo": 3468179900, "nha_xay_moi": 60, "nha_sua_chua": 25, "suat_qua_tet": 2420,
	"ho_ngheo_kham_chua_benh": 444, "hoc_sinh_ngheo": 899, "ho_ngheo_ho_tro_san_xuat": 27,
}

// splitWeights says which weight each indicator is split by over the communes: the
// households, the poor households, or (rural standards) none, handled apart.
var splitWeights = map[string]string{
	"so_ho_dau_ky": "households", "so_ho_ngheo_dau_ky": "households", "so_ho": "households",
	"so_ho_ngheo": "households", "so_ho_can_ngheo": "households", "so_ho_6t2018": "households",
	"so_ho_ngheo_6t2018": "households", "dan_so": "households", "so_nguoi_bhyt": "households",
	"so_lao_dong": "households", "so_lao_dong_qua_dao_tao": "households",
	"so_ho_thoat_ngheo_6t2018": "poor", "so_nhan_khau_cuu_doi": "poor", "gao_cuu_doi": "poor",
	"quy_vi_nguoi_ngheo": "households", "nha_xay_moi": "poor", "nha_sua_chua": "poor", "suat_qua_tet": "poor",
	"ho_ngheo_kham_chua_benh": "poor", "hoc_sinh_ngheo": "poor", "ho_ngheo_ho_tro_san_xuat": "poor",
}

// apportion splits total over the weights by largest remainder: the parts are whole,
// proportional to the weights and sum to total exactly. Ties go to the lower index.
func apportion(total int64, weights []int64) []int64 {
	var sum int64
	for _, w := range weights {
		sum += w
	}
	out := make([]int64, len(weights))
	type rem struct {
		i int
		r int64
	}
	rems := make([]rem, len(weights))
	var given int64
	for i, w := range weights {
		out[i] = total * w / sum
		given += out[i]
		rems[i] = rem{i, total * w % sum}
	}
	sort.SliceStable(rems, func(a, b int) bool { return rems[a].r > rems[b].r })
	for k := int64(0); k < total-given; k++ {
		out[rems[k].i]++
	}
	return out
}

func fnvOf(s string) int64 {
	h := fnv.New32a()
	h.Write([]byte(s)) //nolint:errcheck // hash writes cannot fail
	return int64(h.Sum32())
}

// commune1258 is one commune's figures in the scenario.
type commune1258 struct {
	unit      unitRow
	district  string
	numbers   map[string]int64
	submitted time.Time
}

// communes1258 splits the province's figures over its 226 communes, deterministically:
// households by a weight derived from the commune's id, poor households' help by the
// commune's poor households, and the 36 communes meeting the new-rural standards (12 of
// them recognised in 2017) among the xã.
func communes1258() []commune1258 {
	var cs []commune1258
	for _, u := range demoUnits() {
		if u.level == levelCommune {
			cs = append(cs, commune1258{unit: u, district: u.parentID, numbers: map[string]int64{}})
		}
	}
	households := make([]int64, len(cs))
	for i, c := range cs {
		households[i] = 400 + fnvOf(c.unit.id)%800
	}
	poorSplit := apportion(Province1258["so_ho_ngheo"], households)
	poor := make([]int64, len(cs))
	for i := range cs {
		poor[i] = poorSplit[i] + 1 // every commune can receive help
	}
	codes := make([]string, 0, len(splitWeights))
	for code := range splitWeights {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	for _, code := range codes {
		w := households
		if splitWeights[code] == "poor" {
			w = poor
		}
		for i, v := range apportion(Province1258[code], w) {
			cs[i].numbers[code] = v
		}
	}
	// New-rural standards: 36 xã, the first by hash order; the first 12 of them in 2017.
	var xa []int
	for i, c := range cs {
		cs[i].numbers["so_xa_dat_chuan_ntm"], cs[i].numbers["so_xa_dat_chuan_ntm_2017"] = 0, 0
		if c.unit.subkind == subkindCommune {
			xa = append(xa, i)
		}
	}
	sort.SliceStable(xa, func(a, b int) bool { return fnvOf("ntm"+cs[xa[a]].unit.id) < fnvOf("ntm"+cs[xa[b]].unit.id) })
	for k, i := range xa[:Province1258["so_xa_dat_chuan_ntm"]] {
		cs[i].numbers["so_xa_dat_chuan_ntm"] = 1
		if int64(k) < Province1258["so_xa_dat_chuan_ntm_2017"] {
			cs[i].numbers["so_xa_dat_chuan_ntm_2017"] = 1
		}
	}
	for i := range cs {
		// Submitted between 25 and 29 June 2018; three communes after their deadline.
		cs[i].submitted = time.Date(2018, 6, 25+i%5, 2+i%7, 0, 0, 0, time.UTC)
		if lateCommunes1258[cs[i].unit.id] {
			cs[i].submitted = time.Date(2018, 7, 3, 3, 0, 0, 0, time.UTC)
		}
	}
	return cs
}

// lateCommunes1258 reported after the communes' deadline (2 July 2018): still accepted,
// marked late.
var lateCommunes1258 = map[string]bool{"LS-02-015": true, "LS-07-020": true, "LS-11-009": true}

// The plan of the 1258 campaign. The ministry's letter does not say when it wanted the
// report; the demo sets Monday 16 July 2018 for the province, each level 5 working days
// before its parent (districts 9 July, communes 2 July), reminders 2 working days before.
const (
	final1258Day        = "2018-07-16"
	gap1258, remind1258 = 5, 2
)

// Review1258 loads the demo of the mid-term review (sơ kết giữa kỳ) of the Prime
// Minister's movement of Decision 1258/QĐ-TTg as Lạng Sơn ran it in 2018: the movement
// and Lạng Sơn's version of it (Kế hoạch 165/KH-UBND) with the districts' registrations;
// the campaign the ministry requested by its letter 2422 of 18/6/2018, completed, with
// the reports of the 226 communes, the 11 districts and the province, whose aggregate
// reproduces the province's figures; and the commendations the report counts (Bằng
// khen of the provincial chair to 20 collectives and 16 individuals, the Prime
// Minister's Bằng khen to the provincial business association) as decided dossiers.
// It needs the demo organisation and accounts (Demo), runs in one transaction and does
// nothing when the scenario is already there.
func Review1258(ctx context.Context, db DB) error {
	return inTx(ctx, db, func(tx DB) error { return review1258(ctx, tx) })
}

func review1258(ctx context.Context, db DB) error {
	var exists bool
	if err := db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM movements WHERE id = $1)`, Movement1258ID).Scan(&exists); err != nil {
		return fmt.Errorf("seed 1258: %w", err)
	}
	if exists {
		return nil
	}
	if err := reviewTemplates(ctx, db); err != nil {
		return err
	}
	users := map[string]int64{}
	rows, err := db.Query(ctx, `SELECT username, id FROM users WHERE username = ANY($1)`,
		[]string{"tw.appraiser", "tw.decider", "tinh.clerk", "tinh.appraiser", "tinh.decider", "huyen.clerk", "huyen.appraiser"})
	if err != nil {
		return fmt.Errorf("seed 1258: users: %w", err)
	}
	var name string
	var id int64
	if _, err := pgx.ForEachRow(rows, []any{&name, &id}, func() error { users[name] = id; return nil }); err != nil {
		return fmt.Errorf("seed 1258: users: %w", err)
	}
	if len(users) < 7 {
		return errors.New("seed 1258: the demo accounts are missing; run the demo seed first")
	}
	var tpl review.Template
	for _, t := range review.Builtin() {
		if t.Code == review.Template1258 {
			tpl = t
		}
	}
	if err := movements1258(ctx, db, users); err != nil {
		return err
	}
	if err := campaign1258(ctx, db, tpl, users); err != nil {
		return err
	}
	return awards1258(ctx, db, users)
}

func day(s string) time.Time {
	t, _ := time.ParseInLocation(time.DateOnly, s, calendar.Zone)
	return t
}

func movements1258(ctx context.Context, db DB, users map[string]int64) error {
	ms := []struct {
		id, parent, unit, name, number, decided, goals, criteria string
		by                                                       int64
	}{
		{Movement1258ID, "", Central, "Cả nước chung tay vì người nghèo - Không để ai bị bỏ lại phía sau", "1258/QĐ-TTg", "2017-08-21",
			"Huy động sức mạnh của cả hệ thống chính trị và toàn dân thực hiện mục tiêu giảm nghèo bền vững giai đoạn 2016 - 2020.",
			"Kết quả giảm nghèo, huy động nguồn lực cho người nghèo, hỗ trợ nhà ở, y tế, giáo dục, việc làm cho hộ nghèo.", users["tw.appraiser"]},
		{MovementLS1258ID, Movement1258ID, Province, "Lạng Sơn cùng cả nước chung tay vì người nghèo - Không để ai bị bỏ lại phía sau",
			"165/KH-UBND", "2017-09-26",
			"Phấn đấu đến năm 2020, tỷ lệ hộ nghèo trên địa bàn tỉnh giảm còn khoảng 11%, có trên 27.000 hộ thoát nghèo bền vững và hạn chế thấp nhất tình trạng tái nghèo.",
			"Gắn với Chương trình mục tiêu quốc gia giảm nghèo bền vững và phong trào “Lạng Sơn cùng cả nước chung sức xây dựng nông thôn mới” giai đoạn 2016 - 2020.",
			users["tinh.appraiser"]},
	}
	for _, m := range ms {
		var parent any
		if m.parent != "" {
			parent = m.parent
		}
		if _, err := db.Exec(ctx, `INSERT INTO movements (id, workflow_id, parent_id, unit_id, name, decision_number, decision_date,
				period_start, period_end, goals, criteria, template_code, status, seq, created_by, created_at, ended_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, '2016-01-01', '2020-12-31', $8, $9, $10, 'ended', 0, $11, $12, $13)`,
			m.id, review.MovementWorkflowID(m.id), parent, m.unit, m.name, m.number, m.decided, m.goals, m.criteria,
			review.Template1258, m.by, day(m.decided), review.EndOfDay(calendar.Date{Year: 2020, Month: 12, Day: 31})); err != nil {
			return fmt.Errorf("seed 1258: movement %s: %w", m.number, err)
		}
	}
	// Lạng Sơn registers for the Prime Minister's movement; its districts for the province's.
	regs := [][3]string{{Movement1258ID, Province, "Tỷ lệ hộ nghèo giảm bình quân 2,5 - 3%/năm; đến năm 2020 còn khoảng 11% hộ nghèo."}}
	for _, d := range langSonDistricts() {
		regs = append(regs, [3]string{MovementLS1258ID, d.id, "Hoàn thành chỉ tiêu giảm nghèo được giao; vận động ủng hộ Quỹ “Vì người nghèo”; hỗ trợ xây dựng nhà Đại đoàn kết cho hộ nghèo."})
	}
	for i, r := range regs {
		at := time.Date(2017, 10, 2+i, 2, 0, 0, 0, time.UTC)
		if _, err := db.Exec(ctx, `INSERT INTO movement_registrations (movement_id, unit_id, commitments, registered_at, updated_at)
			VALUES ($1, $2, $3, $4, $4)`, r[0], r[1], r[2], at); err != nil {
			return fmt.Errorf("seed 1258: registration of %s: %w", r[1], err)
		}
		if _, err := db.Exec(ctx, `UPDATE movements SET seq = seq + 1 WHERE id = $1`, r[0]); err != nil {
			return err
		}
		if _, err := db.Exec(ctx, `INSERT INTO movement_events (movement_id, seq, at, action, unit_id)
			SELECT $1, seq, $2, 'register', $3 FROM movements WHERE id = $1`, r[0], at, r[1]); err != nil {
			return fmt.Errorf("seed 1258: registration event: %w", err)
		}
	}
	return nil
}

// reportRow is one report of the scenario as inserted.
type reportRow struct {
	unit, parent          string
	depth                 int
	values, aggregate     review.Values
	childrenTotal         int
	prefilled, submitted  *time.Time
	accepted              time.Time
	late                  bool
	events                []review.Action
	deadline, remindAt    time.Time
	status                review.Status
	version               int
	submittedBy, acceptor int64
}

func campaign1258(ctx context.Context, db DB, tpl review.Template, users map[string]int64) error {
	cal, err := calendar.New(calendar.Published())
	if err != nil {
		return err
	}
	finalDay, _ := calendar.ParseDate(final1258Day)
	plan, err := review.Plan(cal, review.PlanInput{FinalDeadline: review.EndOfDay(finalDay), Depths: 3,
		GapWorkingDays: gap1258, ReminderWorkingDays: remind1258})
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, u := range demoUnits() {
		names[u.id] = u.name
	}
	communes := communes1258()
	var rows []reportRow
	byDistrict := map[string][]review.Part{}
	lastByDistrict := map[string]time.Time{}
	for _, c := range communes {
		sub := c.submitted
		v := review.Values{Numbers: c.numbers, Texts: communeTexts(names[c.unit.id], c.numbers)}
		late := sub.After(plan[2].Deadline)
		rows = append(rows, reportRow{unit: c.unit.id, parent: c.district, depth: 3, values: v, submitted: &sub,
			accepted: time.Date(2018, 7, 4, 2, 0, 0, 0, time.UTC), late: late, deadline: plan[2].Deadline, remindAt: plan[2].RemindAt,
			events: []review.Action{review.ActionSubmit, review.ActionAccept}, status: review.StatusAccepted, version: 2})
		byDistrict[c.district] = append(byDistrict[c.district], review.Part{UnitID: c.unit.id, UnitName: names[c.unit.id], Values: v})
		if !late && sub.After(lastByDistrict[c.district]) {
			lastByDistrict[c.district] = sub
		}
	}
	var provinceParts []review.Part
	for i, d := range langSonDistricts() {
		parts := byDistrict[d.id]
		agg := review.Aggregate(tpl, parts)
		// The district's own sections; its figures are the aggregate of its communes.
		v := review.Prefill(tpl, review.Values{Texts: districtTexts(names[d.id], agg.Numbers)}, agg)
		prefilled := lastByDistrict[d.id]
		if prefilled.After(plan[2].Deadline) || prefilled.IsZero() {
			prefilled = plan[2].Deadline
		}
		for _, p := range parts {
			if lateCommunes1258[p.UnitID] {
				prefilled = plan[2].Deadline // pre-filled at the deadline, the late commune followed
			}
		}
		sub := time.Date(2018, 7, 5+i%2, 3+i%5, 0, 0, 0, time.UTC)
		rows = append(rows, reportRow{unit: d.id, parent: Province, depth: 2, values: v, aggregate: agg, childrenTotal: len(parts),
			prefilled: &prefilled, submitted: &sub, accepted: time.Date(2018, 7, 11, 2, 0, 0, 0, time.UTC), deadline: plan[1].Deadline,
			remindAt: plan[1].RemindAt, events: []review.Action{review.ActionPrefill, review.ActionSubmit, review.ActionAccept},
			status: review.StatusAccepted, version: 3})
		provinceParts = append(provinceParts, review.Part{UnitID: d.id, UnitName: names[d.id], Values: v})
	}
	sort.Slice(provinceParts, func(a, b int) bool { return provinceParts[a].UnitID < provinceParts[b].UnitID })
	provAgg := review.Aggregate(tpl, provinceParts)
	provValues := review.Prefill(tpl, review.Values{Texts: province1258Texts()}, provAgg)
	provPrefilled := time.Date(2018, 7, 6, 8, 0, 0, 0, time.UTC)
	provSubmitted := time.Date(2018, 7, 12, 3, 0, 0, 0, time.UTC)
	provAccepted := time.Date(2018, 7, 13, 2, 0, 0, 0, time.UTC)
	rows = append(rows, reportRow{unit: Province, parent: Central, depth: 1, values: provValues, aggregate: provAgg,
		childrenTotal: len(provinceParts), prefilled: &provPrefilled, submitted: &provSubmitted, accepted: provAccepted,
		deadline: plan[0].Deadline, remindAt: plan[0].RemindAt, submittedBy: users["tinh.clerk"], acceptor: users["tw.appraiser"],
		events: []review.Action{review.ActionPrefill, review.ActionSave, review.ActionSubmit, review.ActionAccept},
		status: review.StatusAccepted, version: 4})
	rootAgg := review.Aggregate(tpl, []review.Part{{UnitID: Province, UnitName: names[Province], Values: provValues}})
	rows = append(rows, reportRow{unit: Central, depth: 0, values: review.Prefill(tpl, review.Values{}, rootAgg), aggregate: rootAgg,
		childrenTotal: 1, prefilled: &provSubmitted, accepted: provAccepted,
		events: []review.Action{review.ActionPlan, review.ActionPrefill, review.ActionComplete}, status: review.StatusCompleted, version: 1})

	tplJSON, err := json.Marshal(tpl)
	if err != nil {
		return err
	}
	planJSON, err := json.Marshal(plan)
	if err != nil {
		return err
	}
	letterDay := day("2018-06-18")
	units := 0 // the reports below the ministry's
	for _, r := range rows {
		if r.depth > 0 {
			units++
		}
	}
	if _, err := db.Exec(ctx, `INSERT INTO review_campaigns (id, workflow_id, movement_id, unit_id, kind, title, period_label,
			letter_number, letter_date, template, final_deadline, gap_days, reminder_days, depths, levels, status,
			created_by, created_at, closed_at, units)
		VALUES ($1, $2, $3, $4, 'midterm', $5, 'giữa kỳ 2016 - 2020', '2422/LĐTĐ-BHXH-VPQGNN', '2018-06-18', $6, $7, $8, $9, 3, $10,
			'completed', $11, $12, $13, $14)`,
		Campaign1258ID, review.CampaignWorkflowID(Campaign1258ID), Movement1258ID, Central,
		"Sơ kết giữa kỳ thực hiện Quyết định số 1258/QĐ-TTg ngày 21/8/2017 của Thủ tướng Chính phủ về thực hiện phong trào thi đua “Cả nước chung tay vì người nghèo - Không để ai bị bỏ lại phía sau” giai đoạn 2016 - 2020",
		tplJSON, plan[0].Deadline, gap1258, remind1258, planJSON, users["tw.appraiser"], letterDay, provAccepted, units); err != nil {
		return fmt.Errorf("seed 1258: campaign: %w", err)
	}
	for _, r := range rows {
		if err := insertReport1258(ctx, db, r, names); err != nil {
			return err
		}
	}
	return nil
}

func insertReport1258(ctx context.Context, db DB, r reportRow, names map[string]string) error {
	vals, err := json.Marshal(r.values)
	if err != nil {
		return err
	}
	agg, err := json.Marshal(r.aggregate)
	if err != nil {
		return err
	}
	var parent, deadline, remind, accepted, submittedBy, acceptor any
	if r.parent != "" {
		parent = r.parent
	}
	if !r.deadline.IsZero() {
		deadline, remind = r.deadline, r.remindAt
	}
	if r.depth > 0 {
		accepted = r.accepted
	}
	if r.submittedBy != 0 {
		submittedBy = r.submittedBy
	}
	if r.acceptor != 0 {
		acceptor = r.acceptor
	}
	var reportID int64
	if err := db.QueryRow(ctx, `INSERT INTO review_reports (campaign_id, unit_id, parent_unit_id, depth, status, version, seq,
			deadline, remind_at, vals, aggregate, children_total, children_reported, prefilled_at, submitted_at, submitted_by,
			late, accepted_at, accepted_by, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING id`,
		Campaign1258ID, r.unit, parent, r.depth, string(r.status), r.version, len(r.events), deadline, remind, vals, agg,
		r.childrenTotal, r.prefilled, r.submitted, submittedBy, r.late, accepted, acceptor, r.accepted).Scan(&reportID); err != nil {
		return fmt.Errorf("seed 1258: report of %s: %w", names[r.unit], err)
	}
	from := review.StatusNotStarted
	if r.depth == 0 {
		from = review.StatusCollecting
	}
	for i, a := range r.events {
		at, to := r.accepted, from
		switch a {
		case review.ActionSubmit:
			at, to = *r.submitted, review.StatusSubmitted
		case review.ActionPrefill:
			at = *r.prefilled
			if r.depth > 0 {
				to = review.StatusDraft
			}
		case review.ActionSave:
			at, to = r.submitted.Add(-24*time.Hour), review.StatusDraft
		case review.ActionAccept:
			to = review.StatusAccepted
		case review.ActionComplete:
			to = review.StatusCompleted
		case review.ActionPlan:
			at = day("2018-06-18")
		}
		details := `{"source": "demo 1258"}`
		if a == review.ActionSubmit && r.late {
			details = `{"source": "demo 1258", "late": true}`
		}
		if _, err := db.Exec(ctx, `INSERT INTO review_events (report_id, seq, at, action, from_status, to_status, details)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, reportID, i+1, at, string(a), string(from), string(to), details); err != nil {
			return fmt.Errorf("seed 1258: event of %s: %w", names[r.unit], err)
		}
		from = to
	}
	return nil
}

// communeTexts are a commune's short sections, from its own figures.
func communeTexts(name string, n map[string]int64) map[string]string {
	return map[string]string{
		review.SectionResults: fmt.Sprintf("%s đã tuyên truyền, vận động Nhân dân hưởng ứng phong trào thi đua; "+
			"rà soát được %s hộ nghèo, %s hộ cận nghèo; vận động ủng hộ Quỹ “Vì người nghèo” được %s đồng.",
			name, review.FormatInt(n["so_ho_ngheo"]), review.FormatInt(n["so_ho_can_ngheo"]), review.FormatInt(n["quy_vi_nguoi_ngheo"])),
	}
}

// districtTexts are a district's sections, from the aggregate of its communes.
func districtTexts(name string, n map[string]int64) map[string]string {
	return map[string]string{
		review.SectionSituation: fmt.Sprintf("Đến hết năm 2017, toàn %s còn %s hộ nghèo và %s hộ cận nghèo trên tổng số %s hộ.",
			placeName(name), review.FormatInt(n["so_ho_ngheo"]), review.FormatInt(n["so_ho_can_ngheo"]), review.FormatInt(n["so_ho"])),
		review.SectionResults: fmt.Sprintf("%s đã xây dựng kế hoạch, chỉ đạo các xã, thị trấn triển khai phong trào thi đua gắn với "+
			"Chương trình mục tiêu quốc gia giảm nghèo bền vững và xây dựng nông thôn mới; vận động được %s đồng ủng hộ Quỹ "+
			"“Vì người nghèo”, hỗ trợ xây mới %d và sửa chữa %d nhà Đại đoàn kết.",
			name, review.FormatInt(n["quy_vi_nguoi_ngheo"]), n["nha_xay_moi"], n["nha_sua_chua"]),
	}
}

// placeName turns "UBND huyện Cao Lộc" into "huyện Cao Lộc".
func placeName(committee string) string {
	const p = "UBND "
	if len(committee) > len(p) && committee[:len(p)] == p {
		return committee[len(p):]
	}
	return committee
}

// award1258 is a decided dossier of the scenario.
type award1258 struct {
	id, unit, award, title, decisionUnit, signedOn string
	year, number                                   int
	movement, createdBy, signedBy                  string
	collectives, individuals                       []string
}

func awards1258(ctx context.Context, db DB, users map[string]int64) error {
	individuals := []string{"Hoàng Văn Bảo", "Nông Thị Duyên", "Lương Văn Đức", "Vi Thị Hằng", "Triệu Văn Khánh", "Lộc Thị Lan",
		"Hà Văn Minh", "Chu Thị Nga", "Mã Văn Phúc", "Lăng Thị Quyên", "Dương Văn Sơn", "Hoàng Thị Thảo", "Nguyễn Văn Tùng",
		"Lành Thị Uyên", "Đinh Văn Vượng", "Phùng Thị Xuân"}
	collectives := []string{"UBND xã Bảo Lâm, huyện Cao Lộc", "Hội Nông dân huyện Cao Lộc", "Hội Liên hiệp Phụ nữ huyện Cao Lộc",
		"Phòng Lao động - Thương binh và Xã hội huyện Cao Lộc",
		"Ủy ban MTTQ Việt Nam huyện Tràng Định", "Ủy ban MTTQ Việt Nam huyện Văn Lãng", "Ủy ban MTTQ Việt Nam huyện Văn Quan",
		"Ủy ban MTTQ Việt Nam huyện Bình Gia", "Ủy ban MTTQ Việt Nam huyện Bắc Sơn", "Ủy ban MTTQ Việt Nam huyện Hữu Lũng",
		"Ủy ban MTTQ Việt Nam huyện Chi Lăng", "Ủy ban MTTQ Việt Nam huyện Lộc Bình", "Ủy ban MTTQ Việt Nam huyện Đình Lập",
		"Ủy ban MTTQ Việt Nam thành phố Lạng Sơn", "Hội Cựu chiến binh tỉnh", "Tỉnh Đoàn Lạng Sơn", "Hội Cựu thanh niên xung phong tỉnh",
		"Ngân hàng Chính sách xã hội chi nhánh tỉnh Lạng Sơn", "Bưu điện tỉnh Lạng Sơn", "Công ty Điện lực Lạng Sơn"}
	as := []award1258{
		{id: "12580000-0000-4000-8000-0000000000a1", unit: DemoDistrict, award: "BK_TINH", year: 2017,
			title:        "Đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh cho tập thể, cá nhân có thành tích trong phong trào “Lạng Sơn cùng cả nước chung tay vì người nghèo”",
			decisionUnit: Province, number: 1, signedOn: "2017-10-17", movement: MovementLS1258ID, createdBy: "huyen.clerk", signedBy: "tinh.decider",
			collectives: collectives[:4], individuals: individuals[:3]},
		{id: "12580000-0000-4000-8000-0000000000a2", unit: unitFront, award: "BK_TINH", year: 2017,
			title:        "Đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh cho tập thể, cá nhân có nhiều thành tích trong công tác an sinh xã hội",
			decisionUnit: Province, number: 2, signedOn: "2017-10-17", movement: MovementLS1258ID, createdBy: "tinh.clerk", signedBy: "tinh.decider",
			collectives: collectives[4:], individuals: individuals[3:]},
		{id: "12580000-0000-4000-8000-0000000000a3", unit: Province, award: "BK_TTG", year: 2018,
			title:        "Đề nghị tặng Bằng khen của Thủ tướng Chính phủ cho Hiệp hội Doanh nghiệp tỉnh Lạng Sơn",
			decisionUnit: Central, number: 1, signedOn: "2018-03-20", movement: Movement1258ID, createdBy: "tinh.clerk", signedBy: "tw.decider",
			collectives: []string{"Hiệp hội Doanh nghiệp tỉnh Lạng Sơn"}},
	}
	for _, a := range as {
		route := fmt.Sprintf(`[{"unit_id": %q, "unit_name": "", "level": %q, "decides": true}]`, a.decisionUnit,
			map[string]string{Province: levelProvince, Central: levelCentral}[a.decisionUnit])
		if a.award == "BK_TTG" {
			route = fmt.Sprintf(`[{"unit_id": %q, "unit_name": "", "level": %q, "decides": true}]`, Central, levelCentral)
		}
		signed := day(a.signedOn)
		submitted := signed.AddDate(0, 0, -20)
		if _, err := db.Exec(ctx, `INSERT INTO nominations (id, workflow_id, unit_id, award_code, year, title, status, current_step,
				route, route_index, version, created_by, created_at, updated_at, submitted_at, closed_at, kind, movement_id)
			VALUES ($1, $2, $3, $4, $5, $6, 'decided', '', $7, 0, 1, $8, $9, $10, $9, $10, 'movement', $11)`,
			a.id, "seed-1258-"+a.id, a.unit, a.award, a.year, a.title, route, users[a.createdBy], submitted, signed, a.movement); err != nil {
			return fmt.Errorf("seed 1258: dossier %s: %w", a.title, err)
		}
		var nominees []int64
		pos := 0
		add := func(kind, name string) error {
			pos++
			var nid int64
			err := db.QueryRow(ctx, `INSERT INTO nominees (nomination_id, position, kind, name, status)
				VALUES ($1, $2, $3, $4, 'awarded') RETURNING id`, a.id, pos, kind, name).Scan(&nid)
			nominees = append(nominees, nid)
			return err
		}
		for _, c := range a.collectives {
			if err := add("collective", c); err != nil {
				return fmt.Errorf("seed 1258: nominee %s: %w", c, err)
			}
		}
		for _, i := range a.individuals {
			if err := add("individual", i); err != nil {
				return fmt.Errorf("seed 1258: nominee %s: %w", i, err)
			}
		}
		suffix := "UBND"
		if a.decisionUnit == Central {
			suffix = "TTg"
		}
		var decisionID int64
		if err := db.QueryRow(ctx, `INSERT INTO decisions (nomination_id, unit_id, year, number, code, signed_by, signed_on, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, a.id, a.decisionUnit, signed.Year(), a.number,
			fmt.Sprintf("%d/QĐ-%s", a.number, suffix), users[a.signedBy], a.signedOn, signed).Scan(&decisionID); err != nil {
			return fmt.Errorf("seed 1258: decision on %s: %w", a.title, err)
		}
		if _, err := db.Exec(ctx, `INSERT INTO decision_awardees (decision_id, nominee_id, award_code)
			SELECT $1, unnest($2::bigint[]), $3`, decisionID, nominees, a.award); err != nil {
			return fmt.Errorf("seed 1258: awardees: %w", err)
		}
		if _, err := db.Exec(ctx, `INSERT INTO decision_counters (unit_id, year, last_number) VALUES ($1, $2, $3)
			ON CONFLICT (unit_id, year) DO UPDATE SET last_number = GREATEST(decision_counters.last_number, EXCLUDED.last_number)`,
			a.decisionUnit, signed.Year(), a.number); err != nil {
			return fmt.Errorf("seed 1258: decision register: %w", err)
		}
		if _, err := db.Exec(ctx, `INSERT INTO audit_events (nomination_id, seq, at, actor_id, action, from_status, to_status, unit_id, details)
			VALUES ($1, 0, $2, $3, 'create', '', 'draft', $4, '{"source": "demo 1258"}'),
			       ($1, 1, $5, $6, 'decide', 'deciding', 'decided', $7, '{"source": "demo 1258"}')`,
			a.id, submitted, users[a.createdBy], a.unit, signed, users[a.signedBy], a.decisionUnit); err != nil {
			return fmt.Errorf("seed 1258: history of %s: %w", a.title, err)
		}
	}
	return nil
}

// province1258Texts are the narrative sections of Lạng Sơn's report, from the seed
// document (seed/bao-cao-so-ket-1258-lang-son.md).
func province1258Texts() map[string]string {
	return map[string]string{
		review.SectionSituation: `Lạng Sơn là tỉnh miền núi, biên giới nằm ở phía Đông Bắc của Tổ quốc, có tổng diện tích tự nhiên 8.310 km2. Tỉnh có 10 huyện và 01 thành phố với 226 xã, phường, thị trấn (207 xã, 14 thị trấn, 05 phường), 2.314 thôn, bản, khối phố, trong đó có 03 huyện nghèo, 125 xã đặc biệt khó khăn, 1.125 thôn đặc biệt khó khăn. Dân số của tỉnh khoảng 788,4 nghìn người, trong đó đồng bào dân tộc thiểu số chiếm tỷ lệ hơn 84%, sinh sống chủ yếu ở vùng cao, vùng sâu, địa hình phức tạp, giao thông đi lại khó khăn. Tính đến hết năm 2017, toàn tỉnh còn 36.544 hộ nghèo, chiếm tỷ lệ 19,07% và 21.814 hộ cận nghèo, chiếm tỷ lệ 11,38%.
Thuận lợi: Phong trào thi đua “Cả nước chung tay vì người nghèo - Không để ai bị bỏ lại phía sau” trên địa bàn tỉnh nhận được sự quan tâm lãnh đạo, chỉ đạo của Tỉnh ủy, HĐND tỉnh, sự vào cuộc của cả hệ thống chính trị từ tỉnh đến cơ sở tạo thành phong trào thi đua rộng khắp trên địa bàn. Cấp ủy, chính quyền các cấp xác định mục tiêu giảm nghèo, đảm bảo an sinh xã hội là một trong những nhiệm vụ trọng tâm trong kế hoạch phát triển kinh tế - xã hội.
Khó khăn: Kết quả giảm nghèo tuy đạt chỉ tiêu đề ra nhưng chưa bền vững, tỷ lệ hộ tái nghèo hàng năm còn cao ở những vùng sâu, vùng xa, biên giới. Các chương trình, dự án giảm nghèo triển khai chưa đồng bộ; nguồn lực cho giảm nghèo chưa đáp ứng được yêu cầu và còn phân tán; một bộ phận người dân còn mang nặng tư tưởng trông chờ, ỷ lại vào sự hỗ trợ của Nhà nước.`,
		review.SectionCoordination: `Hội đồng thi đua, khen thưởng các cấp đã phối hợp chặt chẽ với Ban chỉ đạo Chương trình mục tiêu quốc gia giai đoạn 2016 - 2020 cùng cấp thống nhất các nội dung, tiêu chí thi đua, khen thưởng và biện pháp triển khai có hiệu quả phong trào thi đua; đảm bảo các nội dung, tiêu chí bám sát chủ trương, chính sách về Chương trình mục tiêu quốc gia giảm nghèo.
- Đã phối hợp xây dựng, trình cấp có thẩm quyền ban hành Kế hoạch triển khai thực hiện phong trào thi đua “Cả nước chung tay vì người nghèo - Không để ai bị bỏ lại phía sau” trên địa bàn.
- Chỉ đạo các cấp, các ngành, cơ quan, đơn vị và Nhân dân tổ chức phát động Phong trào thi đua đến toàn thể công chức, viên chức, người lao động, cán bộ, chiến sỹ lực lượng vũ trang và Nhân dân trên địa bàn hưởng ứng tham gia.
- Gắn Phong trào thi đua với thực hiện cuộc vận động “Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh”, huy động, lồng ghép các nguồn lực để triển khai thực hiện giảm nghèo bền vững và xây dựng nông thôn mới.
- Phối hợp thực hiện nghiêm túc việc đôn đốc, kiểm tra việc triển khai thực hiện các nội dung của phong trào, thực hiện sơ kết phong trào, lựa chọn các tập thể, cá nhân có thành tích đề nghị biểu dương, khen thưởng theo quy định.`,
		review.SectionResults: `Công tác chỉ đạo, điều hành: Ngày 26/9/2017, UBND tỉnh đã ban hành Kế hoạch số 165/KH-UBND về tổ chức thực hiện Phong trào thi đua “Lạng Sơn cùng cả nước chung tay vì người nghèo - Không để ai bị bỏ lại phía sau” giai đoạn 2016 - 2020. Chỉ đạo thực hiện quyết liệt các chương trình, dự án: Chương trình 30a, Chương trình 135; Dự án hỗ trợ phát triển sản xuất, đa dạng hóa sinh kế và nhân rộng mô hình giảm nghèo; Dự án truyền thông và giảm nghèo về thông tin.
Công tác tuyên truyền: Đài Phát thanh và Truyền hình tỉnh, Báo Lạng Sơn tăng cường thời lượng đưa tin, mở chuyên trang, chuyên mục về gương “người tốt, việc tốt”, nông thôn mới và thi đua yêu nước.
Kết quả: Tỷ lệ hộ nghèo năm 2017 giảm 3,3%, toàn tỉnh còn 19,07% hộ nghèo, đạt 110% so với kế hoạch; trong 6 tháng đầu năm 2018 tỷ lệ hộ nghèo giảm 1,5%, tương đương 2.700 hộ, toàn tỉnh hiện còn 17,57% hộ nghèo. Tỷ lệ người dân tham gia bảo hiểm y tế đạt 95,7%, vượt 4,7% so với chỉ tiêu Trung ương giao. Tỷ lệ lao động qua đào tạo năm 2017 đạt 47,6%. Trợ giúp cứu đói 550 tấn gạo cho 14.090 nhân khẩu thiếu đói giáp hạt.
Năm 2017 công nhận thêm được 12 xã đạt chuẩn nông thôn mới, nâng tổng số xã đạt chuẩn nông thôn mới là 36 xã; thành phố Lạng Sơn được công nhận hoàn thành nhiệm vụ xây dựng nông thôn mới.
Cuộc vận động “Ngày vì người nghèo”: năm 2017 và 6 tháng đầu năm 2018 đã vận động được 3.468.179.900 đồng, hỗ trợ hộ nghèo xây mới nhà Đại đoàn kết được 60 căn nhà, sửa chữa 25 căn nhà; hỗ trợ 2.420 suất quà tết cho người nghèo; hỗ trợ khám, chữa bệnh cho 444 hộ nghèo; trợ giúp 899 học sinh nghèo đi học; hỗ trợ sản xuất cho 27 hộ nghèo.
Công tác thi đua khen thưởng: năm 2017 Chủ tịch UBND tỉnh tặng thưởng Bằng khen cho 20 tập thể và 16 cá nhân đã có nhiều thành tích trong công tác an sinh xã hội trên địa bàn tỉnh. 01 tập thể (Hiệp hội doanh nghiệp tỉnh) được Thủ tướng Chính phủ tặng bằng khen vì có thành tích trong công tác an sinh xã hội và xây dựng nông thôn mới.`,
		review.SectionAssessment: `- Phong trào và công tác giảm nghèo đã trở thành nhiệm vụ trọng tâm, thường xuyên được các ngành, các cấp quan tâm lãnh đạo, chỉ đạo thực hiện; có sự chuyển biến rõ rệt về nhận thức và chỉ đạo thực hiện. Các chương trình giảm nghèo được triển khai đồng bộ, có sự phân công trách nhiệm từ Ban chỉ đạo các cấp và đạt được những kết quả đáng khích lệ.
- Phong trào thi đua trên địa bàn tỉnh đã lồng ghép, gắn kết với cuộc vận động "Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh", "Ngày cả nước vì người nghèo 17/10" hằng năm, tạo khí thế thi đua sôi nổi thực hiện các mục tiêu giảm nghèo bền vững trên địa bàn.`,
		review.SectionLimitations: `Hạn chế:
- Phong trào thi đua tuy đã đạt được kết quả đáng ghi nhận nhưng chưa thật sự sâu rộng. Công tác sơ kết phong trào tại một số cơ quan, đơn vị chưa được quan tâm đúng mức; việc nhân rộng điển hình tiên tiến có nơi còn chưa thực hiện tốt.
- Sự phối hợp, lồng ghép các chương trình giảm nghèo chưa đồng bộ; chưa có nhiều giải pháp, mô hình giảm nghèo bền vững được nhân rộng do nguồn lực còn hạn chế, phụ thuộc chủ yếu vào ngân sách do Trung ương phân bổ.
Nguyên nhân:
- Công tác tuyên truyền tuy đa dạng về hình thức nhưng mới chỉ đến được với cán bộ thôn bản, còn nhiều nơi chưa đến được với người nghèo, hộ nghèo.
- Một số cán bộ cấp ủy, chính quyền, đoàn thể ở cơ sở thiếu sự quyết liệt trong chỉ đạo, triển khai thực hiện phong trào thi đua; công tác rà soát, theo dõi đối tượng nghèo chưa được quan tâm đúng mức.
- Còn một bộ phận người nghèo chưa tích cực làm ăn, có tư tưởng trông chờ, ỷ lại vào Nhà nước.`,
		review.SectionNextTasks: `Nhiệm vụ:
- Tiếp tục đẩy mạnh thực hiện phong trào thi đua gắn với Chương trình mục tiêu quốc gia giảm nghèo bền vững trên địa bàn tỉnh Lạng Sơn giai đoạn 2017 - 2020, coi phong trào thi đua là một nhiệm vụ trọng tâm, thường xuyên của các cấp, các ngành.
- Thực hiện đa dạng hóa nguồn vốn huy động để triển khai thực hiện công tác giảm nghèo; tăng cường công tác kiểm tra, đôn đốc thực hiện các nội dung Phong trào thi đua.
- Chú trọng phát hiện, bồi dưỡng, nhân rộng các điển hình tiên tiến; tổ chức sơ kết, tổng kết Phong trào, đồng thời biểu dương, tôn vinh, khen thưởng các tập thể, cá nhân, hộ gia đình có thành tích tiêu biểu, xuất sắc.
Giải pháp:
- Tăng cường sự lãnh đạo chỉ đạo của cấp ủy đảng, sự chỉ đạo điều hành của chính quyền các cấp; đẩy mạnh công tác tuyên truyền quan điểm, chủ trương, chính sách giảm nghèo của Đảng và Nhà nước.
- Bố trí kịp thời ngân sách để thực hiện tốt các chế độ, chính sách giảm nghèo; thường xuyên chỉ đạo thực hiện tốt công tác rà soát hộ nghèo, hộ cận nghèo hằng năm.
- Tiếp tục thực hiện tốt các chính sách an sinh xã hội trên địa bàn, hạn chế tình trạng tái nghèo, nhất là trong vùng có đông đồng bào dân tộc thiểu số.`,
	}
}

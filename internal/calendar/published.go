package calendar

import "time"

// Published returns the holiday decisions the government announced for civil
// servants (cán bộ, công chức, viên chức) for 2024, 2025 and 2026, as
// overrides: every day of each announced span, weekends included, plus the
// Saturdays worked in exchange for bridging days. Holidays the Labour Code
// fixes and that need no decision (Giỗ Tổ 2024 and 2025, 1/1 in 2024 and 2025,
// 30/4–1/5 and the compensatory 27/4 for Giỗ Tổ in 2026) are left to the
// statutory rules.
//
// It returns a new slice on every call, so callers may append the overrides
// an administrator records.
func Published() []Override {
	var out []Override
	off := func(from, to Date, name string) {
		for d := from; !d.After(to); d = d.AddDays(1) {
			out = append(out, Override{Date: d, Kind: OverrideOff, Name: name})
		}
	}
	work := func(d Date, name string) {
		out = append(out, Override{Date: d, Kind: OverrideWork, Name: name})
	}

	// 2024. Tết and Quốc khánh: Văn bản 8662/VPCP-KGVX of 03/11/2023 and
	// Thông báo 5015/TB-LĐTBXH of 22/11/2023 — Tết from Thursday 08/02 (29
	// tháng Chạp Quý Mão) to Wednesday 14/02 (mùng 5 Giáp Thìn), 5 days of Tết
	// and 2 compensatory days; Quốc khánh from Saturday 31/8 to Tuesday 03/9.
	off(date(2024, 2, 8), date(2024, 2, 14), NameTet)
	off(date(2024, 8, 31), date(2024, 9, 3), NameNationalDay)
	// 30/4–1/5: Văn bản 2450/VPCP-KGVX of 12/4/2024 — off from Saturday 27/4
	// to Wednesday 01/5, Monday 29/4 swapped for Saturday 04/5.
	off(date(2024, 4, 27), date(2024, 5, 1), NameVictoryDay+" và "+NameLabourDay)
	work(date(2024, 5, 4), "Làm bù cho thứ Hai 29/4/2024")

	// 2025: Văn bản 8726/VPCP-KGVX of 26/11/2024 and Thông báo 6150/TB-LĐTBXH
	// of 03/12/2024. Tết from Saturday 25/01 (26 tháng Chạp Giáp Thìn) to
	// Sunday 02/02 (mùng 5 Ất Tỵ): 5 days of Tết and 4 weekend days.
	// 30/4–1/5 from Wednesday 30/4 to Sunday 04/5, Friday 02/5 swapped for
	// Saturday 26/4. Quốc khánh from Saturday 30/8 to Tuesday 02/9.
	off(date(2025, 1, 25), date(2025, 2, 2), NameTet)
	off(date(2025, 4, 30), date(2025, 5, 4), NameVictoryDay+" và "+NameLabourDay)
	work(date(2025, 4, 26), "Làm bù cho thứ Sáu 02/5/2025")
	off(date(2025, 8, 30), date(2025, 9, 2), NameNationalDay)

	// 2026. Tết dương lịch: Văn bản 12729/VPCP-KGVX of 25/12/2025 — off from
	// Thursday 01/01 to Sunday 04/01, Friday 02/01 swapped for Saturday 10/01.
	off(date(2026, 1, 1), date(2026, 1, 4), NameNewYear)
	work(date(2026, 1, 10), "Làm bù cho thứ Sáu 02/01/2026")
	// Tết and Quốc khánh: Thông báo 9441/TB-BNV of 16/10/2025 (Bộ Nội vụ) —
	// Tết from Saturday 14/02 (27 tháng Chạp Ất Tỵ) to Sunday 22/02 (mùng 6
	// Bính Ngọ); Quốc khánh from Saturday 29/8 to Wednesday 02/9, Monday 31/8
	// swapped for Saturday 22/8.
	off(date(2026, 2, 14), date(2026, 2, 22), NameTet)
	off(date(2026, 8, 29), date(2026, 9, 2), NameNationalDay)
	work(date(2026, 8, 22), "Làm bù cho thứ Hai 31/8/2026")
	return out
}

func date(y int, m time.Month, d int) Date { return Date{Year: y, Month: m, Day: d} }

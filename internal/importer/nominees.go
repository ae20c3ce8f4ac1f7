package importer

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/history"
)

// NomineeRow is one row of a nominee list (danh sách đề nghị khen thưởng).
type NomineeRow struct {
	Row           int    `json:"row"`
	SubjectUnitID string `json:"subject_unit_id,omitempty"`
	SubjectCode   string `json:"subject_code,omitempty"`
	Kind          string `json:"kind"`
	Name          string `json:"name"`
	JobTitle      string `json:"job_title,omitempty"`
	Organisation  string `json:"organisation,omitempty"`
	Achievements  string `json:"achievements,omitempty"`
	// Enterprise and LeadershipLevel are the statistics categories (domain.Nominee).
	Enterprise      bool   `json:"enterprise,omitempty"`
	LeadershipLevel string `json:"leadership_level,omitempty"`
}

// parseEnterprise reads the enterprise column: empty or "không" is no.
func parseEnterprise(s string) (bool, bool) {
	switch headerKey(s) {
	case "", "không", "0", "no", "false":
		return false, true
	case "x", "có", "1", "yes", "true", "doanh nghiệp":
		return true, true
	}
	return false, false
}

// parseLevel reads an individual's category by its label (commas and case aside)
// or its key; empty is not stated.
func parseLevel(s string) (domain.LeadershipLevel, bool) {
	fold := func(s string) string { return headerKey(strings.ReplaceAll(s, ",", " ")) }
	k := fold(s)
	for _, l := range domain.LeadershipLevels {
		if k == fold(l.Label()) || k == string(l) {
			return l, true
		}
	}
	return "", false
}

// Limits of a nominee list, the same as a dossier's.
const (
	maxNominees        = 200
	maxNomineeName     = 300
	maxNomineeAchieved = 20000
)

// ParseNominees reads a nominee list (XLSX: the sheet "Danh sách đề nghị", or the
// first sheet; CSV: the file). It returns every row, or every bad row and none.
func ParseNominees(data []byte, format Format) ([]NomineeRow, error) {
	sheet := NomineeSheet()
	budget := maxNominees
	var src rowSource
	switch format {
	case FormatXLSX:
		wb, err := openWorkbook(data)
		if err != nil {
			return nil, history.RowErrors{{Section: sheet.Section, Reason: err.Error()}}
		}
		defer wb.close()
		list := wb.f.GetSheetList()
		if len(list) == 0 {
			return nil, history.RowErrors{{Section: sheet.Section, Reason: "the workbook has no sheet"}}
		}
		name := list[0]
		for _, n := range list {
			if headerKey(n) == headerKey(sheet.Name) {
				name = n
			}
		}
		src = wb.sheetSource(name)
	case FormatCSV:
		src = csvSource(data)
	default:
		return nil, history.RowErrors{{Section: sheet.Section, Reason: fmt.Sprintf("unknown format %q", format)}}
	}
	recs, errs := readTable(src, sheet, &budget)
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	bad := func(row int, field, format string, args ...any) {
		errs = append(errs, history.RowError{Section: sheet.Section, Row: row, Field: field, Reason: fmt.Sprintf(format, args...)})
	}
	out := make([]NomineeRow, 0, len(recs))
	for _, r := range recs {
		v := r.values
		n := NomineeRow{Row: r.row, SubjectUnitID: strings.ToUpper(v["subject_unit_id"]), SubjectCode: v["subject_code"],
			Name: v["name"], JobTitle: v["job_title"], Organisation: v["organisation"], Achievements: v["achievements"]}
		if k, ok := history.ParseKind(v["kind"]); ok {
			n.Kind = string(k)
		} else {
			bad(r.row, "kind", "%q is not a subject kind (cá nhân, tập thể, hộ gia đình)", v["kind"])
		}
		if n.Name == "" {
			bad(r.row, "name", "required")
		}
		if e, ok := parseEnterprise(v["enterprise"]); ok {
			n.Enterprise = e
		} else {
			bad(r.row, "enterprise", "%q: write x for an enterprise, or leave empty", v["enterprise"])
		}
		if l, ok := parseLevel(v["leadership_level"]); ok {
			n.LeadershipLevel = string(l)
		} else {
			bad(r.row, "leadership_level", "%q is not a category (%s)", v["leadership_level"], valLeader)
		}
		for field, s := range map[string]string{"name": n.Name, "job_title": n.JobTitle, "organisation": n.Organisation, "subject_code": n.SubjectCode} {
			if utf8.RuneCountInString(s) > maxNomineeName {
				bad(r.row, field, "at most %d characters", maxNomineeName)
			}
		}
		if utf8.RuneCountInString(n.Achievements) > maxNomineeAchieved {
			bad(r.row, "achievements", "at most %d characters", maxNomineeAchieved)
		}
		if n.SubjectUnitID != "" && n.SubjectCode == "" {
			bad(r.row, "subject_code", "a unit without a subject code names nobody")
		}
		out = append(out, n)
	}
	if len(out) == 0 && len(errs) == 0 {
		bad(0, "", "the list has no nominee")
	}
	if len(errs) > 0 {
		Locate(errs)
		errs.Sort()
		return nil, errs
	}
	return out, nil
}

package dossierpages

import (
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/tdkt/tdkt/internal/awards"
	"github.com/tdkt/tdkt/internal/dossiers"
	"github.com/tdkt/tdkt/internal/web"
)

// Linking a nominee to an award-history subject (đối tượng) from the create and
// edit forms: each nominee row has a subject code field. A code of one of the
// unit's subjects links the row to it; a new code creates the subject inline from
// the row (app.Service.CreateSubject) and links it; an empty code leaves the row
// unlinked. The appraiser then has a history to check.

// Code is the subject code shown in a nominee row: what was typed, or the code of
// the subject the row is linked to.
func (r rowData) Code() string {
	if fd, ok := r.P.Data.(*formData); ok && r.Index >= 0 && r.Index < len(fd.Codes) {
		return fd.Codes[r.Index]
	}
	return ""
}

// subjectCodes reads the rows' subject codes, aligned with the rows parseNominees
// keeps (rows whose text fields are all empty are dropped). present is false for a
// form without the field, which keeps every row's link as it is.
func subjectCodes(c *gin.Context) (codes []string, present bool) {
	raw := c.PostFormArray("nominee_subject_code")
	if len(raw) == 0 {
		return nil, false
	}
	names := c.PostFormArray("nominee_name")
	jobs := c.PostFormArray("nominee_job")
	orgs := c.PostFormArray("nominee_org")
	achs := c.PostFormArray("nominee_achievements")
	if len(raw) != len(names) || len(jobs) != len(names) || len(orgs) != len(names) || len(achs) != len(names) {
		return nil, false
	}
	for i := range raw {
		if strings.TrimSpace(names[i]+jobs[i]+orgs[i]+achs[i]) == "" {
			continue
		}
		codes = append(codes, strings.TrimSpace(raw[i]))
	}
	return codes, true
}

// linkSubjects links each row with a subject code to the unit's subject of that
// code, creating the subject from the row when the unit has none. It returns the
// field errors by row (the application's message translated), empty when every
// row is linked or left alone.
func (s *server) linkSubjects(c *gin.Context, p *page, unitID string, rows []dossiers.NomineeInput, codes []string) map[string]string {
	fields := map[string]string{}
	for i := range rows {
		if i >= len(codes) {
			break
		}
		code := codes[i]
		if code == "" {
			rows[i].SubjectID = nil
			continue
		}
		field := "nominees[" + strconv.Itoa(i) + "].subject"
		found, err := s.cfg.App.Subjects(web.Ctx(c), web.UserID(c), awards.SubjectFilter{UnitID: unitID, Query: code, Limit: 50})
		if err != nil {
			fields[field] = p.T("error.internal")
			continue
		}
		linked := false
		for _, sub := range found {
			if sub.Code == code && sub.UnitID == unitID {
				id := sub.ID
				rows[i].SubjectID, linked = &id, true
				break
			}
		}
		if linked {
			continue
		}
		sub, err := s.cfg.App.CreateSubject(web.Ctx(c), web.UserID(c), awards.SubjectInput{UnitID: unitID, Code: code, Kind: rows[i].Kind,
			Name: rows[i].Name, JobTitle: rows[i].JobTitle, Organisation: rows[i].Organisation})
		if err != nil {
			fields[field] = p.T("form.subject.refused", code)
			continue
		}
		id := sub.ID
		rows[i].SubjectID = &id
	}
	return fields
}

// subjectCodesOf returns the codes of the subjects the rows are linked to, for the
// edit form; a subject the user may not read shows no code.
func (s *server) subjectCodesOf(c *gin.Context, rows []dossiers.NomineeInput) []string {
	codes := make([]string, len(rows))
	for i, r := range rows {
		if r.SubjectID == nil {
			continue
		}
		if rec, err := s.cfg.App.SubjectHistory(web.Ctx(c), web.UserID(c), *r.SubjectID); err == nil && rec != nil {
			codes[i] = rec.Subject.Code
		}
	}
	return codes
}

package dossierpages

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/dossiers"
	"github.com/tdkt/tdkt/internal/web"
)

// importNominees replaces the nominees of a dossier still with its unit by the
// list of an uploaded XLSX or CSV file (app.Service.ImportNominees: the API's
// checks), all or nothing. A refused file shows the edit form again, unchanged,
// with a table of its bad rows; an accepted one goes to the dossier with the
// number of nominees imported.
func (s *server) importNominees(c *gin.Context) {
	n, ok := s.editable(c)
	if !ok {
		return
	}
	data, format, name, ok, err := s.UploadedSheet(c, "file")
	if !ok {
		return
	}
	if err == nil {
		var saved domain.Nomination
		saved, err = s.cfg.App.ImportNominees(web.Ctx(c), web.UserID(c), n.ID, data, format)
		if err == nil {
			c.Redirect(http.StatusSeeOther, "/dossiers/"+n.ID+"?ok=nominees_imported&n="+strconv.Itoa(len(saved.Nominees))+"#nominees-h")
			return
		}
	}
	d, ferr := s.formOptions(c, &n)
	if ferr != nil {
		s.Fail(c, ferr)
		return
	}
	d.Title = n.Title
	d.Rows = nomineeInputs(n)
	p := s.page(c, "dossiers", d)
	d.Import = &web.ImportView{FileName: name}
	status, ok := p.ImportRefused(d.Import, err)
	if !ok {
		s.Fail(c, err)
		return
	}
	if p.Fields["file"] != "" {
		p.Fields = map[string]string{"import_file": p.Fields["file"]}
	}
	s.Render(c, status, "dossier_form", p)
}

// nomineeInputs returns a dossier's nominees as the edit form's rows, with the
// subjects they name.
func nomineeInputs(n domain.Nomination) []dossiers.NomineeInput {
	rows := make([]dossiers.NomineeInput, 0, len(n.Nominees))
	for _, nm := range n.Nominees {
		rows = append(rows, dossiers.NomineeInput{Kind: string(nm.Kind), Name: nm.Name, JobTitle: nm.JobTitle,
			Organisation: nm.Organisation, Achievements: nm.Achievements, SubjectID: nm.SubjectID,
			Enterprise: nm.Enterprise, LeadershipLevel: string(nm.LeadershipLevel)})
	}
	return rows
}

// createFromFile creates the dossier of the create form with the nominee list of
// the file attached to it (app.Service.CreateNominationFromFile), all or nothing:
// a refused file shows the form again with its bad rows, and no dossier exists.
// It reports whether the request was answered; false when no file was attached,
// for the rows typed into the form.
func (s *server) createFromFile(c *gin.Context, d *formData, p *page) bool {
	data, format, name, ok, err := s.UploadedSheet(c, "nominee_file")
	if !ok {
		return true
	}
	if errors.Is(err, web.ErrNoFile) {
		return false
	}
	if err != nil {
		s.Fail(c, err)
		return true
	}
	n, err := s.cfg.App.CreateNominationFromFile(web.Ctx(c), web.UserID(c), dossiers.CreateNominationInput{UnitID: d.UnitID,
		AwardCode: d.AwardCode, Kind: d.Kind, Year: d.Year, Title: d.Title}, data, format)
	if err == nil {
		c.Redirect(http.StatusSeeOther, "/dossiers/"+n.ID+"?ok=created_from_file&n="+strconv.Itoa(len(n.Nominees)))
		return true
	}
	if len(d.Rows) == 0 {
		d.Rows = []dossiers.NomineeInput{{Kind: string(domain.NomineeIndividual)}}
	}
	d.Import = &web.ImportView{FileName: name}
	status, ok := p.ImportRefused(d.Import, err)
	if !ok {
		s.Fail(c, err)
		return true
	}
	s.Render(c, status, "dossier_form", p)
	return true
}

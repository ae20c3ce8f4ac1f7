package dossiers

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/tdkt/tdkt/internal/authority"
	"github.com/tdkt/tdkt/internal/domain"
)

// Vote casts a council member's ballot (yes, no or abstain) in the dossier's open
// vote session. The choice is stored apart from the attendance, so a secret ballot
// records who voted and the tally but never who voted what. KindForbidden for a
// user who is not an eligible member (recused, the preparer, a nominee);
// KindConflict when no vote is open or the member already voted.
func (s *Service) Vote(ctx context.Context, userID int64, nominationID, choice string) (CouncilSession, error) {
	n, err := s.Nomination(ctx, userID, nominationID)
	if err != nil {
		return CouncilSession{}, err
	}
	// Authorisation before validation: who may not vote here learns nothing of the vote.
	if err := s.Allow(userID, n.CurrentUnitID, "nomination", "vote"); err != nil {
		return CouncilSession{}, err
	}
	if choice != "yes" && choice != "no" && choice != "abstain" {
		return CouncilSession{}, domain.Invalid("invalid vote", domain.FieldError{Field: "choice", Message: "yes, no or abstain"})
	}
	session, unit, secret, err := s.Store.OpenCouncilSession(ctx, n.ID)
	if err != nil {
		return CouncilSession{}, err
	}
	if err := s.Allow(userID, unit, "nomination", "vote"); err != nil {
		return CouncilSession{}, err
	}
	ok, err := s.Store.IsEligibleVoter(ctx, n.ID, unit, userID)
	if err != nil {
		return CouncilSession{}, err
	}
	if !ok {
		return CouncilSession{}, domain.Errorf(domain.KindForbidden,
			"you are recused from this vote (declared conflict, preparer of the dossier, or nominee)")
	}
	if err := s.Store.CastVote(ctx, n.ID, session, userID, choice, secret, s.Clock()); err != nil {
		return CouncilSession{}, err
	}
	return s.currentSession(ctx, n.ID, session)
}

func (s *Service) currentSession(ctx context.Context, nominationID string, session int) (CouncilSession, error) {
	all, err := s.Store.CouncilSessions(ctx, nominationID)
	if err != nil {
		return CouncilSession{}, err
	}
	for _, cs := range all {
		if cs.Session == session {
			return cs, nil
		}
	}
	return CouncilSession{}, domain.Errorf(domain.KindNotFound, "no vote session %d", session)
}

// DeclareConflict records that a council member has a conflict of interest in a
// dossier: they are recused from its votes.
func (s *Service) DeclareConflict(ctx context.Context, userID int64, nominationID, reason string) error {
	reason = domain.Clean(reason)
	if reason == "" {
		return domain.Invalid("a conflict needs a reason", domain.FieldError{Field: "reason", Message: "required"})
	}
	n, err := s.Nomination(ctx, userID, nominationID)
	if err != nil {
		return err
	}
	if err := s.Allow(userID, n.CurrentUnitID, "nomination", "vote"); err != nil {
		return err
	}
	return s.Store.DeclareConflict(ctx, n.ID, userID, reason, s.Clock())
}

// Council returns the dossier's vote sessions: attendance, recusals and minutes.
func (s *Service) Council(ctx context.Context, userID int64, nominationID string) ([]CouncilSession, error) {
	n, err := s.Nomination(ctx, userID, nominationID)
	if err != nil {
		return nil, err
	}
	return s.Store.CouncilSessions(ctx, n.ID)
}

// Consultation returns the dossier's consultation windows, comments and
// concurrence answers.
func (s *Service) Consultation(ctx context.Context, userID int64, nominationID string) (Consultation, error) {
	n, err := s.Nomination(ctx, userID, nominationID)
	if err != nil {
		return Consultation{}, err
	}
	return s.Store.ConsultationOf(ctx, n.ID)
}

// RevokeGrounds are the legal grounds of a revocation (Law 06/2022/QH15 art. 93).
var RevokeGrounds = map[string]string{
	"false_declaration":  "Gian dối trong kê khai thành tích",
	"forged_documents":   "Làm giả hồ sơ, giấy tờ",
	"unlawful_appraisal": "Xác nhận, thẩm định, đề nghị sai",
	"criteria_not_met":   "Không đủ tiêu chuẩn, điều kiện theo quy định",
}

// RevokeDecision cancels a decision with a legal ground and records the recovery
// of the bonus and certificate. Only a decider of the issuing unit (or above) may.
func (s *Service) RevokeDecision(ctx context.Context, userID int64, nominationID, code, ground, note string) (domain.Nomination, error) {
	if _, ok := RevokeGrounds[ground]; !ok {
		return domain.Nomination{}, domain.Invalid("unknown legal ground", domain.FieldError{Field: "ground",
			Message: "false_declaration, forged_documents, unlawful_appraisal or criteria_not_met"})
	}
	n, err := s.Nomination(ctx, userID, nominationID)
	if err != nil {
		return n, err
	}
	var unit string
	for _, d := range n.Decisions {
		if d.Code == code {
			unit = d.UnitID
		}
	}
	if unit == "" {
		return n, domain.Errorf(domain.KindNotFound, "no decision %s on this dossier", code)
	}
	if err := s.Allow(userID, unit, "nomination", "decide"); err != nil {
		return n, err
	}
	if err := s.Store.RevokeDecision(ctx, n.ID, code, userID, ground, domain.Clean(note), s.Clock()); err != nil {
		return n, err
	}
	return s.Store.Nomination(ctx, n.ID)
}

// allowedUploads maps a detected content type to the extensions it may carry.
var allowedUploads = map[string][]string{
	"application/pdf": {".pdf"},
	"image/jpeg":      {".jpg", ".jpeg"},
	"image/png":       {".png"},
	// DOCX and XLSX are ZIP containers; the extension tells which.
	"application/zip": {".docx", ".xlsx"},
}

// SanitizeFileName keeps a file name's letters, digits, dots, dashes, underscores
// and spaces, drops any directory part, and caps its length.
func SanitizeFileName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	var b strings.Builder
	for _, r := range domain.Clean(name) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("._- ", r) {
			b.WriteRune(r)
		}
	}
	out := strings.Trim(b.String(), ". ")
	if len([]rune(out)) > 120 {
		out = string([]rune(out)[:120])
	}
	if out == "" {
		out = "tep-dinh-kem"
	}
	return out
}

// AddDocument attaches a file to a dossier: the submitting unit's clerk while it is
// in draft or returned, or the standing body of the level holding it. The content
// type is detected from the bytes and must be PDF, DOCX, XLSX, JPEG or PNG.
func (s *Service) AddDocument(ctx context.Context, userID int64, nominationID, docKind, fileName string, content []byte) (Document, error) {
	n, err := s.Nomination(ctx, userID, nominationID)
	if err != nil {
		return Document{}, err
	}
	docKind = strings.TrimSpace(docKind)
	if docKind == "" || len(docKind) > 60 {
		return Document{}, domain.Invalid("document kind required", domain.FieldError{Field: "kind", Message: "e.g. to_trinh, bao_cao_thanh_tich, bien_ban_hoi_dong"})
	}
	switch {
	case (n.Status == domain.StatusDraft || n.Status == domain.StatusReturned) && s.Can(userID, n.UnitID, "nomination", "edit"):
	case !n.Status.Terminal() && n.CurrentUnitID != "" && s.Can(userID, n.CurrentUnitID, "nomination", "appraise"):
	default:
		return Document{}, domain.Errorf(domain.KindForbidden, "you may not attach documents to this dossier now")
	}
	if len(content) == 0 {
		return Document{}, domain.Invalid("empty file")
	}
	name := SanitizeFileName(fileName)
	ctype := http.DetectContentType(content)
	if i := strings.IndexByte(ctype, ';'); i >= 0 {
		ctype = ctype[:i]
	}
	if bytes.HasPrefix(content, []byte("PK\x03\x04")) {
		ctype = "application/zip"
	}
	exts, ok := allowedUploads[ctype]
	ext := strings.ToLower(filepath.Ext(name))
	if !ok || !containsString(exts, ext) {
		return Document{}, domain.Invalid("file type not accepted", domain.FieldError{Field: "file",
			Message: fmt.Sprintf("PDF, DOCX, XLSX, JPEG or PNG only (detected %s, name %s)", ctype, ext)})
	}
	switch ext {
	case ".docx":
		ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	case ".xlsx":
		ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	sum := sha256.Sum256(content)
	id, err := s.Store.AddDocument(ctx, NewDocument{NominationID: n.ID, DocKind: docKind, FileName: name,
		ContentType: ctype, SHA256: sum[:], Content: content, UploadedBy: userID, At: s.Clock()})
	if err != nil {
		return Document{}, err
	}
	docs, err := s.Store.Documents(ctx, n.ID)
	if err != nil {
		return Document{}, err
	}
	for _, d := range docs {
		if d.ID == id {
			return d, nil
		}
	}
	return Document{}, fmt.Errorf("document %d vanished", id)
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Documents lists a readable dossier's files.
func (s *Service) Documents(ctx context.Context, userID int64, nominationID string) ([]Document, error) {
	n, err := s.Nomination(ctx, userID, nominationID)
	if err != nil {
		return nil, err
	}
	return s.Store.Documents(ctx, n.ID)
}

// Document returns a file of a dossier the user may read.
func (s *Service) Document(ctx context.Context, userID, id int64) (Document, []byte, error) {
	nominationID, d, content, err := s.Store.DocumentContent(ctx, id)
	if err != nil {
		return Document{}, nil, domain.HideUnseen(err, "not found")
	}
	if _, err := s.Nomination(ctx, userID, nominationID); err != nil {
		return Document{}, nil, domain.HideUnseen(err, "not found")
	}
	return d, content, nil
}

// Checklist is the appraisal checklist of a dossier: the required documents and
// whether each is attached.
func (s *Service) Checklist(ctx context.Context, userID int64, nominationID string) ([]RequiredDocument, error) {
	n, err := s.Nomination(ctx, userID, nominationID)
	if err != nil {
		return nil, err
	}
	return s.Store.Checklist(ctx, n.ID)
}

// AuthorityRules returns the authority matrix (anyone logged in may read it).
func (s *Service) AuthorityRules(ctx context.Context, award string) ([]authority.Rule, error) {
	return s.Store.AuthorityRules(ctx, award)
}

// rootUnit is where national data (the authority matrix, the calendar) is managed.
const rootUnit = "TW"

// SaveAuthorityRule creates or changes a rule of the matrix; an administrator at
// the central level only. Dossiers keep the route they were created with.
func (s *Service) SaveAuthorityRule(ctx context.Context, userID int64, r authority.Rule) (authority.Rule, error) {
	if err := s.Allow(userID, rootUnit, "authority", "manage"); err != nil {
		return r, err
	}
	var fields []domain.FieldError
	if _, err := s.admin.Store.Award(ctx, r.AwardCode); err != nil {
		fields = append(fields, domain.FieldError{Field: "award_code", Message: "no such award"})
	}
	levels := map[string]bool{"commune": true, "district": true, "province": true, "central": true}
	if !levels[r.SubmitterLevel] {
		fields = append(fields, domain.FieldError{Field: "submitter_level", Message: "commune, district, province or central"})
	}
	if !levels[r.DecisionLevel] {
		fields = append(fields, domain.FieldError{Field: "decision_level", Message: "commune, district, province or central"})
	}
	if r.Procedure == "" {
		r.Procedure = string(domain.ProcedureStandard)
	}
	if r.Procedure != string(domain.ProcedureStandard) && r.Procedure != string(domain.ProcedureSimplified) {
		fields = append(fields, domain.FieldError{Field: "procedure", Message: "standard or simplified"})
	}
	if !isDate(r.ValidFrom) {
		fields = append(fields, domain.FieldError{Field: "valid_from", Message: "a date yyyy-mm-dd"})
	}
	if r.ValidTo != "" && (!isDate(r.ValidTo) || r.ValidTo <= r.ValidFrom) {
		fields = append(fields, domain.FieldError{Field: "valid_to", Message: "a date yyyy-mm-dd after valid_from"})
	}
	for i, st := range r.Stages {
		if !levels[st.Level] || st.ConsultationDays < 0 || st.ConsultationDays > 60 {
			fields = append(fields, domain.FieldError{Field: fmt.Sprintf("stages[%d]", i), Message: "a known level and 0–60 consultation days"})
		}
	}
	if len(fields) > 0 {
		return r, domain.Invalid("the rule has invalid fields", fields...)
	}
	return s.Store.SaveAuthorityRule(ctx, r)
}

// DeleteAuthorityRule removes a rule; an administrator at the central level only.
func (s *Service) DeleteAuthorityRule(ctx context.Context, userID, id int64) error {
	if err := s.Allow(userID, rootUnit, "authority", "manage"); err != nil {
		return err
	}
	return s.Store.DeleteAuthorityRule(ctx, id)
}

func isDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	_, err := fmt.Sscanf(s, "%4d-%2d-%2d", new(int), new(int), new(int))
	return err == nil
}

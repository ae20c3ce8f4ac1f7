package attachments

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/tdkt/tdkt/internal/domain"
)

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
	n, err := s.dossiers.Nomination(ctx, userID, nominationID)
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
	n, err := s.dossiers.Nomination(ctx, userID, nominationID)
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
	if _, err := s.dossiers.Nomination(ctx, userID, nominationID); err != nil {
		return Document{}, nil, domain.HideUnseen(err, "not found")
	}
	return d, content, nil
}

// Checklist is the appraisal checklist of a dossier: the required documents and
// whether each is attached.
func (s *Service) Checklist(ctx context.Context, userID int64, nominationID string) ([]RequiredDocument, error) {
	n, err := s.dossiers.Nomination(ctx, userID, nominationID)
	if err != nil {
		return nil, err
	}
	return s.Store.Checklist(ctx, n.ID)
}

// allowedUploads maps a detected content type to the extensions it may carry.
var allowedUploads = map[string][]string{
	"application/pdf": {".pdf"},
	"image/jpeg":      {".jpg", ".jpeg"},
	"image/png":       {".png"},
	// DOCX and XLSX are ZIP containers; the extension tells which.
	"application/zip": {".docx", ".xlsx"},
}

package attachments

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/tdkt/tdkt/internal/postgres"
)

// Document is a file attached to a dossier (its content is read separately).
type Document struct {
	ID          int64     `json:"id"`
	DocKind     string    `json:"doc_kind"`
	FileName    string    `json:"file_name"`
	ContentType string    `json:"content_type"`
	SizeBytes   int64     `json:"size_bytes"`
	SHA256      string    `json:"sha256"`
	UploadedBy  int64     `json:"uploaded_by"`
	UploadedAt  time.Time `json:"uploaded_at"`
}

// NewDocument is a validated upload.
type NewDocument struct {
	NominationID, DocKind, FileName, ContentType string
	SHA256                                       []byte
	Content                                      []byte
	UploadedBy                                   int64
	At                                           time.Time
}

// AddDocument stores an uploaded file.
func (s *Store) AddDocument(ctx context.Context, d NewDocument) (int64, error) {
	var id int64
	err := s.Pool.QueryRow(ctx, `INSERT INTO documents (nomination_id, doc_kind, file_name, content_type, size_bytes, sha256, content, uploaded_by, uploaded_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, d.NominationID, d.DocKind, d.FileName, d.ContentType,
		len(d.Content), d.SHA256, d.Content, d.UploadedBy, d.At).Scan(&id)
	return id, postgres.Translate("attachments.AddDocument", err)
}

// Documents lists a dossier's files.
func (s *Store) Documents(ctx context.Context, nominationID string) ([]Document, error) {
	rows, err := s.Pool.Query(ctx, `SELECT id, doc_kind, file_name, content_type, size_bytes, encode(sha256, 'hex'), uploaded_by, uploaded_at
		FROM documents WHERE nomination_id = $1 ORDER BY id`, nominationID)
	if err != nil {
		return nil, postgres.Translate("attachments.Documents", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Document])
	return out, postgres.Translate("attachments.Documents", err)
}

// DocumentContent returns a file and the dossier it belongs to; KindNotFound if unknown.
func (s *Store) DocumentContent(ctx context.Context, id int64) (nominationID string, d Document, content []byte, err error) {
	err = s.Pool.QueryRow(ctx, `SELECT nomination_id, id, doc_kind, file_name, content_type, size_bytes, encode(sha256, 'hex'),
		uploaded_by, uploaded_at, content FROM documents WHERE id = $1`, id).Scan(&nominationID, &d.ID, &d.DocKind, &d.FileName,
		&d.ContentType, &d.SizeBytes, &d.SHA256, &d.UploadedBy, &d.UploadedAt, &content)
	return nominationID, d, content, postgres.Translate("attachments.DocumentContent", err)
}

// RequiredDocument is one line of the appraisal checklist.
type RequiredDocument struct {
	DocKind string `json:"doc_kind"`
	Name    string `json:"name"`
	Present bool   `json:"present"`
}

// Checklist lists the documents a dossier's award category and procedure require,
// and whether each is attached.
func (s *Store) Checklist(ctx context.Context, nominationID string) ([]RequiredDocument, error) {
	rows, err := s.Pool.Query(ctx, `SELECT r.doc_kind, r.name,
			EXISTS (SELECT 1 FROM documents d WHERE d.nomination_id = n.id AND d.doc_kind = r.doc_kind)
		FROM nominations n JOIN awards a ON a.code = n.award_code
		JOIN required_documents r ON r.category = a.category AND r.procedure = n.procedure
		WHERE n.id = $1 ORDER BY r.doc_kind`, nominationID)
	if err != nil {
		return nil, postgres.Translate("attachments.Checklist", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[RequiredDocument])
	return out, postgres.Translate("attachments.Checklist", err)
}

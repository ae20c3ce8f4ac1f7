package httpx

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/attachments"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/importer"
)

// MultipartMemory is how much of an upload form is held in memory; the rest goes
// to a temporary file. The server's body limit caps the whole request.
const MultipartMemory = 8 << 20

// File is an uploaded file: its sanitised name (attachments.SanitizeFileName: no
// directory part, no control or odd characters, a neutral name when the client
// gave none) and its content, never empty.
type File struct {
	Name string
	Data []byte
}

// ReadUpload reads the uploaded file of a request: the part named field of a
// multipart form, or else the raw request body (named by ?name=); a URL-encoded
// form carries no file. The body limit applies while it is read: a file over it
// is KindTooLarge. A form without the part, or an empty file, is KindInvalid on
// field; so is a readable ZIP container (DOCX, XLSX) whose central directory
// describes a ZIP bomb (importer.CheckArchive), refused before anything is inflated or stored.
func ReadUpload(c *gin.Context, field string) (File, error) {
	var (
		r    io.Reader = c.Request.Body
		name           = c.Query("name")
	)
	switch mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type")); mt {
	case "application/x-www-form-urlencoded":
		return File{}, noFile(field)
	case "multipart/form-data":
		if err := c.Request.ParseMultipartForm(MultipartMemory); err != nil && !errors.Is(err, http.ErrNotMultipart) {
			return File{}, readError(err, field)
		}
		f, fh, err := c.Request.FormFile(field)
		if err != nil {
			return File{}, readError(err, field)
		}
		defer f.Close()
		r, name = f, fh.Filename
	}
	if r == nil {
		return File{}, noFile(field)
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return File{}, readError(err, field)
	}
	if len(data) == 0 {
		return File{}, domain.Invalid("the file is empty", domain.FieldError{Field: field, Message: "required"})
	}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		// A file that is no readable archive is left to the reader of its type.
		if err := importer.CheckArchive(data, importer.DefaultArchiveLimits); err != nil && !errors.Is(err, importer.ErrNotArchive) {
			return File{}, domain.Invalid("file refused", domain.FieldError{Field: field, Message: err.Error()})
		}
	}
	return File{Name: attachments.SanitizeFileName(name), Data: data}, nil
}

// readError is the error of an upload that could not be read: too large, or no
// file at all.
func readError(err error, field string) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return &domain.Error{Kind: KindTooLarge, Message: "file too large"}
	}
	return noFile(field)
}

func noFile(field string) error {
	return domain.Invalid("no file: send it as the form part \""+field+"\"", domain.FieldError{Field: field, Message: "required"})
}

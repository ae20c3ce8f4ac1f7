package app

import (
	"bytes"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/importer"
)

// checkUploadArchive refuses a ZIP-based upload (DOCX, XLSX) whose central
// directory describes a ZIP bomb (see importer.CheckArchive), so that a file
// which would exhaust whoever opens it is never stored; other content passes.
// KindInvalid on the field "file".
func checkUploadArchive(content []byte) error {
	if !bytes.HasPrefix(content, []byte("PK\x03\x04")) {
		return nil
	}
	if err := importer.CheckArchive(content, importer.DefaultArchiveLimits); err != nil {
		return domain.Invalid("file refused", domain.FieldError{Field: "file", Message: err.Error()})
	}
	return nil
}

package httpx

import (
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/importer"
)

// ReadSpreadsheet reads an uploaded spreadsheet (httpx.ReadUpload: the raw body, or the
// "file" part of a multipart form). The format is ?format= (xlsx, csv), or told
// from the content.
func ReadSpreadsheet(c *gin.Context) ([]byte, importer.Format, error) {
	f, err := ReadUpload(c, "file")
	if err != nil {
		return nil, "", err
	}
	switch format := importer.Format(strings.ToLower(c.Query("format"))); format {
	case "":
		return f.Data, importer.DetectFormat(f.Data), nil
	case importer.FormatXLSX, importer.FormatCSV:
		return f.Data, format, nil
	}
	return nil, "", domain.Invalid("unknown format", domain.FieldError{Field: "format", Message: "xlsx or csv"})
}

// UserKey is the gin context key under which authentication leaves the user's id.
const UserKey = "tdkt.user"

// UserID is the authenticated user of the request (0 before authentication).
func UserID(c *gin.Context) int64 { return c.GetInt64(UserKey) }

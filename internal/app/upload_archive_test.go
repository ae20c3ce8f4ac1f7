package app

import (
	"archive/zip"
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/tdkt/tdkt/internal/domain"
)

type zeroes struct{}

func (zeroes) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// TestUploadArchiveRefusesABombFast: a DOCX-shaped ZIP inflating to 200 MiB is
// refused from its directory in well under a second; a small DOCX and a PDF pass.
func TestUploadArchiveRefusesABombFast(t *testing.T) {
	mk := func(size int64) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.Create("word/document.xml")
		_, _ = io.CopyN(w, zeroes{}, size)
		_ = zw.Close()
		return buf.Bytes()
	}
	bomb := mk(200 << 20)
	start := time.Now()
	err := checkUploadArchive(bomb)
	if took := time.Since(start); !domain.IsKind(err, domain.KindInvalid) || took > time.Second {
		t.Fatalf("bomb: %v after %v", err, took)
	}
	for name, ok := range map[string][]byte{"small docx": mk(4 << 10), "pdf": []byte("%PDF-1.7\n")} {
		if err := checkUploadArchive(ok); err != nil {
			t.Errorf("%s refused: %v", name, err)
		}
	}
}

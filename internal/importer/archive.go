package importer

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
)

// ErrNotArchive is CheckArchive's answer for data that is no readable ZIP
// container at all.
var ErrNotArchive = errors.New("not a readable ZIP container")

// ArchiveLimits bound what an uploaded ZIP container (XLSX, DOCX) may unpack
// to. They are checked from the central directory alone, before any entry is
// inflated, so a ZIP bomb costs a directory read (microseconds), not seconds of
// inflating; the declared sizes are then enforced while reading, since
// archive/zip fails an entry that inflates past its declared size.
type ArchiveLimits struct {
	// MaxEntries caps the number of files in the archive.
	MaxEntries int
	// MaxTotal caps the sum of the entries' uncompressed sizes, in bytes.
	MaxTotal uint64
	// MaxRatio caps an entry's uncompressed size over its compressed size, for
	// entries over RatioFloor bytes (small entries may compress well harmlessly).
	MaxRatio   uint64
	RatioFloor uint64
}

// DefaultArchiveLimits fit the largest legitimate workbook (MaxRows rows of
// the widest sheet is some 40 MiB of sheet XML, which compresses 5–20 times)
// with room to spare, and refuse the probe's bomb (256 KiB inflating to 250 MiB,
// a ratio near 1,000).
var DefaultArchiveLimits = ArchiveLimits{MaxEntries: 2000, MaxTotal: 128 << 20, MaxRatio: 100, RatioFloor: 1 << 20}

// CheckArchive reads the central directory of a ZIP container and refuses it
// (an error whose message is safe to show) when it is not a ZIP file
// (ErrNotArchive) or exceeds lim.
func CheckArchive(data []byte, lim ArchiveLimits) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return ErrNotArchive
	}
	if len(zr.File) > lim.MaxEntries {
		return fmt.Errorf("the file holds %d parts, more than %d", len(zr.File), lim.MaxEntries)
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > lim.MaxTotal || total < f.UncompressedSize64 {
			return fmt.Errorf("the file unpacks to more than %d MiB", lim.MaxTotal>>20)
		}
		if f.UncompressedSize64 > lim.RatioFloor && f.UncompressedSize64 > lim.MaxRatio*max(f.CompressedSize64, 1) {
			return fmt.Errorf("the file's part %q is compressed more than %d to 1, as only a ZIP bomb is", f.Name, lim.MaxRatio)
		}
	}
	return nil
}

package documents

import (
	"fmt"

	qrcode "github.com/yeqown/go-qrcode/v2"
)

// matrixWriter keeps the modules of an encoded QR code.
type matrixWriter struct{ bits [][]bool }

func (m *matrixWriter) Write(mat qrcode.Matrix) error {
	m.bits = mat.Bitmap()
	return nil
}

func (m *matrixWriter) Close() error { return nil }

// qrModules encodes text as a QR code and returns its dark modules by row.
func qrModules(text string) ([][]bool, error) {
	q, err := qrcode.NewWith(text, qrcode.WithErrorCorrectionLevel(qrcode.ErrorCorrectionMedium))
	if err != nil {
		return nil, fmt.Errorf("documents: QR code: %w", err)
	}
	var m matrixWriter
	if err := q.Save(&m); err != nil {
		return nil, fmt.Errorf("documents: QR code: %w", err)
	}
	return m.bits, nil
}

// qr draws text as a QR code of side size mm with its top-left corner at (x, y),
// as vector squares, so it prints sharp at any resolution.
func (w *writer) qr(x, y, size float64, text string) {
	bits, err := qrModules(text)
	if err != nil {
		w.SetError(err)
		return
	}
	n := float64(len(bits))
	cell := size / n
	w.SetFillColor(0, 0, 0)
	for r, row := range bits {
		for c, dark := range row {
			if dark {
				w.Rect(x+float64(c)*cell, y+float64(r)*cell, cell, cell, "F")
			}
		}
	}
}

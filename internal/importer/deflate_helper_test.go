package importer_test

import (
	"compress/flate"
	"io"
)

func newDeflater(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) }

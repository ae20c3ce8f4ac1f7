package httpx

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/domain"
)

func TestParseETag(t *testing.T) {
	for in, want := range map[string]int{`"3"`: 3, `W/"3"`: 3, `3`: 3, ` "12" `: 12, `"0"`: 0} {
		if got, ok := ParseETag(in); !ok || got != want {
			t.Errorf("ParseETag(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{`*`, `"1", "2"`, `"abc"`, `"-1"`, ``, `W/`} {
		if got, ok := ParseETag(in); ok {
			t.Errorf("ParseETag(%q) = %d; want refused", in, got)
		}
	}
}

func TestVersion(t *testing.T) {
	if v, err := Version("  ", "version", "dossier"); v != nil || err != nil {
		t.Fatalf("empty: %v %v", v, err)
	}
	if v, err := Version(`W/"7"`, "If-Match", "dossier"); err != nil || v == nil || *v != 7 {
		t.Fatalf("W/\"7\": %v %v", v, err)
	}
	_, err := Version("sau", "version", "report")
	var de *domain.Error
	if !errors.As(err, &de) || de.Kind != domain.KindInvalid || len(de.Fields) != 1 || de.Fields[0].Field != "version" ||
		!strings.Contains(de.Message, "report version") {
		t.Fatalf("bad version: %#v", err)
	}
}

// TestOneTableForEveryKind: each kind has its status, the problem document
// carries the kind's type and the error's detail, and an internal error or an
// unknown kind shows no detail.
func TestOneTableForEveryKind(t *testing.T) {
	for kind, status := range map[domain.ErrorKind]int{
		domain.KindInvalid: 400, domain.KindUnauthorized: 401, domain.KindForbidden: 403, domain.KindNotFound: 404,
		domain.KindConflict: 409, domain.KindTooMany: 429, domain.KindInternal: 500, KindTooLarge: 413,
		KindPreconditionFailed: 412, KindPreconditionRequired: 428, KindIdempotencyKeyReused: 422,
	} {
		p := ProblemOf(domain.Errorf(kind, "secret %s", kind))
		if p.Status != status || p.Type != "/problems/"+string(kind) || p.Title == "" {
			t.Errorf("%s: %+v, want status %d", kind, p, status)
		}
		if (p.Detail == "") != (kind == domain.KindInternal) {
			t.Errorf("%s: detail %q", kind, p.Detail)
		}
	}
	for _, err := range []error{errors.New("pgx: connection refused"), domain.Errorf("no-such-kind", "x")} {
		if p := ProblemOf(err); p.Status != 500 || p.Detail != "" || p.Type != "/problems/internal" {
			t.Errorf("%v: %+v", err, p)
		}
	}
}

func testContext(req *http.Request) (*gin.Context, *httptest.ResponseRecorder) {
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = req
	return c, w
}

func multipartRequest(t *testing.T, part, name string, content []byte, limit int64) *http.Request {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if err := mw.WriteField("kind", "to_trinh"); err != nil {
		t.Fatal(err)
	}
	fw, err := mw.CreateFormFile(part, name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(content)
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, "/upload", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if limit > 0 {
		req.Body = http.MaxBytesReader(httptest.NewRecorder(), req.Body, limit)
	}
	return req
}

// TestReadUpload: a multipart part with its name sanitised, a raw body named by
// ?name=, and the refusals: no part, an empty file, a URL-encoded form, a file
// over the body limit.
func TestReadUpload(t *testing.T) {
	c, _ := testContext(multipartRequest(t, "file", `..\..\C:\Windows\tờ trình<1>.pdf`, []byte("%PDF-1.7"), 0))
	f, err := ReadUpload(c, "file")
	if err != nil || f.Name != "tờ trình1.pdf" || string(f.Data) != "%PDF-1.7" {
		t.Fatalf("multipart: %+v %v", f, err)
	}

	req := httptest.NewRequest(http.MethodPost, "/upload?name=../bao-cao.xlsx", strings.NewReader("PK\x03\x04"))
	req.Header.Set("Content-Type", "application/octet-stream")
	c, _ = testContext(req)
	if f, err = ReadUpload(c, "file"); err != nil || f.Name != "bao-cao.xlsx" || string(f.Data) != "PK\x03\x04" {
		t.Fatalf("raw body: %+v %v", f, err)
	}

	refused := map[string]*http.Request{
		"another part":  multipartRequest(t, "tep", "a.pdf", []byte("x"), 0),
		"an empty file": multipartRequest(t, "file", "a.pdf", nil, 0),
		"a URL-encoded form": func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, "/upload", strings.NewReader("file=abc"))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return r
		}(),
		"an empty body": httptest.NewRequest(http.MethodPost, "/upload", nil),
	}
	for name, req := range refused {
		c, _ := testContext(req)
		_, err := ReadUpload(c, "file")
		var de *domain.Error
		if !errors.As(err, &de) || de.Kind != domain.KindInvalid || len(de.Fields) != 1 || de.Fields[0].Field != "file" {
			t.Errorf("%s: %#v", name, err)
		}
	}

	c, _ = testContext(multipartRequest(t, "file", "big.pdf", bytes.Repeat([]byte("x"), 64<<10), 16<<10))
	if _, err := ReadUpload(c, "file"); !domain.IsKind(err, KindTooLarge) {
		t.Fatalf("over the limit: %v", err)
	}

	// A DOCX-shaped ZIP bomb (a part inflating to 200 MiB) is refused from its
	// central directory, before anything is inflated; a small DOCX passes.
	docx := func(size int64) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.Create("word/document.xml")
		_, _ = io.CopyN(w, zeros{}, size)
		_ = zw.Close()
		return buf.Bytes()
	}
	c, _ = testContext(multipartRequest(t, "file", "bom.docx", docx(200<<20), 0))
	start := time.Now()
	_, err = ReadUpload(c, "file")
	if took := time.Since(start); !domain.IsKind(err, domain.KindInvalid) || took > time.Second {
		t.Fatalf("ZIP bomb: %v after %v", err, took)
	}
	c, _ = testContext(multipartRequest(t, "file", "to-trinh.docx", docx(4<<10), 0))
	if _, err := ReadUpload(c, "file"); err != nil {
		t.Fatalf("small DOCX: %v", err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// TestUnknownAPIURLIsAProblem: APINotFound answers under /api/ and hands any
// other path to the next handler.
func TestUnknownAPIURLIsAProblem(t *testing.T) {
	gin.SetMode(gin.TestMode)
	r := gin.New()
	r.NoRoute(APINotFound, func(c *gin.Context) { c.String(http.StatusNotFound, "page") })
	for path, want := range map[string]string{"/api/v1/nope": "application/problem+json", "/nope": "text/plain; charset=utf-8"} {
		w := httptest.NewRecorder()
		r.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		if w.Code != http.StatusNotFound || w.Header().Get("Content-Type") != want {
			t.Errorf("%s: %d %q", path, w.Code, w.Header().Get("Content-Type"))
		}
		if want == "application/problem+json" {
			var p Problem
			if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil || p.Type != "/problems/not-found" {
				t.Errorf("%s: %s", path, w.Body)
			}
		}
	}
}

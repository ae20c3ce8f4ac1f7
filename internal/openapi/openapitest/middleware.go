package openapitest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/httpx"
)

var (
	loadOnce sync.Once
	loaded   *openapi3.T
	loadErr  error
)

// document is Load's result, loaded once per test binary.
func document() (*openapi3.T, error) {
	loadOnce.Do(func() { loaded, loadErr = Load() })
	return loaded, loadErr
}

// Middleware checks every request to an /api/v1 route and the answer to it
// against the document, and reports each mismatch to report (a test's Errorf):
//
//   - a route with no operation in the document;
//   - a request the document refuses (body, parameters, credentials) that the
//     server nonetheless accepted (answered below 400) — a refused request is
//     what the many bad-input tests send on purpose, and the server's refusal is
//     then the answer the document describes;
//   - any answer, success or problem, whose status, Content-Type or body the
//     operation does not describe.
//
// Requests that match no route (404 for an unknown URL, 405) are not checked.
func Middleware(report func(format string, args ...any)) gin.HandlerFunc {
	doc, err := document()
	return func(c *gin.Context) {
		path, ok := PathOf(c.FullPath())
		if !ok {
			c.Next()
			return
		}
		if err != nil {
			report("OpenAPI document: %v", err)
			c.Next()
			return
		}
		item := doc.Paths.Value(path)
		var op *openapi3.Operation
		if item != nil {
			op = item.GetOperation(c.Request.Method)
		}
		if op == nil {
			report("%s %s: no operation in the OpenAPI document", c.Request.Method, path)
			c.Next()
			return
		}
		body, readErr := readBody(c.Request)
		copyReq := c.Request.Clone(c.Request.Context())
		if form := c.Request.MultipartForm; form != nil && readErr == nil {
			// The server's text check has parsed (and so consumed) the form: the
			// document is checked against the same form, written again.
			var ct string
			body, ct, readErr = rewriteForm(form)
			copyReq.Header.Set("Content-Type", ct)
		}
		copyReq.Body = io.NopCloser(bytes.NewReader(body))
		if jsonOnly(op) && len(body) > 0 {
			// The API reads a JSON body whatever type it is declared with (curl's
			// default form type, text/plain with X-CSRF-Token), as the document says.
			copyReq.Header.Set("Content-Type", "application/json")
		}
		params := map[string]string{}
		for _, p := range c.Params {
			params[p.Key] = p.Value
		}
		in := &openapi3filter.RequestValidationInput{
			Request:    copyReq,
			PathParams: params,
			Route:      &routers.Route{Spec: doc, Path: path, PathItem: item, Method: c.Request.Method, Operation: op},
			Options: &openapi3filter.Options{
				IncludeResponseStatus: true,
				MultiError:            true,
				AuthenticationFunc:    authenticated,
			},
		}
		var reqErr error
		if readErr == nil {
			reqErr = openapi3filter.ValidateRequest(context.Background(), in)
		}
		rec := &recorder{ResponseWriter: c.Writer}
		c.Writer = rec
		c.Next()
		status := rec.Status()
		what := fmt.Sprintf("%s %s%s (%s)", c.Request.Method, c.Request.URL.Path, query(c.Request), op.OperationID)
		if reqErr != nil && status < 400 {
			report("%s: the server answered %d to a request the OpenAPI document refuses: %v", what, status, reqErr)
		}
		res := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: in,
			Status:                 status,
			Header:                 rec.Header(),
			Body:                   io.NopCloser(bytes.NewReader(rec.body.Bytes())),
			Options:                in.Options,
		}
		if err := openapi3filter.ValidateResponse(context.Background(), res); err != nil {
			report("%s: the answer %d does not match the OpenAPI document: %v\nbody: %.600s", what, status, err, rec.body.String())
		}
	}
}

// rewriteForm writes a parsed multipart form again, for validation.
func rewriteForm(form *multipart.Form) ([]byte, string, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for name, values := range form.Value {
		for _, v := range values {
			if err := w.WriteField(name, v); err != nil {
				return nil, "", err
			}
		}
	}
	for name, files := range form.File {
		for _, fh := range files {
			part, err := w.CreateFormFile(name, fh.Filename)
			if err != nil {
				return nil, "", err
			}
			f, err := fh.Open()
			if err != nil {
				return nil, "", err
			}
			_, err = io.Copy(part, f)
			f.Close()
			if err != nil {
				return nil, "", err
			}
		}
	}
	if err := w.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), w.FormDataContentType(), nil
}

// jsonOnly reports whether op's request body, if any, is JSON only.
func jsonOnly(op *openapi3.Operation) bool {
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return false
	}
	content := op.RequestBody.Value.Content
	return len(content) == 1 && content["application/json"] != nil
}

func query(r *http.Request) string {
	if r.URL.RawQuery == "" {
		return ""
	}
	return "?" + r.URL.RawQuery
}

// readBody reads the whole request body and puts it back for the handler,
// followed by the read's error (a body over the server's limit stays one).
func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	b, err := io.ReadAll(r.Body)
	rest := io.Reader(bytes.NewReader(b))
	if err != nil {
		rest = io.MultiReader(rest, errReader{err})
	}
	r.Body = readCloser{rest, r.Body}
	return b, err
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

type readCloser struct {
	io.Reader
	io.Closer
}

// authenticated checks that a request carries the credential of the scheme the
// document names: a bearer token, or the session cookie.
func authenticated(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	r := in.RequestValidationInput.Request
	switch in.SecuritySchemeName {
	case "bearerToken":
		if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
			return errors.New("no bearer token")
		}
	case "sessionCookie":
		if _, err := r.Cookie(httpx.SessionCookie); err != nil {
			return errors.New("no session cookie")
		}
	default:
		return fmt.Errorf("unknown security scheme %q", in.SecuritySchemeName)
	}
	return nil
}

// recorder keeps a copy of the answer's body.
type recorder struct {
	gin.ResponseWriter
	body bytes.Buffer
}

func (r *recorder) Write(b []byte) (int, error) {
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}

func (r *recorder) WriteString(s string) (int, error) {
	r.body.WriteString(s)
	return r.ResponseWriter.WriteString(s)
}

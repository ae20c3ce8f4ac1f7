package httpapi

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/url"
	"sort"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/strictjson"
)

// formMemory is how much of a multipart form is held in memory while it is
// checked; the rest goes to temporary files that net/http removes after the
// request. It matches the web UI's own limit.
const formMemory = 8 << 20

// checkText refuses, with 400 and the field named, a request whose URL path,
// query parameters, form fields or uploaded file names hold invalid UTF-8 or
// control characters (strictjson.CheckText; tab and line breaks are allowed in
// form fields, which may be text areas, not in the others). JSON bodies are
// checked by strictjson.Decode. It runs on every route, the web UI's too, so no
// handler passes a NUL to PostgreSQL (an internal error otherwise).
func (s *Server) checkText(c *gin.Context) {
	if err := checkRequestText(c.Request); err != nil {
		if domain.IsKind(err, kindTooLarge) {
			// The handler reads the form again, meets the same limit and
			// answers in its own way (the web UI with a page).
			c.Next()
			return
		}
		s.fail(c, err)
		return
	}
	c.Next()
}

// checkRequestText is checkText's rule, free of Gin.
func checkRequestText(r *http.Request) error {
	if msg := strictjson.CheckText(r.URL.Path, false); msg != "" {
		return domain.Invalid("invalid URL", domain.FieldError{Field: "path", Message: msg})
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return domain.Invalid("malformed query string")
	}
	if err := checkValues(q, false); err != nil {
		return err
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return nil
	}
	switch ct := contentType(r); ct {
	case "application/x-www-form-urlencoded":
		// Read the body without consuming it: a handler parses the form again, and an
		// API client that sends JSON under curl's default form type (curl -d) still
		// gets its JSON read.
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return formError(err)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		if form, err := url.ParseQuery(string(body)); err == nil {
			return checkValues(form, true)
		}
		if msg := strictjson.CheckText(string(body), true); msg != "" {
			return domain.Invalid("invalid request body", domain.FieldError{Field: "body", Message: msg})
		}
	case "multipart/form-data":
		if err := r.ParseMultipartForm(formMemory); err != nil {
			return formError(err)
		}
		if err := checkValues(r.MultipartForm.Value, true); err != nil {
			return err
		}
		for field, fhs := range r.MultipartForm.File {
			for _, fh := range fhs {
				if msg := strictjson.CheckText(fh.Filename, false); msg != "" {
					return domain.Invalid("invalid file name", domain.FieldError{Field: field, Message: "the file name " + msg})
				}
			}
		}
	}
	return nil
}

// formError is a form that could not be read: 413 past the body limit, 400
// otherwise.
func formError(err error) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return &domain.Error{Kind: kindTooLarge, Message: "request body too large"}
	}
	return domain.Invalid("malformed form")
}

// checkValues checks every name and value, in name order for a stable answer.
func checkValues(vals url.Values, multiline bool) error {
	names := make([]string, 0, len(vals))
	for k := range vals {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if msg := strictjson.CheckText(k, false); msg != "" {
			return domain.Invalid("invalid parameter name", domain.FieldError{Field: "query", Message: "a name " + msg})
		}
		for _, v := range vals[k] {
			if msg := strictjson.CheckText(v, multiline); msg != "" {
				return domain.Invalid("invalid text", domain.FieldError{Field: k, Message: msg})
			}
		}
	}
	return nil
}

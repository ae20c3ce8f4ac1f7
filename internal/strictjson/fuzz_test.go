package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/dossiers"
)

// createFields and nomineeFields are the only keys a create request may carry; a
// status, a version, an id or a creator smuggled in (mass assignment) is refused.
var (
	createFields  = []string{"unit_id", "award_code", "kind", "year", "title", "nominees"}
	nomineeFields = []string{"kind", "name", "job_title", "organisation", "achievements", "subject_id"}
)

func knownKey(k string, fields []string) bool {
	for _, f := range fields {
		// The pre-pass refuses a key in other letter case than its field, so an
		// accepted key is one of the fields exactly.
		if k == f {
			return true
		}
	}
	return false
}

// FuzzDecodeCreateRequest feeds arbitrary bodies to the strict decoding of the
// API's create request (dossiers.CreateNominationInput, as POST /api/v1/nominations
// reads it, under a 4 KiB limit). It must never panic; a refusal is KindInvalid or
// KindTooLarge with a message, never an internal error; an accepted body is one
// JSON object followed by white space only, valid UTF-8, whose keys, and its
// nominees' keys, are all fields of the request exactly (no other letter case),
// with no key twice and no control character but tab, CR and LF in any string. The seed corpus is in
// testdata/fuzz/FuzzDecodeCreateRequest (it has the "{} }" the fuzzer found); a
// bounded run:
//
//	go test ./internal/strictjson -run='^$' -fuzz=FuzzDecodeCreateRequest -fuzztime=20s
func FuzzDecodeCreateRequest(f *testing.F) {
	f.Add([]byte(`{"unit_id":"LS-09-003","award_code":"BK_TINH","year":2026,"nominees":[{"kind":"individual","name":"Hoàng Văn Tùng"}]}`))
	f.Add([]byte(`{"unit_id":"LS-09-003","status":"decided"}`))
	f.Add([]byte(`{"UNIT_ID":"LS"}{}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var in dossiers.CreateNominationInput
		err := Decode(http.MaxBytesReader(nil, io.NopCloser(bytes.NewReader(body)), 4096), &in)
		if err != nil {
			var de *domain.Error
			if k := domain.KindOf(err); k != domain.KindInvalid && k != KindTooLarge {
				t.Fatalf("body %q refused with kind %s: %v", body, k, err)
			}
			if !errors.As(err, &de) || de.Message == "" {
				t.Fatalf("body %q refused without a message: %v", body, err)
			}
			return
		}
		dec := json.NewDecoder(bytes.NewReader(body))
		var v any
		if dec.Decode(&v) != nil {
			t.Fatalf("accepted body %q is not JSON", body)
		}
		if _, err := dec.Token(); !errors.Is(err, io.EOF) {
			t.Fatalf("accepted body %q has trailing data", body)
		}
		top, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("accepted body %q is not an object", body)
		}
		if !utf8.Valid(body) {
			t.Fatalf("accepted body %q is not UTF-8", body)
		}
		if dup := duplicateKey(body); dup != "" {
			t.Fatalf("accepted body %q has the key %q twice", body, dup)
		}
		walkStrings(v, func(s string) {
			if CheckText(s, true) != "" {
				t.Fatalf("accepted body %q has the string %q", body, s)
			}
		})
		for k, val := range top {
			if !knownKey(k, createFields) {
				t.Fatalf("accepted body %q has the unknown key %q", body, k)
			}
			ns, _ := val.([]any)
			if k != "nominees" {
				continue
			}
			for _, n := range ns {
				nm, _ := n.(map[string]any)
				for nk := range nm {
					if !knownKey(nk, nomineeFields) {
						t.Fatalf("accepted body %q has the unknown nominee key %q", body, nk)
					}
				}
			}
		}
	})
}

// TestDecodeRefusesWhatTheCreateRequestDoesNotHave pins the decoder's answers to
// the attacks the fuzz target generalises.
func TestDecodeRefusesWhatTheCreateRequestDoesNotHave(t *testing.T) {
	for body, want := range map[string]string{
		`{"unit_id":"LS","status":"decided"}`:                 "unknown field",
		`{"nominees":[{"name":"A","status":"awarded"}]}`:      "unknown field",
		`{"unit_id":"LS"} }`:                                  "malformed JSON: trailing data",
		`{"unit_id":"LS"}{"status":"decided"}`:                "malformed JSON: trailing data",
		`{"year":"2026"}`:                                     "malformed JSON",
		``:                                                    "request body is empty",
		`{"title":"` + strings.Repeat("x", 5000) + `"}`:       "request body too large",
		`{"unit_id":"LS"}` + strings.Repeat(" ", 5000) + `{}`: "request body too large",
	} {
		var in dossiers.CreateNominationInput
		err := Decode(http.MaxBytesReader(nil, io.NopCloser(strings.NewReader(body)), 4096), &in)
		var de *domain.Error
		if !errors.As(err, &de) || !strings.HasPrefix(de.Message, want) {
			t.Errorf("%.60q: %v, want %q", body, err, want)
		}
	}
	var in dossiers.CreateNominationInput
	if err := Decode(strings.NewReader(" {\"unit_id\":\"LS\"} \n\t"), &in); err != nil || in.UnitID != "LS" {
		t.Fatalf("a valid body with white space around: %v %+v", err, in)
	}
}

// duplicateKey returns a key given twice in one object of body, found by a
// recursive walk of its tokens (independent of the decoder's iterative one).
func duplicateKey(body []byte) string {
	dec := json.NewDecoder(bytes.NewReader(body))
	var walk func() string
	walk = func() string {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		switch tok {
		case json.Delim('{'):
			seen := map[string]bool{}
			for dec.More() {
				kt, _ := dec.Token()
				k, _ := kt.(string)
				if seen[k] {
					return k
				}
				seen[k] = true
				if d := walk(); d != "" {
					return d
				}
			}
			_, _ = dec.Token()
		case json.Delim('['):
			for dec.More() {
				if d := walk(); d != "" {
					return d
				}
			}
			_, _ = dec.Token()
		}
		return ""
	}
	return walk()
}

// walkStrings calls f with every key and string of a decoded JSON value.
func walkStrings(v any, f func(string)) {
	switch x := v.(type) {
	case string:
		f(x)
	case []any:
		for _, e := range x {
			walkStrings(e, f)
		}
	case map[string]any:
		for k, e := range x {
			f(k)
			walkStrings(e, f)
		}
	}
}

// TestDecodeRefusesAmbiguousAndHostileBodies pins the pre-pass: each of these
// bodies is refused with 400's kind, the message and, where there is one, the
// field named.
func TestDecodeRefusesAmbiguousAndHostileBodies(t *testing.T) {
	for _, tc := range []struct{ body, msg, field string }{
		{`{"unit_id":"LS","unit_id":"HN"}`, "duplicate key", "unit_id"},
		{`{"nominees":[{"name":"A","name":"B"}]}`, "duplicate key", "nominees[0].name"},
		{`{"unit_id":"LS","Unit_ID":"HN"}`, "key in the wrong letter case", "Unit_ID"},
		{`{"UNIT_ID":"LS"}`, "key in the wrong letter case", "UNIT_ID"},
		{`{"nominees":[{"Name":"A"}]}`, "key in the wrong letter case", "nominees[0].Name"},
		{`null`, "request body is null", ""},
		{` null `, "request body is null", ""},
		{`{"title":"a\u0000b"}`, "invalid text", "title"},
		{`{"nominees":[{"kind":"individual","name":"x\u001by"}]}`, "invalid text", "nominees[0].name"},
		{`{"title":"\u0085"}`, "invalid text", "title"},
		{"{\"title\":\"\xff\xfe\"}", "request body is not valid UTF-8", ""},
		{`{"a\u0000":1}`, "invalid key", ""},
	} {
		var in dossiers.CreateNominationInput
		err := Decode(strings.NewReader(tc.body), &in)
		var de *domain.Error
		if !errors.As(err, &de) || de.Kind != domain.KindInvalid || !strings.HasPrefix(de.Message, tc.msg) {
			t.Errorf("%q: %v, want %q", tc.body, err, tc.msg)
			continue
		}
		if tc.field != "" && (len(de.Fields) != 1 || de.Fields[0].Field != tc.field) {
			t.Errorf("%q: fields %+v, want %s", tc.body, de.Fields, tc.field)
		}
	}
	// Tab, CR and LF are text; so is Vietnamese in either normal form.
	var in dossiers.CreateNominationInput
	if err := Decode(strings.NewReader(`{"title":"Tổ 1\r\n\tĐội 2"}`), &in); err != nil || in.Title != "Tổ 1\r\n\tĐội 2" {
		t.Fatalf("multi-line title: %v %q", err, in.Title)
	}
	// A map or an interface has no fields to miss by case; its keys are exact.
	var m map[string]any
	if err := Decode(strings.NewReader(`{"A":1,"a":2}`), &m); err != nil || len(m) != 2 {
		t.Fatalf("map with keys differing in case: %v %v", err, m)
	}
	if err := Decode(strings.NewReader(`{"A":1,"A":2}`), &m); err == nil {
		t.Fatal("a map with a key twice was accepted")
	}
}

// TestDecodeDeepNestingIsRefusedWithoutCrash: a body of a million brackets
// (the API's 1 MiB limit) is refused as malformed, not a stack overflow.
func TestDecodeDeepNestingIsRefusedWithoutCrash(t *testing.T) {
	var m map[string]any
	err := Decode(strings.NewReader(`{"a":`+strings.Repeat("[", 1<<20)), &m)
	if domain.KindOf(err) != domain.KindInvalid {
		t.Fatalf("deep nesting: %v", err)
	}
}

// FuzzCheckText: the text rule never panics, accepts exactly the valid UTF-8
// without control characters (bar tab, CR and LF in multi-line text), and a
// single-line pass implies a multi-line pass.
func FuzzCheckText(f *testing.F) {
	for _, s := range []string{"Hoàng Văn Tùng", "a\x00b", "a\tb", "line\r\nline", "\xff", "\u0085", "\u007f", "\u2028", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		single, multi := CheckText(s, false), CheckText(s, true)
		if single == "" && multi != "" {
			t.Fatalf("%q passes as one line but not as many: %s", s, multi)
		}
		bad := !utf8.ValidString(s)
		for _, r := range s {
			if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r >= 0x7f && r <= 0x9f {
				bad = true
			}
		}
		if bad != (multi != "") {
			t.Fatalf("%q: multi-line verdict %q, want bad=%v", s, multi, bad)
		}
		if strings.ContainsAny(s, "\t\r\n") && single == "" {
			t.Fatalf("%q with tab or line break passes as one line", s)
		}
	})
}

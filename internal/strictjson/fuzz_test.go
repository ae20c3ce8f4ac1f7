package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/tdkt/tdkt/internal/app"
	"github.com/tdkt/tdkt/internal/domain"
)

// createFields and nomineeFields are the only keys a create request may carry; a
// status, a version, an id or a creator smuggled in (mass assignment) is refused.
var (
	createFields  = []string{"unit_id", "award_code", "kind", "year", "title", "nominees"}
	nomineeFields = []string{"kind", "name", "job_title", "organisation", "achievements", "subject_id"}
)

func knownKey(k string, fields []string) bool {
	for _, f := range fields {
		// encoding/json matches field names without regard to case, and so does
		// DisallowUnknownFields.
		if strings.EqualFold(k, f) {
			return true
		}
	}
	return false
}

// FuzzDecodeCreateRequest feeds arbitrary bodies to the strict decoding of the
// API's create request (app.CreateNominationInput, as POST /api/v1/nominations
// reads it, under a 4 KiB limit). It must never panic; a refusal is KindInvalid or
// KindTooLarge with a message, never an internal error; an accepted body is one
// JSON value followed by white space only, whose keys, and its nominees' keys,
// are all fields of the request. The seed corpus is in
// testdata/fuzz/FuzzDecodeCreateRequest (it has the "{} }" the fuzzer found); a
// bounded run:
//
//	go test ./internal/strictjson -run='^$' -fuzz=FuzzDecodeCreateRequest -fuzztime=20s
func FuzzDecodeCreateRequest(f *testing.F) {
	f.Add([]byte(`{"unit_id":"LS-09-003","award_code":"BK_TINH","year":2026,"nominees":[{"kind":"individual","name":"Hoàng Văn Tùng"}]}`))
	f.Add([]byte(`{"unit_id":"LS-09-003","status":"decided"}`))
	f.Add([]byte(`{"UNIT_ID":"LS"}{}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var in app.CreateNominationInput
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
			if v != nil {
				t.Fatalf("accepted body %q is neither an object nor null", body)
			}
			return
		}
		for k, val := range top {
			if !knownKey(k, createFields) {
				t.Fatalf("accepted body %q has the unknown key %q", body, k)
			}
			ns, _ := val.([]any)
			if !strings.EqualFold(k, "nominees") {
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
		var in app.CreateNominationInput
		err := Decode(http.MaxBytesReader(nil, io.NopCloser(strings.NewReader(body)), 4096), &in)
		var de *domain.Error
		if !errors.As(err, &de) || !strings.HasPrefix(de.Message, want) {
			t.Errorf("%.60q: %v, want %q", body, err, want)
		}
	}
	var in app.CreateNominationInput
	if err := Decode(strings.NewReader(" {\"unit_id\":\"LS\"} \n\t"), &in); err != nil || in.UnitID != "LS" {
		t.Fatalf("a valid body with white space around: %v %+v", err, in)
	}
}

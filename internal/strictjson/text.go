package strictjson

import (
	"unicode"
	"unicode/utf8"
)

// CheckText says what is wrong with a piece of text input, or "" when nothing
// is: invalid UTF-8, or a control character (NUL, the other C0 and C1 codes,
// DEL). Multi-line text (a JSON string, a form field that may be a textarea)
// may hold tab, line feed and carriage return; a single-line value (a query
// parameter, a file name, a URL path) may not. It is the one text rule of the
// API: the JSON decoder, the query and form check and the upload name check all
// call it, so a NUL never reaches PostgreSQL (which refuses it with an internal
// error) and no value carries invisible control codes into the records.
func CheckText(s string, multiline bool) string {
	if !utf8.ValidString(s) {
		return "not valid UTF-8"
	}
	for _, r := range s {
		if !unicode.IsControl(r) {
			continue
		}
		if multiline && (r == '\t' || r == '\n' || r == '\r') {
			continue
		}
		if r == 0 {
			return "contains a NUL character"
		}
		return "contains a control character"
	}
	return ""
}

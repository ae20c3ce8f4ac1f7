package web

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestMessageFilesAreCheckedWhenLoaded: the embedded files load with the same
// number of keys in each language, and a file with a key given twice, a
// non-string message, trailing data or a missing language is refused.
func TestMessageFilesAreCheckedWhenLoaded(t *testing.T) {
	c, err := loadCatalogue(i18nFS)
	if err != nil {
		t.Fatal(err)
	}
	if len(c["vi"]) < 800 || len(c["vi"]) != len(c["en"]) {
		t.Fatalf("vi has %d messages, en %d", len(c["vi"]), len(c["en"]))
	}
	if got := Translate("en", "due.left", 3); !strings.Contains(got, "3") {
		t.Fatalf("due.left in English: %q", got)
	}
	good := `{"a": "A", "b": "B %d"}`
	for name, vi := range map[string]string{
		"a key given twice":    `{"a": "A", "b": "B", "a": "C"}`,
		"a message not text":   `{"a": "A", "b": 2}`,
		"a list":               `["a", "b"]`,
		"data after it":        `{"a": "A", "b": "B"} {}`,
		"a nested object":      `{"a": {"b": "B"}}`,
		"not JSON at all":      `a = A`,
		"a missing language":   "",
		"an unfinished object": `{"a": "A", "b": "B"`,
	} {
		fsys := fstest.MapFS{"i18n/en.json": {Data: []byte(good)}}
		if vi != "" {
			fsys["i18n/vi.json"] = &fstest.MapFile{Data: []byte(vi)}
		}
		if _, err := loadCatalogue(fsys); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
	fsys := fstest.MapFS{"i18n/en.json": {Data: []byte(good)}, "i18n/vi.json": {Data: []byte(good)}}
	if c, err := loadCatalogue(fsys); err != nil || c["vi"]["b"] != "B %d" {
		t.Fatalf("valid files: %v %v", c, err)
	}
}

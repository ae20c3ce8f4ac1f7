package web

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
)

// Languages of the UI: Vietnamese first (the default), then English.
var languages = []string{"vi", "en"}

const (
	langCookie = "tdkt_lang"
	ctxLang    = "tdkt.web.lang"
)

// language picks the reader's language: ?lang= (remembered in a cookie), else the
// cookie, else the first supported language of Accept-Language, else Vietnamese.
func (s *Server) language(c *gin.Context) {
	lang := ""
	if q := c.Query("lang"); supported(q) {
		lang = q
		http.SetCookie(c.Writer, &http.Cookie{Name: langCookie, Value: q, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
	} else if ck, err := c.Cookie(langCookie); err == nil && supported(ck) {
		lang = ck
	} else {
		lang = fromAcceptLanguage(c.GetHeader("Accept-Language"))
	}
	c.Set(ctxLang, lang)
	c.Next()
}

func supported(lang string) bool {
	for _, l := range languages {
		if l == lang {
			return true
		}
	}
	return false
}

func langOf(c *gin.Context) string {
	if l := c.GetString(ctxLang); l != "" {
		return l
	}
	return languages[0]
}

// fromAcceptLanguage returns the supported language the header prefers most
// (highest q, then order), or Vietnamese.
func fromAcceptLanguage(header string) string {
	best, bestQ := languages[0], -1.0
	for _, part := range strings.Split(header, ",") {
		fields := strings.Split(strings.TrimSpace(part), ";")
		tag := strings.ToLower(strings.TrimSpace(fields[0]))
		if i := strings.IndexByte(tag, '-'); i > 0 {
			tag = tag[:i]
		}
		q := 1.0
		for _, f := range fields[1:] {
			if v, ok := strings.CutPrefix(strings.TrimSpace(f), "q="); ok {
				if x, err := strconv.ParseFloat(v, 64); err == nil {
					q = x
				}
			}
		}
		if supported(tag) && q > bestQ && q > 0 {
			best, bestQ = tag, q
		}
	}
	return best
}

// Translate returns the message of key in lang (falling back to Vietnamese, then to
// the key itself), formatted with args when there are any.
func Translate(lang, key string, args ...any) string {
	msg, ok := catalogue[lang][key]
	if !ok {
		if msg, ok = catalogue["vi"][key]; !ok {
			msg = key
		}
	}
	if len(args) > 0 {
		return fmt.Sprintf(msg, args...)
	}
	return msg
}

func HasMessage(key string) bool {
	_, ok := catalogue["vi"][key]
	return ok
}

// i18nFS holds the messages of the UI, one file per language (i18n/<lang>.json:
// a JSON object from message key to text, a fmt format when the text takes
// arguments). Both languages have the same keys (TestCatalogue checks it, and
// that every key a template uses exists). The official text of a printed decision
// is Vietnamese in both and lives in its template.
//
//go:embed i18n/*.json
var i18nFS embed.FS

// catalogue holds every message of the UI by language and key, loaded from the
// embedded files when the program starts. The files are part of the binary and
// checked by the tests, so a broken one stops the program at once.
var catalogue = mustLoadCatalogue(i18nFS)

func mustLoadCatalogue(fsys fs.FS) map[string]map[string]string {
	c, err := loadCatalogue(fsys)
	if err != nil {
		panic(err)
	}
	return c
}

// loadCatalogue reads i18n/<lang>.json of every language. A file that is missing,
// is not one flat object of strings, or names a key twice is an error.
func loadCatalogue(fsys fs.FS) (map[string]map[string]string, error) {
	out := make(map[string]map[string]string, len(languages))
	for _, lang := range languages {
		name := "i18n/" + lang + ".json"
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("web: messages: %w", err)
		}
		msgs, err := decodeMessages(b)
		if err != nil {
			return nil, fmt.Errorf("web: messages %s: %w", name, err)
		}
		out[lang] = msgs
	}
	return out, nil
}

// decodeMessages decodes one flat JSON object of strings, refusing a key given
// twice (encoding/json would silently keep the last) and anything after the
// object.
func decodeMessages(b []byte) (map[string]string, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, fmt.Errorf("not a JSON object")
	}
	msgs := map[string]string{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key := t.(string)
		var msg string
		if err := dec.Decode(&msg); err != nil {
			return nil, fmt.Errorf("key %q: %w", key, err)
		}
		if _, dup := msgs[key]; dup {
			return nil, fmt.Errorf("key %q given twice", key)
		}
		msgs[key] = msg
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("data after the object")
	}
	return msgs, nil
}

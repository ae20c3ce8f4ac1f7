package strictjson

import (
	"bytes"
	"encoding"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/tdkt/tdkt/internal/domain"
)

// maxDepth bounds the nesting of a request body; no request of the API nests
// more than a few levels.
const maxDepth = 64

// frame is one open object or array of the pre-pass: the Go type it decodes
// into (nil when unknown: an interface, a json.Unmarshaler), the keys seen so far
// and whether a key comes next.
type frame struct {
	object    bool
	typ       reflect.Type
	path      string
	keys      map[string]bool
	expectKey bool
	index     int
	key       string
}

var (
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	fieldCache          sync.Map // reflect.Type -> map[string]reflect.Type
)

// prepass walks the tokens of the first JSON value of body, with the Go type
// t it will decode into, and refuses what encoding/json lets through: a null
// body, a key twice in one object (encoding/json keeps the last), a key that
// names a field in other letter case (encoding/json matches keys without regard
// to case, so "Unit_ID" would override "unit_id"), and text with control
// characters (see CheckText). A syntax error is left to the decoder that runs
// next, so its message is the usual one. The walk keeps its own stack and refuses nesting
// deeper than maxDepth.
func prepass(body []byte, t reflect.Type) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil // malformed: the decoder says how
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.object && top.expectKey {
			if tok == json.Delim('}') {
				stack = stack[:len(stack)-1]
				if len(stack) == 0 {
					return nil
				}
				continue
			}
			key, _ := tok.(string)
			path := join(top.path, key)
			if msg := CheckText(key, false); msg != "" {
				return domain.Invalid("invalid key", domain.FieldError{Field: top.path, Message: "a key " + msg})
			}
			if top.keys[key] {
				return domain.Invalid("duplicate key", domain.FieldError{Field: path, Message: "given more than once"})
			}
			top.keys[key] = true
			if name, ok := foldMatch(top.typ, key); ok {
				return domain.Invalid("key in the wrong letter case", domain.FieldError{Field: path, Message: "field names are case-sensitive: write " + strconv.Quote(name)})
			}
			top.key, top.expectKey = key, false
			continue
		}
		// A value: its type and path follow from the enclosing frame.
		vt, path := t, ""
		if top != nil {
			if top.object {
				vt, path = memberType(top.typ, top.key), join(top.path, top.key)
				top.expectKey = true
			} else {
				if tok == json.Delim(']') {
					stack = stack[:len(stack)-1]
					if len(stack) == 0 {
						return nil
					}
					continue
				}
				vt, path = elemType(top.typ), top.path+"["+strconv.Itoa(top.index)+"]"
				top.index++
			}
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{':
				stack = append(stack, &frame{object: true, typ: vt, path: path, keys: map[string]bool{}, expectKey: true})
			case '[':
				stack = append(stack, &frame{typ: vt, path: path})
			}
			if len(stack) > maxDepth {
				return domain.Invalid("malformed JSON: nested too deeply")
			}
		case string:
			if msg := CheckText(v, true); msg != "" {
				return domain.Invalid("invalid text", domain.FieldError{Field: fieldName(path), Message: msg})
			}
		case nil:
			if top == nil {
				return domain.Invalid("request body is null; send a JSON object")
			}
		}
		if len(stack) == 0 {
			return nil // a scalar top-level value
		}
	}
}

// fieldName is the field of an error: the path, or "body" for the value itself.
func fieldName(path string) string {
	if path == "" {
		return "body"
	}
	return path
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// deref strips pointers; it returns nil for a type whose JSON is its own
// business (a json.Unmarshaler or encoding.TextUnmarshaler) or unknown.
func deref(t reflect.Type) reflect.Type {
	for t != nil {
		if t.Implements(unmarshalerType) || reflect.PointerTo(t).Implements(unmarshalerType) ||
			t.Implements(textUnmarshalerType) || reflect.PointerTo(t).Implements(textUnmarshalerType) {
			return nil
		}
		if t.Kind() != reflect.Pointer {
			return t
		}
		t = t.Elem()
	}
	return nil
}

// memberType is the type of the value under key in an object decoded into t.
func memberType(t reflect.Type, key string) reflect.Type {
	t = deref(t)
	if t == nil {
		return nil
	}
	switch t.Kind() {
	case reflect.Map:
		return t.Elem()
	case reflect.Struct:
		return fieldsOf(t)[key]
	}
	return nil
}

// elemType is the type of the elements of an array decoded into t.
func elemType(t reflect.Type) reflect.Type {
	t = deref(t)
	if t == nil || (t.Kind() != reflect.Slice && t.Kind() != reflect.Array) {
		return nil
	}
	return t.Elem()
}

// foldMatch reports the field name of struct type t that key spells in other
// letter case, if any.
func foldMatch(t reflect.Type, key string) (string, bool) {
	t = deref(t)
	if t == nil || t.Kind() != reflect.Struct {
		return "", false
	}
	fields := fieldsOf(t)
	if _, exact := fields[key]; exact {
		return "", false
	}
	for name := range fields {
		if strings.EqualFold(name, key) {
			return name, true
		}
	}
	return "", false
}

// fieldsOf maps the JSON names of struct type t's fields (as encoding/json
// names them, embedded structs flattened) to their types.
func fieldsOf(t reflect.Type) map[string]reflect.Type {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]reflect.Type)
	}
	m := map[string]reflect.Type{}
	collectFields(t, m, 0)
	fieldCache.Store(t, m)
	return m
}

func collectFields(t reflect.Type, m map[string]reflect.Type, depth int) {
	if depth > 8 {
		return
	}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				collectFields(ft, m, depth+1)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, seen := m[name]; !seen {
			m[name] = f.Type
		}
	}
}

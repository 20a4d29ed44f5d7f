package py

import (
	"reflect"
	"slices"
	"strings"
	"sync"
)

// A Field describes one field of a model struct, from its `json` and `db` tags.
//
// The `db` tag holds comma-separated options:
//
//	optional        the key may be absent (Python default None); absent encodes as null
//	default=JSON    the key may be absent and takes this value (JSON text, or a bare string)
//	alias=NAME      the key in db.json files; field names are used elsewhere (tau2 hash, output)
//	enum=a|b|c      the allowed values of a Literal field (of each element, on a list field)
//	type=str        on an `any` field: the reference type (str, int, float, bool, or a name
//	                given to DeclareType) that loading and model building check and coerce
//	                to; tools may still store any value there, as Python attribute
//	                assignment does without validation
type Field struct {
	Index    int
	Name     string // the field name (Python attribute)
	Alias    string // the key in files, when it differs from Name
	Optional bool
	Default  *string // JSON text of the default, when there is one
	Enum     []string
	Type     reflect.Type
	// As is the declared type of an `any` field with a type= option: values are checked
	// and coerced to it on input, while tools may store any value.
	As reflect.Type
	// quotedName and quotedKey are Name and Key() as JSON strings, for the encoder; nil
	// when quoting depends on the style (a key outside printable ASCII).
	quotedName, quotedKey []byte
}

// Key returns the key this field has in a db.json file.
func (f *Field) Key() string {
	if f.Alias != "" {
		return f.Alias
	}
	return f.Name
}

// HasDefault reports whether the key may be absent from the input.
func (f *Field) HasDefault() bool { return f.Optional || f.Default != nil }

// A Model lists the fields of a struct type in declaration order, with the keys a model
// ignores on input (dropped without error).
type Model struct {
	Name    string
	Fields  []Field
	Ignored []string
	byKey   map[string]int
	// byName and byFileKey are the fields sorted by name and by file key, for the
	// sorted styles.
	byName, byFileKey []Field
}

// FieldByKey finds a field by its name or alias.
func (m *Model) FieldByKey(k string) (*Field, bool) {
	i, ok := m.byKey[k]
	if !ok {
		return nil, false
	}
	return &m.Fields[i], true
}

var models sync.Map // reflect.Type → *Model

// ModelOf returns the cached field list of struct type t. A blank field
// `_ struct{} db:"ignore=a|b"` names input keys the model drops.
func ModelOf(t reflect.Type) *Model {
	if m, ok := models.Load(t); ok {
		return m.(*Model)
	}
	m := &Model{Name: t.Name(), byKey: map[string]int{}}
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		db := sf.Tag.Get("db")
		if sf.Name == "_" {
			for _, opt := range strings.Split(db, ",") {
				if v, ok := strings.CutPrefix(opt, "ignore="); ok {
					m.Ignored = append(m.Ignored, strings.Split(v, "|")...)
				}
			}
			continue
		}
		if !sf.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		f := Field{Index: i, Name: name, Type: sf.Type}
		for _, opt := range splitOptions(db) {
			switch {
			case opt == "optional":
				f.Optional = true
			case strings.HasPrefix(opt, "alias="):
				f.Alias = opt[len("alias="):]
			case strings.HasPrefix(opt, "enum="):
				f.Enum = strings.Split(opt[len("enum="):], "|")
			case strings.HasPrefix(opt, "type="):
				f.As = declaredType(opt[len("type="):])
			case strings.HasPrefix(opt, "default="):
				d := opt[len("default="):]
				f.Default = &d
			}
		}
		f.quotedName, f.quotedKey = plainQuote(f.Name), plainQuote(f.Key())
		m.byKey[f.Name] = len(m.Fields)
		if f.Alias != "" {
			m.byKey[f.Alias] = len(m.Fields)
		}
		m.Fields = append(m.Fields, f)
	}
	m.byName = slices.Clone(m.Fields)
	slices.SortStableFunc(m.byName, func(a, b Field) int { return strings.Compare(a.Name, b.Name) })
	m.byFileKey = slices.Clone(m.Fields)
	slices.SortStableFunc(m.byFileKey, func(a, b Field) int { return strings.Compare(a.Key(), b.Key()) })
	got, _ := models.LoadOrStore(t, m)
	return got.(*Model)
}

// plainQuote returns s as a JSON string when every style writes it the same: printable
// ASCII without quotes or backslashes. Otherwise it returns nil.
func plainQuote(s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return nil
		}
	}
	return AppendQuote(nil, s, false)
}

// declaredTypes are the reference types a type= option may name: the scalars, and the
// types domains declare with DeclareType.
var declaredTypes = map[string]reflect.Type{
	"str":   reflect.TypeFor[string](),
	"int":   reflect.TypeFor[int64](),
	"float": reflect.TypeFor[float64](),
	"bool":  reflect.TypeFor[bool](),
}

var declaredMu sync.RWMutex

func declaredType(name string) reflect.Type {
	declaredMu.RLock()
	defer declaredMu.RUnlock()
	return declaredTypes[name]
}

// DeclareType lets a type= option name t, for an `any` field whose reference type is a
// model or a list of models (a booking's travelers) that tools may overwrite with any
// value: input is checked and coerced as t, and the field then holds a t. Call it from a
// package-level variable initializer, before any model using the name is first encoded
// or decoded. It returns name.
func DeclareType(name string, t reflect.Type) string {
	declaredMu.Lock()
	defer declaredMu.Unlock()
	declaredTypes[name] = t
	return name
}

// splitOptions splits a db tag at commas, except inside a default's JSON brackets.
func splitOptions(tag string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(tag); i++ {
		switch tag[i] {
		case '[', '{':
			depth++
		case ']', '}':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, tag[start:i])
				start = i + 1
			}
		}
	}
	if start < len(tag) {
		out = append(out, tag[start:])
	}
	return out
}

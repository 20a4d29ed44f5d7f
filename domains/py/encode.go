package py

import (
	"fmt"
	"math/big"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// A Style is one of the ways the reference writes JSON.
type Style uint8

const (
	// Canonical is toolscale's database hash form: sorted keys, "," and ":", raw UTF-8,
	// file keys (aliases).
	Canonical Style = iota
	// Tau2 is json.dumps(model_dump(), sort_keys=True): sorted keys, ", " and ": ",
	// ASCII escapes, field names.
	Tau2
	// Dumps is json.dumps(value) with default settings: key order kept, ", " and ": ",
	// ASCII escapes, field names. Tool message contents use it.
	Dumps
	// Output is compact JSON with key order kept, raw UTF-8 and field names.
	Output
	// File is like Output but uses file keys (aliases): a database as db.json holds it.
	File
)

func (s Style) sorted() bool  { return s == Canonical || s == Tau2 }
func (s Style) ascii() bool   { return s == Tau2 || s == Dumps }
func (s Style) spaced() bool  { return s == Tau2 || s == Dumps }
func (s Style) aliases() bool { return s == Canonical || s == File }

// Marshal encodes v in style s. Structs are models (fields in declaration order, floats
// always with a fraction), Mappings and *Object are dicts, slices are lists.
func Marshal(v any, s Style) ([]byte, error) {
	e := encoder{style: s}
	if err := e.value(reflect.ValueOf(v), false); err != nil {
		return nil, err
	}
	return e.buf, nil
}

// AppendMarshal appends the encoding of v in style s to dst.
func AppendMarshal(dst []byte, v any, s Style) ([]byte, error) {
	e := encoder{style: s, buf: dst}
	err := e.value(reflect.ValueOf(v), false)
	return e.buf, err
}

// Content returns the text of a tool message for a tool's return value v, as the reference
// serialises it: a str verbatim; anything else through json.dumps after ints, floats and
// bools outside models are turned into their str() (so {"wins": 3} reads {"wins": "3"}).
func Content(v any) (string, error) {
	if s, ok := v.(string); ok {
		return s, nil
	}
	e := encoder{style: Dumps}
	if err := e.value(reflect.ValueOf(v), true); err != nil {
		return "", err
	}
	return string(e.buf), nil
}

type encoder struct {
	style Style
	buf   []byte
}

var (
	bigIntType  = reflect.TypeFor[*big.Int]()
	mappingType = reflect.TypeFor[Mapping]()
)

// mappings caches, per type, whether it is a Mapping and whether its pointer is: the
// encoder asks for every value it writes.
var mappings sync.Map // reflect.Type → [2]bool

func mappingOf(t reflect.Type) (mapping, addrMapping bool) {
	if m, ok := mappings.Load(t); ok {
		b := m.([2]bool)
		return b[0], b[1]
	}
	mapping = t.Implements(mappingType)
	addrMapping = t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(mappingType)
	mappings.Store(t, [2]bool{mapping, addrMapping})
	return mapping, addrMapping
}

// value writes v. stringify is true outside models in Content: scalars become their str().
func (e *encoder) value(v reflect.Value, stringify bool) error {
	if !v.IsValid() {
		e.buf = append(e.buf, "null"...)
		return nil
	}
	if v.Type() == bigIntType {
		if v.IsNil() {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		s := v.Interface().(*big.Int).String()
		if stringify {
			e.str(s)
		} else {
			e.buf = append(e.buf, s...)
		}
		return nil
	}
	if v.Kind() != reflect.Interface {
		mapping, addrMapping := mappingOf(v.Type())
		if mapping {
			if v.Kind() == reflect.Pointer && v.IsNil() {
				e.buf = append(e.buf, "null"...)
				return nil
			}
			return e.mapping(v.Interface().(Mapping), stringify)
		}
		if addrMapping && v.CanAddr() {
			return e.mapping(v.Addr().Interface().(Mapping), stringify)
		}
	}
	switch v.Kind() {
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		return e.value(v.Elem(), stringify)
	case reflect.Bool:
		switch {
		case stringify && v.Bool():
			e.buf = append(e.buf, `"True"`...)
		case stringify:
			e.buf = append(e.buf, `"False"`...)
		case v.Bool():
			e.buf = append(e.buf, "true"...)
		default:
			e.buf = append(e.buf, "false"...)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if stringify {
			e.buf = append(e.buf, '"')
		}
		e.buf = strconv.AppendInt(e.buf, v.Int(), 10)
		if stringify {
			e.buf = append(e.buf, '"')
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		e.buf = strconv.AppendUint(e.buf, v.Uint(), 10)
	case reflect.Float32, reflect.Float64:
		f := v.Float()
		if stringify {
			e.buf = append(e.buf, '"')
			e.buf = AppendFloat(e.buf, f)
			e.buf = append(e.buf, '"')
			return nil
		}
		switch s := FormatFloat(f); s {
		case "inf":
			e.buf = append(e.buf, "Infinity"...)
		case "-inf":
			e.buf = append(e.buf, "-Infinity"...)
		case "nan":
			e.buf = append(e.buf, "NaN"...)
		default:
			e.buf = append(e.buf, s...)
		}
	case reflect.String:
		e.str(v.String())
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() && v.Type().Elem().Kind() != reflect.Interface {
			// A nil slice in a model is an empty list: models never hold None for lists.
			e.buf = append(e.buf, "[]"...)
			return nil
		}
		e.buf = append(e.buf, '[')
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				e.sep()
			}
			if err := e.value(v.Index(i), stringify); err != nil {
				return err
			}
		}
		e.buf = append(e.buf, ']')
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return fmt.Errorf("py: cannot encode map with %s keys", v.Type().Key())
		}
		if v.IsNil() {
			e.buf = append(e.buf, "{}"...)
			return nil
		}
		keys := make([]string, 0, v.Len())
		for _, k := range v.MapKeys() {
			keys = append(keys, k.String())
		}
		slices.Sort(keys) // a Go map has no order; sorting keeps output deterministic
		e.buf = append(e.buf, '{')
		for i, k := range keys {
			if i > 0 {
				e.sep()
			}
			e.str(k)
			e.colon()
			if err := e.value(v.MapIndex(reflect.ValueOf(k).Convert(v.Type().Key())), stringify); err != nil {
				return err
			}
		}
		e.buf = append(e.buf, '}')
	case reflect.Struct:
		return e.model(v)
	default:
		return fmt.Errorf("py: cannot encode %s", v.Type())
	}
	return nil
}

func (e *encoder) model(v reflect.Value) error {
	m := ModelOf(v.Type())
	fields := m.Fields
	switch {
	case e.style.sorted() && e.style.aliases():
		fields = m.byFileKey
	case e.style.sorted():
		fields = m.byName
	}
	e.buf = append(e.buf, '{')
	for i := range fields {
		f := &fields[i]
		if i > 0 {
			e.sep()
		}
		switch {
		case e.style.aliases() && f.quotedKey != nil:
			e.buf = append(e.buf, f.quotedKey...)
		case e.style.aliases():
			e.str(f.Key())
		case f.quotedName != nil:
			e.buf = append(e.buf, f.quotedName...)
		default:
			e.str(f.Name)
		}
		e.colon()
		if err := e.value(v.Field(f.Index), false); err != nil {
			return fmt.Errorf("%s: %w", f.Name, err)
		}
	}
	e.buf = append(e.buf, '}')
	return nil
}

func (e *encoder) mapping(m Mapping, stringify bool) error {
	keys := m.Keys()
	if e.style.sorted() && !slices.IsSorted(keys) {
		keys = slices.Sorted(slices.Values(keys))
	}
	e.buf = append(e.buf, '{')
	for i, k := range keys {
		if i > 0 {
			e.sep()
		}
		e.str(k)
		e.colon()
		val, _ := m.Lookup(k)
		if err := e.value(reflect.ValueOf(val), stringify); err != nil {
			return err
		}
	}
	e.buf = append(e.buf, '}')
	return nil
}

func (e *encoder) sep() {
	if e.style.spaced() {
		e.buf = append(e.buf, ", "...)
	} else {
		e.buf = append(e.buf, ',')
	}
}

func (e *encoder) colon() {
	if e.style.spaced() {
		e.buf = append(e.buf, ": "...)
	} else {
		e.buf = append(e.buf, ':')
	}
}

func (e *encoder) str(s string) {
	e.buf = AppendQuote(e.buf, s, e.style.ascii())
}

const hexDigits = "0123456789abcdef"

// AppendQuote appends s as a JSON string the way Python's json module writes it: with
// ensureASCII every character outside ' '..'~' is escaped (astral ones as surrogate
// pairs); without it only '"', '\\' and control characters are.
func AppendQuote(dst []byte, s string, ensureASCII bool) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f && c != '"' && c != '\\' {
			dst = append(dst, c)
			i++
			continue
		}
		if c < utf8.RuneSelf {
			switch c {
			case '"':
				dst = append(dst, '\\', '"')
			case '\\':
				dst = append(dst, '\\', '\\')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			default:
				if c == 0x7f && !ensureASCII {
					dst = append(dst, c)
				} else {
					dst = appendU(dst, rune(c))
				}
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if !ensureASCII {
			dst = utf8.AppendRune(dst, r)
			continue
		}
		if r >= 0x10000 {
			r1, r2 := utf16.EncodeRune(r)
			dst = appendU(dst, r1)
			dst = appendU(dst, r2)
		} else {
			dst = appendU(dst, r)
		}
	}
	return append(dst, '"')
}

func appendU(dst []byte, r rune) []byte {
	return append(dst, '\\', 'u', hexDigits[r>>12&0xf], hexDigits[r>>8&0xf], hexDigits[r>>4&0xf], hexDigits[r&0xf])
}

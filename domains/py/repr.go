package py

import (
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"unicode"
)

// Str returns str(v) as Python prints a value in an f-string or an error message.
func Str(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return Repr(v)
}

// Repr returns repr(v): strings quoted the way Python quotes them, True/False/None, floats
// in repr form, lists and dicts with their elements' reprs.
func Repr(v any) string {
	var b strings.Builder
	repr(&b, v)
	return b.String()
}

func repr(b *strings.Builder, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("None")
	case bool:
		if x {
			b.WriteString("True")
		} else {
			b.WriteString("False")
		}
	case string:
		b.WriteString(QuoteString(x))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case int:
		b.WriteString(strconv.Itoa(x))
	case *big.Int:
		b.WriteString(x.String())
	case float64:
		b.WriteString(FormatFloat(x))
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			repr(b, e)
		}
		b.WriteByte(']')
	case []string:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(QuoteString(e))
		}
		b.WriteByte(']')
	case Mapping:
		b.WriteByte('{')
		for i, k := range x.Keys() {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(QuoteString(k))
			b.WriteString(": ")
			val, _ := x.Lookup(k)
			repr(b, val)
		}
		b.WriteByte('}')
	default:
		rv := reflect.ValueOf(v)
		switch rv.Kind() {
		case reflect.Float32, reflect.Float64:
			b.WriteString(FormatFloat(rv.Float()))
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			b.WriteString(strconv.FormatInt(rv.Int(), 10))
		case reflect.String:
			b.WriteString(QuoteString(rv.String()))
		default:
			out, err := Marshal(v, Output)
			if err != nil {
				b.WriteString(rv.Type().String())
				return
			}
			b.Write(out)
		}
	}
}

// QuoteString returns repr(s) for a Python str: single quotes unless s contains a single
// quote and no double quote; backslash escapes for \\, \n, \r, \t and non-printables.
func QuoteString(s string) string {
	q := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		q = '"'
	}
	var b strings.Builder
	b.WriteByte(q)
	for _, r := range s {
		switch {
		case r == rune(q) || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			b.WriteString(`\x`)
			b.WriteByte(hexDigits[r>>4])
			b.WriteByte(hexDigits[r&0xf])
		case r > 0x7f && !unicode.IsPrint(r):
			switch {
			case r <= 0xff:
				b.WriteString(`\x`)
				b.WriteString(strconv.FormatInt(int64(r)|0x100, 16)[1:])
			case r <= 0xffff:
				b.WriteString(`\u`)
				b.WriteString(strconv.FormatInt(int64(r)|0x10000, 16)[1:])
			default:
				b.WriteString(`\U`)
				b.WriteString(strconv.FormatInt(int64(r)|0x100000000, 16)[1:])
			}
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(q)
	return b.String()
}

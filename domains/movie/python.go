package movie

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/toolscale/toolscale/domains/py"
)

// The reference tools act on whatever the caller passed. These helpers reproduce what the
// Python operations they use do with any value (dict membership and subscripts, ==, sets
// and sorted, iteration, truth, int() and float()), with CPython's error texts.

// dictKey returns v as a key of a dict with str keys. Other hashable values are simply
// absent from such a dict; lists and dicts cannot be looked up at all.
func dictKey(v any) (k string, ok bool, err error) {
	switch x := v.(type) {
	case string:
		return x, true, nil
	case []any:
		return "", false, errors.New("unhashable type: 'list'")
	case *py.Object:
		return "", false, errors.New("unhashable type: 'dict'")
	}
	return "", false, nil
}

func attrError(v any, name string) error {
	return fmt.Errorf("'%s' object has no attribute '%s'", py.TypeName(v), name)
}

// number returns a Python int, float or bool as an exact big.Float; NaN is not a number
// here (it equals nothing).
func number(v any) (*big.Float, bool) {
	switch x := v.(type) {
	case bool:
		if x {
			return big.NewFloat(1), true
		}
		return big.NewFloat(0), true
	case int64:
		return new(big.Float).SetInt64(x), true
	case float64:
		if math.IsNaN(x) {
			return nil, false
		}
		return big.NewFloat(x), true
	case *big.Int:
		return new(big.Float).SetInt(x), true
	}
	return nil, false
}

// equal reports a == b for decoded Python values.
func equal(a, b any) bool {
	if fa, ok := number(a); ok {
		fb, ok := number(b)
		return ok && fa.Cmp(fb) == 0
	}
	switch x := a.(type) {
	case nil:
		return b == nil
	case string:
		y, ok := b.(string)
		return ok && x == y
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !equal(x[i], y[i]) {
				return false
			}
		}
		return true
	case *py.Object:
		y, ok := b.(*py.Object)
		if !ok || x.Len() != y.Len() {
			return false
		}
		for _, k := range x.Keys() {
			xv, _ := x.Get(k)
			yv, ok := y.Get(k)
			if !ok || !equal(xv, yv) {
				return false
			}
		}
		return true
	}
	return false
}

// truthy returns bool(v).
func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case int64:
		return x != 0
	case float64:
		return x != 0
	case *big.Int:
		return x.Sign() != 0
	case string:
		return x != ""
	case []any:
		return len(x) > 0
	case *py.Object:
		return x.Len() > 0
	}
	return true
}

// iterate returns the items `for x in v` visits: a list's elements, a str's characters, a
// dict's keys; other values are not iterable.
func iterate(v any) ([]any, error) {
	switch x := v.(type) {
	case []any:
		return x, nil
	case string:
		out := make([]any, 0, utf8.RuneCountInString(x))
		for _, r := range x {
			out = append(out, string(r))
		}
		return out, nil
	case *py.Object:
		out := make([]any, 0, x.Len())
		for _, k := range x.Keys() {
			out = append(out, k)
		}
		return out, nil
	}
	return nil, fmt.Errorf("'%s' object is not iterable", py.TypeName(v))
}

// item returns v[key] for a str key: a dict's value (KeyError, printed as the key's repr,
// when absent) or CPython's TypeError for anything that is not a dict.
func item(v any, key string) (any, error) {
	switch x := v.(type) {
	case *py.Object:
		val, ok := x.Get(key)
		if !ok {
			return nil, errors.New(py.Repr(key))
		}
		return val, nil
	case string:
		return nil, errors.New("string indices must be integers, not 'str'")
	case []any:
		return nil, errors.New("list indices must be integers or slices, not str")
	}
	return nil, fmt.Errorf("'%s' object is not subscriptable", py.TypeName(v))
}

// toInt returns int(v).
func toInt(v any) (int64, error) {
	switch x := v.(type) {
	case bool:
		if x {
			return 1, nil
		}
		return 0, nil
	case int64:
		return x, nil
	case *big.Int:
		if x.IsInt64() {
			return x.Int64(), nil
		}
		return 0, errors.New("Python int too large to convert to C long")
	case float64:
		switch {
		case math.IsNaN(x):
			return 0, errors.New("cannot convert float NaN to integer")
		case math.IsInf(x, 0):
			return 0, errors.New("cannot convert float infinity to integer")
		}
		return int64(math.Trunc(x)), nil
	case string:
		s, ok := numericText(x, false)
		if ok {
			if i, err := strconv.ParseInt(s, 10, 64); err == nil {
				return i, nil
			}
		}
		return 0, fmt.Errorf("invalid literal for int() with base 10: %s", py.Repr(x))
	}
	return 0, fmt.Errorf("int() argument must be a string, a bytes-like object or a real number, not '%s'", py.TypeName(v))
}

// toFloat returns float(v).
func toFloat(v any) (float64, error) {
	switch x := v.(type) {
	case bool:
		if x {
			return 1, nil
		}
		return 0, nil
	case int64:
		return float64(x), nil
	case *big.Int:
		f, _ := new(big.Float).SetInt(x).Float64()
		return f, nil
	case float64:
		return x, nil
	case string:
		if s, ok := numericText(x, true); ok {
			if f, err := strconv.ParseFloat(s, 64); err == nil || errors.Is(err, strconv.ErrRange) {
				return f, nil
			}
		}
		return 0, fmt.Errorf("could not convert string to float: %s", py.Repr(x))
	}
	return 0, fmt.Errorf("float() argument must be a string or a real number, not '%s'", py.TypeName(v))
}

// numericText prepares the text of int() or float() for strconv: surrounding whitespace
// goes, underscores are allowed only between digits, and forms Python does not read (hex,
// Go's other prefixes) are refused.
func numericText(s string, float bool) (string, bool) {
	s = strings.TrimFunc(s, unicode.IsSpace)
	if s == "" {
		return "", false
	}
	body := strings.TrimLeft(s, "+-")
	if len(s)-len(body) > 1 {
		return "", false
	}
	if float {
		// Python spells these with any case and sign; strconv wants no sign on nan.
		switch strings.ToLower(body) {
		case "inf", "infinity":
			return s[:len(s)-len(body)] + "inf", true
		case "nan":
			return "nan", true
		}
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9', c == '+', c == '-':
		case c == '_':
			if i == 0 || i == len(s)-1 || !isDigit(s[i-1]) || !isDigit(s[i+1]) {
				return "", false
			}
			continue
		case float && (c == '.' || c == 'e' || c == 'E'):
		default:
			return "", false
		}
		b.WriteByte(c)
	}
	return b.String(), true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// A set is a Python set of hashable values, in insertion order; equal values (1, 1.0 and
// True) are one member, the first one added.
type set struct {
	items []any
	strs  map[string]bool // the str members, for quick membership tests
}

func (s *set) add(v any) error {
	if _, _, err := dictKey(v); err != nil {
		return err
	}
	if !s.has(v) {
		s.items = append(s.items, v)
		if x, ok := v.(string); ok {
			if s.strs == nil {
				s.strs = map[string]bool{}
			}
			s.strs[x] = true
		}
	}
	return nil
}

func (s *set) has(v any) bool {
	if x, ok := v.(string); ok {
		return s.strs[x]
	}
	for _, e := range s.items {
		if equal(e, v) {
			return true
		}
	}
	return false
}

// minus returns the members of s not in o.
func (s *set) minus(o *set) *set {
	out := &set{}
	for _, e := range s.items {
		if !o.has(e) {
			out.add(e)
		}
	}
	return out
}

// and returns the members of s also in o.
func (s *set) and(o *set) *set {
	out := &set{}
	for _, e := range s.items {
		if o.has(e) {
			out.add(e)
		}
	}
	return out
}

func (s *set) len() int { return len(s.items) }

// sorted returns sorted(list(s)): strings by code point, numbers by value; other mixes
// raise CPython's TypeError.
func (s *set) sorted() ([]any, error) {
	out := slices.Clone(s.items)
	if len(out) < 2 {
		return out, nil
	}
	allStr, allNum := true, true
	for _, e := range out {
		if _, ok := e.(string); !ok {
			allStr = false
		}
		if _, ok := number(e); !ok {
			allNum = false
		}
	}
	switch {
	case allStr:
		slices.SortStableFunc(out, func(a, b any) int { return strings.Compare(a.(string), b.(string)) })
	case allNum:
		slices.SortStableFunc(out, func(a, b any) int {
			x, _ := number(a)
			y, _ := number(b)
			return x.Cmp(y)
		})
	default:
		// The first comparison sorted() makes is list[1] < list[0].
		return nil, fmt.Errorf("'<' not supported between instances of '%s' and '%s'", py.TypeName(out[1]), py.TypeName(out[0]))
	}
	return out, nil
}

package school

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"
	"unicode"

	"github.com/toolscale/toolscale/domains/py"
)

// dictKey returns v as a key of a str-keyed dict. A value of another hashable type is
// simply never found (ok false); a list or dict raises CPython's TypeError.
func dictKey(v any) (k string, ok bool, err error) {
	if err := hashable(v); err != nil {
		return "", false, err
	}
	s, ok := v.(string)
	return s, ok, nil
}

// hashable returns CPython's TypeError for a value that cannot be a dict key or a set
// element.
func hashable(v any) error {
	switch v.(type) {
	case []any:
		return errors.New("unhashable type: 'list'")
	case *py.Object:
		return errors.New("unhashable type: 'dict'")
	}
	return nil
}

// noAttr is the AttributeError of reading attribute name on v.
func noAttr(v any, name string) error {
	return fmt.Errorf("'%s' object has no attribute '%s'", py.TypeName(v), name)
}

// iterate returns what a Python for loop over v yields: a list's items, a dict's keys, a
// string's characters; anything else is not iterable.
func iterate(v any) ([]any, error) {
	switch x := v.(type) {
	case []any:
		return x, nil
	case *py.Object:
		out := make([]any, 0, x.Len())
		for _, k := range x.Keys() {
			out = append(out, k)
		}
		return out, nil
	case string:
		out := make([]any, 0, len(x))
		for _, r := range x {
			out = append(out, string(r))
		}
		return out, nil
	}
	return nil, fmt.Errorf("'%s' object is not iterable", py.TypeName(v))
}

// strSet is set(v) for a set whose members are only ever tested against strs: it holds
// the str members; other members must still be hashable.
func strSet(v any) (map[string]bool, error) {
	items, err := iterate(v)
	if err != nil {
		return nil, err
	}
	set := make(map[string]bool, len(items))
	for _, it := range items {
		if err := hashable(it); err != nil {
			return nil, err
		}
		if s, ok := it.(string); ok {
			set[s] = true
		}
	}
	return set, nil
}

// truthy is Python's bool(v) for a decoded value.
func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case int64:
		return x != 0
	case *big.Int:
		return x.Sign() != 0
	case float64:
		return x != 0
	case string:
		return x != ""
	case []any:
		return len(x) > 0
	case *py.Object:
		return x.Len() > 0
	}
	return true
}

// equal is Python's a == b between decoded values: numbers (bool included) by value,
// containers element by element.
func equal(a, b any) bool {
	if special(a) || special(b) { // inf equals only itself, nan nothing
		x, _ := a.(float64)
		y, ok := b.(float64)
		return ok && x == y
	}
	if x, ok := number(a); ok {
		y, ok := number(b)
		return ok && x.Cmp(y) == 0
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
			yv, found := y.Get(k)
			if !found || !equal(xv, yv) {
				return false
			}
		}
		return true
	}
	return false
}

// number returns a bool, int or finite float as an exact rational, for equal.
func number(v any) (*big.Rat, bool) {
	switch x := v.(type) {
	case bool:
		if x {
			return big.NewRat(1, 1), true
		}
		return new(big.Rat), true
	case int64:
		return new(big.Rat).SetInt64(x), true
	case *big.Int:
		return new(big.Rat).SetInt(x), true
	case float64:
		return new(big.Rat).SetFloat64(x), true
	}
	return nil, false
}

// special reports an infinite or nan float.
func special(v any) bool {
	f, ok := v.(float64)
	return ok && (math.IsInf(f, 0) || math.IsNaN(f))
}

// contains is Python's `needle in container` for a str needle: key membership for a
// dict, equality for a list, substring for a str; other containers raise TypeError.
func contains(container any, needle string) (bool, error) {
	switch x := container.(type) {
	case *py.Object:
		_, ok := x.Get(needle)
		return ok, nil
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok && s == needle {
				return true, nil
			}
		}
		return false, nil
	case string:
		return strings.Contains(x, needle), nil
	}
	return false, fmt.Errorf("argument of type '%s' is not iterable", py.TypeName(container))
}

// index is Python's container[key] for a str key, on a container that holds it.
func index(container any, key string) (any, error) {
	switch x := container.(type) {
	case *py.Object:
		v, ok := x.Get(key)
		if !ok {
			return nil, errors.New(py.Repr(key))
		}
		return v, nil
	case []any:
		return nil, errors.New("list indices must be integers or slices, not str")
	case string:
		return nil, errors.New("string indices must be integers, not 'str'")
	}
	return nil, fmt.Errorf("'%s' object is not subscriptable", py.TypeName(container))
}

// isSpace is CPython's str.isspace for one character: Unicode white space plus the
// separators U+001C..U+001F.
func isSpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

// parseInt is CPython's int(s) for a str: surrounding white space, one sign, decimal
// digits of any script, single underscores between digits. It returns CPython's
// ValueError text otherwise.
func parseInt(s string) (*big.Int, error) {
	bad := fmt.Errorf("invalid literal for int() with base 10: %s", py.QuoteString(s))
	t := strings.TrimFunc(s, isSpace)
	neg := false
	if t != "" && (t[0] == '+' || t[0] == '-') {
		neg = t[0] == '-'
		t = t[1:]
	}
	if t == "" {
		return nil, bad
	}
	digits := make([]byte, 0, len(t))
	underscore := true // no underscore may lead
	for _, r := range t {
		if r == '_' {
			if underscore {
				return nil, bad
			}
			underscore = true
			continue
		}
		d, ok := digitValue(r)
		if !ok {
			return nil, bad
		}
		digits = append(digits, byte('0'+d))
		underscore = false
	}
	if underscore {
		return nil, bad
	}
	n, _ := new(big.Int).SetString(string(digits), 10)
	if neg {
		n.Neg(n)
	}
	return n, nil
}

// digitValue returns the value of a decimal digit of any script (Unicode category Nd,
// whose digits come in runs of ten from zero).
func digitValue(r rune) (int, bool) {
	if r >= '0' && r <= '9' {
		return int(r - '0'), true
	}
	if !unicode.Is(unicode.Nd, r) {
		return 0, false
	}
	n := 0
	for unicode.Is(unicode.Nd, r-rune(n)-1) {
		n++
	}
	return n % 10, true
}

package restaurant

import (
	"errors"
	"math"
	"math/big"
	"strings"
	"unicode/utf8"

	"github.com/toolscale/toolscale/domains/py"
)

// The reference tools act on whatever the caller passed. These helpers reproduce what the
// Python operators they use do with any decoded JSON value, with CPython's error texts.

// dictKey returns v as a key of a dict with str keys: other hashable values are simply
// absent; lists and dicts cannot be looked up at all.
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

// noAttr is the AttributeError of a missing method.
func noAttr(v any, name string) error {
	return errors.New("'" + py.TypeName(v) + "' object has no attribute '" + name + "'")
}

// lower returns v.lower() for a str.
func lower(v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", noAttr(v, "lower")
	}
	return strings.ToLower(s), nil
}

// number returns v as an exact number when it is a Python int, float or bool.
func number(v any) (f *big.Float, nan, ok bool) {
	switch x := v.(type) {
	case bool:
		if x {
			return big.NewFloat(1), false, true
		}
		return new(big.Float), false, true
	case float64:
		if math.IsNaN(x) {
			return nil, true, true
		}
		return new(big.Float).SetFloat64(x), false, true
	case int64:
		return new(big.Float).SetInt64(x), false, true
	case *big.Int:
		return new(big.Float).SetInt(x), false, true
	}
	return nil, false, false
}

// equal returns a == b for decoded JSON values.
func equal(a, b any) bool {
	if x, xnan, ok := number(a); ok {
		y, ynan, ok := number(b)
		if !ok || xnan || ynan {
			return false
		}
		return x.Cmp(y) == 0
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

// lessThanZero evaluates v < 0, raising Python's TypeError for what has no order with ints.
func lessThanZero(v any) (bool, error) {
	f, nan, ok := number(v)
	if !ok {
		return false, errors.New("'<' not supported between instances of '" + py.TypeName(v) + "' and 'int'")
	}
	return !nan && f.Sign() < 0, nil
}

// toFloat is float(v) for a Python int, float or bool.
func toFloat(v any) (float64, error) {
	switch x := v.(type) {
	case float64:
		return x, nil
	case int64:
		return float64(x), nil
	case bool:
		if x {
			return 1, nil
		}
		return 0, nil
	case *big.Int:
		f, acc := new(big.Float).SetInt(x).Float64()
		if math.IsInf(f, 0) || (acc != big.Exact && math.Abs(f) == math.MaxFloat64) {
			return 0, errors.New("int too large to convert to float")
		}
		return f, nil
	}
	return 0, errors.New("float() argument must be a string or a real number, not '" + py.TypeName(v) + "'")
}

// iterate returns the items `for x in v` visits: a list's elements, a str's characters,
// a dict's keys.
func iterate(v any) ([]any, error) {
	switch x := v.(type) {
	case []any:
		return x, nil
	case string:
		out := make([]any, 0, len(x))
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
	return nil, errors.New("'" + py.TypeName(v) + "' object is not iterable")
}

// length is len(v).
func length(v any) (int, error) {
	switch x := v.(type) {
	case []any:
		return len(x), nil
	case string:
		return utf8.RuneCountInString(x), nil
	case *py.Object:
		return x.Len(), nil
	}
	return 0, errors.New("object of type '" + py.TypeName(v) + "' has no len()")
}

// count is v.count(item) for the list or str v (a str counts substrings).
func count(v, item any) (int, error) {
	switch x := v.(type) {
	case []any:
		n := 0
		for _, e := range x {
			if equal(e, item) {
				n++
			}
		}
		return n, nil
	case string:
		s, ok := item.(string)
		if !ok {
			return 0, errors.New("must be str, not " + py.TypeName(item))
		}
		if s == "" {
			return utf8.RuneCountInString(x) + 1, nil
		}
		return strings.Count(x, s), nil
	}
	return 0, noAttr(v, "count")
}

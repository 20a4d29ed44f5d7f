package ecommerce

import (
	"errors"
	"fmt"
	"math/big"
	"strings"
	"unicode/utf8"

	"github.com/toolscale/toolscale/domains/py"
)

// The reference tools act on whatever the caller passed. These helpers reproduce what the
// Python operations they use do with any value (dict membership, ==, str.lower, iteration,
// len and count), with CPython's error texts.

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

// lower returns v.lower() for a str, and CPython's AttributeError otherwise.
func lower(v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", attrError(v, "lower")
	}
	return strings.ToLower(s), nil
}

func attrError(v any, name string) error {
	return fmt.Errorf("'%s' object has no attribute '%s'", py.TypeName(v), name)
}

// equal reports a == b for decoded Python values: numbers (bools included) by value,
// strings, None, and lists and dicts element by element.
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

// number returns a Python int, float or bool as an exact big.Float (NaN is not a number
// here, and never equal to anything).
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
		if x != x {
			return nil, false
		}
		return big.NewFloat(x), true
	case *big.Int:
		return new(big.Float).SetInt(x), true
	}
	return nil, false
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

// length returns len(v).
func length(v any) (int, error) {
	switch x := v.(type) {
	case []any:
		return len(x), nil
	case string:
		return utf8.RuneCountInString(x), nil
	case *py.Object:
		return x.Len(), nil
	}
	return 0, fmt.Errorf("object of type '%s' has no len()", py.TypeName(v))
}

// count returns v.count(item) for a list (items equal to item) or a str (occurrences of
// the substring item); a dict has no count method.
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
		sub, ok := item.(string)
		if !ok {
			return 0, fmt.Errorf("must be str, not %s", py.TypeName(item))
		}
		if sub == "" {
			return utf8.RuneCountInString(x) + 1, nil
		}
		return strings.Count(x, sub), nil
	}
	return 0, attrError(v, "count")
}

// countString returns how many strings of list equal v.
func countString(list []string, v any) int {
	s, ok := v.(string)
	if !ok {
		return 0
	}
	n := 0
	for _, e := range list {
		if e == s {
			n++
		}
	}
	return n
}

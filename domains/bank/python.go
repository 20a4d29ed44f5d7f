package bank

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"

	"github.com/toolscale/toolscale/domains/py"
)

// The reference tools act on whatever the caller passed. These helpers reproduce what the
// Python operators they use do with any value: dict membership, comparisons, truth tests
// and str methods, with CPython's error texts.

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

// inList reports whether v == some element of a list of str, as Python's `in` does.
func inList(v any, list []string) bool {
	s, ok := v.(string)
	if !ok {
		return false
	}
	for _, e := range list {
		if e == s {
			return true
		}
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

// number returns v as a big.Float when it is a Python int, float or bool; nan reports NaN.
func number(v any) (f *big.Float, nan, ok bool) {
	switch x := v.(type) {
	case bool:
		if x {
			return big.NewFloat(1), false, true
		}
		return big.NewFloat(0), false, true
	case int64:
		return new(big.Float).SetInt64(x), false, true
	case float64:
		if math.IsNaN(x) {
			return nil, true, true
		}
		return big.NewFloat(x), false, true
	case *big.Int:
		return new(big.Float).SetInt(x), false, true
	}
	return nil, false, false
}

// compare evaluates `a op b` for op one of <, <=, >, >= as Python does for numbers and
// strings, and fails with CPython's TypeError text for any other pair.
func compare(op string, a, b any) (bool, error) {
	fa, nanA, okA := number(a)
	fb, nanB, okB := number(b)
	var c int
	switch {
	case okA && okB:
		if nanA || nanB {
			return false, nil
		}
		c = fa.Cmp(fb)
	default:
		sa, okA := a.(string)
		sb, okB := b.(string)
		if !okA || !okB {
			return false, fmt.Errorf("'%s' not supported between instances of '%s' and '%s'", op, py.TypeName(a), py.TypeName(b))
		}
		c = strings.Compare(sa, sb)
	}
	switch op {
	case "<":
		return c < 0, nil
	case "<=":
		return c <= 0, nil
	case ">":
		return c > 0, nil
	}
	return c >= 0, nil
}

// toFloat returns float(v) for a Python number (bools count as 0 and 1).
func toFloat(v any) float64 {
	switch x := v.(type) {
	case bool:
		if x {
			return 1
		}
		return 0
	case int64:
		return float64(x)
	case float64:
		return x
	case *big.Int:
		f, _ := new(big.Float).SetInt(x).Float64()
		return f
	}
	return math.NaN()
}

// round2 returns round(v, 2) for a Python number: a float is rounded, an int (or bool)
// comes back as an int unchanged.
func round2(v any) any {
	switch x := v.(type) {
	case float64:
		return py.Round(x, 2)
	case bool:
		if x {
			return int64(1)
		}
		return int64(0)
	}
	return v
}

// lower returns v.lower(), failing as Python does when v is not a str.
func lower(v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("'%s' object has no attribute 'lower'", py.TypeName(v))
	}
	return strings.ToLower(s), nil
}

// sliceLen returns the stop index of seq[:v] for a list of n items, with Python's
// TypeError when v is not an integer.
func sliceLen(v any, n int) (int, error) {
	var i int64
	switch x := v.(type) {
	case nil:
		return n, nil
	case bool:
		if x {
			i = 1
		}
	case int64:
		i = x
	case *big.Int:
		if x.Sign() > 0 {
			return n, nil
		}
		return 0, nil
	default:
		return 0, errors.New("slice indices must be integers or None or have an __index__ method")
	}
	if i < 0 {
		i += int64(n)
		if i < 0 {
			i = 0
		}
	}
	if i > int64(n) {
		i = int64(n)
	}
	return int(i), nil
}

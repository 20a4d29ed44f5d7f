package basketball

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/toolscale/toolscale/domains/py"
)

// dictKey returns v as a key of a str-keyed dict or set. A value of another hashable type
// is never found (ok false); a list or dict raises CPython's TypeError.
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

// strMethod returns v as a str for calling one of its methods, or the AttributeError a
// value of another type raises.
func strMethod(v any, method string) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("'%s' object has no attribute '%s'", py.TypeName(v), method)
	}
	return s, nil
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

// equal is Python's == between a stored str and a decoded value: a str equals only a str.
func equal(s string, v any) bool {
	x, ok := v.(string)
	return ok && x == s
}

// equalsInt is Python's v == n for an int n: floats and bools compare by value.
func equalsInt(v any, n int64) bool {
	switch x := v.(type) {
	case bool:
		return (x && n == 1) || (!x && n == 0)
	case int64:
		return x == n
	case float64:
		return x == float64(n)
	case *big.Int:
		return x.IsInt64() && x.Int64() == n
	}
	return false
}

// add is Python's a + b for the numbers a score and points can hold: int, float and bool
// (an int when neither is a float).
func add(a, b any) any {
	fa, aFloat := a.(float64)
	fb, bFloat := b.(float64)
	if aFloat || bFloat {
		if !aFloat {
			fa = float64(intOf(a))
		}
		if !bFloat {
			fb = float64(intOf(b))
		}
		return fa + fb
	}
	return intOf(a) + intOf(b)
}

func intOf(v any) int64 {
	switch x := v.(type) {
	case bool:
		if x {
			return 1
		}
	case int64:
		return x
	case *big.Int:
		return x.Int64()
	}
	return 0
}

// compare orders two scores (ints or floats) as Python does: -1, 0 or 1.
func compare(a, b any) int {
	fa, aFloat := a.(float64)
	fb, bFloat := b.(float64)
	if !aFloat && !bFloat {
		ia, ib := intOf(a), intOf(b)
		switch {
		case ia < ib:
			return -1
		case ia > ib:
			return 1
		}
		return 0
	}
	if !aFloat {
		fa = float64(intOf(a))
	}
	if !bFloat {
		fb = float64(intOf(b))
	}
	switch {
	case fa < fb:
		return -1
	case fa > fb:
		return 1
	}
	return 0
}

package weather

import (
	"errors"
	"math"
	"math/big"

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

// compare evaluates a <op> b (op is "<", "<=", ">" or ">=") as Python orders str, numbers
// and lists, and raises its TypeError for anything else.
func compare(op string, a, b any) (bool, error) {
	if x, xnan, ok := number(a); ok {
		if y, ynan, ok := number(b); ok {
			if xnan || ynan {
				return false, nil
			}
			return holds(op, x.Cmp(y)), nil
		}
	}
	switch x := a.(type) {
	case string:
		if y, ok := b.(string); ok {
			switch {
			case x < y:
				return holds(op, -1), nil
			case x > y:
				return holds(op, 1), nil
			}
			return holds(op, 0), nil
		}
	case []any:
		if y, ok := b.([]any); ok {
			for i := 0; i < len(x) && i < len(y); i++ {
				if !equal(x[i], y[i]) {
					return compare(op, x[i], y[i])
				}
			}
			switch {
			case len(x) < len(y):
				return holds(op, -1), nil
			case len(x) > len(y):
				return holds(op, 1), nil
			}
			return holds(op, 0), nil
		}
	}
	return false, errors.New("'" + op + "' not supported between instances of '" + py.TypeName(a) + "' and '" + py.TypeName(b) + "'")
}

func holds(op string, c int) bool {
	switch op {
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	}
	return c >= 0
}

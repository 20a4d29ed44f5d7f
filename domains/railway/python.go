package railway

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"
	"unicode/utf8"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/py"
)

// The reference tools act on whatever the caller passed. These helpers reproduce what the
// Python operations they use do with any value (dict membership, iteration, len, int and
// float arithmetic, model reprs) with CPython's error texts.

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

// iterate returns what a Python for loop over v yields: a list's items, a dict's keys, a
// str's characters; anything else is not iterable.
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

// pyLen is len(v) for a stored passengers value: a list (typed or decoded), a str or a
// dict.
func pyLen(v any) int {
	switch x := v.(type) {
	case []Passenger:
		return len(x)
	case []any:
		return len(x)
	case string:
		return utf8.RuneCountInString(x)
	case *py.Object:
		return x.Len()
	}
	return 0
}

// noAttr is the AttributeError of reading attribute name on v.
func noAttr(v any, name string) error {
	return fmt.Errorf("'%s' object has no attribute '%s'", py.TypeName(v), name)
}

// convertList is the reference's `if all(isinstance(x, dict) for x in v): v = [T(**x) for
// x in v]`. It returns the items a loop over v yields and, when every item is a dict, the
// models built from them (the first invalid one raises its ValidationError).
func convertList[T any](v any) (items []any, typed []*T, err error) {
	items, err = iterate(v)
	if err != nil {
		return nil, nil, err
	}
	for _, it := range items {
		if _, ok := it.(*py.Object); !ok {
			return items, nil, nil
		}
	}
	typed = make([]*T, len(items))
	for i, it := range items {
		if typed[i], err = domains.Build[T](it); err != nil {
			return nil, nil, err
		}
	}
	return items, typed, nil
}

// A Python int or float, for arithmetic on the values callers pass as counts.
type number struct {
	i     *big.Int // an int (bools are ints)
	f     float64  // a float, when isF
	isF   bool
	valid bool
}

func numberOf(v any) number {
	switch x := v.(type) {
	case bool:
		if x {
			return number{i: big.NewInt(1), valid: true}
		}
		return number{i: big.NewInt(0), valid: true}
	case int64:
		return number{i: big.NewInt(x), valid: true}
	case *big.Int:
		return number{i: x, valid: true}
	case float64:
		return number{f: x, isF: true, valid: true}
	}
	return number{}
}

var errIntTooLarge = errors.New("int too large to convert to float")

// float is float(n), which fails for an int beyond the float range.
func (n number) float() (float64, error) {
	if n.isF {
		return n.f, nil
	}
	f, _ := new(big.Float).SetInt(n.i).Float64()
	if math.IsInf(f, 0) {
		return 0, errIntTooLarge
	}
	return f, nil
}

// intValue returns i as the decoded form of a Python int: an int64 when it fits.
func intValue(i *big.Int) any {
	if i.IsInt64() {
		return i.Int64()
	}
	return i
}

// arith evaluates a op b (op one of + - *) for Python numbers, or fails with CPython's
// TypeError. An int result is an int64 or *big.Int, a float result a float64.
func arith(op byte, a, b any) (any, error) {
	x, y := numberOf(a), numberOf(b)
	if !x.valid || !y.valid {
		return nil, fmt.Errorf("unsupported operand type(s) for %c: '%s' and '%s'", op, py.TypeName(a), py.TypeName(b))
	}
	if x.isF || y.isF {
		fx, err := x.float()
		if err != nil {
			return nil, err
		}
		fy, err := y.float()
		if err != nil {
			return nil, err
		}
		switch op {
		case '+':
			return fx + fy, nil
		case '-':
			return fx - fy, nil
		}
		return fx * fy, nil
	}
	r := new(big.Int)
	switch op {
	case '+':
		r.Add(x.i, y.i)
	case '-':
		r.Sub(x.i, y.i)
	default:
		r.Mul(x.i, y.i)
	}
	return intValue(r), nil
}

// maxZero is max(0, v) for a number v: v when it is greater than 0, else the int 0 (also
// for NaN, which compares false).
func maxZero(v any) any {
	n := numberOf(v)
	if (n.isF && n.f > 0) || (!n.isF && n.i.Sign() > 0) {
		return v
	}
	return int64(0)
}

// toFloat is float(v) for a number v.
func toFloat(v any) (float64, error) { return numberOf(v).float() }

// truncate is int(f), which fails for infinities and NaN.
func truncate(f float64) (*big.Int, error) {
	switch {
	case math.IsInf(f, 0):
		return nil, errors.New("cannot convert float infinity to integer")
	case math.IsNaN(f):
		return nil, errors.New("cannot convert float NaN to integer")
	}
	i, _ := big.NewFloat(f).Int(nil)
	return i, nil
}

// wholeDollars reports abs(f - int(f)) <= 1e-9, the reference's wallet check, and int(f).
func wholeDollars(f float64) (whole bool, i *big.Int, err error) {
	if i, err = truncate(f); err != nil {
		return false, nil, err
	}
	return math.Abs(f-math.Trunc(f)) <= 1e-9, i, nil
}

// balance returns a wallet's stored balance (extra_info.amount) as an int, as the
// reference's int-typed model holds it (a whole float in a file loads as an int).
func balance(pm *PaymentMethod) *big.Int {
	v, _ := pm.ExtraInfo.Get("amount")
	n := numberOf(v)
	if n.isF {
		if i, err := truncate(n.f); err == nil {
			return i
		}
	}
	if !n.valid || n.isF {
		return new(big.Int)
	}
	return n.i
}

// reprPaymentMethods is the repr of a user's payment_methods dict of models, as the
// reference's "Payment method not found" message prints it.
func reprPaymentMethods(m domains.Map[*PaymentMethod]) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range m.Keys() {
		if i > 0 {
			b.WriteString(", ")
		}
		pm, _ := m.Get(k)
		b.WriteString(py.QuoteString(k))
		b.WriteString(": ")
		b.WriteString(reprPaymentMethod(pm))
	}
	b.WriteByte('}')
	return b.String()
}

func reprPaymentMethod(pm *PaymentMethod) string {
	field := func(k string) string {
		v, _ := pm.ExtraInfo.Get(k)
		return k + "=" + py.Repr(v)
	}
	var model, extra string
	switch pm.Source {
	case "card":
		model, extra = "CardPayment", "CardExtraInfo("+field("brand")+", "+field("last_four")+")"
	case "wallet":
		model, extra = "WalletPayment", "WalletExtraInfo("+field("amount")+")"
	default:
		model, extra = "OtherPayment", py.Repr(pm.ExtraInfo)
	}
	return fmt.Sprintf("%s(source=%s, id=%s, extra_info=%s)", model, py.QuoteString(pm.Source), py.QuoteString(pm.ID), extra)
}

// reprPayments is the repr of a list of RailPayment models.
func reprPayments(list []*RailPayment) string {
	parts := make([]string, len(list))
	for i, p := range list {
		parts[i] = fmt.Sprintf("RailPayment(payment_id=%s, amount=%s)", py.QuoteString(p.PaymentID), py.FormatFloat(p.Amount))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

package calc

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"sync"
)

type kind uint8

const (
	kInt kind = iota
	kFloat
	kComplex
	kTuple    // always the empty tuple: without commas no other tuple can be written
	kEllipsis // ...
)

// A value is a Python object an expression can produce.
type value struct {
	k kind
	i *big.Int // kInt; never modified once built
	f float64  // kFloat
	c complex128
}

func intValue(i *big.Int) value       { return value{k: kInt, i: i} }
func floatValue(f float64) value      { return value{k: kFloat, f: f} }
func complexValue(c complex128) value { return value{k: kComplex, c: c} }

func parseInt(digits string) *big.Int {
	if len(digits) <= 18 {
		n, _ := strconv.ParseInt("0"+digits, 10, 64)
		return big.NewInt(n)
	}
	i, ok := new(big.Int).SetString(digits, 10)
	if !ok { // "" after trimming the zeros of 000
		return new(big.Int)
	}
	return i
}

// typeName is type(v).__name__.
func typeName(v value) string {
	switch v.k {
	case kInt:
		return "int"
	case kFloat:
		return "float"
	case kComplex:
		return "complex"
	case kTuple:
		return "tuple"
	}
	return "ellipsis"
}

func (v value) numeric() bool { return v.k <= kComplex }

func typeError(msg string) *Error { return newError("TypeError", msg) }

var errIntTooLarge = newError("OverflowError", "int too large to convert to float")

// intToFloat is PyLong_AsDouble: correctly rounded, half to even, or an OverflowError.
func intToFloat(i *big.Int) (float64, *Error) {
	if i.IsInt64() {
		if n := i.Int64(); -1<<53 <= n && n <= 1<<53 {
			return float64(n), nil
		}
	}
	f, _ := new(big.Float).SetInt(i).Float64()
	if math.IsInf(f, 0) {
		return 0, errIntTooLarge
	}
	return f, nil
}

// asFloat converts an int or float operand of a float operation.
func asFloat(v value) (float64, *Error) {
	if v.k == kInt {
		return intToFloat(v.i)
	}
	return v.f, nil
}

// asComplex converts a numeric operand of a complex operation.
func asComplex(v value) (complex128, *Error) {
	switch v.k {
	case kComplex:
		return v.c, nil
	case kFloat:
		return complex(v.f, 0), nil
	}
	f, err := intToFloat(v.i)
	return complex(f, 0), err
}

// toFloat is the reference's float(value).
func toFloat(v value) (float64, *Error) {
	switch v.k {
	case kInt, kFloat:
		return asFloat(v)
	}
	return 0, typeError("float() argument must be a string or a real number, not '" + typeName(v) + "'")
}

// str is str(v), as _PyObject_FunctionStr prints a called object in an error message.
func str(v value) (string, *Error) {
	switch v.k {
	case kInt:
		if v.i.CmpAbs(maxStrInt()) >= 0 {
			return "", newError("ValueError", "Exceeds the limit (4300 digits) for integer string conversion; "+
				"use sys.set_int_max_str_digits() to increase the limit")
		}
		return v.i.String(), nil
	case kFloat:
		return FormatFloat(v.f), nil
	case kComplex:
		return complexRepr(v.c), nil
	case kTuple:
		return "()", nil
	}
	return "Ellipsis", nil
}

// maxStrInt is 10^4300, the smallest integer str() refuses to convert.
var maxStrInt = sync.OnceValue(func() *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(maxLiteralDigits), nil)
})

// complexRepr is repr(complex): "2j", "(1+2j)", "(-0-1.5j)", "(nan+infj)".
func complexRepr(c complex128) string {
	re, im := real(c), imag(c)
	if re == 0 && !math.Signbit(re) {
		return shortRepr(im) + "j"
	}
	ims := shortRepr(im)
	if ims[0] != '-' {
		ims = "+" + ims
	}
	return "(" + shortRepr(re) + ims + "j)"
}

// shortRepr is repr(f) without the ".0" Python adds to integral floats.
func shortRepr(f float64) string {
	s := FormatFloat(f)
	return strings.TrimSuffix(s, ".0")
}

package calc

import (
	"math"
	"math/big"
)

const (
	// maxIntBits bounds exact integer results; see the package documentation.
	maxIntBits = 1 << 20
	// maxWorkBits bounds the total size of the large (over 2^16 bits) integer products,
	// quotients and powers one evaluation may compute, so that a long expression of big
	// operations still returns within a second or so.
	maxWorkBits = 1 << 22
)

// An evaluator evaluates one expression tree.
type evaluator struct {
	work int // bits of large integer results computed so far
}

// charge accounts for an integer operation whose result or operand has about bits bits and
// reports whether the work budget still allows it.
func (e *evaluator) charge(bits int) bool {
	if bits > maxIntBits {
		return false
	}
	if bits > 1<<16 {
		e.work += bits
	}
	return e.work <= maxWorkBits
}

// eval evaluates a parsed expression in Python's order: operands left to right, then the
// operation.
func (e *evaluator) eval(n *node) (value, *Error) {
	switch n.op {
	case opConst:
		return n.val, nil
	case opNeg, opPos:
		x, err := e.eval(n.x)
		if err != nil {
			return value{}, err
		}
		return unary(n.op, x)
	case opCall:
		return e.call(n)
	}
	x, err := e.eval(n.x)
	if err != nil {
		return value{}, err
	}
	y, err := e.eval(n.y)
	if err != nil {
		return value{}, err
	}
	return e.binary(n.op, x, y)
}

func unary(op nodeOp, x value) (value, *Error) {
	switch x.k {
	case kInt:
		if op == opNeg {
			return intValue(new(big.Int).Neg(x.i)), nil
		}
		return x, nil
	case kFloat:
		if op == opNeg {
			return floatValue(-x.f), nil
		}
		return x, nil
	case kComplex:
		if op == opNeg {
			return complexValue(-x.c), nil
		}
		return x, nil
	}
	sign := "+"
	if op == opNeg {
		sign = "-"
	}
	return value{}, typeError("bad operand type for unary " + sign + ": '" + typeName(x) + "'")
}

var opSymbols = [...]string{opAdd: "+", opSub: "-", opMul: "*", opDiv: "/", opFloorDiv: "//", opPow: "** or pow()"}

func unsupported(op nodeOp, x, y value) *Error {
	return typeError("unsupported operand type(s) for " + opSymbols[op] + ": '" + typeName(x) + "' and '" + typeName(y) + "'")
}

func (e *evaluator) binary(op nodeOp, x, y value) (value, *Error) {
	if !x.numeric() || !y.numeric() {
		return sequenceOp(op, x, y)
	}
	switch {
	case x.k == kInt && y.k == kInt:
		return e.intOp(op, x.i, y.i)
	case x.k == kComplex || y.k == kComplex:
		if op == opFloorDiv {
			return value{}, unsupported(op, x, y)
		}
		a, err := asComplex(x)
		if err != nil {
			return value{}, err
		}
		b, err := asComplex(y)
		if err != nil {
			return value{}, err
		}
		return complexOp(op, a, b)
	}
	a, err := asFloat(x)
	if err != nil {
		return value{}, err
	}
	b, err := asFloat(y)
	if err != nil {
		return value{}, err
	}
	return floatOp(op, a, b)
}

// sequenceOp handles the operations where the empty tuple or the ellipsis takes part.
func sequenceOp(op nodeOp, x, y value) (value, *Error) {
	switch op {
	case opAdd:
		if x.k == kTuple {
			if y.k == kTuple {
				return x, nil
			}
			return value{}, typeError(`can only concatenate tuple (not "` + typeName(y) + `") to tuple`)
		}
	case opMul:
		seq, n := x, y
		if x.k != kTuple {
			seq, n = y, x
		}
		if seq.k == kTuple {
			if n.k != kInt {
				return value{}, typeError("can't multiply sequence by non-int of type '" + typeName(n) + "'")
			}
			if !n.i.IsInt64() {
				return value{}, newError("OverflowError", "cannot fit 'int' into an index-sized integer")
			}
			return seq, nil // () * n is ()
		}
	}
	return value{}, unsupported(op, x, y)
}

func (e *evaluator) intOp(op nodeOp, a, b *big.Int) (value, *Error) {
	switch op {
	case opAdd:
		return intValue(new(big.Int).Add(a, b)), nil
	case opSub:
		return intValue(new(big.Int).Sub(a, b)), nil
	case opMul:
		if !e.charge(a.BitLen() + b.BitLen() - 1) {
			return value{}, errIntTooLarge
		}
		return intValue(new(big.Int).Mul(a, b)), nil
	case opDiv:
		if b.Sign() == 0 {
			return value{}, newError("ZeroDivisionError", "division by zero")
		}
		if !e.charge(a.BitLen()) {
			return value{}, errIntTooLarge
		}
		f, err := trueDivide(a, b)
		return floatValue(f), err
	case opFloorDiv:
		if b.Sign() == 0 {
			return value{}, newError("ZeroDivisionError", "integer division or modulo by zero")
		}
		if !e.charge(a.BitLen()) {
			return value{}, errIntTooLarge
		}
		q, r := new(big.Int).QuoRem(a, b, new(big.Int))
		if r.Sign() != 0 && r.Sign() != b.Sign() {
			q.Sub(q, big.NewInt(1))
		}
		return intValue(q), nil
	}
	// opPow
	if b.Sign() < 0 { // a float result: CPython hands both operands to float.__pow__
		x, err := intToFloat(a)
		if err != nil {
			return value{}, err
		}
		y, err := intToFloat(b)
		if err != nil {
			return value{}, err
		}
		return floatPow(x, y)
	}
	return e.intPow(a, b)
}

func (e *evaluator) intPow(a, b *big.Int) (value, *Error) {
	switch {
	case b.Sign() == 0:
		return intValue(big.NewInt(1)), nil
	case a.Sign() == 0 || a.CmpAbs(big.NewInt(1)) == 0:
		if a.Sign() < 0 && b.Bit(0) == 0 {
			return intValue(big.NewInt(1)), nil
		}
		return intValue(a), nil
	case !b.IsInt64() || b.Int64() > maxIntBits || !e.charge(int(float64(b.Int64())*approxLog2(a))):
		return value{}, errIntTooLarge
	}
	r := new(big.Int).Exp(a, b, nil)
	if r.BitLen() > maxIntBits {
		return value{}, errIntTooLarge
	}
	return intValue(r), nil
}

// approxLog2 is log2|x| for x != 0, to a relative precision far better than the size checks need.
func approxLog2(x *big.Int) float64 {
	n := x.BitLen()
	if n <= 53 {
		return math.Log2(math.Abs(float64(x.Int64())))
	}
	top := new(big.Int).Rsh(new(big.Int).Abs(x), uint(n-53))
	return math.Log2(float64(top.Int64())) + float64(n-53)
}

// trueDivide is int / int for a nonzero b: the correctly rounded quotient, as CPython's
// long_true_divide computes it.
func trueDivide(a, b *big.Int) (float64, *Error) {
	neg := a.Sign()*b.Sign() < 0 || (a.Sign() == 0 && b.Sign() < 0)
	signed := func(f float64) float64 {
		if neg {
			return -f
		}
		return f
	}
	if a.Sign() == 0 {
		return signed(0), nil
	}
	if a.IsInt64() && b.IsInt64() {
		x, y := a.Int64(), b.Int64()
		if -1<<53 <= x && x <= 1<<53 && -1<<53 <= y && y <= 1<<53 {
			return float64(x) / float64(y), nil
		}
	}
	na, nb := new(big.Int).Abs(a), new(big.Int).Abs(b)
	diff := na.BitLen() - nb.BitLen()
	if diff > 1025 {
		return 0, newError("OverflowError", "integer division result too large for a float")
	}
	if diff < -1080 {
		return signed(0), nil
	}
	// Scale so that the quotient has at least 55 bits, keep a sticky bit for the remainder
	// and let big.Float round that once, half to even.
	shift := 55 - diff
	if shift > 0 {
		na.Lsh(na, uint(shift))
	} else {
		nb.Lsh(nb, uint(-shift))
	}
	q, r := na.QuoRem(na, nb, new(big.Int))
	q.Lsh(q, 1)
	if r.Sign() != 0 {
		q.SetBit(q, 0, 1)
	}
	f, _ := new(big.Float).SetMantExp(new(big.Float).SetInt(q), -shift-1).Float64()
	if math.IsInf(f, 0) {
		return 0, newError("OverflowError", "integer division result too large for a float")
	}
	return signed(f), nil
}

// floatOp is a float operation on two floats; float64() conversions keep Go from fusing a
// multiplication into an addition.
func floatOp(op nodeOp, a, b float64) (value, *Error) {
	switch op {
	case opAdd:
		return floatValue(float64(a + b)), nil
	case opSub:
		return floatValue(float64(a - b)), nil
	case opMul:
		return floatValue(float64(a * b)), nil
	case opDiv:
		if b == 0 {
			return value{}, newError("ZeroDivisionError", "float division by zero")
		}
		return floatValue(float64(a / b)), nil
	case opFloorDiv:
		if b == 0 {
			return value{}, newError("ZeroDivisionError", "float floor division by zero")
		}
		return floatValue(floorDiv(a, b)), nil
	}
	return floatPow(a, b)
}

// floorDiv is CPython's _float_div_mod quotient.
func floorDiv(vx, wx float64) float64 {
	mod := math.Mod(vx, wx)
	div := float64(vx-mod) / wx
	if mod != 0 {
		if (wx < 0) != (mod < 0) {
			div -= 1.0
		}
	}
	if div == 0 {
		return math.Copysign(0, float64(vx/wx))
	}
	floordiv := math.Floor(div)
	if div-floordiv > 0.5 {
		floordiv += 1.0
	}
	return floordiv
}

// floatPow is CPython's float_pow.
func floatPow(iv, iw float64) (value, *Error) {
	isOdd := func(x float64) bool { return math.Mod(math.Abs(x), 2) == 1 }
	switch {
	case iw == 0:
		return floatValue(1), nil
	case math.IsNaN(iv):
		return floatValue(iv), nil
	case math.IsNaN(iw):
		if iv == 1 {
			return floatValue(1), nil
		}
		return floatValue(iw), nil
	case math.IsInf(iw, 0):
		iv = math.Abs(iv)
		switch {
		case iv == 1:
			return floatValue(1), nil
		case (iw > 0) == (iv > 1):
			return floatValue(math.Abs(iw)), nil
		}
		return floatValue(0), nil
	case math.IsInf(iv, 0):
		odd := isOdd(iw)
		if iw > 0 {
			if odd {
				return floatValue(iv), nil
			}
			return floatValue(math.Abs(iv)), nil
		}
		if odd {
			return floatValue(math.Copysign(0, iv)), nil
		}
		return floatValue(0), nil
	case iv == 0:
		if iw < 0 {
			return value{}, newError("ZeroDivisionError", "0.0 cannot be raised to a negative power")
		}
		if isOdd(iw) {
			return floatValue(iv), nil
		}
		return floatValue(0), nil
	}
	negate := false
	if iv < 0 {
		if iw != math.Floor(iw) { // a negative number to a fractional power is complex
			return complexOp(opPow, complex(iv, 0), complex(iw, 0))
		}
		iv = -iv
		negate = isOdd(iw)
	}
	if iv == 1 {
		if negate {
			return floatValue(-1), nil
		}
		return floatValue(1), nil
	}
	r := powPositive(iv, iw)
	if math.IsInf(r, 0) {
		return value{}, newError("OverflowError", "(34, 'Numerical result out of range')")
	}
	if negate {
		r = -r
	}
	return floatValue(r), nil
}

// complexOp is a complex operation as CPython's complexobject.c performs it.
func complexOp(op nodeOp, a, b complex128) (value, *Error) {
	switch op {
	case opAdd:
		return complexValue(complex(float64(real(a)+real(b)), float64(imag(a)+imag(b)))), nil
	case opSub:
		return complexValue(complex(float64(real(a)-real(b)), float64(imag(a)-imag(b)))), nil
	case opMul:
		return complexValue(cProd(a, b)), nil
	case opDiv:
		q, ok := cQuot(a, b)
		if !ok {
			return value{}, newError("ZeroDivisionError", "complex division by zero")
		}
		return complexValue(q), nil
	}
	// opPow: complex_pow
	var p complex128
	edom := false
	if n := real(b); imag(b) == 0 && n == math.Trunc(n) && math.Abs(n) < 1<<62 {
		p, edom = cPowi(a, int64(n))
	} else {
		p, edom = cPow(a, b)
	}
	if edom {
		return value{}, newError("ZeroDivisionError", "0.0 to a negative or complex power")
	}
	if math.IsInf(real(p), 0) || math.IsInf(imag(p), 0) {
		return value{}, newError("OverflowError", "complex exponentiation")
	}
	return complexValue(p), nil
}

func cProd(a, b complex128) complex128 {
	return complex(float64(real(a)*real(b))-float64(imag(a)*imag(b)), float64(real(a)*imag(b))+float64(imag(a)*real(b)))
}

// cQuot is _Py_c_quot; ok is false for a zero divisor.
func cQuot(a, b complex128) (complex128, bool) {
	br, bi := real(b), imag(b)
	absR, absI := math.Abs(br), math.Abs(bi)
	switch {
	case absR >= absI:
		if absR == 0 {
			return 0, false
		}
		ratio := bi / br
		denom := br + float64(bi*ratio)
		return complex((real(a)+float64(imag(a)*ratio))/denom, (imag(a)-float64(real(a)*ratio))/denom), true
	case absI >= absR:
		ratio := br / bi
		denom := float64(br*ratio) + bi
		return complex((float64(real(a)*ratio)+imag(a))/denom, (float64(imag(a)*ratio)-real(a))/denom), true
	}
	return complex(math.NaN(), math.NaN()), true
}

// cPowi is c_powi: repeated multiplication for small integral exponents.
func cPowi(x complex128, n int64) (complex128, bool) {
	if n > 100 || n < -100 {
		return cPow(x, complex(float64(n), 0))
	}
	powu := func(x complex128, n int64) complex128 {
		r, p := complex(1, 0), x
		for mask := int64(1); mask > 0 && n >= mask; mask <<= 1 {
			if n&mask != 0 {
				r = cProd(r, p)
			}
			p = cProd(p, p)
		}
		return r
	}
	if n > 0 {
		return powu(x, n), false
	}
	q, ok := cQuot(1, powu(x, -n))
	return q, !ok
}

// cPow is _Py_c_pow; edom reports zero raised to a negative or complex power.
func cPow(a, b complex128) (complex128, bool) {
	switch {
	case b == 0:
		return 1, false
	case a == 0:
		return 0, imag(b) != 0 || real(b) < 0
	}
	vabs := math.Hypot(real(a), imag(a))
	length := math.Pow(vabs, real(b))
	if vabs > 0 && vabs != 1 && !math.IsInf(vabs, 0) && real(b) != 0 && !math.IsInf(real(b), 0) && !math.IsNaN(real(b)) {
		length = powPositive(vabs, real(b)) // as C's pow rounds it
	}
	at := math.Atan2(imag(a), real(a))
	phase := at * real(b)
	if imag(b) != 0 {
		length /= math.Exp(at * imag(b))
		phase += imag(b) * math.Log(vabs)
	}
	return complex(length*math.Cos(phase), length*math.Sin(phase)), false
}

// call evaluates x(arg): the callee, then the argument, then the checks CPython makes before
// finding that no value here is callable.
func (e *evaluator) call(n *node) (value, *Error) {
	f, err := e.eval(n.x)
	if err != nil {
		return value{}, err
	}
	if n.y != nil {
		a, err := e.eval(n.y.x)
		if err != nil {
			return value{}, err
		}
		switch {
		case n.y.arg == argStar && a.k != kTuple:
			s, err := str(f)
			if err != nil {
				return value{}, err
			}
			return value{}, typeError(s + " argument after * must be an iterable, not " + typeName(a))
		case n.y.arg == argDStar:
			s, err := str(f)
			if err != nil {
				return value{}, err
			}
			return value{}, typeError(s + " argument after ** must be a mapping, not " + typeName(a))
		}
	}
	return value{}, typeError("'" + typeName(f) + "' object is not callable")
}

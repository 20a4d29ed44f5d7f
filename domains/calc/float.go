package calc

import (
	"math"
	"math/big"
	"strconv"
	"sync"
)

// FormatFloat returns repr(f) as Python 3 writes it (str(f) is the same): the shortest
// digits that read back as f, a ".0" on integral values, and exponent form when the decimal
// exponent is below -4 or at least 16: "1500.0", "0.1", "-0.0", "1e-05", "1e+16",
// "1.5e+300", "inf", "-inf", "nan".
func FormatFloat(f float64) string {
	return string(AppendFloat(make([]byte, 0, 24), f))
}

// AppendFloat appends FormatFloat(f) to dst.
func AppendFloat(dst []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "nan"...)
	case math.IsInf(f, 1):
		return append(dst, "inf"...)
	case math.IsInf(f, -1):
		return append(dst, "-inf"...)
	}
	var buf [32]byte
	e := strconv.AppendFloat(buf[:0], f, 'e', -1, 64) // [-]d[.ddd]e±dd
	if e[0] == '-' {
		dst = append(dst, '-')
		e = e[1:]
	}
	epos := len(e) - 1
	for e[epos] != 'e' {
		epos--
	}
	exp, _ := strconv.Atoi(string(e[epos+1:]))
	var digits [20]byte
	nd := 0
	for _, c := range e[:epos] {
		if c != '.' {
			digits[nd] = c
			nd++
		}
	}
	if exp < -4 || exp >= 16 {
		dst = append(dst, digits[0])
		if nd > 1 {
			dst = append(dst, '.')
			dst = append(dst, digits[1:nd]...)
		}
		dst = append(dst, 'e')
		if exp < 0 {
			dst = append(dst, '-')
			exp = -exp
		} else {
			dst = append(dst, '+')
		}
		if exp < 10 {
			dst = append(dst, '0')
		}
		return strconv.AppendInt(dst, int64(exp), 10)
	}
	if exp < 0 {
		dst = append(dst, '0', '.')
		for i := -1; i > exp; i-- {
			dst = append(dst, '0')
		}
		return append(dst, digits[:nd]...)
	}
	if nd <= exp+1 {
		dst = append(dst, digits[:nd]...)
		for i := nd; i <= exp; i++ {
			dst = append(dst, '0')
		}
		return append(dst, '.', '0')
	}
	dst = append(dst, digits[:exp+1]...)
	dst = append(dst, '.')
	return append(dst, digits[exp+1:nd]...)
}

// Round returns round(x, ndigits) as Python computes it for a float: the exact binary value
// of x rounded half to even at ndigits decimal places, then read back as the nearest
// float, so Round(2.675, 2) == 2.67 and Round(0.125, 2) == 0.12. NaN and infinities are
// returned unchanged, as is x when ndigits > 323; ndigits < -308 gives a zero with the sign
// of x. Where Python raises "rounded value too large to represent" (a finite x rounded past
// the largest float), Round returns an infinity.
func Round(x float64, ndigits int) float64 {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0) || x == 0:
		return x
	case ndigits > 323:
		return x
	case ndigits < -308:
		return math.Copysign(0, x)
	}
	if ndigits >= 0 {
		if math.Abs(x) >= 1<<52 || x == math.Trunc(x) {
			return x // already integral
		}
		var buf [64]byte
		s := strconv.AppendFloat(buf[:0], x, 'f', ndigits, 64) // exact, half to even
		r, _ := strconv.ParseFloat(string(s), 64)
		return r
	}
	// ndigits < 0: round x / 10^-ndigits to an integer, half to even, exactly.
	q := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-ndigits)), nil)
	v, _ := new(big.Float).SetFloat64(x).Rat(nil)
	v.Quo(v, new(big.Rat).SetInt(q))
	n, rem := new(big.Int).QuoRem(v.Num(), v.Denom(), new(big.Int))
	// compare 2*|rem| with the denominator to decide the rounding of the quotient
	c := new(big.Int).Lsh(new(big.Int).Abs(rem), 1).Cmp(v.Denom())
	if c > 0 || (c == 0 && n.Bit(0) == 1) {
		if x < 0 {
			n.Sub(n, big.NewInt(1))
		} else {
			n.Add(n, big.NewInt(1))
		}
	}
	r, _ := new(big.Float).SetInt(n.Mul(n, q)).Float64()
	return math.Copysign(r, x) // a zero result keeps the sign of x, as in Python
}

// powPrec is the working precision of powPositive's non-exact paths: ample for a correctly
// rounded float64 except in cases a hair's breadth from a rounding boundary.
const powPrec = 320

// powPositive returns x**y for finite x > 0, x != 1, finite y != 0, correctly rounded to
// nearest (the C library pow CPython calls is accurate to within a fraction of an ulp and
// agrees with this in all but vanishingly rare cases). An overflow gives +Inf, an underflow
// a subnormal or 0.
func powPositive(x, y float64) float64 {
	if y == 0.5 {
		return math.Sqrt(x)
	}
	l2 := math.Log2(x) * y
	switch {
	case l2 > 1025:
		return math.Inf(1)
	case l2 < -1080:
		return 0
	}
	var r *big.Float
	if y == math.Trunc(y) {
		r = powInt(x, y)
	} else {
		z := bigLog(x)
		z.Mul(z, new(big.Float).SetPrec(powPrec).SetFloat64(y))
		r = bigExp(z)
	}
	f, _ := r.Float64()
	return f
}

// powInt is x**y for an integral y, exact when |y| <= 64 (so that ties round to even as
// they should) and to powPrec bits otherwise.
func powInt(x, y float64) *big.Float {
	n := uint64(math.Abs(y)) // |y| < 2^63: a larger one over- or underflows for any x != 1
	prec := uint(powPrec)
	if n <= 64 {
		prec = uint(53*n + 64)
	}
	base := new(big.Float).SetPrec(prec).SetFloat64(x)
	r := new(big.Float).SetPrec(prec).SetInt64(1)
	for ; n > 0; n >>= 1 {
		if n&1 == 1 {
			r.Mul(r, base)
		}
		if n > 1 {
			base.Mul(base, base)
		}
	}
	if y < 0 {
		one := new(big.Float).SetPrec(prec).SetInt64(1)
		r.Quo(one, r)
	}
	return r
}

var ln2 = sync.OnceValue(func() *big.Float {
	// ln 2 = 2 atanh(1/3)
	third := new(big.Float).SetPrec(powPrec + 64).SetInt64(1)
	third.Quo(third, new(big.Float).SetInt64(3))
	return atanh2(third)
})

// atanh2 returns 2 atanh(t) = 2 (t + t^3/3 + t^5/5 + ...) for small |t|.
func atanh2(t *big.Float) *big.Float {
	prec := t.Prec()
	sum := new(big.Float).SetPrec(prec).Set(t)
	t2 := new(big.Float).SetPrec(prec).Mul(t, t)
	term := new(big.Float).SetPrec(prec).Set(t)
	next := new(big.Float).SetPrec(prec)
	for k := int64(3); ; k += 2 {
		term.Mul(term, t2)
		next.Quo(term, new(big.Float).SetInt64(k))
		if next.Sign() == 0 || next.MantExp(nil)-sum.MantExp(nil) < -int(prec) {
			break
		}
		sum.Add(sum, next)
	}
	return sum.Mul(sum, new(big.Float).SetInt64(2))
}

// bigLog returns ln x for a finite x > 0.
func bigLog(x float64) *big.Float {
	frac, exp := math.Frexp(x) // x = frac * 2^exp, frac in [0.5, 1)
	if frac < math.Sqrt2/2 {
		frac *= 2
		exp--
	}
	prec := uint(powPrec + 64)
	m := new(big.Float).SetPrec(prec).SetFloat64(frac)
	one := new(big.Float).SetPrec(prec).SetInt64(1)
	num := new(big.Float).SetPrec(prec).Sub(m, one)
	den := new(big.Float).SetPrec(prec).Add(m, one)
	r := atanh2(num.Quo(num, den)) // ln frac; |t| <= 0.172
	e := new(big.Float).SetPrec(prec).SetInt64(int64(exp))
	return r.Add(r, e.Mul(e, ln2()))
}

// bigExp returns e**z for |z| < 800.
func bigExp(z *big.Float) *big.Float {
	prec := uint(powPrec + 64)
	zf, _ := z.Float64()
	k := int64(math.Round(zf / math.Ln2))
	// r = z - k ln 2, |r| <= 0.35
	r := new(big.Float).SetPrec(prec).SetInt64(k)
	r.Mul(r, ln2())
	r.Sub(new(big.Float).SetPrec(prec).Set(z), r)
	sum := new(big.Float).SetPrec(prec).SetInt64(1)
	term := new(big.Float).SetPrec(prec).SetInt64(1)
	for i := int64(1); ; i++ {
		term.Mul(term, r)
		term.Quo(term, new(big.Float).SetInt64(i))
		if term.Sign() == 0 || term.MantExp(nil) < -int(prec) {
			break
		}
		sum.Add(sum, term)
	}
	return sum.SetMantExp(sum, int(k))
}

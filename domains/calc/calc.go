// Package calc reproduces the calculate(expression) tool that several reference domains share
// (COMMON.md §4): the expression is checked against a small alphabet, evaluated with CPython's
// eval semantics, converted with float(), rounded with round(…, 2) and returned as str() of
// that float. A failure carries the class and text of the Python exception, as CPython 3.11
// words it.
//
// Evaluation follows CPython closely: operator precedence, arbitrary-precision integers, true
// and floor division, correctly rounded int/int division and int-to-float conversion, float
// powers, complex results of negative bases raised to fractional powers, the empty tuple `()`
// and `...`, calls on those values, and the parser's own choice of error (its second,
// "invalid rules" pass, unclosed and unmatched parentheses, tokenizer errors, the limits on
// integer literals and on nesting). FormatFloat and Round, Python's repr and round for
// floats, are exported for other packages.
//
// Known departures from CPython:
//   - float ** float is correctly rounded. The C library pow that CPython calls (glibc) is
//     off by one unit in the last place in about 0.2% of results; this shows only where
//     round(…, 2) cannot hide the last bit, in results above about 10^13.
//   - An integer result above 2^20 bits (about 315,000 decimal digits), or big-integer
//     arithmetic beyond 2^22 bits in all, is refused with "int too large to convert to
//     float" instead of being computed, so that 9**9**9 fails at once rather than after
//     minutes. CPython computes it, and then almost always fails with that same text when it
//     converts the result to float ("integer division result too large for a float" after
//     "/"), but 1 // 9**9**9 would give 0.0.
//   - The compiler's recursion limit (RecursionError, about 3000 nested operations) depends
//     on how deep the Python stack already is when eval runs; it is modelled on a shallow
//     stack. The parser's stack limit (MemoryError, about 6000 levels) is modelled exactly
//     for valid expressions and within a few levels for invalid ones.
//   - Complex intermediate values, which can only end in an error, use Go's math library for
//     cos and sin, so one printed inside an error message can differ in its last digit.
package calc

import (
	"strings"
)

// Allowed lists every character an expression may contain; any other character fails with
// "Invalid characters in expression" before anything is parsed.
const Allowed = "0123456789+-*/(). "

// An Error is the Python exception the reference tool raises for an expression.
type Error struct {
	Class string // Python exception class, e.g. "ZeroDivisionError", "SyntaxError"
	Msg   string // str(exception), exactly as the reference prints it after "Error: "
}

// Error returns Msg.
func (e *Error) Error() string { return e.Msg }

func newError(class, msg string) *Error { return &Error{Class: class, Msg: msg} }

// Evaluate returns what calculate(expr) returns in the reference: str(round(float(v), 2))
// for the value v of expr ("4.0", "341.33", "1e+16", "inf"), or an *Error whose Error() is
// str() of the exception the reference raises ("Invalid characters in expression",
// "division by zero", "invalid syntax (<string>, line 1)", ...).
func Evaluate(expr string) (string, error) {
	f, err := evaluate(expr)
	if err != nil {
		return "", err
	}
	return FormatFloat(Round(f, 2)), nil
}

// evaluate runs the check, eval and float() steps and returns the float before rounding.
func evaluate(expr string) (float64, *Error) {
	for i := 0; i < len(expr); i++ {
		if strings.IndexByte(Allowed, expr[i]) < 0 {
			return 0, newError("ValueError", "Invalid characters in expression")
		}
	}
	tree, err := parse(expr)
	if err != nil {
		return 0, err
	}
	if depth(tree) > maxASTDepth {
		return 0, newError("RecursionError", "maximum recursion depth exceeded during compilation")
	}
	v, err := new(evaluator).eval(tree)
	if err != nil {
		return 0, err
	}
	return toFloat(v)
}

// Package calc reproduces the calculate(expression) tool that several reference domains share
// (COMMON.md §4): the expression is checked against a small alphabet, evaluated with CPython's
// eval semantics, converted with float(), rounded with round(…, 2) and returned as str() of
// that float. Failures carry the text of the Python exception, as CPython 3.11 words it.
//
// Evaluation follows CPython closely: Python operator precedence, arbitrary-precision
// integers, true and floor division, correctly rounded int/int division and int-to-float
// conversion, float ** as C pow (correctly rounded), complex results of negative bases raised
// to fractional powers, the empty tuple `()` and `...`, calls on those values, and the
// parser's own error choices (the second, "invalid rules" pass, unclosed and unmatched
// parentheses, tokenizer errors, nesting limits).
//
// Known departures from CPython, none reachable by ordinary arithmetic:
//   - An integer result above 2^20 bits (about 315,000 decimal digits) is refused with
//     "int too large to convert to float" instead of being computed, so that 9**9**9 returns
//     at once rather than after minutes; CPython would compute it and then, in almost every
//     expression, fail with that same text when converting it to float.
//   - The parser-stack limit (MemoryError) and the compiler recursion limit (RecursionError)
//     are modelled on CPython 3.11 called from a shallow Python stack; the reference harness
//     calls eval from a deeper stack, so its limits sit a few dozen levels lower.
//   - Complex intermediate values (which can only end in an error) use Go's math library, so
//     their digits can differ in the last place when one is printed inside an error message.
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
	v, err := eval(tree)
	if err != nil {
		return 0, err
	}
	return toFloat(v)
}

package calc

import (
	"bufio"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// check compares Evaluate(expr) with what the reference returns: want on success, or the
// exception's class and text.
func check(t *testing.T, expr string, ok bool, want, class string) {
	t.Helper()
	got, err := Evaluate(expr)
	switch {
	case ok && err != nil:
		t.Errorf("Evaluate(%.80q) error %q; want %q", expr, err, want)
	case ok && got != want:
		t.Errorf("Evaluate(%.80q) = %q; want %q", expr, got, want)
	case !ok && err == nil:
		t.Errorf("Evaluate(%.80q) = %q; want error %q", expr, got, want)
	case !ok:
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("Evaluate(%.80q) error %T; want *Error", expr, err)
		}
		if e.Msg != want || (class != "" && e.Class != class) {
			t.Errorf("Evaluate(%.80q) error %s(%q); want %s(%q)", expr, e.Class, e.Msg, class, want)
		}
	}
}

func TestEvaluate(t *testing.T) {
	for _, tt := range []struct {
		expr, want string
	}{
		{"484.5 - 2 * 0.25", "484.0"},
		{"241 / 8", "30.12"}, // 30.125 rounds half to even
		{"1024 / 3", "341.33"},
		{"2 + 2", "4.0"},
		{"10 ** 16", "1e+16"},
		{"10 ** 15 * 15", "1.5e+16"},
		{"10 ** 15", "1000000000000000.0"},
		{"0.00001", "0.0"},
		{"-2**2", "-4.0"},
		{"(-2)**2", "4.0"},
		{"2**-1", "0.5"},
		{"2**3**2", "512.0"},
		{"-7 // 2", "-4.0"},
		{"-7.5 // 2", "-4.0"},
		{"7 // -0.5", "-14.0"},
		{"1.5 // 0.1", "14.0"},
		{".5 + 5.", "5.5"},
		{"00 + 00.5", "0.5"},
		{"  1 +   2  ", "3.0"},
		{"--+-3", "-3.0"},
		{"2.675", "2.67"},
		{"0.125", "0.12"},
		{"0.375", "0.38"},
		{"-0.001", "-0.0"},
		{"0 / -5", "-0.0"},
		{"0.1 + 0.2", "0.3"},
		{"1000 * (1 + 0.05/12) ** 120", "1647.01"},
		{"2 ** 0.5", "1.41"},
		{"8 ** (1/3)", "2.0"},
		{"1.5 ** 100", "4.065611775352152e+17"},
		{"10 ** 20.5", "3.1622776601683794e+20"},
		{"134217727.0 ** 2", "1.8014398241046528e+16"}, // an exact tie, rounded to even
		{"1.0000001 ** 1000000000", "2.6881038582144647e+43"},
		{"10**400 // 10**399", "10.0"},
		{"10**400 / 10**399", "10.0"},
		{"-1 / 10**400", "-0.0"},
		{"2 ** 63 - 1", "9.223372036854776e+18"},
		{strings.Repeat("1", 400) + ".0", "inf"},
		{"-" + strings.Repeat("1", 400) + ".0", "-inf"},
		{strings.Repeat("1", 400) + ". - " + strings.Repeat("1", 400) + ".", "nan"},
		{"2.0 ** -1074", "0.0"},
		{"(-1) ** 10**30", "1.0"},
		{"0 ** 0", "1.0"},
		{strings.Repeat("(", 200) + "1" + strings.Repeat(")", 200), "1.0"},
	} {
		check(t, tt.expr, true, tt.want, "")
	}
}

func TestEvaluateErrors(t *testing.T) {
	for _, tt := range []struct {
		expr, class, want string
	}{
		{"abs(-3)", "ValueError", "Invalid characters in expression"},
		{"10 % 3", "ValueError", "Invalid characters in expression"},
		{"1e5", "ValueError", "Invalid characters in expression"},
		{"1 +\t2", "ValueError", "Invalid characters in expression"},
		{"1/0", "ZeroDivisionError", "division by zero"},
		{"42 / (3 - 3)", "ZeroDivisionError", "division by zero"},
		{"1.0/0", "ZeroDivisionError", "float division by zero"},
		{"1//0", "ZeroDivisionError", "integer division or modulo by zero"},
		{"1.0//0.0", "ZeroDivisionError", "float floor division by zero"},
		{"0 ** -1", "ZeroDivisionError", "0.0 cannot be raised to a negative power"},
		{"(-8) ** (1/3) / 0", "ZeroDivisionError", "complex division by zero"},
		{"0 ** (-8) ** (1/3)", "ZeroDivisionError", "0.0 to a negative or complex power"},
		{"", "SyntaxError", "invalid syntax (<string>, line 0)"},
		{"   ", "SyntaxError", "invalid syntax (<string>, line 0)"},
		{"1 + * 2", "SyntaxError", "invalid syntax (<string>, line 1)"},
		{"1..2", "SyntaxError", "invalid syntax (<string>, line 1)"},
		{"1.2.3", "SyntaxError", "invalid syntax (<string>, line 1)"},
		{"1 2", "SyntaxError", "invalid syntax (<string>, line 1)"},
		{"*1", "SyntaxError", "invalid syntax (<string>, line 1)"},
		{"(1 2)", "SyntaxError", "invalid syntax. Perhaps you forgot a comma? (<string>, line 1)"},
		{"(1 2", "SyntaxError", "'(' was never closed (<string>, line 1)"},
		{"(1 + * 2", "SyntaxError", "invalid syntax (<string>, line 1)"},
		{"3 * (4 + 5", "SyntaxError", "'(' was never closed (<string>, line 1)"},
		{"1)", "SyntaxError", "unmatched ')' (<string>, line 1)"},
		{"1 + * 2)", "SyntaxError", "unmatched ')' (<string>, line 1)"}, // a tokenizer error wins
		{"(*1)", "SyntaxError", "cannot use starred expression here (<string>, line 1)"},
		{"(**1)", "SyntaxError", "cannot use double starred expression here (<string>, line 1)"},
		{"007", "SyntaxError", "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers (<string>, line 1)"},
		{"1 + * 007", "SyntaxError", "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers (<string>, line 1)"},
		{strings.Repeat("(", 201) + "1" + strings.Repeat(")", 201), "SyntaxError", "too many nested parentheses (<string>, line 1)"},
		{strings.Repeat("1", 4301), "SyntaxError", "Exceeds the limit (4300 digits) for integer string conversion: value has 4301 digits; use sys.set_int_max_str_digits() to increase the limit - Consider hexadecimal for huge integer literals to avoid decimal conversion limits. (<string>, line 1)"},
		{"2.0 ** 10000", "OverflowError", "(34, 'Numerical result out of range')"},
		{"10**400 * 1.0", "OverflowError", "int too large to convert to float"},
		{"10**400", "OverflowError", "int too large to convert to float"},
		{"10**400 / 1", "OverflowError", "integer division result too large for a float"},
		{"9**9**9", "OverflowError", "int too large to convert to float"}, // refused, not computed
		{"((-8)**0.5)**1000", "OverflowError", "complex exponentiation"},
		{"()*10**19", "OverflowError", "cannot fit 'int' into an index-sized integer"},
		{"(-8)**(1/3)", "TypeError", "float() argument must be a string or a real number, not 'complex'"},
		{"()", "TypeError", "float() argument must be a string or a real number, not 'tuple'"},
		{"...", "TypeError", "float() argument must be a string or a real number, not 'ellipsis'"},
		{"(1)(2)", "TypeError", "'int' object is not callable"},
		{"2.5()", "TypeError", "'float' object is not callable"},
		{"(1)(1/0)", "ZeroDivisionError", "division by zero"},
		{"(1)(*2)", "TypeError", "1 argument after * must be an iterable, not int"},
		{"(1)(**())", "TypeError", "1 argument after ** must be a mapping, not tuple"},
		{"(10**4300)(*1)", "ValueError", "Exceeds the limit (4300 digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit"},
		{"-()", "TypeError", "bad operand type for unary -: 'tuple'"},
		{"() + 1", "TypeError", `can only concatenate tuple (not "int") to tuple`},
		{"1 + ()", "TypeError", "unsupported operand type(s) for +: 'int' and 'tuple'"},
		{"() * 2.0", "TypeError", "can't multiply sequence by non-int of type 'float'"},
		{"() ** 2", "TypeError", "unsupported operand type(s) for ** or pow(): 'tuple' and 'int'"},
		{"(-8) ** (1/3) // 1", "TypeError", "unsupported operand type(s) for //: 'complex' and 'int'"},
		{strings.Repeat("-", 2991) + "1", "RecursionError", "maximum recursion depth exceeded during compilation"},
		{strings.Repeat("-", 5976) + "1", "MemoryError", ""},
	} {
		check(t, tt.expr, false, tt.want, tt.class)
	}
}

// TestCPython replays testdata/cpython.jsonl: expressions with what CPython 3.11.7 answered,
// recorded with the reference's calculate body.
func TestCPython(t *testing.T) {
	f, err := os.Open("testdata/cpython.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	n := 0
	for line := 1; sc.Scan(); line++ {
		var c struct {
			Expr   string `json:"expr"`
			OK     bool   `json:"ok"`
			Result string `json:"result"`
			Class  string `json:"class"`
		}
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("testdata/cpython.jsonl:%d: %v", line, err)
		}
		check(t, c.Expr, c.OK, c.Result, c.Class)
		n++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 500 {
		t.Errorf("read %d cases from testdata/cpython.jsonl; want the whole file", n)
	}
}

// referenceDir finds ../shared/reference/domains next to the repository root.
func referenceDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			ref := filepath.Join(dir, "..", "shared", "reference", "domains")
			if _, err := os.Stat(ref); err != nil {
				t.Skipf("reference vectors not found at %s: %v", ref, err)
			}
			return ref
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("reference vectors not found: no go.mod above the package directory")
		}
		dir = parent
	}
}

// TestVectors checks every calculate call of the reference vectors whose expression is a
// string (the argument type Evaluate takes).
func TestVectors(t *testing.T) {
	ref := referenceDir(t)
	files, err := filepath.Glob(filepath.Join(ref, "*", "vectors", "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Skipf("no */vectors/expected.json under %s", ref)
	}
	n := 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var vec struct {
			Calls []struct {
				Index     int                        `json:"index"`
				Name      string                     `json:"name"`
				Arguments map[string]json.RawMessage `json:"arguments"`
				OK        bool                       `json:"ok"`
				Output    json.RawMessage            `json:"output"`
				Error     *string                    `json:"error"`
			} `json:"calls"`
		}
		if err := json.Unmarshal(data, &vec); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for _, c := range vec.Calls {
			var expr string
			if c.Name != "calculate" || json.Unmarshal(c.Arguments["expression"], &expr) != nil {
				continue
			}
			var want string
			if c.OK {
				if err := json.Unmarshal(c.Output, &want); err != nil {
					t.Fatalf("%s: calls[%d].output: %v", file, c.Index, err)
				}
			} else if c.Error != nil {
				want = *c.Error
			}
			check(t, expr, c.OK, want, "")
			n++
		}
	}
	if n == 0 {
		t.Errorf("no calculate calls found in %d vector files", len(files))
	}
	t.Logf("checked %d calculate calls from %d vector files", n, len(files))
}

func TestFormatFloat(t *testing.T) {
	for _, tt := range []struct {
		in   float64
		want string
	}{
		{1500, "1500.0"},
		{0.1, "0.1"},
		{0.30000000000000004, "0.30000000000000004"},
		{2.0 / 3, "0.6666666666666666"},
		{1e-05, "1e-05"},
		{0.0001, "0.0001"},
		{0.00012, "0.00012"},
		{-1.5e-07, "-1.5e-07"},
		{1e16, "1e+16"},
		{9999999999999998, "9999999999999998.0"},
		{1.5e16, "1.5e+16"},
		{12345678901234567, "1.2345678901234568e+16"},
		{1e22, "1e+22"},
		{1e100, "1e+100"},
		{123, "123.0"},
		{math.Copysign(0, -1), "-0.0"},
		{0, "0.0"},
		{5e-324, "5e-324"},
		{math.MaxFloat64, "1.7976931348623157e+308"},
		{math.Inf(1), "inf"},
		{math.Inf(-1), "-inf"},
		{math.NaN(), "nan"},
	} {
		if got := FormatFloat(tt.in); got != tt.want {
			t.Errorf("FormatFloat(%v) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestRound(t *testing.T) {
	for _, tt := range []struct {
		x    float64
		n    int
		want float64
	}{
		{2.675, 2, 2.67},
		{0.125, 2, 0.12},
		{0.375, 2, 0.38},
		{0.285, 2, 0.28},
		{1.005, 2, 1.0},
		{30.125, 2, 30.12},
		{341.3333333333333, 2, 341.33},
		{-0.001, 2, math.Copysign(0, -1)},
		{7.45e-05, 6, 7.4e-05},
		{4503599627370497, 2, 4503599627370497},
		{0.5, 0, 0},
		{1.5, 0, 2},
		{2.5, 0, 2},
		{-2.5, 0, -2},
		{1234.5, -2, 1200},
		{1250, -2, 1200},
		{1350, -2, 1400},
		{-1250, -2, -1200},
		{5, -1, 0},
		{15, -1, 20},
		{-4, -1, math.Copysign(0, -1)},
		{123456.789, -3, 123000},
		{1e300, -299, 1e300},
		{123.456, 400, 123.456},
		{123.456, -400, 0},
		{-123.456, -400, math.Copysign(0, -1)},
		{5e-324, 323, 0},
		{1e-320, 2, 0},
		{math.Inf(1), 2, math.Inf(1)},
		{math.Inf(-1), 2, math.Inf(-1)},
	} {
		got := Round(tt.x, tt.n)
		if got != tt.want || math.Signbit(got) != math.Signbit(tt.want) {
			t.Errorf("Round(%v, %d) = %v; want %v", tt.x, tt.n, FormatFloat(got), FormatFloat(tt.want))
		}
	}
	if got := Round(math.NaN(), 2); !math.IsNaN(got) {
		t.Errorf("Round(NaN, 2) = %v; want NaN", got)
	}
}

func FuzzEvaluate(f *testing.F) {
	for _, s := range []string{
		"484.5 - 2 * 0.25", "(859 + 95) * 9", "1 / 0", "1 + * 2", "1..2", "abs(-3)", "",
		"(1 2", "(1 2)", "007", "-2**2", "2**-1", "1.5 // 0.1", "(-8)**(1/3)", "()", "...",
		"(1)(*2)", "10**400 / 1", "9**9**9", "((((1))))", "1 .5", "2.0 ** 10000",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		got, err := Evaluate(expr)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Class == "" {
				t.Fatalf("Evaluate(%q) error %#v; want an *Error with a class", expr, err)
			}
			if e.Class != "MemoryError" && e.Msg == "" {
				t.Fatalf("Evaluate(%q) error %s with no message", expr, e.Class)
			}
			return
		}
		f, perr := strconv.ParseFloat(got, 64)
		if perr != nil {
			t.Fatalf("Evaluate(%q) = %q, not a float: %v", expr, got, perr)
		}
		if back := FormatFloat(f); back != got {
			t.Fatalf("Evaluate(%q) = %q, which reads back as %q", expr, got, back)
		}
		if again, _ := Evaluate(expr); again != got {
			t.Fatalf("Evaluate(%q) = %q, then %q", expr, got, again)
		}
	})
}

func BenchmarkEvaluate(b *testing.B) {
	exprs := []string{
		"484.5 - 2 * 0.25",
		"(859 + 95) * 9",
		"380 * 34 / 5",
		"241 / 8",
		"1000 * (1 + 0.05/12) ** 120",
		"(120 - 45.5) / 3 + 19.99 * 3",
		"1 / 0",
		"1 + * 2",
		"abs(-3)",
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, e := range exprs {
			Evaluate(e)
		}
	}
	b.ReportMetric(float64(b.N*len(exprs))/b.Elapsed().Seconds(), "exprs/s")
}

func BenchmarkFormatFloat(b *testing.B) {
	vals := []float64{484, 341.33, 30.12, 1e16, 4.065611775352152e+17, 0.1, 1e-05}
	b.ReportAllocs()
	for b.Loop() {
		for _, v := range vals {
			FormatFloat(v)
		}
	}
}

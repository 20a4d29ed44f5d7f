package movie

import (
	"math"
	"testing"
)

// The conversions the concession pricing applies, checked against CPython 3.11.
func TestToIntToFloat(t *testing.T) {
	for _, tt := range []struct {
		in   any
		want int64
		err  string
	}{
		{int64(3), 3, ""},
		{2.7, 2, ""},
		{-2.7, -2, ""},
		{true, 1, ""},
		{" 3 ", 3, ""},
		{"+5", 5, ""},
		{"007", 7, ""},
		{"1_000", 1000, ""},
		{"3.0", 0, "invalid literal for int() with base 10: '3.0'"},
		{"1__0", 0, "invalid literal for int() with base 10: '1__0'"},
		{"0x10", 0, "invalid literal for int() with base 10: '0x10'"},
		{math.Inf(1), 0, "cannot convert float infinity to integer"},
		{nil, 0, "int() argument must be a string, a bytes-like object or a real number, not 'NoneType'"},
		{[]any{}, 0, "int() argument must be a string, a bytes-like object or a real number, not 'list'"},
	} {
		got, err := toInt(tt.in)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("toInt(%#v) error = %v; want %q", tt.in, err, tt.err)
			}
		} else if err != nil || got != tt.want {
			t.Errorf("toInt(%#v) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	for _, tt := range []struct {
		in   any
		want float64
		err  string
	}{
		{"2.675", 2.675, ""},
		{" 7 ", 7, ""},
		{"5.", 5, ""},
		{".5", 0.5, ""},
		{"1_0.5", 10.5, ""},
		{"1e1_0", 1e10, ""},
		{"1e400", math.Inf(1), ""},
		{"-Infinity", math.Inf(-1), ""},
		{"+nan", math.NaN(), ""},
		{false, 0, ""},
		{int64(4), 4, ""},
		{"_1", 0, "could not convert string to float: '_1'"},
		{"0x10", 0, "could not convert string to float: '0x10'"},
		{"abc", 0, "could not convert string to float: 'abc'"},
		{nil, 0, "float() argument must be a string or a real number, not 'NoneType'"},
	} {
		got, err := toFloat(tt.in)
		switch {
		case tt.err != "":
			if err == nil || err.Error() != tt.err {
				t.Errorf("toFloat(%#v) error = %v; want %q", tt.in, err, tt.err)
			}
		case err != nil:
			t.Errorf("toFloat(%#v): %v", tt.in, err)
		case math.IsNaN(tt.want):
			if !math.IsNaN(got) {
				t.Errorf("toFloat(%#v) = %v; want nan", tt.in, got)
			}
		case got != tt.want:
			t.Errorf("toFloat(%#v) = %v; want %v", tt.in, got, tt.want)
		}
	}
}

// Sets keep the first of equal members and sort as sorted() does.
func TestSet(t *testing.T) {
	s := &set{}
	for _, v := range []any{int64(1), 1.0, true, "B", "A", "B"} {
		if err := s.add(v); err != nil {
			t.Fatal(err)
		}
	}
	if s.len() != 3 || s.items[0] != int64(1) {
		t.Errorf("set = %#v", s.items)
	}
	if err := s.add([]any{"x"}); err == nil || err.Error() != "unhashable type: 'list'" {
		t.Errorf("add(list) = %v", err)
	}
	if _, err := s.sorted(); err == nil || err.Error() != "'<' not supported between instances of 'str' and 'int'" {
		t.Errorf("sorted(mixed) = %v", err)
	}
	strs := &set{}
	for _, v := range []string{"R1-10", "R1-02", "B1"} {
		strs.add(v)
	}
	if got, _ := strs.sorted(); got[0] != "B1" || got[1] != "R1-02" || got[2] != "R1-10" {
		t.Errorf("sorted = %v", got)
	}
}

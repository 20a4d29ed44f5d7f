package py

import (
	"bytes"
	"math"
	"testing"
)

func TestFormatFloat(t *testing.T) {
	for _, tt := range []struct {
		in   float64
		want string
	}{
		{1500, "1500.0"}, {0.1, "0.1"}, {1e-5, "1e-05"}, {1e16, "1e+16"}, {1.5e16, "1.5e+16"},
		{123456789012345.6, "123456789012345.6"}, {0.0001, "0.0001"}, {-2.5, "-2.5"}, {0, "0.0"},
		{math.Inf(1), "inf"}, {1e22, "1e+22"}, {9999999999999998, "9999999999999998.0"}, {341.33, "341.33"},
	} {
		if got := FormatFloat(tt.in); got != tt.want {
			t.Errorf("FormatFloat(%v) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestRound(t *testing.T) {
	for _, tt := range []struct{ in, want float64 }{{2.675, 2.67}, {0.125, 0.12}, {0.375, 0.38}, {1.005, 1}, {-1.555, -1.55}} {
		if got := Round(tt.in, 2); got != tt.want {
			t.Errorf("Round(%v, 2) = %v; want %v", tt.in, got, tt.want)
		}
	}
}

func TestQuote(t *testing.T) {
	for _, tt := range []struct {
		in          string
		ascii, utf8 string
	}{
		{"Česká <a&b>", `"\u010cesk\u00e1 <a&b>"`, `"Česká <a&b>"`},
		{"tab\there \"q\" \\", `"tab\there \"q\" \\"`, `"tab\there \"q\" \\"`},
		{"😀\x01\x7f", `"\ud83d\ude00\u0001\u007f"`, "\"😀\\u0001\x7f\""},
	} {
		if got := string(AppendQuote(nil, tt.in, true)); got != tt.ascii {
			t.Errorf("ascii %q = %s; want %s", tt.in, got, tt.ascii)
		}
		if got := string(AppendQuote(nil, tt.in, false)); got != tt.utf8 {
			t.Errorf("utf8 %q = %s; want %s", tt.in, got, tt.utf8)
		}
	}
}

func TestRepr(t *testing.T) {
	v, err := Parse([]byte(`{"a": [1, 2.0, "x'y", null, true], "b": "it's \"q\""}`))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := Repr(v), `{'a': [1, 2.0, "x'y", None, True], 'b': 'it\'s "q"'}`; got != want {
		t.Errorf("Repr = %s; want %s", got, want)
	}
	if got, want := Str("Zoë"), "Zoë"; got != want {
		t.Errorf("Str = %s", got)
	}
}

func TestContent(t *testing.T) {
	v, _ := Parse([]byte(`{"wins": 3, "pct": 59.0, "ok": true, "none": null, "list": [1, "a"]}`))
	got, err := Content(v)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"wins": "3", "pct": "59.0", "ok": "True", "none": null, "list": ["1", "a"]}`; got != want {
		t.Errorf("Content = %s; want %s", got, want)
	}
	if got, _ := Content(int64(6)); got != `"6"` {
		t.Errorf("Content(6) = %s", got)
	}
	if got, _ := Content("plain"); got != "plain" {
		t.Errorf("Content(str) = %s", got)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{`{"a": 1}`, `[1.5, "x", null]`, `{"a": {"b": [true]}}`, `1e400`, `{"a":`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := Parse(data)
		if err != nil {
			return
		}
		out, err := Marshal(v, Output)
		if err != nil {
			t.Fatalf("marshal %v: %v", v, err)
		}
		if bytes.Contains(out, []byte("Infinity")) || bytes.Contains(out, []byte("NaN")) {
			return // Python writes overflowed floats as Infinity, which is not JSON
		}
		if _, err := Parse(out); err != nil {
			t.Fatalf("re-parse of %s: %v", out, err)
		}
	})
}

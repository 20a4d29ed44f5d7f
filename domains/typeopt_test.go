package domains

import (
	"reflect"
	"strings"
	"testing"

	"github.com/toolscale/toolscale/domains/py"
)

// An address whose fields tools overwrite by plain assignment: declared str in the
// reference, so they load as str, but a tool may store an int there.
type typedAddress struct {
	Line1 any `json:"line1" db:"type=str"`
	Zip   any `json:"zip" db:"type=str"`
	Total any `json:"total" db:"type=float"`
	Note  any `json:"note" db:"type=str,optional"`
}

func TestTypeOption(t *testing.T) {
	for _, tt := range []struct {
		in      string
		want    string // Canonical encoding after Build, or the error's start
		wantErr bool
	}{
		{`{"line1": "1 Main St", "zip": "02139", "total": 5}`, `{"line1":"1 Main St","note":null,"total":5.0,"zip":"02139"}`, false},
		{`{"line1": "1 Main St", "zip": "02139", "total": "2.5", "note": null}`, `{"line1":"1 Main St","note":null,"total":2.5,"zip":"02139"}`, false},
		{`{"line1": "x", "zip": 2139, "total": 1.0}`, "1 validation error for typedAddress\nzip\n  Input should be a valid string", true},
		{`{"line1": null, "zip": "1", "total": 1.0}`, "1 validation error for typedAddress\nline1\n  Input should be a valid string", true},
		{`{"line1": "x", "zip": "1", "total": "abc"}`, "1 validation error for typedAddress\ntotal\n  Input should be a valid number", true},
	} {
		v, err := py.Parse([]byte(tt.in))
		if err != nil {
			t.Fatal(err)
		}
		got, err := Build[typedAddress](v)
		if tt.wantErr {
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("Build(%s) error = %v; want prefix %q", tt.in, err, tt.want)
			}
			continue
		}
		if err != nil {
			t.Errorf("Build(%s): %v", tt.in, err)
			continue
		}
		enc, _ := py.Marshal(got, py.Canonical)
		if string(enc) != tt.want {
			t.Errorf("Build(%s) = %s; want %s", tt.in, enc, tt.want)
		}
	}
	// A tool may store a value of another type; it encodes as that value.
	a := typedAddress{Line1: "x", Zip: int64(2139), Total: int64(0)}
	if enc, _ := py.Marshal(a, py.Canonical); string(enc) != `{"line1":"x","note":null,"total":0,"zip":2139}` {
		t.Errorf("assigned values encode as %s", enc)
	}
}

type taggedFilm struct {
	Genres []string `json:"genres" db:"enum=Drama|Comedy"`
}

func TestListEnum(t *testing.T) {
	for _, tt := range []struct{ in, err string }{
		{`{"genres": ["Drama", "Comedy"]}`, ""},
		{`{"genres": []}`, ""},
		{`{"genres": ["Drama", "Horror"]}`, "1 validation error for taggedFilm\ngenres.1\n  Input should be 'Drama' or 'Comedy'"},
		{`{"genres": "Horror"}`, "1 validation error for taggedFilm\ngenres\n  Input should be a valid list"},
	} {
		v, _ := py.Parse([]byte(tt.in))
		got, err := Build[taggedFilm](v)
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("Build(%s): %v", tt.in, err)
		case tt.err != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.err)):
			t.Errorf("Build(%s) error = %v; want prefix %q", tt.in, err, tt.err)
		case tt.err == "" && got.Genres == nil:
			t.Errorf("Build(%s) = nil genres", tt.in)
		}
	}
}

type declaredLine struct {
	Name string `json:"name"`
	Qty  int64  `json:"qty"`
}

// A record whose list-of-models field a tool may overwrite with any value.
type declaredOrder struct {
	Lines any `json:"lines" db:"type=domains_test.lines"`
}

var _ = py.DeclareType("domains_test.lines", reflect.TypeFor[[]declaredLine]())

func TestDeclaredType(t *testing.T) {
	v, _ := py.Parse([]byte(`{"lines": [{"qty": "2", "name": "a", "junk": 1}]}`))
	o, err := Build[declaredOrder](v)
	if err != nil {
		t.Fatal(err)
	}
	lines, ok := o.Lines.([]declaredLine)
	if !ok || len(lines) != 1 || lines[0] != (declaredLine{"a", 2}) {
		t.Fatalf("Lines = %#v; want []declaredLine{{a 2}}", o.Lines)
	}
	if got, _ := py.Marshal(o, py.Output); string(got) != `{"lines":[{"name":"a","qty":2}]}` {
		t.Errorf("encoding %s", got)
	}
	for _, in := range []string{`{"lines": [{"name": "a"}]}`, `{"lines": null}`, `{"lines": "ab"}`} {
		v, _ := py.Parse([]byte(in))
		if _, err := Build[declaredOrder](v); err == nil || !strings.HasPrefix(err.Error(), "1 validation error for declaredOrder\nlines") {
			t.Errorf("Build(%s) = %v; want a validation error on lines", in, err)
		}
	}
	// A tool may store another value, which encodes as it is.
	o.Lines = "ab"
	if got, _ := py.Marshal(o, py.Output); string(got) != `{"lines":"ab"}` {
		t.Errorf("encoding %s", got)
	}
	c := Clone(&declaredOrder{Lines: []declaredLine{{"a", 1}}})
	if c.Lines.([]declaredLine)[0].Qty != 1 {
		t.Errorf("clone %#v", c)
	}
}

package domains

import (
	"math"
	"testing"

	"github.com/toolscale/toolscale/domains/py"
)

type laxNumbers struct {
	F float64 `json:"f"`
	I int64   `json:"i"`
}

// TestBuildLaxNumbers checks pydantic's lax coercions of int and float fields, as recorded
// with pydantic 2.13: bools count as numbers, strings may carry spaces and underscores.
func TestBuildLaxNumbers(t *testing.T) {
	for _, tt := range []struct {
		in      string
		f       float64
		i       int64
		wantErr bool
	}{
		{`{"f": true, "i": false}`, 1, 0, false},
		{`{"f": " 1_000.5 ", "i": "1_000"}`, 1000.5, 1000, false},
		{`{"f": "1_e5", "i": "-1.00"}`, 1e5, -1, false},
		{`{"f": "1e400", "i": "+5"}`, math.Inf(1), 5, false},
		{`{"f": "-Infinity", "i": 2.0}`, math.Inf(-1), 2, false},
		{`{"f": "0x1p4", "i": 1}`, 0, 0, true},
		{`{"f": "_1", "i": 1}`, 0, 0, true},
		{`{"f": "1__0", "i": 1}`, 0, 0, true},
		{`{"f": 1, "i": "1.5"}`, 0, 0, true},
		{`{"f": 1, "i": "1e3"}`, 0, 0, true},
		{`{"f": 1, "i": "1."}`, 0, 0, true},
	} {
		v, err := py.Parse([]byte(tt.in))
		if err != nil {
			t.Fatal(err)
		}
		got, err := Build[laxNumbers](v)
		if tt.wantErr {
			if err == nil {
				t.Errorf("Build(%s) = %+v; want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got.F != tt.f || got.I != tt.i {
			t.Errorf("Build(%s) = %+v, %v; want f=%v i=%v", tt.in, got, err, tt.f, tt.i)
		}
	}
	v, _ := py.Parse([]byte(`{"f": "nan", "i": 0}`))
	if got, err := Build[laxNumbers](v); err != nil || !math.IsNaN(got.F) {
		t.Errorf("Build(nan) = %+v, %v", got, err)
	}
}

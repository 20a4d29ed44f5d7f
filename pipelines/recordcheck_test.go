package pipelines

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/toolscale/toolscale/dataset"
	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/pipelines/configure"
	"github.com/toolscale/toolscale/schemas"
)

// checkRecord gives the schema validator's verdict, field by field, on records from the
// real catalogue with their enum fields and containers broken at random.
func TestRecordCheckAgreesWithSchema(t *testing.T) {
	if !rulesOfRecordSchema().plain {
		t.Fatal("the record schema asks more than Record's Go types and the enums checkRecord knows: " +
			"teach checkRecord, or every record line goes through the full validator")
	}
	cat := configure.Default()
	fields := func(detail string) []string {
		var out []string
		for _, part := range strings.Split(detail, "; ") {
			if f, _, ok := strings.Cut(part, ":"); ok {
				out = append(out, f)
			}
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	bad := 0
	for i := range int64(600) {
		r := domains.Rand(9, "check", i, "record")
		rec := dataset.Record{ID: "x", Category: dataset.CategoryFuncCall, Domain: "d", Source: dataset.SourceToolScale,
			License: LicenseToolScale, Problem: "p", Answer: "a", Example: json.RawMessage(`{"k": [1, "two"]}`)}
		cat.Sample(r).Apply(&rec)
		if r.IntN(3) == 0 {
			rec.Category = []string{"qa", "chit_chat", ""}[r.IntN(3)]
		}
		if r.IntN(4) == 0 {
			rec.Split = []string{"test", "dev"}[r.IntN(2)]
		}
		if len(rec.Tools) > 0 && r.IntN(4) == 0 {
			rec.Tools[r.IntN(len(rec.Tools))].Kind = []string{"basic", "oracle"}[r.IntN(2)]
		}
		switch r.IntN(10) {
		case 0:
			rec.Tools = nil
		case 1:
			rec.ModelMapping = nil
		case 2:
			rec.ToolPricing = nil
		case 3:
			rec.PrefVec = nil
		}
		line, err := json.Marshal(&rec)
		if err != nil {
			t.Fatal(err)
		}
		vs, err := schemas.ValidateJSON("record", line)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, v := range vs {
			want = append(want, v.Field)
		}
		slices.Sort(want)
		want = slices.Compact(want)
		got := checkRecord(&rec)
		if !slices.Equal(fields(got), want) {
			t.Errorf("record %d: checkRecord says %q; the validator says %v", i, got, vs)
		}
		if got != "" {
			bad++
		}
	}
	if bad < 100 {
		t.Errorf("only %d of 600 records were broken: the test checks too little", bad)
	}
}

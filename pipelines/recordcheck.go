package pipelines

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/toolscale/toolscale/dataset"
	"github.com/toolscale/toolscale/schemas"
)

// Checking every record line with the JSON Schema validator costs more than drafting and
// verifying a small task, yet dataset.Record's Go types already guarantee almost all of what
// the record schema asks: every field present, the right JSON types, no extra fields. What
// is left are the enum fields and slices or maps that would encode as null. When the schema
// asks nothing else (recordRules.plain), encodeRecord checks exactly that; otherwise it
// validates whole lines. TestRecordCheckAgreesWithSchema holds the two to the same verdicts.

// recordRules are the record schema's enums by path ("category", "tools.kind"), and whether
// the schema asks nothing that the Go types do not guarantee besides them.
type recordRules struct {
	plain bool
	enums map[string][]string
}

// enumPaths are the enum fields checkRecord knows how to read.
var enumPaths = []string{"category", "split", "tools.kind"}

var rulesOfRecordSchema = sync.OnceValue(func() recordRules {
	b, err := schemas.Schema("record")
	if err != nil {
		return recordRules{}
	}
	var root map[string]any
	if err := json.Unmarshal(b, &root); err != nil {
		return recordRules{}
	}
	defs, _ := root["$defs"].(map[string]any)
	r := recordRules{plain: true, enums: map[string][]string{}}
	var walk func(node any, path string, depth int)
	walk = func(node any, path string, depth int) {
		n, ok := node.(map[string]any)
		if !ok || depth > 8 {
			r.plain = false
			return
		}
		for k, v := range n {
			switch k {
			case "$schema", "$id", "$defs", "description", "title", "type":
			case "required":
				// Go's encoding writes every field of Record and its parts (none is omitempty).
			case "additionalProperties":
				if v != false {
					walk(v, path, depth+1)
				}
			case "properties":
				props, _ := v.(map[string]any)
				for name, p := range props {
					walk(p, strings.TrimPrefix(path+"."+name, "."), depth+1)
				}
			case "items":
				walk(v, path, depth+1)
			case "$ref":
				ref, _ := v.(string)
				def, ok := defs[strings.TrimPrefix(ref, "#/$defs/")]
				if !ok {
					r.plain = false
					return
				}
				walk(def, path, depth+1)
			case "enum":
				vals, _ := v.([]any)
				for _, x := range vals {
					s, ok := x.(string)
					if !ok {
						r.plain = false
					}
					r.enums[path] = append(r.enums[path], s)
				}
				if !slices.Contains(enumPaths, path) {
					r.plain = false
				}
			default:
				r.plain = false // a constraint the Go types do not guarantee
			}
		}
	}
	walk(root, "", 0)
	return r
})

// checkRecord returns what rec breaks of the record schema when encoded, in the schema
// validator's terms; "" when nothing. It holds only when rulesOfRecordSchema().plain.
func checkRecord(rec *dataset.Record) string {
	rules := rulesOfRecordSchema()
	var bad []string
	enum := func(path, field, v string) {
		if allowed, ok := rules.enums[path]; ok && !slices.Contains(allowed, v) {
			bad = append(bad, fmt.Sprintf("%s: value must be one of %q", field, allowed))
		}
	}
	enum("category", "category", rec.Category)
	enum("split", "split", rec.Split)
	for i, t := range rec.Tools {
		enum("tools.kind", fmt.Sprintf("tools[%d].kind", i), t.Kind)
	}
	for _, c := range []struct {
		field string
		null  bool
		want  string
	}{
		{"tools", rec.Tools == nil, "array"},
		{"model_mapping", rec.ModelMapping == nil, "object"},
		{"tool_pricing", rec.ToolPricing == nil, "object"},
		{"pref_vec", rec.PrefVec == nil, "object"},
	} {
		if c.null {
			bad = append(bad, fmt.Sprintf("%s: got null, want %s", c.field, c.want))
		}
	}
	slices.Sort(bad)
	return strings.Join(bad, "; ")
}

package schemas_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"slices"
	"testing"

	"github.com/invopop/jsonschema"

	"github.com/toolscale/toolscale/dataset"
	"github.com/toolscale/toolscale/schemas"
)

var update = flag.Bool("update", false, "rewrite the committed *.schema.json files from the Go types")

const module = "github.com/toolscale/toolscale"

// types maps each committed schema to the Go type it is generated from.
var types = []struct {
	name string
	v    any
	dir  string // the package directory, relative to the module root, for doc comments
}{
	{"manifest", dataset.Manifest{}, "./dataset"},
	{"record", dataset.Record{}, "./dataset"},
	{"rejected", dataset.Rejected{}, "./dataset"},
}

// generate reflects v into its schema, with the doc comments of the package in dir.
func generate(t *testing.T, name string, v any, dir string) []byte {
	t.Helper()
	r := &jsonschema.Reflector{ExpandedStruct: true}
	// AddGoComments names packages by the walked path, so it runs from the module root.
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chdir(".."); err != nil {
		t.Fatal(err)
	}
	err = r.AddGoComments(module, dir)
	if err2 := os.Chdir(wd); err2 != nil {
		t.Fatal(err2)
	}
	if err != nil {
		t.Fatalf("read doc comments of %s: %v", dir, err)
	}
	s := r.Reflect(v)
	s.ID = jsonschema.ID("https://" + module + "/schemas/" + name + ".schema.json")
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

func TestCommittedSchemasMatchTypes(t *testing.T) {
	for _, tt := range types {
		t.Run(tt.name, func(t *testing.T) {
			got := generate(t, tt.name, tt.v, tt.dir)
			path := tt.name + ".schema.json"
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./schemas -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the schema generated from %T (rerun with -update to accept)\ngot:\n%s", path, tt.v, got)
			}
		})
	}
}

func TestEveryCommittedSchemaHasAType(t *testing.T) {
	var want []string
	for _, tt := range types {
		want = append(want, tt.name)
	}
	slices.Sort(want)
	if got := schemas.Names(); !slices.Equal(got, want) {
		t.Errorf("Names() = %v; want %v (a committed schema without a Go type, or the reverse)", got, want)
	}
}

func TestEverySchemaCompiles(t *testing.T) {
	for _, name := range schemas.Names() {
		if _, err := schemas.Validator(name); err != nil {
			t.Errorf("Validator(%q): %v", name, err)
		}
		ref, err := schemas.Ref(name)
		if err != nil {
			t.Errorf("Ref(%q): %v", name, err)
		}
		id, _ := schemas.ID(name)
		if want := "https://" + module + "/schemas/" + name + ".schema.json"; id != want {
			t.Errorf("ID(%q) = %q; want %q", name, id, want)
		}
		if len(ref) != len(id)+len("@sha256:")+16 {
			t.Errorf("Ref(%q) = %q; want the id, @sha256: and 16 hex digits", name, ref)
		}
	}
	if _, err := schemas.Validator("records"); err == nil {
		t.Error(`Validator("records") succeeded; want an unknown-schema error`)
	}
}

func goodRecord() dataset.Record {
	return dataset.Record{
		ID: "bank-00aa", Index: 3, Category: dataset.CategoryFuncCall, Domain: "bank",
		Source: dataset.SourceToolScale, License: "CC-BY-4.0", Split: "train", Difficulty: 1,
		Problem: "p", Answer: "a",
		Tools:        []dataset.Tool{{Alias: "search-1", Kind: "basic", Description: "web search"}},
		ModelMapping: map[string]string{"expert-1": "gpt-5"},
		ToolPricing:  map[string]dataset.Pricing{"search-1": {Provider: "tavily", PerCall: 0.01}},
		PrefVec:      map[string]float64{"search-1": 1, "accuracy": 1, "cost": 0, "latency": 0},
		Example:      json.RawMessage(`{"id":"task-1"}`),
	}
}

func TestValidateJSONRecord(t *testing.T) {
	good, err := json.Marshal(goodRecord())
	if err != nil {
		t.Fatal(err)
	}
	if v, err := schemas.ValidateJSON("record", good); err != nil || len(v) != 0 {
		t.Fatalf("ValidateJSON(good record) = %v, %v; want no violations", v, err)
	}

	var m map[string]any
	if err := json.Unmarshal(good, &m); err != nil {
		t.Fatal(err)
	}
	m["tools"].([]any)[0].(map[string]any)["kind"] = "oracle"
	m["index"] = "three"
	delete(m, "split")
	m["extra"] = true
	bad, _ := json.Marshal(m)
	v, err := schemas.ValidateJSON("record", bad)
	if err != nil {
		t.Fatal(err)
	}
	fields := map[string]bool{}
	for _, x := range v {
		fields[x.Field] = true
	}
	for _, f := range []string{"", "index", "split", "tools[0].kind"} {
		if !fields[f] {
			t.Errorf("violations %v name no field %q", v, f)
		}
	}

	if v, _ := schemas.ValidateJSON("record", []byte(`{"id":`)); len(v) != 1 || v[0].Field != "" {
		t.Errorf("ValidateJSON(truncated) = %v; want one document-level violation", v)
	}
	if v, _ := schemas.ValidateJSON("record", append(good, []byte(" {}")...)); len(v) != 1 {
		t.Errorf("ValidateJSON(two values) = %v; want one violation", v)
	}
}

func TestFieldPath(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", ""},
		{"/tools/2/kind", "tools[2].kind"},
		{"/0/a", "[0].a"},
		{"/tool_pricing/a~1b~0c/per_call", "tool_pricing.a/b~c.per_call"},
	} {
		if got := schemas.FieldPath(tt.in); got != tt.want {
			t.Errorf("FieldPath(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

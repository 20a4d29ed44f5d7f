package export

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/toolscale/toolscale/dataset"
)

// readLines decodes data.jsonl as generic JSON, the way a Python json.loads sees it.
func readLines(t *testing.T, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []map[string]any
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("%s:%d: %v", path, len(out)+1, err)
		}
		out = append(out, m)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestToolOrchestra(t *testing.T) {
	recs := makeRecords(50)
	dir, _ := writeFixture(t, recs, 3)
	out, s := runExport(t, dir, FormatToolOrchestra, nil)
	if got := listFiles(t, out); !slices.Equal(got, []string{ToolOrchestraFile}) {
		t.Fatalf("files = %q; want only %s", got, ToolOrchestraFile)
	}
	if s.Read != 50 || s.Written != 50 || len(s.Files) != 1 || s.Files[0].Records != 50 {
		t.Errorf("summary = %+v", s)
	}
	byID := map[string]dataset.Record{}
	for _, r := range recs {
		byID[r.ID] = r
	}
	lines := readLines(t, filepath.Join(out, ToolOrchestraFile))
	var got, indexes []string
	for n, l := range lines {
		id, _ := l["id"].(string)
		got = append(got, id)
		rec, ok := byID[id]
		if !ok {
			t.Fatalf("line %d: unknown id %q", n+1, id)
		}
		// Field names and types as ToolOrchestra's trainer reads them.
		index, ok := l["index"].(string)
		if !ok || index != rec.Domain+"____"+id || strings.Split(index, "____")[0] != rec.Domain {
			t.Errorf("%s: index = %#v; want the domain, ____ and the id", id, l["index"])
		}
		indexes = append(indexes, index)
		for _, k := range []string{"category", "problem", "answer"} {
			if _, ok := l[k].(string); !ok {
				t.Errorf("%s: %s = %#v; want a string", id, k, l[k])
			}
		}
		if l["category"] != rec.Category || l["problem"] != rec.Problem || l["answer"] != rec.Answer {
			t.Errorf("%s: category, problem or answer differ from the record's", id)
		}
		mm, ok := l["model_mapping"].(map[string]any)
		if !ok || len(mm) != len(rec.ModelMapping) {
			t.Errorf("%s: model_mapping = %#v", id, l["model_mapping"])
		}
		pv, ok := l["pref_vec"].(map[string]any)
		if !ok || len(pv) != len(rec.PrefVec) || pv["accuracy"] != rec.PrefVec["accuracy"] {
			t.Errorf("%s: pref_vec = %#v", id, l["pref_vec"])
		}
		// tool_pricing is keyed by model, as the trainer looks prices up.
		tp, ok := l["tool_pricing"].(map[string]any)
		if !ok || len(tp) != len(rec.ToolPricing) {
			t.Fatalf("%s: tool_pricing = %#v", id, l["tool_pricing"])
		}
		for alias, p := range rec.ToolPricing {
			mp, ok := tp[rec.ModelMapping[alias]].(map[string]any)
			if !ok || mp["input_tokens_per_million"] != p.InputPerMillion || mp["output_tokens_per_million"] != p.OutputPerMillion || mp["per_call"] != p.PerCall {
				t.Errorf("%s: tool_pricing[%s] = %#v; want the prices of %s", id, rec.ModelMapping[alias], tp[rec.ModelMapping[alias]], alias)
			}
		}
		// tools are function tools whose choices cover every alias once.
		tools, ok := l["tools"].([]any)
		if !ok {
			t.Fatalf("%s: tools = %#v", id, l["tools"])
		}
		var aliases []string
		for _, tl := range tools {
			ft, _ := tl.(map[string]any)
			fn, _ := ft["function"].(map[string]any)
			params, _ := fn["parameters"].(map[string]any)
			props, _ := params["properties"].(map[string]any)
			req, _ := params["required"].([]any)
			if ft["type"] != "function" || fn["name"] == "" || len(req) != 1 {
				t.Fatalf("%s: tool %#v", id, tl)
			}
			arg, _ := props[req[0].(string)].(map[string]any)
			for _, a := range arg["enum"].([]any) {
				aliases = append(aliases, a.(string))
			}
		}
		var want []string
		for _, tl := range rec.Tools {
			want = append(want, tl.Alias)
		}
		slices.Sort(aliases)
		slices.Sort(want)
		if !slices.Equal(aliases, want) {
			t.Errorf("%s: tools choose among %q; want %q", id, aliases, want)
		}
		ex, ok := l["example"].(map[string]any)
		if !ok {
			t.Errorf("%s: example = %T; want an object", id, l["example"])
		} else if rec.Category == dataset.CategoryFuncCall && ex["id"] != id {
			t.Errorf("%s: example.id = %v", id, ex["id"])
		}
	}
	checkOnce(t, "toolorchestra", got, ids(recs, "", ""))
	checkOnce(t, "toolorchestra index", indexes, func() []string {
		var w []string
		for _, r := range recs {
			w = append(w, r.Domain+"____"+r.ID)
		}
		slices.Sort(w)
		return w
	}())

	// Split filter.
	out, s = runExport(t, dir, FormatToolOrchestra, &Options{Split: "test"})
	got = got[:0]
	for _, l := range readLines(t, filepath.Join(out, ToolOrchestraFile)) {
		got = append(got, l["id"].(string))
	}
	checkOnce(t, "toolorchestra test", got, ids(recs, "test", ""))
	if s.Skipped[SkipSplit] != int64(len(ids(recs, "train", ""))) {
		t.Errorf("skipped = %v", s.Skipped)
	}
}

// The aliases of a family become one function, named as ToolOrchestra names it.
func TestFunctionTools(t *testing.T) {
	rec := funcCallRecord(1)
	rec.Tools = nil
	for _, ft := range fixtureTools {
		rec.Tools = append(rec.Tools, ft.tool)
		rec.ModelMapping[ft.tool.Alias] = ft.model
		rec.ToolPricing[ft.tool.Alias] = ft.price
	}
	rec.Tools = append(rec.Tools, dataset.Tool{Alias: "answer-2", Kind: "specialized", Description: "An answer model."})
	l, err := ToToolOrchestra(&rec)
	if err != nil {
		t.Fatal(err)
	}
	type fn struct {
		name, arg string
		enum      []string
	}
	var got []fn
	for _, tl := range l.Tools {
		arg := tl.Function.Parameters.Required[0]
		got = append(got, fn{tl.Function.Name, arg, tl.Function.Parameters.Properties[arg].Enum})
	}
	want := []fn{
		{"search", "model", []string{"search-1"}},
		{"code", "model", []string{"code-1"}},
		{"answer", "model", []string{"answer-math-1", "answer-2"}},
		{"enhance_reasoning", "model", []string{"reasoner-1"}},
		{"call_expert", "expert", []string{"expert-1", "expert-2"}},
	}
	if !slices.EqualFunc(got, want, func(a, b fn) bool { return a.name == b.name && a.arg == b.arg && slices.Equal(a.enum, b.enum) }) {
		t.Errorf("tools = %+v\nwant %+v", got, want)
	}
	if d := l.Tools[4].Function.Parameters.Properties["expert"].Description; !strings.Contains(d, "expert-1 -> gpt-5: ") {
		t.Errorf("call_expert's choices do not name the models: %q", d)
	}

	// Two aliases of one model at different prices cannot both be keyed by the model.
	rec.ModelMapping["expert-2"] = "gpt-5"
	if _, err := ToToolOrchestra(&rec); err == nil || !strings.Contains(err.Error(), `"gpt-5"`) {
		t.Errorf("two prices for one model: err = %v", err)
	}
}

package pipelines

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/toolscale/toolscale/dataset"
)

// fieldsAgree checks topFields against encoding/json on one line: the same fields, values
// and order for a valid object, an error for anything else.
func fieldsAgree(t *testing.T, line []byte) {
	t.Helper()
	var keys []string
	var vals [][]byte
	err := topFields(line, func(k string, v []byte) bool {
		keys = append(keys, k)
		vals = append(vals, v)
		return true
	})
	var want map[string]json.RawMessage
	wantErr := json.Unmarshal(line, &want)
	if wantErr != nil || want == nil {
		return // not an object: topFields need only not panic (the fixed cases check its errors)
	}
	if err != nil {
		t.Fatalf("topFields(%q): %v", line, err)
	}
	seen := map[string]bool{}
	for i, k := range keys {
		seen[k] = true
		var got, exp bytes.Buffer
		if err := json.Compact(&got, vals[i]); err != nil {
			t.Fatalf("topFields(%q): value of %q is %q: %v", line, k, vals[i], err)
		}
		json.Compact(&exp, want[k])
		if i == len(keys)-1 || !containsLater(keys[i+1:], k) { // Unmarshal keeps the last of repeated keys
			if !bytes.Equal(got.Bytes(), exp.Bytes()) {
				t.Errorf("topFields(%q): %q = %s, want %s", line, k, got.Bytes(), exp.Bytes())
			}
		}
	}
	if len(seen) != len(want) {
		t.Errorf("topFields(%q): %d keys, want %d", line, len(seen), len(want))
	}
}

func containsLater(keys []string, k string) bool {
	for _, x := range keys {
		if x == k {
			return true
		}
	}
	return false
}

func TestTopFields(t *testing.T) {
	for _, line := range []string{
		`{}`,
		` { "id" : "a\"b" , "n": -1.5e3, "ok": true, "x": null } `,
		`{"id":"r1","index":3,"category":"func_call","domain":"bank","tools":[{"alias":"example"}],"example":{"id":"t","example":[1,"}"]}}`,
		`{"\u0069d":"x","s":"back\\slash","arr":[[],{}]}`,
	} {
		fieldsAgree(t, []byte(line))
	}
	for _, line := range []string{``, `[]`, `{"a"}`, `{"a":}`, `{"a":1`, `{"a":"x}`, `{"a":[1,2}`, `{"a":1 "b":2}`, `{a:1}`} {
		if err := topFields([]byte(line), func(string, []byte) bool { return true }); err == nil {
			t.Errorf("topFields(%q) = nil error, want one", line)
		}
	}
}

func TestReadTaskHead(t *testing.T) {
	line := []byte(`{"id":"ts-1","index":0,"category":"func_call","domain":"bank","problem":"say \"example\":","example":{"id":"ts-1"}}`)
	h, err := readTaskHead(line)
	if err != nil {
		t.Fatal(err)
	}
	if h.ID != "ts-1" || h.Category != "func_call" || h.Domain != "bank" || string(h.Example) != `{"id":"ts-1"}` {
		t.Errorf("readTaskHead = %+v", h)
	}
	if id, err := lineID(line); err != nil || id != "ts-1" {
		t.Errorf("lineID = %q, %v", id, err)
	}
	if _, err := readTaskHead([]byte(`{"id":"x","category":"func_call","domain":"bank"}`)); err == nil {
		t.Error("a func_call record without example: no error")
	}
	if _, err := lineID([]byte(`{"index":1}`)); err == nil {
		t.Error("a line without id: no error")
	}
}

// A record that is not a task is read up to its category and no further.
func TestReadTaskHeadStopsAtCategory(t *testing.T) {
	for _, c := range []string{dataset.CategoryFuncCall, dataset.CategoryQA} {
		line, err := json.Marshal(&dataset.Record{ID: `gt-"quoted"\id`, Index: -3, Category: c, Example: json.RawMessage(`{}`)})
		if err != nil {
			t.Fatal(err)
		}
		h, err := readTaskHead(line)
		if err != nil || h.Category != c || h.ID != `gt-"quoted"\id` {
			t.Errorf("readTaskHead(%s) = %+v, %v; want category %s", line, h, err, c)
		}
	}
	qa := []byte(`{"id":"gt-1","index":1,"category":"qa","domain":` + "\x00 not JSON")
	if h, err := readTaskHead(qa); err != nil || h.Category != dataset.CategoryQA {
		t.Errorf("readTaskHead read past a qa record's category: %+v, %v", h, err)
	}
}

func FuzzTopFields(f *testing.F) {
	f.Add([]byte(`{"id":"a","v":[1,{"b":"c\\"}],"w":null}`))
	f.Add([]byte(`{"a":"\u00e9","b":{"c":[]}}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		fieldsAgree(t, line)
	})
}

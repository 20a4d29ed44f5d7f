package domains

import (
	"encoding/json"
	"testing"

	"github.com/toolscale/toolscale/domains/py"
)

type listDefaultParams struct {
	ID    string         `json:"id"`
	Items []string       `json:"items,omitempty" jsonschema:"default=[]"`
	Opts  map[string]any `json:"opts,omitempty" jsonschema:"default={}"`
}

// TestListDefault checks that a parameter whose Python default is [] or {} receives that
// value, not the text of the tag, and that its schema shows the same default.
func TestListDefault(t *testing.T) {
	tool := &Tool{Name: "t", Kind: Read, Description: "d", Params: listDefaultParams{},
		Fn: func(e *Env, a Args) (any, error) { return py.NewObject("items", a["items"], "opts", a["opts"]), nil }}
	d := &Domain{Name: "listdefault", Toolkit: "T", NewDB: func() DB { return &toyDB{} }, Tools: []*Tool{tool}}
	env := &Env{Domain: d, DB: &toyDB{}}
	r := env.Call("t", py.NewObject("id", "x"))
	if !r.OK() || r.Content != `{"items": [], "opts": {}}` {
		t.Errorf("call with defaults = %q, %v; want empty list and dict", r.Content, r.Err)
	}
	s, err := tool.Schema()
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(s)
	var got struct {
		Properties map[string]struct{ Default any } `json:"properties"`
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if l, ok := got.Properties["items"].Default.([]any); !ok || len(l) != 0 {
		t.Errorf("schema default of items = %#v; want []", got.Properties["items"].Default)
	}
	if err := tool.Validate(py.NewObject("id", "x", "items", []any{"a"})); err != nil {
		t.Errorf("Validate: %v", err)
	}
}

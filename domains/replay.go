package domains

import (
	"fmt"

	"github.com/toolscale/toolscale/domains/py"
)

// A Call is one tool call: a name and its arguments as given.
type Call struct {
	Name      string
	Arguments *py.Object
}

// ParseCalls reads a JSON list of {"name", "arguments"} objects.
func ParseCalls(data []byte) ([]Call, error) {
	v, err := py.Parse(data)
	if err != nil {
		return nil, err
	}
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("calls: want a list of {\"name\", \"arguments\"}, got %s", py.TypeName(v))
	}
	calls := make([]Call, len(list))
	for i, item := range list {
		o, ok := item.(*py.Object)
		if !ok {
			return nil, fmt.Errorf("calls[%d]: want an object, got %s", i, py.TypeName(item))
		}
		name, _ := o.Get("name")
		if calls[i].Name, ok = name.(string); !ok {
			return nil, fmt.Errorf("calls[%d].name: want a string, got %s", i, py.TypeName(name))
		}
		for _, k := range o.Keys() {
			if k != "name" && k != "arguments" {
				return nil, fmt.Errorf("calls[%d].%s: unknown field", i, k)
			}
		}
		args, ok := o.Get("arguments")
		if !ok || args == nil {
			calls[i].Arguments = py.NewObject()
			continue
		}
		if calls[i].Arguments, ok = args.(*py.Object); !ok {
			return nil, fmt.Errorf("calls[%d].arguments: want an object, got %s", i, py.TypeName(args))
		}
	}
	return calls, nil
}

// A Step is the record of one call of a replay, in the layout of the reference vectors.
type Step struct {
	Index     int        `json:"index"`
	Name      string     `json:"name"`
	Arguments *py.Object `json:"arguments"`
	OK        bool       `json:"ok"`
	Output    any        `json:"output"`
	Error     *string    `json:"error"`
	Content   string     `json:"content"`
}

// Replay runs calls in order on the environment. A failing call is recorded and the replay
// goes on, as the reference does.
func (e *Env) Replay(calls []Call) []Step {
	steps := make([]Step, len(calls))
	for i, c := range calls {
		r := e.Call(c.Name, c.Arguments)
		// The output is copied: it may be a record that a later call of the replay changes,
		// and the step must show it as it was returned.
		steps[i] = Step{Index: i, Name: c.Name, Arguments: c.Arguments, OK: r.OK(), Output: Clone(r.Output), Content: r.Content}
		if r.Err != nil {
			msg := r.Err.Error()
			steps[i].Error = &msg
		}
	}
	return steps
}

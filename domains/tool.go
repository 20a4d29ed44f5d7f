package domains

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/invopop/jsonschema"
	validator "github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/toolscale/toolscale/domains/py"
)

// A Kind says what a tool does to the database.
type Kind string

// The kinds of tools, as the reference names them.
const (
	Read    Kind = "READ"    // looks the database up
	Write   Kind = "WRITE"   // changes the database
	Generic Kind = "GENERIC" // touches no data (calculate, transfer to a human)
)

// A Tool is one function of a domain's toolkit.
type Tool struct {
	Name        string
	Kind        Kind
	Description string
	// Params is the zero value of a struct whose fields are the tool's parameters, in the
	// order of the Python signature. A field is required unless its json tag has
	// omitempty; its default is the jsonschema tag's default= (none means None). A
	// required pointer field is Optional[...] without a default: required, may be null.
	Params any
	// Fn runs the tool. Args holds every parameter, defaults filled in, with the values
	// exactly as the caller gave them: Fn must check their types as the reference does.
	Fn func(e *Env, a Args) (any, error)

	once   sync.Once
	sig    []param
	schema *jsonschema.Schema
	valid  *validator.Schema
	err    error
}

// Args are a tool call's arguments by parameter name.
type Args map[string]any

type param struct {
	name     string
	required bool
	def      any
}

func (t *Tool) prepare() error {
	t.once.Do(func() {
		if t.Params == nil {
			t.Params = struct{}{}
		}
		rt := reflect.TypeOf(t.Params)
		if rt.Kind() != reflect.Struct {
			t.err = fmt.Errorf("tool %s: Params is %s, not a struct", t.Name, rt)
			return
		}
		for i := 0; i < rt.NumField(); i++ {
			f := rt.Field(i)
			name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" {
				name = f.Name
			}
			p := param{name: name, required: !strings.Contains(opts, "omitempty")}
			if !p.required {
				p.def = defaultOf(f)
			}
			t.sig = append(t.sig, p)
		}
		r := jsonschema.Reflector{DoNotReference: true, ExpandedStruct: true, Anonymous: true}
		t.schema = r.ReflectFromType(rt)
		t.schema.Version = ""
		t.schema.Description = t.Description
		if t.err = t.fixContainerDefaults(); t.err != nil {
			return
		}
		raw, err := json.Marshal(t.schema)
		if err != nil {
			t.err = err
			return
		}
		c := validator.NewCompiler()
		if err := c.AddResource(t.Name+".json", strings.NewReader(string(raw))); err != nil {
			t.err = fmt.Errorf("tool %s schema: %w", t.Name, err)
			return
		}
		t.valid, t.err = c.Compile(t.Name + ".json")
	})
	return t.err
}

// defaultOf reads a parameter's default from its jsonschema tag, typed as Python would hold it.
func defaultOf(f reflect.StructField) any {
	for _, opt := range strings.Split(f.Tag.Get("jsonschema"), ",") {
		d, ok := strings.CutPrefix(opt, "default=")
		if !ok {
			continue
		}
		k := f.Type.Kind()
		if k == reflect.Pointer {
			k = f.Type.Elem().Kind()
		}
		switch k {
		case reflect.Int, reflect.Int64:
			if i, err := strconv.ParseInt(d, 10, 64); err == nil {
				return i
			}
		case reflect.Float64:
			if x, err := strconv.ParseFloat(d, 64); err == nil {
				return x
			}
		case reflect.Bool:
			return d == "true"
		case reflect.Slice, reflect.Map:
			// A list or dict default is JSON text ("default=[]"), held as its Python value.
			if v, err := py.Parse([]byte(d)); err == nil {
				return v
			}
		}
		return d
	}
	return nil
}

// fixContainerDefaults replaces the schema default of list and dict parameters, which the
// schema reflector reads as a list of strings, by the parameter's decoded default.
func (t *Tool) fixContainerDefaults() error {
	for _, p := range t.sig {
		if p.required || p.def == nil {
			continue
		}
		switch p.def.(type) {
		case []any, *py.Object:
		default:
			continue
		}
		prop, ok := t.schema.Properties.Get(p.name)
		if !ok {
			continue
		}
		raw, err := py.Marshal(p.def, py.Output)
		if err != nil {
			return err
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			return err
		}
		prop.Default = v
	}
	return nil
}

// Schema returns the JSON Schema of the tool's parameters.
func (t *Tool) Schema() (*jsonschema.Schema, error) {
	if err := t.prepare(); err != nil {
		return nil, err
	}
	return t.schema, nil
}

// Validate checks arguments (a decoded JSON object) against the tool's parameter schema.
// Replays never call it: the reference passes arguments unchecked. Pipelines call it on
// the calls they generate.
func (t *Tool) Validate(args *py.Object) error {
	if err := t.prepare(); err != nil {
		return err
	}
	v, ok := jsonValue(args)
	if !ok {
		// A value of another Go type: validate what it encodes to.
		raw, err := py.Marshal(args, py.Output)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(raw, &v); err != nil {
			return err
		}
	}
	if err := t.valid.Validate(v); err != nil {
		return fmt.Errorf("arguments of %s: %w", t.Name, err)
	}
	return nil
}

// jsonValue converts a decoded Python value to the types the schema validator reads, as
// encoding/json would decode its JSON, without the round trip. It reports false for a value
// of any other Go type.
func jsonValue(v any) (any, bool) {
	switch x := v.(type) {
	case nil, bool, string, int64, int, float64:
		return x, true
	case *big.Int:
		return json.Number(x.String()), true
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			var ok bool
			if out[i], ok = jsonValue(e); !ok {
				return nil, false
			}
		}
		return out, true
	case *py.Object:
		out := make(map[string]any, x.Len())
		for _, k := range x.Keys() {
			e, _ := x.Get(k)
			var ok bool
			if out[k], ok = jsonValue(e); !ok {
				return nil, false
			}
		}
		return out, true
	}
	return nil, false
}

// bindArgs matches arguments to parameters as CPython does for f(**kwargs), with its
// error texts: the first unexpected keyword, then every missing required parameter.
func (t *Tool) bindArgs(toolkit string, args *py.Object) (Args, error) {
	if err := t.prepare(); err != nil {
		return nil, err
	}
	a := make(Args, len(t.sig))
	for _, k := range args.Keys() {
		known := false
		for _, p := range t.sig {
			if p.name == k {
				known = true
				break
			}
		}
		if !known {
			return nil, fmt.Errorf("%s.%s() got an unexpected keyword argument '%s'", toolkit, t.Name, k)
		}
		a[k], _ = args.Get(k)
	}
	var missing []string
	for _, p := range t.sig {
		if _, ok := a[p.name]; ok {
			continue
		}
		if p.required {
			missing = append(missing, "'"+p.name+"'")
			continue
		}
		a[p.name] = p.def
	}
	if len(missing) > 0 {
		noun := "argument"
		if len(missing) > 1 {
			noun = "arguments"
		}
		return nil, fmt.Errorf("%s.%s() missing %d required positional %s: %s", toolkit, t.Name, len(missing), noun, listNames(missing))
	}
	return a, nil
}

// listNames joins names as CPython does: 'a', 'a' and 'b', 'a', 'b', and 'c'.
func listNames(n []string) string {
	switch len(n) {
	case 1:
		return n[0]
	case 2:
		return n[0] + " and " + n[1]
	}
	return strings.Join(n[:len(n)-1], ", ") + ", and " + n[len(n)-1]
}

// ErrUnknownTool is returned for a call of a tool the domain does not have.
var ErrUnknownTool = errors.New("unknown tool")

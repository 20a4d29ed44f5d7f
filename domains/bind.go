package domains

import (
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"

	"github.com/toolscale/toolscale/domains/py"
)

// A FieldError is one value that does not fit the data model, at a location given as a
// dotted path of keys and list indexes, as pydantic reports it.
type FieldError struct {
	Loc   string // e.g. "clients.TL6TFRG-001.accounts.NE8SNF5-001.status"
	Msg   string // e.g. "Input should be 'active', 'frozen' or 'closed'"
	Type  string // pydantic's error type, e.g. "literal_error"
	Input any    // the value that failed; nil when missing
}

func (e FieldError) Error() string { return e.Loc + ": " + e.Msg }

// A ValidationError lists the values that did not fit a model. Its text follows
// pydantic's ValidationError, which is what the reference tools raise.
type ValidationError struct {
	Model  string
	Errors []FieldError
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	n := len(e.Errors)
	if n == 1 {
		fmt.Fprintf(&b, "1 validation error for %s", e.Model)
	} else {
		fmt.Fprintf(&b, "%d validation errors for %s", n, e.Model)
	}
	for _, fe := range e.Errors {
		loc := fe.Loc
		if loc == "" {
			loc = e.Model
		}
		fmt.Fprintf(&b, "\n%s\n  %s [type=%s, input_value=%s, input_type=%s]", loc, fe.Msg, fe.Type,
			truncateRepr(py.Repr(fe.Input)), py.TypeName(fe.Input))
		fmt.Fprintf(&b, "\n    For further information visit https://errors.pydantic.dev/2.11/v/%s", fe.Type)
	}
	return b.String()
}

// truncateRepr shortens long input values the way pydantic does.
func truncateRepr(s string) string {
	if r := []rune(s); len(r) > 50 {
		return string(r[:25]) + "..." + string(r[len(r)-24:])
	}
	return s
}

// Build makes a model of type T from a decoded value (a dict argument), as a reference tool
// does when it constructs a pydantic model: lax coercion of numbers, unknown keys dropped,
// every error collected in a *ValidationError.
func Build[T any](v any) (*T, error) {
	out := new(T)
	b := binder{}
	b.bind(reflect.ValueOf(out).Elem(), v, "")
	if len(b.errs) > 0 {
		return nil, &ValidationError{Model: reflect.TypeFor[T]().Name(), Errors: b.errs}
	}
	return out, nil
}

// binder fills Go values from decoded JSON with pydantic's lax rules.
type binder struct {
	strict bool // unknown keys are errors (loading a database), not dropped
	errs   []FieldError
}

type objectBinder interface {
	bindObject(d *binder, keys []string, get func(string) any, loc string)
}

var objectBinderType = reflect.TypeFor[objectBinder]()

func join(loc, k string) string {
	if loc == "" {
		return k
	}
	return loc + "." + k
}

func (d *binder) fail(loc, typ, msg string, input any) {
	d.errs = append(d.errs, FieldError{Loc: loc, Msg: msg, Type: typ, Input: input})
}

// bind stores the decoded value in into dst, recording errors at loc.
func (d *binder) bind(dst reflect.Value, in any, loc string) {
	if dst.CanAddr() && dst.Addr().Type().Implements(objectBinderType) {
		o, ok := in.(*py.Object)
		if !ok {
			d.fail(loc, "dict_type", "Input should be a valid dictionary", in)
			return
		}
		dst.Addr().Interface().(objectBinder).bindObject(d, o.Keys(), func(k string) any { v, _ := o.Get(k); return v }, loc)
		return
	}
	t := dst.Type()
	switch t.Kind() {
	case reflect.Pointer:
		if in == nil {
			dst.Set(reflect.Zero(t))
			return
		}
		if t == objectType {
			if o, ok := in.(*py.Object); ok {
				dst.Set(reflect.ValueOf(o))
			} else {
				d.fail(loc, "dict_type", "Input should be a valid dictionary", in)
			}
			return
		}
		if t == bigIntType {
			if i, ok := in.(*big.Int); ok {
				dst.Set(reflect.ValueOf(i))
				return
			}
		}
		p := reflect.New(t.Elem())
		d.bind(p.Elem(), in, loc)
		dst.Set(p)
	case reflect.Interface:
		if in != nil {
			dst.Set(reflect.ValueOf(in))
		}
	case reflect.String:
		s, ok := in.(string)
		if !ok {
			d.fail(loc, "string_type", "Input should be a valid string", in)
			return
		}
		dst.SetString(s)
	case reflect.Bool:
		switch x := in.(type) {
		case bool:
			dst.SetBool(x)
		case int64:
			if x != 0 && x != 1 {
				d.fail(loc, "bool_parsing", "Input should be a valid boolean, unable to interpret input", in)
				return
			}
			dst.SetBool(x == 1)
		case string:
			switch strings.ToLower(x) {
			case "1", "on", "t", "true", "y", "yes":
				dst.SetBool(true)
			case "0", "off", "f", "false", "n", "no":
				dst.SetBool(false)
			default:
				d.fail(loc, "bool_parsing", "Input should be a valid boolean, unable to interpret input", in)
			}
		default:
			d.fail(loc, "bool_type", "Input should be a valid boolean", in)
		}
	case reflect.Int, reflect.Int64, reflect.Int32:
		switch x := in.(type) {
		case int64:
			dst.SetInt(x)
		case float64:
			if x != math.Trunc(x) || math.IsInf(x, 0) {
				d.fail(loc, "int_from_float", "Input should be a valid integer, got a number with a fractional part", in)
				return
			}
			dst.SetInt(int64(x))
		case bool: // lax mode takes True and False as 1 and 0
			if x {
				dst.SetInt(1)
			} else {
				dst.SetInt(0)
			}
		case string:
			i, err := laxInt(x)
			if err != nil {
				d.fail(loc, "int_parsing", "Input should be a valid integer, unable to parse string as an integer", in)
				return
			}
			dst.SetInt(i)
		default:
			d.fail(loc, "int_type", "Input should be a valid integer", in)
		}
	case reflect.Float64, reflect.Float32:
		switch x := in.(type) {
		case float64:
			dst.SetFloat(x)
		case int64:
			dst.SetFloat(float64(x))
		case *big.Int:
			f, _ := new(big.Float).SetInt(x).Float64()
			dst.SetFloat(f)
		case bool: // lax mode takes True and False as 1.0 and 0.0
			if x {
				dst.SetFloat(1)
			} else {
				dst.SetFloat(0)
			}
		case string:
			f, err := laxFloat(x)
			if err != nil {
				d.fail(loc, "float_parsing", "Input should be a valid number, unable to parse string as a number", in)
				return
			}
			dst.SetFloat(f)
		default:
			d.fail(loc, "float_type", "Input should be a valid number", in)
		}
	case reflect.Slice:
		l, ok := in.([]any)
		if !ok {
			d.fail(loc, "list_type", "Input should be a valid list", in)
			return
		}
		s := reflect.MakeSlice(t, len(l), len(l))
		for i, e := range l {
			d.bind(s.Index(i), e, join(loc, strconv.Itoa(i)))
		}
		dst.Set(s)
	case reflect.Map:
		o, ok := in.(*py.Object)
		if !ok || t.Key().Kind() != reflect.String {
			d.fail(loc, "dict_type", "Input should be a valid dictionary", in)
			return
		}
		m := reflect.MakeMapWithSize(t, o.Len())
		for _, k := range o.Keys() {
			v, _ := o.Get(k)
			e := reflect.New(t.Elem()).Elem()
			d.bind(e, v, join(loc, k))
			m.SetMapIndex(reflect.ValueOf(k).Convert(t.Key()), e)
		}
		dst.Set(m)
	case reflect.Struct:
		d.model(dst, in, loc)
	default:
		d.fail(loc, "unsupported", "cannot hold a value of Go type "+t.String(), in)
	}
}

func (d *binder) model(dst reflect.Value, in any, loc string) {
	m := py.ModelOf(dst.Type())
	o, ok := in.(*py.Object)
	if !ok {
		d.fail(loc, "model_type", fmt.Sprintf("Input should be a valid dictionary or instance of %s", m.Name), in)
		return
	}
	for _, k := range o.Keys() {
		if _, ok := m.FieldByKey(k); ok {
			continue
		}
		if d.strict && !contains(m.Ignored, k) {
			v, _ := o.Get(k)
			d.fail(join(loc, k), "extra_forbidden", "Extra inputs are not permitted", v)
		}
	}
	for i := range m.Fields {
		f := &m.Fields[i]
		v, ok := o.Get(f.Key())
		if !ok && f.Alias != "" {
			v, ok = o.Get(f.Name)
		}
		floc := join(loc, f.Key())
		if !ok {
			switch {
			case f.Default != nil:
				def, err := py.Parse([]byte(*f.Default))
				if err != nil {
					def = *f.Default // a bare string default
				}
				d.bind(dst.Field(f.Index), def, floc)
			case f.Optional:
			default:
				d.fail(floc, "missing", "Field required", in)
			}
			continue
		}
		if f.Enum != nil && f.Type.Kind() == reflect.Slice {
			// A list of Literal values: each element must be one of them.
			n := len(d.errs)
			l, _ := v.([]any) // not a list: bind reports it
			for j, e := range l {
				if s, isStr := e.(string); !isStr || !contains(f.Enum, s) {
					d.fail(join(floc, strconv.Itoa(j)), "literal_error", "Input should be "+enumText(f.Enum), e)
				}
			}
			if len(d.errs) > n {
				continue
			}
		} else if f.Enum != nil && !(v == nil && f.Type.Kind() == reflect.Pointer) {
			s, isStr := v.(string)
			if !isStr || !contains(f.Enum, s) {
				d.fail(floc, "literal_error", "Input should be "+enumText(f.Enum), v)
				continue
			}
		}
		if f.As != nil && f.Type.Kind() == reflect.Interface && !(v == nil && f.Optional) {
			// An `any` field declared as a str, int, …: input is checked and coerced
			// as for that type.
			tmp := reflect.New(f.As).Elem()
			n := len(d.errs)
			d.bind(tmp, v, floc)
			if len(d.errs) == n {
				dst.Field(f.Index).Set(tmp)
			}
			continue
		}
		d.bind(dst.Field(f.Index), v, floc)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// enumText lists allowed values as pydantic does: 'a', 'b' or 'c'.
func enumText(vals []string) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = py.QuoteString(v)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// laxDigits trims s and removes the underscores pydantic accepts between characters of a
// number ("1_000"), rejecting leading, trailing and doubled ones.
func laxDigits(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "_") {
		return s, true
	}
	if strings.HasPrefix(s, "_") || strings.HasSuffix(s, "_") || strings.Contains(s, "__") {
		return "", false
	}
	return strings.ReplaceAll(s, "_", ""), true
}

// laxInt parses an int field's string as pydantic does: surrounding space, underscores and
// a zero fraction ("1.00") are accepted.
func laxInt(s string) (int64, error) {
	t, ok := laxDigits(s)
	if !ok {
		return 0, strconv.ErrSyntax
	}
	if whole, frac, found := strings.Cut(t, "."); found && whole != "" && whole != "-" && whole != "+" &&
		frac != "" && strings.Trim(frac, "0") == "" {
		t = whole
	}
	return strconv.ParseInt(t, 10, 64)
}

// laxFloat parses a float field's string as pydantic does: surrounding space, underscores,
// inf/infinity/nan in any case and with a sign, and overflow to infinity; no hex.
func laxFloat(s string) (float64, error) {
	t, ok := laxDigits(s)
	if !ok {
		return 0, strconv.ErrSyntax
	}
	unsigned := strings.ToLower(strings.TrimLeft(t, "+-"))
	if len(t)-len(unsigned) > 1 || strings.HasPrefix(unsigned, "0x") {
		return 0, strconv.ErrSyntax
	}
	if unsigned == "nan" {
		return math.NaN(), nil
	}
	f, err := strconv.ParseFloat(t, 64)
	if ne, isNum := err.(*strconv.NumError); isNum && ne.Err == strconv.ErrRange {
		return f, nil
	}
	return f, err
}

package domains

import (
	"math/big"
	"reflect"
	"sync"

	"github.com/toolscale/toolscale/domains/py"
)

// Clone returns a deep copy of v: a record a tool is about to change.
func Clone[T any](v T) T {
	c, _ := cloneValue(reflect.ValueOf(&v).Elem()).Interface().(T) // a nil interface stays nil
	return c
}

type anyCloner interface{ cloneAny() any }

var clonerType = reflect.TypeFor[anyCloner]()

// A clonePlan is what cloning a type takes, worked out once per type.
type clonePlan struct {
	cloner  bool  // a struct with its own cloneAny
	flat    bool  // nothing mutable to copy: a plain copy of the value is a deep one
	byField bool  // a struct with unexported fields: its exported fields are cloned, the rest left zero
	deep    []int // of another struct: the fields to copy deeply after a plain copy
}

var clonePlans sync.Map // reflect.Type → *clonePlan

func planOf(t reflect.Type) *clonePlan {
	if p, ok := clonePlans.Load(t); ok {
		return p.(*clonePlan)
	}
	p := &clonePlan{cloner: t.Kind() == reflect.Struct && t.Implements(clonerType)}
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64, reflect.String:
		p.flat = true
	case reflect.Struct:
		if p.cloner {
			break
		}
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				p.byField = true
			} else if !planOf(f.Type).flat {
				p.deep = append(p.deep, i)
			}
		}
		p.flat = !p.byField && len(p.deep) == 0
	}
	v, _ := clonePlans.LoadOrStore(t, p)
	return v.(*clonePlan)
}

// cloneValue returns a value equal to v, sharing nothing mutable with it. The caller copies
// the result (Set or Interface), so a value with nothing mutable is returned as it is.
func cloneValue(v reflect.Value) reflect.Value {
	t := v.Type()
	p := planOf(t)
	switch {
	case p.flat:
		return v
	case p.cloner:
		return reflect.ValueOf(v.Interface().(anyCloner).cloneAny())
	}
	out := reflect.New(t).Elem()
	switch v.Kind() {
	case reflect.Pointer:
		switch {
		case v.IsNil():
		case t == objectType:
			out.Set(reflect.ValueOf(cloneObject(v.Interface().(*py.Object))))
		case t == bigIntType:
			out.Set(v) // ints are never changed in place
		default:
			p := reflect.New(t.Elem())
			p.Elem().Set(cloneValue(v.Elem()))
			out.Set(p)
		}
	case reflect.Interface:
		if !v.IsNil() {
			out.Set(cloneValue(v.Elem()))
		}
	case reflect.Slice:
		if !v.IsNil() {
			s := reflect.MakeSlice(t, v.Len(), v.Len())
			if planOf(t.Elem()).flat {
				reflect.Copy(s, v)
			} else {
				for i := 0; i < v.Len(); i++ {
					s.Index(i).Set(cloneValue(v.Index(i)))
				}
			}
			out.Set(s)
		}
	case reflect.Map:
		if !v.IsNil() {
			m := reflect.MakeMapWithSize(t, v.Len())
			iter := v.MapRange()
			for iter.Next() {
				m.SetMapIndex(iter.Key(), cloneValue(iter.Value()))
			}
			out.Set(m)
		}
	case reflect.Struct:
		if p.byField {
			for i := 0; i < v.NumField(); i++ {
				if t.Field(i).IsExported() {
					out.Field(i).Set(cloneValue(v.Field(i)))
				}
			}
			break
		}
		out.Set(v)
		for _, i := range p.deep {
			out.Field(i).Set(cloneValue(v.Field(i)))
		}
	default:
		out.Set(v)
	}
	return out
}

var (
	objectType = reflect.TypeFor[*py.Object]()
	bigIntType = reflect.TypeFor[*big.Int]()
)

func cloneObject(o *py.Object) *py.Object {
	c := py.NewObject()
	for _, k := range o.Keys() {
		v, _ := o.Get(k)
		c.Set(k, cloneValue(reflect.ValueOf(&v).Elem()).Interface())
	}
	return c
}

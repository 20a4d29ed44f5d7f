package domains

import (
	"math/big"
	"reflect"

	"github.com/toolscale/toolscale/domains/py"
)

// Clone returns a deep copy of v: a record a tool is about to change.
func Clone[T any](v T) T {
	c, _ := cloneValue(reflect.ValueOf(&v).Elem()).Interface().(T) // a nil interface stays nil
	return c
}

type anyCloner interface{ cloneAny() any }

var clonerType = reflect.TypeFor[anyCloner]()

// cloneValue returns a new value equal to v, sharing nothing mutable with it.
func cloneValue(v reflect.Value) reflect.Value {
	t := v.Type()
	if t.Implements(clonerType) && t.Kind() == reflect.Struct {
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
			for i := 0; i < v.Len(); i++ {
				s.Index(i).Set(cloneValue(v.Index(i)))
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
		for i := 0; i < v.NumField(); i++ {
			if t.Field(i).IsExported() {
				out.Field(i).Set(cloneValue(v.Field(i)))
			}
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

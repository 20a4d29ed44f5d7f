// Package py holds the Python values that the reference environments exchange, and the
// Python semantics toolscale must reproduce byte for byte: JSON text as Python's json module
// writes it, str() and repr(), float text and round().
//
// A decoded JSON value is one of: nil (None), bool, int64 or *big.Int (int), float64 (float),
// string (str), []any (list) and *Object (dict, which keeps its key order).
package py

import (
	"fmt"
	"math/big"
)

// An Object is a Python dict with string keys: it keeps insertion order.
type Object struct {
	keys []string
	vals map[string]any
}

// NewObject returns an empty Object. Pairs, if given, alternate key and value.
func NewObject(pairs ...any) *Object {
	o := &Object{vals: make(map[string]any, len(pairs)/2)}
	for i := 0; i+1 < len(pairs); i += 2 {
		o.Set(pairs[i].(string), pairs[i+1])
	}
	return o
}

// Get returns the value at key k.
func (o *Object) Get(k string) (any, bool) {
	if o == nil {
		return nil, false
	}
	v, ok := o.vals[k]
	return v, ok
}

// Set stores v at key k: a new key goes last, an existing key keeps its place.
func (o *Object) Set(k string, v any) {
	if o.vals == nil {
		o.vals = map[string]any{}
	}
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

// Delete removes key k, keeping the order of the others.
func (o *Object) Delete(k string) {
	if _, ok := o.vals[k]; !ok {
		return
	}
	delete(o.vals, k)
	for i, key := range o.keys {
		if key == k {
			o.keys = append(o.keys[:i:i], o.keys[i+1:]...)
			break
		}
	}
}

// Keys returns the keys in order. The caller must not modify the slice.
func (o *Object) Keys() []string {
	if o == nil {
		return nil
	}
	return o.keys
}

// Len returns the number of keys.
func (o *Object) Len() int {
	if o == nil {
		return 0
	}
	return len(o.keys)
}

// Lookup implements Mapping.
func (o *Object) Lookup(k string) (any, bool) { return o.Get(k) }

// A Mapping is any ordered string-keyed map the encoder can walk: Object, and the
// engine's tables and nested maps.
type Mapping interface {
	Keys() []string
	Lookup(k string) (any, bool)
}

// TypeName returns the Python type name of a decoded value, as error messages print it.
func TypeName(v any) string {
	switch v.(type) {
	case nil:
		return "NoneType"
	case bool:
		return "bool"
	case int, int64, int32, *big.Int:
		return "int"
	case float64, float32:
		return "float"
	case string:
		return "str"
	case []any:
		return "list"
	case *Object, Mapping:
		return "dict"
	}
	return fmt.Sprintf("%T", v)
}

// IsInt reports whether v is a Python int (bool excluded) and returns it when it fits int64.
func IsInt(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case int:
		return int64(n), true
	case int32:
		return int64(n), true
	case *big.Int:
		if n.IsInt64() {
			return n.Int64(), true
		}
		return 0, true
	}
	return 0, false
}

// IsNumber reports whether v is a Python int or float (bool excluded) and returns it as a float.
func IsNumber(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case float32:
		return float64(n), true
	case *big.Int:
		f, _ := new(big.Float).SetInt(n).Float64()
		return f, true
	}
	if i, ok := IsInt(v); ok {
		return float64(i), true
	}
	return 0, false
}

// MarshalJSON writes the dict with its keys in order, for encoding/json callers.
func (o *Object) MarshalJSON() ([]byte, error) { return Marshal(o, Output) }

// UnmarshalJSON reads a JSON object keeping its key order, for encoding/json callers.
func (o *Object) UnmarshalJSON(data []byte) error {
	v, err := Parse(data)
	if err != nil {
		return err
	}
	obj, ok := v.(*Object)
	if !ok {
		return fmt.Errorf("want a JSON object, got %s", TypeName(v))
	}
	*o = *obj
	return nil
}

package domains

import (
	"iter"
	"reflect"
)

// A Map is an ordered map keyed by id: the Go form of a Python dict nested in a record
// (a client's accounts, a theater's auditoriums). New keys go last; an overwrite keeps
// the key's place, as a Python dict does.
type Map[V any] struct {
	keys []string
	vals map[string]V
}

// Len returns the number of entries.
func (m Map[V]) Len() int { return len(m.keys) }

// Keys returns the keys in order. The caller must not modify the slice.
func (m Map[V]) Keys() []string { return m.keys }

// Get returns the value at k.
func (m Map[V]) Get(k string) (V, bool) {
	v, ok := m.vals[k]
	return v, ok
}

// Lookup returns the value at k as an any, for the encoder.
func (m Map[V]) Lookup(k string) (any, bool) {
	v, ok := m.vals[k]
	return v, ok
}

// All iterates over the entries in order.
func (m Map[V]) All() iter.Seq2[string, V] {
	return func(yield func(string, V) bool) {
		for _, k := range m.keys {
			if !yield(k, m.vals[k]) {
				return
			}
		}
	}
}

// Values iterates over the values in order.
func (m Map[V]) Values() iter.Seq[V] {
	return func(yield func(V) bool) {
		for _, k := range m.keys {
			if !yield(m.vals[k]) {
				return
			}
		}
	}
}

// Set stores v at k.
func (m *Map[V]) Set(k string, v V) {
	if m.vals == nil {
		m.vals = map[string]V{}
	}
	if _, ok := m.vals[k]; !ok {
		m.keys = append(m.keys, k)
	}
	m.vals[k] = v
}

// Delete removes k, keeping the order of the other keys.
func (m *Map[V]) Delete(k string) {
	if _, ok := m.vals[k]; !ok {
		return
	}
	delete(m.vals, k)
	for i, key := range m.keys {
		if key == k {
			m.keys = append(m.keys[:i:i], m.keys[i+1:]...)
			return
		}
	}
}

// cloneAny returns a deep copy, for Clone.
func (m Map[V]) cloneAny() any {
	c := Map[V]{keys: append([]string(nil), m.keys...), vals: make(map[string]V, len(m.vals))}
	for k, v := range m.vals {
		c.vals[k] = cloneValue(reflect.ValueOf(&v).Elem()).Interface().(V)
	}
	if m.keys == nil {
		c.keys = nil
	}
	return c
}

// bindObject fills m from a decoded dict, one value per key.
func (m *Map[V]) bindObject(d *binder, keys []string, get func(string) any, loc string) {
	m.keys = make([]string, 0, len(keys))
	m.vals = make(map[string]V, len(keys))
	for _, k := range keys {
		var v V
		d.bind(reflect.ValueOf(&v).Elem(), get(k), join(loc, k))
		m.Set(k, v)
	}
}

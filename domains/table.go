package domains

import (
	"iter"
	"maps"
	"reflect"
	"slices"
	"sort"
	"sync"

	"github.com/toolscale/toolscale/domains/py"
)

// A Table is a top-level table of a database: records keyed by id, in file order.
//
// Tables are copy-on-write. Fork gives a new table that shares the records of its parent;
// Mut copies a record before a tool changes it, so the parent never sees the change. The
// encodings of unchanged records are computed once, by Freeze, and reused by every fork, so
// hashing a database after a task costs one encoding per changed record.
type Table[T any] struct {
	base *tableBase[T]
	over map[string]*T // records changed or added in this fork
	keys []string      // record order once this fork added or deleted keys; nil: base.keys
	gone map[string]bool
}

type tableBase[T any] struct {
	keys   []string
	rows   map[string]*T
	sorted []string          // keys in code-point order
	canon  map[string][]byte // cached Canonical encodings, set by freeze
	tau2   map[string][]byte // cached Tau2 encodings, set by freeze
	// entries are, per style (Canonical, Tau2) and in sorted key order, each record's
	// quoted key, colon and encoding: what a hash stream writes for it.
	entries [2][][]byte
	// hashes holds the hash checkpoints of databases whose first table (in sorted order)
	// is this one, keyed by the bases of their other tables; it dies with the base.
	hashes sync.Map
	// derived holds what Derived computed for databases whose first table is this one.
	derived sync.Map
}

// Len returns the number of records.
func (t *Table[T]) Len() int { return len(t.Keys()) }

// Keys returns the record ids in order. The caller must not modify the slice.
func (t *Table[T]) Keys() []string {
	if t.keys != nil {
		return t.keys
	}
	if t.base == nil {
		return nil
	}
	return t.base.keys
}

// Get returns the record at id k. The record must not be changed: use Mut for that.
func (t *Table[T]) Get(k string) (*T, bool) {
	if r, ok := t.over[k]; ok {
		return r, true
	}
	if t.gone[k] || t.base == nil {
		return nil, false
	}
	r, ok := t.base.rows[k]
	return r, ok
}

// Lookup returns the record at id k as an any, for the encoder.
func (t *Table[T]) Lookup(k string) (any, bool) {
	r, ok := t.Get(k)
	return r, ok
}

// Mut returns the record at id k for a change: a private copy in this fork.
func (t *Table[T]) Mut(k string) (*T, bool) {
	if r, ok := t.over[k]; ok {
		return r, true
	}
	r, ok := t.Get(k)
	if !ok {
		return nil, false
	}
	c := Clone(r)
	if t.over == nil {
		t.over = map[string]*T{}
	}
	t.over[k] = c
	return c, true
}

// Put stores r at id k: a new id goes last, an existing id keeps its place.
func (t *Table[T]) Put(k string, r *T) {
	if _, ok := t.Get(k); !ok {
		if t.keys == nil {
			t.keys = slices.Clone(t.Keys())
		}
		t.keys = append(t.keys, k)
		delete(t.gone, k)
	}
	if t.over == nil {
		t.over = map[string]*T{}
	}
	t.over[k] = r
}

// Delete removes the record at id k.
func (t *Table[T]) Delete(k string) {
	if _, ok := t.Get(k); !ok {
		return
	}
	delete(t.over, k)
	if t.gone == nil {
		t.gone = map[string]bool{}
	}
	t.gone[k] = true
	keys := slices.Clone(t.Keys())
	t.keys = slices.DeleteFunc(keys, func(s string) bool { return s == k })
}

// All iterates over the records in order. The records must not be changed.
func (t *Table[T]) All() iter.Seq2[string, *T] {
	return func(yield func(string, *T) bool) {
		for _, k := range t.Keys() {
			r, _ := t.Get(k)
			if !yield(k, r) {
				return
			}
		}
	}
}

// Values iterates over the records in order. The records must not be changed.
func (t *Table[T]) Values() iter.Seq[*T] {
	return func(yield func(*T) bool) {
		for _, k := range t.Keys() {
			r, _ := t.Get(k)
			if !yield(r) {
				return
			}
		}
	}
}

// changedKeys returns the ids of records this fork changed, added or deleted, sorted.
func (t *Table[T]) changedKeys() []string {
	keys := make([]string, 0, len(t.over)+len(t.gone))
	for k := range t.over {
		keys = append(keys, k)
	}
	for k := range t.gone {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// changed reports whether this fork differs from its base.
func (t *Table[T]) changed() bool { return len(t.over) > 0 || t.keys != nil }

// flatten returns a base holding this fork's records, reusing cached encodings of
// records that did not change.
func (t *Table[T]) flatten() *tableBase[T] {
	if !t.changed() && t.base != nil {
		return t.base
	}
	keys := slices.Clone(t.Keys())
	b := &tableBase[T]{keys: keys, rows: make(map[string]*T, len(keys))}
	for _, k := range keys {
		b.rows[k], _ = t.Get(k)
	}
	return b
}

// freeze makes the table's records its base and caches their encodings. After freeze the
// table may be forked from many goroutines.
func (t *Table[T]) freeze() error {
	old := t.base
	b := t.flatten()
	b.sorted = slices.Sorted(slices.Values(b.keys))
	b.canon = make(map[string][]byte, len(b.keys))
	b.tau2 = make(map[string][]byte, len(b.keys))
	for _, k := range b.keys {
		if old != nil && old.canon != nil && t.over[k] == nil && old.rows[k] == b.rows[k] {
			if c, ok := old.canon[k]; ok {
				b.canon[k], b.tau2[k] = c, old.tau2[k]
				continue
			}
		}
		var err error
		if b.canon[k], err = py.Marshal(b.rows[k], py.Canonical); err != nil {
			return err
		}
		if b.tau2[k], err = py.Marshal(b.rows[k], py.Tau2); err != nil {
			return err
		}
	}
	for st, enc := range []map[string][]byte{b.canon, b.tau2} {
		colon := ":"
		if st == 1 {
			colon = ": "
		}
		b.entries[st] = make([][]byte, len(b.sorted))
		for i, k := range b.sorted {
			e := py.AppendQuote(nil, k, st == 1)
			e = append(e, colon...)
			b.entries[st][i] = append(e, enc[k]...)
		}
	}
	*t = Table[T]{base: b}
	return nil
}

// eachEntry calls fn for the records from position start of the sorted keys on, in sorted
// key order: with the record's cached stream entry (its quoted key, the colon and its
// encoding in style s), or with nil when this fork changed or added the record, which the
// caller then encodes. Nothing before start may differ from the base: start is at most
// firstChanged's position.
func (t *Table[T]) eachEntry(start int, s py.Style, fn func(i int, k string, e []byte) error) error {
	b := t.base
	if b == nil || b.entries[0] == nil { // not frozen: nothing cached
		keys := slices.Sorted(slices.Values(t.Keys()))
		for i := start; i < len(keys); i++ {
			if err := fn(i, keys[i], nil); err != nil {
				return err
			}
		}
		return nil
	}
	entries := b.entries[0]
	if s == py.Tau2 {
		entries = b.entries[1]
	}
	// The changed records in key order, and among them those the base lacks.
	var changed, added []string
	if len(t.over) > 0 {
		changed = make([]string, 0, len(t.over))
		for k := range t.over {
			changed = append(changed, k)
			if _, ok := b.rows[k]; !ok {
				added = append(added, k)
			}
		}
		slices.Sort(changed)
		slices.Sort(added)
	}
	// Every added key sorts after the unchanged records before start.
	ci, ai, i := 0, 0, start
	for bi := start; bi < len(b.sorted) || ai < len(added); {
		var k string
		var e []byte
		if bi < len(b.sorted) && (ai == len(added) || b.sorted[bi] < added[ai]) {
			k = b.sorted[bi]
			if len(t.gone) > 0 && t.gone[k] {
				bi++
				continue
			}
			for ci < len(changed) && changed[ci] < k {
				ci++
			}
			if ci == len(changed) || changed[ci] != k {
				e = entries[bi]
			}
			bi++
		} else {
			k = added[ai]
			ai++
		}
		if err := fn(i, k, e); err != nil {
			return err
		}
		i++
	}
	return nil
}

// fork returns a table sharing this one's records. The fork keeps this table's base and
// copies of the records it changed, so both stay changes of the same base: Touched still
// sees them, the hash still resumes from the base's checkpoints, and this table can go on
// changing its records in place.
func (t *Table[T]) fork() any {
	f := &Table[T]{base: t.base}
	if len(t.over) > 0 {
		f.over = make(map[string]*T, len(t.over))
		for k, r := range t.over {
			f.over[k] = Clone(r)
		}
	}
	if t.keys != nil {
		f.keys = slices.Clone(t.keys)
	}
	if len(t.gone) > 0 {
		f.gone = maps.Clone(t.gone)
	}
	return f
}

// appendEncoded appends the table as a dict with sorted keys, in style Canonical or Tau2,
// using cached record encodings where the record did not change.
func (t *Table[T]) appendEncoded(dst []byte, s py.Style) ([]byte, error) {
	var keys []string
	if t.keys == nil && t.base != nil && t.base.sorted != nil { // no record added or deleted
		keys = t.base.sorted
	} else {
		keys = slices.Sorted(slices.Values(t.Keys()))
	}
	sep, colon := ",", ":"
	if s == py.Tau2 {
		sep, colon = ", ", ": "
	}
	dst = append(dst, '{')
	for i, k := range keys {
		if i > 0 {
			dst = append(dst, sep...)
		}
		dst = py.AppendQuote(dst, k, s == py.Tau2)
		dst = append(dst, colon...)
		if cached := t.cached(k, s); cached != nil {
			dst = append(dst, cached...)
			continue
		}
		r, _ := t.Get(k)
		var err error
		if dst, err = py.AppendMarshal(dst, r, s); err != nil {
			return nil, err
		}
	}
	return append(dst, '}'), nil
}

func (t *Table[T]) cached(k string, s py.Style) []byte {
	if t.base == nil || t.base.canon == nil || t.over[k] != nil {
		return nil
	}
	if s == py.Tau2 {
		return t.base.tau2[k]
	}
	return t.base.canon[k]
}

// bindObject fills the table from a decoded dict, one record per key.
func (t *Table[T]) bindObject(d *binder, keys []string, get func(string) any, loc string) {
	b := &tableBase[T]{keys: make([]string, 0, len(keys)), rows: make(map[string]*T, len(keys))}
	for _, k := range keys {
		r := new(T)
		d.bind(reflect.ValueOf(r).Elem(), get(k), join(loc, k))
		if _, dup := b.rows[k]; !dup {
			b.keys = append(b.keys, k)
		}
		b.rows[k] = r
	}
	*t = Table[T]{base: b}
}

// cloneAny returns an independent copy, for Clone.
func (t Table[T]) cloneAny() any {
	c := Table[T]{base: t.flatten()}
	return c
}

// frozenBase returns the table's base when it is frozen, for the hash checkpoints.
func (t *Table[T]) frozenBase() (any, bool) {
	if t.base == nil || t.base.canon == nil {
		return nil, false
	}
	return t.base, true
}

// hashCache returns the frozen base's cache of database hash checkpoints.
func (t *Table[T]) hashCache() *sync.Map { return &t.base.hashes }

// derivedCache returns the frozen base's cache of Derived results.
func (t *Table[T]) derivedCache() *sync.Map { return &t.base.derived }

// baseView returns the table as its frozen base holds it, without this fork's changes.
func (t *Table[T]) baseView() table { return &Table[T]{base: t.base} }

// firstChanged returns the index, in sorted key order, of the first record this fork
// changed, added or deleted.
func (t *Table[T]) firstChanged() (int, bool) {
	if !t.changed() && len(t.gone) == 0 {
		return 0, false
	}
	first, found := "", false
	for k := range t.over {
		if !found || k < first {
			first, found = k, true
		}
	}
	for k := range t.gone {
		if !found || k < first {
			first, found = k, true
		}
	}
	if !found {
		// Only the order of keys changed, which the sorted encodings do not show.
		return 0, false
	}
	return sort.SearchStrings(t.base.sorted, first), true
}

// appendRecord appends the encoding of record k in style s, from the cache when it holds it.
func (t *Table[T]) appendRecord(dst []byte, k string, s py.Style) ([]byte, error) {
	if c := t.cached(k, s); c != nil {
		return append(dst, c...), nil
	}
	r, _ := t.Get(k)
	return py.AppendMarshal(dst, r, s)
}

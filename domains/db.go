package domains

import (
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/toolscale/toolscale/domains/py"
)

// A DB is a domain's database: a pointer to a struct whose fields are *Table values with
// json tags naming the tables, as in db.json.
type DB any

// table is what the engine needs of a *Table, whatever its record type.
type table interface {
	Len() int
	Keys() []string
	freeze() error
	fork() any
	appendEncoded(dst []byte, s py.Style) ([]byte, error)
	changedKeys() []string
	frozenBase() (any, bool)
	baseView() table
	hashCache() *sync.Map
	derivedCache() *sync.Map
	changed() bool
	firstChanged() (int, bool)
	appendRecord(dst []byte, k string, s py.Style) ([]byte, error)
	cached(k string, s py.Style) []byte
	eachEntry(start int, s py.Style, fn func(i int, k string, e []byte) error) error
}

// tablesOf returns the tables of db with their names, in declaration order.
func tablesOf(db DB) ([]string, []table, error) {
	v := reflect.ValueOf(db)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return nil, nil, fmt.Errorf("database is %T, not a pointer to a struct", db)
	}
	m := py.ModelOf(v.Elem().Type())
	names := make([]string, 0, len(m.Fields))
	tables := make([]table, 0, len(m.Fields))
	for _, f := range m.Fields {
		fv := v.Elem().Field(f.Index)
		if fv.IsNil() {
			fv.Set(reflect.New(fv.Type().Elem()))
		}
		t, ok := fv.Interface().(table)
		if !ok {
			return nil, nil, fmt.Errorf("database field %s is %s, not a *Table", f.Name, fv.Type())
		}
		names = append(names, f.Key())
		tables = append(tables, t)
	}
	return names, tables, nil
}

// Decode reads a database of domain d from db.json bytes, as the reference loads it: every
// table and field checked against the data model, defaults filled, ignored keys dropped.
// Unknown keys, wrong types, values outside an enum and missing fields are errors naming
// their JSON path. The result is frozen: ready to hash and to fork.
func Decode(d *Domain, data []byte) (DB, error) {
	v, err := py.Parse(data)
	if err != nil {
		return nil, err
	}
	db := d.NewDB()
	b := binder{strict: true}
	b.bind(reflect.ValueOf(db).Elem(), v, "")
	if len(b.errs) > 0 {
		return nil, &LoadError{Errors: b.errs}
	}
	if err := Freeze(db); err != nil {
		return nil, err
	}
	return db, nil
}

// A LoadError lists what in a database file does not fit the data model.
type LoadError struct {
	Errors []FieldError
}

func (e *LoadError) Error() string {
	const show = 5
	var parts []string
	for i, fe := range e.Errors {
		if i == show {
			parts = append(parts, fmt.Sprintf("and %d more", len(e.Errors)-show))
			break
		}
		msg := fe.Msg
		if fe.Type != "missing" && fe.Input != nil {
			msg += ", got " + truncateRepr(py.Repr(fe.Input))
		}
		loc := fe.Loc
		if loc == "" {
			loc = "(root)"
		}
		parts = append(parts, loc+": "+msg)
	}
	return strings.Join(parts, "; ")
}

// Freeze caches the encodings of every record of db, so that forks hash quickly. Call it
// once a database is built; after it, db may be forked from many goroutines.
func Freeze(db DB) error {
	_, tables, err := tablesOf(db)
	if err != nil {
		return err
	}
	for _, t := range tables {
		if err := t.freeze(); err != nil {
			return err
		}
	}
	return nil
}

// Fork returns a copy of db that shares its records until a tool changes them.
func Fork(db DB) DB {
	v := reflect.ValueOf(db).Elem()
	out := reflect.New(v.Type())
	m := py.ModelOf(v.Type())
	for _, f := range m.Fields {
		fv := v.Field(f.Index)
		if t, ok := fv.Interface().(table); ok && !fv.IsNil() {
			out.Elem().Field(f.Index).Set(reflect.ValueOf(t.fork()))
		}
	}
	return out.Interface()
}

// TableNames returns the names of the domain's tables in db.json order.
func (d *Domain) TableNames() []string {
	names, _, _ := tablesOf(d.NewDB())
	return names
}

// Counts returns the number of records in each table.
func Counts(db DB) (map[string]int, error) {
	names, tables, err := tablesOf(db)
	if err != nil {
		return nil, err
	}
	c := make(map[string]int, len(names))
	for i, t := range tables {
		c[names[i]] = t.Len()
	}
	return c, nil
}

// Encode returns the database in style s: py.File for a db.json, py.Canonical and py.Tau2
// for the hash forms.
func Encode(db DB, s py.Style) ([]byte, error) {
	if s != py.Canonical && s != py.Tau2 {
		return py.Marshal(db, s)
	}
	names, tables, err := tablesOf(db)
	if err != nil {
		return nil, err
	}
	order := make([]int, len(names))
	for i := range order {
		order[i] = i
	}
	// Top-level keys sorted, as sort_keys does.
	for i := 1; i < len(order); i++ {
		for j := i; j > 0 && names[order[j]] < names[order[j-1]]; j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	var buf []byte
	if s == py.Canonical {
		buf = make([]byte, 0, 1<<20)
	} else {
		buf = make([]byte, 0, 1<<20)
	}
	buf = append(buf, '{')
	for n, i := range order {
		if n > 0 {
			if s == py.Tau2 {
				buf = append(buf, ", "...)
			} else {
				buf = append(buf, ',')
			}
		}
		buf = py.AppendQuote(buf, names[i], s == py.Tau2)
		if s == py.Tau2 {
			buf = append(buf, ": "...)
		} else {
			buf = append(buf, ':')
		}
		if buf, err = tables[i].appendEncoded(buf, s); err != nil {
			return nil, fmt.Errorf("encode table %s: %w", names[i], err)
		}
	}
	return append(buf, '}'), nil
}

// Hashes are the two hashes of a database.
type Hashes struct {
	SHA256 string `json:"sha256"`    // of the Canonical encoding
	Tau2   string `json:"tau2_hash"` // the reference environment's own hash
}

// A Ref names one record: its table and id.
type Ref struct {
	Table string `json:"table"`
	ID    string `json:"id"`
}

// Touched lists the records that tools changed, added or deleted in this environment's fork
// of its database (a record a write tool took for a change counts even if its values end up
// the same), in table order, then by id.
func Touched(db DB) ([]Ref, error) {
	names, tables, err := tablesOf(db)
	if err != nil {
		return nil, err
	}
	var refs []Ref
	for i, t := range tables {
		for _, k := range t.changedKeys() {
			refs = append(refs, Ref{names[i], k})
		}
	}
	return refs, nil
}

package domains

import (
	"iter"
	"strings"
	"sync"
)

// Derived returns what build derives from db when db is an unchanged fork of a frozen
// database: computed once, then shared by every such fork. An intent template's index of
// the records is the use: every task drafted on a fresh fork would otherwise build it anew.
// The result must be treated as read-only. For a changed fork, or a database that is not
// frozen, Derived reports false without calling build, and the caller works on db itself.
//
// name identifies what build derives; it must be unique among a domain's derivations.
func Derived[T any](db DB, name string, build func() T) (T, bool) {
	var zero T
	_, tables, err := tablesOf(db)
	if err != nil || len(tables) == 0 {
		return zero, false
	}
	for _, t := range tables {
		if t.changed() {
			return zero, false
		}
	}
	key, ok := frozenKey(tables)
	if !ok {
		return zero, false
	}
	v, _ := tables[0].derivedCache().LoadOrStore(name+"\x00"+key, &derivation{})
	d := v.(*derivation)
	d.once.Do(func() { d.value = build() })
	return d.value.(T), true
}

type derivation struct {
	once  sync.Once
	value any
}

// UniqueLower reports whether exactly one of records has a field equal to want in lower
// case, as the reference's lookups by email compare: whether the email identifies its owner.
// On an unchanged fork of a frozen database it counts from an index of db that Derived
// shares (name identifies it); on a changed one it scans records.
func UniqueLower[T any](db DB, name string, records iter.Seq[*T], field func(*T) string, want string) bool {
	counts, ok := Derived(db, name, func() map[string]int {
		m := map[string]int{}
		for r := range records {
			m[strings.ToLower(field(r))]++
		}
		return m
	})
	if ok {
		return counts[strings.ToLower(want)] == 1
	}
	n := 0
	for r := range records {
		if sameLower(field(r), want) {
			n++
		}
	}
	return n == 1
}

// sameLower reports whether strings.ToLower(a) == strings.ToLower(b), without lowering
// ASCII strings.
func sameLower(a, b string) bool {
	if IsASCII(a) && IsASCII(b) {
		return len(a) == len(b) && strings.EqualFold(a, b)
	}
	return strings.ToLower(a) == strings.ToLower(b)
}

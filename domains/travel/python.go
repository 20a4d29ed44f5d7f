package travel

import (
	"errors"
	"fmt"
	"math/big"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/toolscale/toolscale/domains/py"
)

// dictKey returns v as a key of a str-keyed dict. A value of another hashable type is
// simply never found (ok false); a list or dict raises CPython's TypeError.
func dictKey(v any) (k string, ok bool, err error) {
	switch x := v.(type) {
	case string:
		return x, true, nil
	case []any:
		return "", false, errors.New("unhashable type: 'list'")
	case *py.Object:
		return "", false, errors.New("unhashable type: 'dict'")
	}
	return "", false, nil
}

// noAttr is the AttributeError of reading attribute name on v.
func noAttr(v any, name string) error {
	return fmt.Errorf("'%s' object has no attribute '%s'", py.TypeName(v), name)
}

// iterate returns what a Python for loop over v yields: a list's items, a dict's keys, a
// string's characters; anything else is not iterable.
func iterate(v any) ([]any, error) {
	switch x := v.(type) {
	case []any:
		return x, nil
	case *py.Object:
		out := make([]any, 0, x.Len())
		for _, k := range x.Keys() {
			out = append(out, k)
		}
		return out, nil
	case string:
		out := make([]any, 0, len(x))
		for _, r := range x {
			out = append(out, string(r))
		}
		return out, nil
	}
	return nil, fmt.Errorf("'%s' object is not iterable", py.TypeName(v))
}

// allDicts reports all(isinstance(x, dict) for x in items).
func allDicts(items []any) bool {
	for _, it := range items {
		if _, ok := it.(*py.Object); !ok {
			return false
		}
	}
	return true
}

// pyLen is len(v) for a value a tool holds: a list, str (in code points), dict, or a list
// of models.
func pyLen(v any) (int, error) {
	switch x := v.(type) {
	case []any:
		return len(x), nil
	case string:
		return utf8.RuneCountInString(x), nil
	case *py.Object:
		return x.Len(), nil
	case []BookingTravelerInfo:
		return len(x), nil
	}
	return 0, fmt.Errorf("object of type '%s' has no len()", py.TypeName(v))
}

// truthy is Python's bool(v) for a decoded value.
func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case int64:
		return x != 0
	case *big.Int:
		return x.Sign() != 0
	case float64:
		return x != 0
	case string:
		return x != ""
	case []any:
		return len(x) > 0
	case *py.Object:
		return x.Len() > 0
	}
	return true
}

// isStr reports v == s for a stored str s: a str equals only a str.
func isStr(v any, s string) bool {
	x, ok := v.(string)
	return ok && x == s
}

// pyStrip is str.strip(): Python's white space also counts the separators U+001C..U+001F.
func pyStrip(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
	})
}

// pyLower is str.lower(), whose full case mapping turns U+0130 into "i" and a combining
// dot, where Go's simple mapping gives a bare "i".
func pyLower(s string) string {
	if strings.ContainsRune(s, 'İ') {
		s = strings.ReplaceAll(s, "İ", "i\u0307")
	}
	return strings.ToLower(s)
}

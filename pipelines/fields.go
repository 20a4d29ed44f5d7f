package pipelines

import (
	"bytes"
	"encoding/json"
	"errors"
)

// errNotObject is the error of a line that is not one JSON object.
var errNotObject = errors.New("not a JSON object")

// topFields calls fn with the key and raw value of each top-level field of the JSON object
// line, in order, until fn returns false. It finds where values end without decoding them,
// so reading a few fields of a large record costs a scan, not an Unmarshal; it checks the
// structure it walks, not the values it skips.
func topFields(line []byte, fn func(key string, val []byte) bool) error {
	i := skipSpace(line, 0)
	if i >= len(line) || line[i] != '{' {
		return errNotObject
	}
	i = skipSpace(line, i+1)
	if i < len(line) && line[i] == '}' {
		return nil
	}
	for {
		end, err := valueEnd(line, i)
		if err != nil || line[i] != '"' {
			return errNotObject
		}
		key, err := jsonString(line[i:end])
		if err != nil {
			return err
		}
		i = skipSpace(line, end)
		if i >= len(line) || line[i] != ':' {
			return errNotObject
		}
		i = skipSpace(line, i+1)
		if end, err = valueEnd(line, i); err != nil || end == i {
			return errNotObject
		}
		if !fn(key, line[i:end]) {
			return nil
		}
		i = skipSpace(line, end)
		switch {
		case i < len(line) && line[i] == ',':
			i = skipSpace(line, i+1)
		case i < len(line) && line[i] == '}':
			return nil
		default:
			return errNotObject
		}
	}
}

// jsonString decodes a raw JSON string, without Unmarshal where it has no escapes.
func jsonString(raw []byte) (string, error) {
	if len(raw) < 2 || raw[0] != '"' {
		return "", errNotObject
	}
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1 : len(raw)-1]), nil
	}
	var s string
	err := json.Unmarshal(raw, &s)
	return s, err
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// valueEnd returns the end of the JSON value that starts at b[i].
func valueEnd(b []byte, i int) (int, error) {
	if i >= len(b) {
		return 0, errNotObject
	}
	depth := 0
	for j := i; j < len(b); j++ {
		switch c := b[j]; c {
		case '"':
			k := j + 1
			for k < len(b) && b[k] != '"' {
				if b[k] == '\\' {
					k++
				}
				k++
			}
			if k >= len(b) {
				return 0, errNotObject
			}
			j = k
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 { // the end of a scalar inside its container
				return j, nil
			}
			depth--
		case ',', ' ', '\t', '\n', '\r':
			if depth == 0 {
				return j, nil
			}
		}
		if depth == 0 && (b[j] == '"' || b[j] == '}' || b[j] == ']') {
			return j + 1, nil
		}
	}
	if depth != 0 {
		return 0, errNotObject
	}
	return len(b), nil
}

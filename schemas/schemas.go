// Package schemas holds the JSON Schemas of toolscale's record types and validates documents
// against them.
//
// Each schema is a committed file, name.schema.json, generated from its Go type with
// github.com/invopop/jsonschema; the package test regenerates every schema from its type and
// fails when the committed file differs (`go test ./schemas -update` rewrites them). The
// files are embedded, so a validator needs nothing from disk.
//
// Schemas:
//
//	record    dataset.Record, one line of a shard
//	rejected  dataset.Rejected, one line of a rejected-records file
//	manifest  dataset.Manifest, a dataset's manifest.json
package schemas

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

//go:embed *.schema.json
var files embed.FS

const suffix = ".schema.json"

// ErrUnknown is returned for a schema name that has no committed file.
var ErrUnknown = errors.New("unknown schema")

// Names returns the names of the committed schemas, sorted.
func Names() []string {
	entries, err := fs.ReadDir(files, ".")
	if err != nil {
		return nil // an embed.FS root always reads
	}
	var names []string
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), suffix); ok {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return names
}

// Schema returns the committed bytes of the schema called name.
func Schema(name string) ([]byte, error) {
	b, err := files.ReadFile(name + suffix)
	if err != nil {
		return nil, fmt.Errorf("%w %q (have %s)", ErrUnknown, name, strings.Join(Names(), ", "))
	}
	return b, nil
}

// ID returns the "$id" of the schema called name.
func ID(name string) (string, error) {
	b, err := Schema(name)
	if err != nil {
		return "", err
	}
	var head struct {
		ID string `json:"$id"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return "", fmt.Errorf("schema %s: %w", name, err)
	}
	if head.ID == "" {
		return "", fmt.Errorf("schema %s: no $id", name)
	}
	return head.ID, nil
}

// Ref names the exact version of the schema called name: its "$id", "@sha256:" and the first
// 16 hex digits of the sha256 of its committed bytes. A manifest's Schemas map holds these, so
// a reader can tell whether a dataset was written with the schemas it validates against.
func Ref(name string) (string, error) {
	id, err := ID(name)
	if err != nil {
		return "", err
	}
	b, _ := Schema(name) // ID has read it
	sum := sha256.Sum256(b)
	return id + "@sha256:" + hex.EncodeToString(sum[:8]), nil
}

var compiled struct {
	sync.Mutex
	m map[string]*jsonschema.Schema
}

// Validator returns the compiled schema called name. Compilation happens once per name; the
// result is safe for concurrent use. Documents to validate are values decoded from JSON (see
// ValidateJSON, which also turns errors into Violations).
func Validator(name string) (*jsonschema.Schema, error) {
	compiled.Lock()
	defer compiled.Unlock()
	if s, ok := compiled.m[name]; ok {
		return s, nil
	}
	b, err := Schema(name)
	if err != nil {
		return nil, err
	}
	id, err := ID(name)
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.LoadURL = func(url string) (io.ReadCloser, error) {
		return nil, fmt.Errorf("schemas load only embedded files, not %s", url)
	}
	if err := c.AddResource(id, bytes.NewReader(b)); err != nil {
		return nil, fmt.Errorf("schema %s: %w", name, err)
	}
	s, err := c.Compile(id)
	if err != nil {
		return nil, fmt.Errorf("compile schema %s: %w", name, err)
	}
	if compiled.m == nil {
		compiled.m = map[string]*jsonschema.Schema{}
	}
	compiled.m[name] = s
	return s, nil
}

// A Violation is one way a document breaks its schema.
type Violation struct {
	// Field is the path of the offending value, such as "tools[2].kind"; "" is the document.
	Field string `json:"field,omitempty"`
	// Reason says what is wrong, as the validator words it.
	Reason string `json:"reason"`
}

func (v Violation) String() string {
	if v.Field == "" {
		return v.Reason
	}
	return v.Field + ": " + v.Reason
}

// ValidateJSON validates one JSON document against the schema called name and returns its
// violations, sorted by field then reason; none means the document is valid. A document that
// is not JSON is one violation. The error is for an unknown or broken schema only.
func ValidateJSON(name string, doc []byte) ([]Violation, error) {
	s, err := Validator(name)
	if err != nil {
		return nil, err
	}
	d := json.NewDecoder(bytes.NewReader(doc))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return []Violation{{Reason: "invalid JSON: " + err.Error()}}, nil
	}
	if _, err := d.Token(); err != io.EOF {
		return []Violation{{Reason: "invalid JSON: data after the top-level value"}}, nil
	}
	return Violations(s.Validate(v)), nil
}

// Violations flattens an error returned by a compiled schema's Validate into the leaf errors
// that say what is wrong, sorted by field then reason. Another error is one violation of the
// whole document; nil gives nil.
func Violations(err error) []Violation {
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []Violation{{Reason: err.Error()}}
	}
	var out []Violation
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			out = append(out, leaf(e)...)
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	slices.SortFunc(out, func(a, b Violation) int {
		if c := strings.Compare(a.Field, b.Field); c != 0 {
			return c
		}
		return strings.Compare(a.Reason, b.Reason)
	})
	return slices.Compact(out)
}

// leaf turns one leaf error into violations: one per missing property for "required", so
// that each names its field, or one as the validator words it.
func leaf(e *jsonschema.ValidationError) []Violation {
	field := FieldPath(e.InstanceLocation)
	list, ok := strings.CutPrefix(e.Message, "missing properties: ")
	if !ok || !strings.HasSuffix(e.KeywordLocation, "/required") {
		return []Violation{{Field: field, Reason: e.Message}}
	}
	var out []Violation
	for _, q := range strings.Split(list, ", ") {
		name := strings.TrimSuffix(strings.TrimPrefix(q, "'"), "'")
		f := name
		if field != "" {
			f = field + "." + name
		}
		out = append(out, Violation{Field: f, Reason: "missing required property"})
	}
	return out
}

// FieldPath turns a JSON pointer ("/tools/2/kind") into the dotted path used in error
// messages ("tools[2].kind"). Tokens made only of digits are taken for array indexes.
func FieldPath(pointer string) string {
	if pointer == "" || pointer == "/" {
		return ""
	}
	var b strings.Builder
	for i, tok := range strings.Split(strings.TrimPrefix(pointer, "/"), "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		if _, err := strconv.ParseUint(tok, 10, 64); err == nil {
			b.WriteString("[" + tok + "]")
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(tok)
	}
	return b.String()
}

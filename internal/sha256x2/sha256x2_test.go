package sha256x2

import (
	"crypto/sha256"
	"encoding"
	"math/rand/v2"
	"testing"
)

// stateAfter returns crypto/sha256's marshalled state after writing p, or nil for none.
func stateAfter(t testing.TB, p []byte) []byte {
	if p == nil {
		return nil
	}
	d := sha256.New()
	d.Write(p)
	s, err := d.(encoding.BinaryMarshaler).MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func check(t *testing.T, prefixA, prefixB, a, b []byte) {
	t.Helper()
	da, db, err := Sum2(stateAfter(t, prefixA), stateAfter(t, prefixB), a, b)
	if err != nil {
		t.Fatal(err)
	}
	wantA := sha256.Sum256(append(append([]byte(nil), prefixA...), a...))
	wantB := sha256.Sum256(append(append([]byte(nil), prefixB...), b...))
	if da != wantA || db != wantB {
		t.Errorf("prefixes %d, %d bytes, streams %d, %d bytes: Sum2 = %x, %x; want %x, %x",
			len(prefixA), len(prefixB), len(a), len(b), da, db, wantA, wantB)
	}
}

func TestSum2(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	bytesOf := func(n int) []byte {
		p := make([]byte, n)
		for i := range p {
			p[i] = byte(r.IntN(256))
		}
		return p
	}
	sizes := []int{0, 1, 55, 56, 63, 64, 65, 127, 128, 129, 1000, 4096, 70001}
	for _, na := range sizes {
		for _, nb := range sizes {
			check(t, nil, nil, bytesOf(na), bytesOf(nb))
		}
	}
	for range 200 {
		var pa, pb []byte
		if r.IntN(4) > 0 {
			pa = bytesOf(r.IntN(300))
		}
		if r.IntN(4) > 0 {
			pb = bytesOf(r.IntN(300))
		}
		check(t, pa, pb, bytesOf(r.IntN(5000)), bytesOf(r.IntN(5000)))
	}
}

// The generic blocks and the SHA-NI ones agree (on machines with SHA-NI).
func TestPairBlocksGeneric(t *testing.T) {
	a, b := make([]byte, 64*37), make([]byte, 64*37)
	for i := range a {
		a[i], b[i] = byte(i*7), byte(i*13+1)
	}
	st, _ := stateOf(sha256.New())
	ha, hb := st.h, st.h
	pairBlocks(&ha, &hb, a, b)
	ga, gb := st.h, st.h
	genericBlocks(&ga, a)
	genericBlocks(&gb, b)
	if ha != ga || hb != gb {
		t.Errorf("pairBlocks disagrees with genericBlocks")
	}
}

func FuzzSum2(f *testing.F) {
	f.Add([]byte("abc"), []byte("de"), []byte("hello"), []byte("world"))
	f.Fuzz(func(t *testing.T, pa, pb, a, b []byte) {
		check(t, pa, pb, a, b)
	})
}

func BenchmarkSum2(b *testing.B) {
	a, c := make([]byte, 1<<20), make([]byte, 1<<20)
	b.SetBytes(2 << 20)
	for b.Loop() {
		Sum2(nil, nil, a, c)
	}
}

func BenchmarkSum256Twice(b *testing.B) {
	a, c := make([]byte, 1<<20), make([]byte, 1<<20)
	b.SetBytes(2 << 20)
	for b.Loop() {
		sha256.Sum256(a)
		sha256.Sum256(c)
	}
}

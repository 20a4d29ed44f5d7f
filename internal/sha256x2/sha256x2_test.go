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

// sum2 hashes a after the state sa and b after sb, each fed to a Pair as one chunk.
func sum2(sa, sb []byte, a, b []byte) (da, db [sha256.Size]byte, err error) {
	p, heads, err := NewPair(sa, sb)
	if err != nil {
		return da, db, err
	}
	p.Write(append(append([]byte(nil), heads[0]...), a...), append(append([]byte(nil), heads[1]...), b...))
	return p.Sum()
}

func check(t *testing.T, prefixA, prefixB, a, b []byte) {
	t.Helper()
	da, db, err := sum2(stateAfter(t, prefixA), stateAfter(t, prefixB), a, b)
	if err != nil {
		t.Fatal(err)
	}
	wantA := sha256.Sum256(append(append([]byte(nil), prefixA...), a...))
	wantB := sha256.Sum256(append(append([]byte(nil), prefixB...), b...))
	if da != wantA || db != wantB {
		t.Errorf("prefixes %d, %d bytes, streams %d, %d bytes: digests %x, %x; want %x, %x",
			len(prefixA), len(prefixB), len(a), len(b), da, db, wantA, wantB)
	}
}

func randomBytes(r *rand.Rand, n int) []byte {
	p := make([]byte, n)
	for i := range p {
		p[i] = byte(r.IntN(256))
	}
	return p
}

func TestPair(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	bytesOf := func(n int) []byte { return randomBytes(r, n) }
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

// Streams fed to a Pair in chunks of whole blocks, of random sizes and ending at different
// times, hash as crypto/sha256 hashes them.
func TestPairChunks(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	bytesOf := func(n int) []byte { return randomBytes(r, n) }
	for trial := range 300 {
		var prefix, stream [2][]byte
		for i := range 2 {
			if r.IntN(3) > 0 {
				prefix[i] = bytesOf(r.IntN(200))
			}
			stream[i] = bytesOf(r.IntN(3000))
		}
		p, heads, err := NewPair(stateAfter(t, prefix[0]), stateAfter(t, prefix[1]))
		if err != nil {
			t.Fatal(err)
		}
		// Each stream as chunks: its head first, whole blocks, the rest in the last chunk.
		var chunks [2][][]byte
		for i := range 2 {
			rest := append(append([]byte(nil), heads[i]...), stream[i]...)
			for len(rest) >= 64 && r.IntN(4) > 0 {
				n := 64 * (1 + r.IntN(len(rest)/64))
				chunks[i] = append(chunks[i], rest[:n])
				rest = rest[n:]
			}
			chunks[i] = append(chunks[i], rest)
		}
		for k := range max(len(chunks[0]), len(chunks[1])) {
			var a, b []byte
			if k < len(chunks[0]) {
				a = chunks[0][k]
			}
			if k < len(chunks[1]) {
				b = chunks[1][k]
			}
			p.Write(a, b)
		}
		da, db, err := p.Sum()
		if err != nil {
			t.Fatal(err)
		}
		wantA := sha256.Sum256(append(append([]byte(nil), prefix[0]...), stream[0]...))
		wantB := sha256.Sum256(append(append([]byte(nil), prefix[1]...), stream[1]...))
		if da != wantA || db != wantB {
			t.Fatalf("trial %d: chunks %d and %d: digests differ from crypto/sha256", trial, len(chunks[0]), len(chunks[1]))
		}
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

func FuzzPair(f *testing.F) {
	f.Add([]byte("abc"), []byte("de"), []byte("hello"), []byte("world"))
	f.Fuzz(func(t *testing.T, pa, pb, a, b []byte) {
		check(t, pa, pb, a, b)
	})
}

func BenchmarkPair(b *testing.B) {
	a, c := make([]byte, 1<<20), make([]byte, 1<<20)
	b.SetBytes(2 << 20)
	for b.Loop() {
		p, _, _ := NewPair(nil, nil)
		p.Write(a, c)
		p.Sum()
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

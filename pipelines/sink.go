package pipelines

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/toolscale/toolscale/dataset"
)

// WriteShards writes the shards and the rejected-records files from the spilled lines. It
// takes the PCollection<Segment> of every Spill and returns a PCollection<Part>: one per
// shard and one per rejected file, with the counts of what each holds.
//
// Shard i holds the records with dataset.ShardOf(id, n) == i, sorted by id, less those whose
// keys were spilled to drops partition i (duplicates, rows over a mixing share or cap),
// gzip-compressed when cfg.Gzip. It is written under a temporary name and renamed when
// complete. There are exactly n shards and n rejected files, empty ones included. A worker
// holds one shard, its drop keys and its rejected records in memory.
func WriteShards(s beam.Scope, cfg *Config, segments beam.PCollection) beam.PCollection {
	s = s.Scope("pipelines.WriteShards")
	placeholders := make([]Segment, cfg.Shards)
	for i := range placeholders {
		placeholders[i] = Segment{Part: partName(kindRecords, i)}
	}
	all := beam.Flatten(s, segments, beam.CreateList(s, placeholders))
	grouped := beam.GroupByKey(s, beam.ParDo(s, shardOfSegmentFn, all))
	return beam.ParDo(s, &writeShardFn{Out: cfg.Out, Shards: cfg.Shards, Gzip: cfg.Gzip}, grouped)
}

// shardOfSegmentFn keys the segments a shard writer reads by their shard.
func shardOfSegmentFn(sg Segment, emit func(int, Segment)) error {
	kind, i, err := splitPart(sg.Part)
	if err != nil {
		return err
	}
	if kind == kindRecords || kind == kindRejected || kind == kindDrops {
		emit(i, sg)
	}
	return nil
}

type writeShardFn struct {
	Out    string `json:"out"`
	Shards int    `json:"shards"`
	Gzip   bool   `json:"gzip"`

	st *store
}

func (f *writeShardFn) Setup(ctx context.Context) (err error) {
	f.st, err = openStore(ctx, f.Out)
	return err
}

func (f *writeShardFn) Teardown() error { return closeStore(f.st) }

func (f *writeShardFn) ProcessElement(ctx context.Context, i int, segs func(*Segment) bool, emit func(Part)) error {
	if i < 0 || i >= f.Shards {
		return fmt.Errorf("write shards: shard %d of %d", i, f.Shards)
	}
	byKind := map[string][]Segment{}
	var sg Segment
	for segs(&sg) {
		kind, _, _ := splitPart(sg.Part)
		byKind[kind] = append(byKind[kind], sg)
	}
	read := func(kind string) ([][]byte, error) {
		return readPart(ctx, f.st, sliceIter(byKind[kind]))
	}
	drops, err := read(kindDrops)
	if err != nil {
		return err
	}
	skip := make(map[string]bool, len(drops))
	for _, d := range drops {
		skip[string(d)] = true
	}
	p, err := f.writeShard(ctx, i, byKind[kindRecords], skip)
	if err != nil {
		return err
	}
	emit(p)
	lines, err := read(kindRejected)
	if err != nil {
		return err
	}
	if p, err = f.writeRejected(ctx, i, lines); err != nil {
		return err
	}
	emit(p)
	return nil
}

// sliceIter returns an iterator over s, in the form of a Beam iterable.
func sliceIter[T any](s []T) func(*T) bool {
	return func(p *T) bool {
		if len(s) == 0 {
			return false
		}
		*p, s = s[0], s[1:]
		return true
	}
}

// writeShard merges the sorted record segments of shard i into the shard file, leaving out
// the records whose keys are in skip. It holds a line and a buffer per segment, of at most
// mergeFanIn segments.
func (f *writeShardFn) writeShard(ctx context.Context, i int, segs []Segment, skip map[string]bool) (Part, error) {
	path := dataset.ShardPath(i, f.Shards, f.Gzip)
	slices.SortFunc(segs, func(a, b Segment) int {
		return cmp.Or(strings.Compare(a.Path, b.Path), cmp.Compare(a.Offset, b.Offset))
	})
	segs, err := mergeRounds(ctx, f.st, fmt.Sprintf("records-%05d", i), segs)
	if err != nil {
		return Part{}, fmt.Errorf("write %s: %w", path, err)
	}
	domains, sources := map[string]int64{}, map[string]int64{}
	var file dataset.File
	err = dataset.WriteFile(ctx, f.st, path, func(w io.Writer) error {
		lw, err := newLineWriter(w, f.Gzip)
		if err != nil {
			return err
		}
		prev := ""
		err = mergeSegments(ctx, f.st, segs, func(kl []byte) error {
			key, id, domain, source, line, err := splitKeyedLine(kl)
			if err != nil {
				return err
			}
			if skip[key] {
				return nil
			}
			if dataset.ShardOf(id, f.Shards) != i {
				return fmt.Errorf("record %s belongs to shard %d", id, dataset.ShardOf(id, f.Shards))
			}
			if id == prev {
				return fmt.Errorf("record id %q: %w", id, dataset.ErrDuplicateID)
			}
			prev = id
			domains[domain]++
			sources[source]++
			return lw.write(line)
		})
		if err != nil {
			return err
		}
		file, err = lw.close()
		return err
	})
	if err != nil {
		return Part{}, fmt.Errorf("write %s: %w", path, err)
	}
	file.Path = path
	return Part{Kind: partShard, Index: i, File: file, Counts: append(counts(countDomain, domains), counts(countSource, sources)...)}, nil
}

// A lineWriter writes lines as dataset.WriteLines does, one at a time: each line and a
// newline, gzip-compressed at dataset.GzipLevel (no name, no time in the header) when gz,
// counting and hashing the bytes written.
type lineWriter struct {
	bw  *bufio.Writer
	hw  *hashCounter
	zw  *gzip.Writer
	out io.Writer
	n   int64
}

func newLineWriter(w io.Writer, gz bool) (*lineWriter, error) {
	lw := &lineWriter{bw: bufio.NewWriterSize(w, 256<<10)}
	lw.hw = &hashCounter{w: lw.bw, h: sha256.New()}
	lw.out = lw.hw
	if gz {
		zw, err := gzip.NewWriterLevel(lw.hw, dataset.GzipLevel)
		if err != nil {
			return nil, err
		}
		lw.zw, lw.out = zw, zw
	}
	return lw, nil
}

func (lw *lineWriter) write(line []byte) error {
	if len(line) == 0 || bytes.IndexByte(line, '\n') >= 0 {
		return fmt.Errorf("line %d: empty or holds a newline", lw.n+1)
	}
	if _, err := lw.out.Write(line); err != nil {
		return err
	}
	if _, err := lw.out.Write([]byte{'\n'}); err != nil {
		return err
	}
	lw.n++
	return nil
}

func (lw *lineWriter) close() (dataset.File, error) {
	if lw.zw != nil {
		if err := lw.zw.Close(); err != nil {
			return dataset.File{}, err
		}
	}
	if err := lw.bw.Flush(); err != nil {
		return dataset.File{}, err
	}
	return dataset.File{Records: lw.n, Bytes: lw.hw.n, SHA256: hex.EncodeToString(lw.hw.h.Sum(nil))}, nil
}

func (f *writeShardFn) writeRejected(ctx context.Context, i int, lines [][]byte) (Part, error) {
	path := dataset.RejectedPath(i, f.Shards)
	recs := make([]dataset.Rejected, len(lines))
	for j, l := range lines {
		if err := json.Unmarshal(l, &recs[j]); err != nil {
			return Part{}, fmt.Errorf("write %s: spilled rejected record: %w", path, err)
		}
	}
	var file dataset.File
	err := dataset.WriteFile(ctx, f.st, path, func(w io.Writer) error {
		var err error
		file, err = dataset.WriteRejected(w, recs)
		return err
	})
	if err != nil {
		return Part{}, err
	}
	file.Path = path
	rejected, filtered := map[string]int64{}, map[string]int64{}
	for _, r := range recs {
		if isFiltered(r) {
			filtered[r.Reason]++
		} else {
			rejected[r.Reason]++
		}
	}
	return Part{Kind: partRejected, Index: i, File: file, Counts: append(counts(countRejected, rejected), counts(countFiltered, filtered)...)}, nil
}

// isFiltered tells records left out by choice (filters, mixing) from records rejected for a
// fault.
func isFiltered(r dataset.Rejected) bool { return r.Stage == stageFilter }

// stageFilter is the stage of records that filters and mixing leave out.
const stageFilter = "filter"

// counts turns a map of counts into Counts sorted by name.
func counts(kind string, m map[string]int64) []Count {
	out := make([]Count, 0, len(m))
	for k, n := range m {
		out = append(out, Count{Kind: kind, Name: k, N: n})
	}
	slices.SortFunc(out, func(a, b Count) int { return strings.Compare(a.Name, b.Name) })
	return out
}

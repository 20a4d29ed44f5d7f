package pipelines

import (
	"bufio"
	"bytes"
	"cmp"
	"container/heap"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/toolscale/toolscale/dataset"
)

// defaultFlushBytes is how many bytes of lines a spill buffer holds before it writes a file.
const defaultFlushBytes = 8 << 20

// Spill writes lines to spill files under the dataset folder out, grouped by partition, and
// returns where each partition's lines are. It takes a PCollection<KV<string, []byte>> of
// (partition, line) and returns a PCollection<Segment>.
//
// Each bundle buffers its lines (up to 8 MB) and writes them as one file named by the
// sha256 of its content, so a retried bundle rewrites the same file and two bundles never
// share a name. Only segments, a few per file, go through the shuffle that follows; the
// lines stay on storage until WriteShards reads them back.
func Spill(s beam.Scope, out string, lines beam.PCollection) beam.PCollection {
	s = s.Scope("pipelines.Spill")
	return beam.ParDo(s, &spillFn{Out: out, FlushBytes: defaultFlushBytes}, lines)
}

type spillFn struct {
	Out        string `json:"out"`
	FlushBytes int64  `json:"flush_bytes"`

	st    *store
	parts map[string][][]byte
	size  int64
}

func (f *spillFn) Setup(ctx context.Context) (err error) {
	f.st, err = openStore(ctx, f.Out)
	return err
}

func (f *spillFn) Teardown() error { return closeStore(f.st) }

func (f *spillFn) StartBundle(_ context.Context, _ func(Segment)) {
	f.parts, f.size = map[string][][]byte{}, 0
}

func (f *spillFn) ProcessElement(ctx context.Context, part string, line []byte, emit func(Segment)) error {
	f.parts[part] = append(f.parts[part], line)
	f.size += int64(len(line)) + 1
	if f.size >= f.FlushBytes {
		return f.flush(ctx, emit)
	}
	return nil
}

func (f *spillFn) FinishBundle(ctx context.Context, emit func(Segment)) error {
	return f.flush(ctx, emit)
}

// flush writes the buffered partitions, in partition order and each sorted, as one file.
// Record lines sort by record id (see keyedLine), so WriteShards merges segments instead of
// sorting whole shards.
func (f *spillFn) flush(ctx context.Context, emit func(Segment)) error {
	if f.size == 0 {
		return nil
	}
	names := make([]string, 0, len(f.parts))
	for p, lines := range f.parts {
		names = append(names, p)
		slices.SortFunc(lines, bytes.Compare)
	}
	slices.Sort(names)
	h := sha256.New()
	for _, p := range names {
		h.Write([]byte(p))
		h.Write([]byte{0})
		for _, l := range f.parts[p] {
			h.Write(l)
			h.Write([]byte{'\n'})
		}
		h.Write([]byte{0})
	}
	name := spillDir + "/runs/" + hex.EncodeToString(h.Sum(nil)[:16]) + ".lines"
	segs := make([]Segment, 0, len(names))
	err := dataset.WriteFile(ctx, f.st, name, func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<20)
		var off int64
		for _, p := range names {
			var n int64
			for _, l := range f.parts[p] {
				bw.Write(l)
				bw.WriteByte('\n')
				n += int64(len(l)) + 1
			}
			segs = append(segs, Segment{Part: p, Path: name, Offset: off, Length: n, Lines: int64(len(f.parts[p]))})
			off += n
		}
		return bw.Flush()
	})
	if err != nil {
		return fmt.Errorf("spill: %w", err)
	}
	for _, sg := range segs {
		emit(sg)
	}
	f.parts, f.size = map[string][][]byte{}, 0
	return nil
}

// readSegment returns the lines of a segment, without their newlines.
func readSegment(ctx context.Context, st *store, sg Segment) ([][]byte, error) {
	b, err := st.readRange(ctx, sg.Path, sg.Offset, sg.Length)
	if err != nil {
		return nil, err
	}
	lines := make([][]byte, 0, sg.Lines)
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			return nil, fmt.Errorf("spill file %s at %d: segment does not end with a newline", sg.Path, sg.Offset)
		}
		lines = append(lines, b[:i])
		b = b[i+1:]
	}
	if int64(len(lines)) != sg.Lines {
		return nil, fmt.Errorf("spill file %s at %d: %d lines, want %d", sg.Path, sg.Offset, len(lines), sg.Lines)
	}
	return lines, nil
}

// groupParts selects the segments of one kind of partition and groups them by partition:
// it takes a PCollection<Segment> and returns a PCollection<KV<string, Iterable<Segment>>>.
func groupParts(s beam.Scope, kind string, segments beam.PCollection) beam.PCollection {
	return beam.GroupByKey(s, beam.ParDo(s, &selectPartFn{Kind: kind}, segments))
}

type selectPartFn struct {
	Kind string `json:"kind"`
}

func (f *selectPartFn) ProcessElement(sg Segment, emit func(string, Segment)) {
	if kind, _, err := splitPart(sg.Part); err == nil && kind == f.Kind {
		emit(sg.Part, sg)
	}
}

// readPart returns the lines of the segments of one partition, read in a fixed order.
func readPart(ctx context.Context, st *store, segs func(*Segment) bool) ([][]byte, error) {
	var all []Segment
	var sg Segment
	for segs(&sg) {
		if sg.Path != "" {
			all = append(all, sg)
		}
	}
	slices.SortFunc(all, func(a, b Segment) int {
		return cmp.Or(strings.Compare(a.Path, b.Path), cmp.Compare(a.Offset, b.Offset))
	})
	var lines [][]byte
	for _, sg := range all {
		ls, err := readSegment(ctx, st, sg)
		if err != nil {
			return nil, err
		}
		lines = append(lines, ls...)
	}
	return lines, nil
}

func closeStore(st *store) error {
	if st == nil {
		return nil
	}
	return st.Close()
}

// A segmentReader streams the lines of one segment.
type segmentReader struct {
	r    *bufio.Reader
	c    io.Closer
	sg   Segment
	line []byte // valid until the next call of next
	long []byte // holds a line longer than r's buffer
	n    int64
}

func openSegment(ctx context.Context, st *store, sg Segment) (*segmentReader, error) {
	rc, err := st.openRange(ctx, sg.Path, sg.Offset, sg.Length)
	if err != nil {
		return nil, err
	}
	return &segmentReader{r: bufio.NewReaderSize(rc, 64<<10), c: rc, sg: sg}, nil
}

// next reads the next line into sr.line; it returns false after the last.
func (sr *segmentReader) next() (bool, error) {
	line, err := sr.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		sr.long = append(sr.long[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = sr.r.ReadSlice('\n')
			sr.long = append(sr.long, line...)
		}
		line = sr.long
	}
	if err == io.EOF && len(line) == 0 {
		if sr.n != sr.sg.Lines {
			return false, fmt.Errorf("spill file %s at %d: %d lines, want %d", sr.sg.Path, sr.sg.Offset, sr.n, sr.sg.Lines)
		}
		return false, nil
	}
	if err != nil {
		if err == io.EOF {
			err = fmt.Errorf("segment does not end with a newline")
		}
		return false, fmt.Errorf("spill file %s at %d: %w", sr.sg.Path, sr.sg.Offset, err)
	}
	sr.line = line[:len(line)-1]
	sr.n++
	return true, nil
}

func (sr *segmentReader) Close() error { return sr.c.Close() }

// streamPart calls fn with the lines of one partition in byte order, merging its segments
// (see mergeRounds) rather than reading them whole: fn's line is valid only during the call.
func streamPart(ctx context.Context, st *store, part string, segs func(*Segment) bool, fn func([]byte) error) error {
	var all []Segment
	var sg Segment
	for segs(&sg) {
		all = append(all, sg)
	}
	slices.SortFunc(all, func(a, b Segment) int {
		return cmp.Or(strings.Compare(a.Path, b.Path), cmp.Compare(a.Offset, b.Offset))
	})
	all, err := mergeRounds(ctx, st, strings.ReplaceAll(part, "/", "-"), all)
	if err != nil {
		return err
	}
	return mergeSegments(ctx, st, all, fn)
}

// mergeFanIn is the most segments merged at once. A merge holds a buffer per segment, and a
// run writes a segment per shard for every few megabytes of lines, so a larger run merges in
// rounds through intermediate files (mergeRounds) rather than holding more buffers.
const mergeFanIn = 32

// mergeRounds merges sorted segments in groups of mergeFanIn into intermediate sorted files,
// named after name, until at most mergeFanIn remain, and returns those. Placeholders (no
// path) are dropped. The names depend only on the segments, so a retried bundle rewrites
// the same files; they go with the spill folder.
func mergeRounds(ctx context.Context, st *store, name string, segs []Segment) ([]Segment, error) {
	segs = slices.DeleteFunc(slices.Clone(segs), func(sg Segment) bool { return sg.Path == "" })
	for round := 0; len(segs) > mergeFanIn; round++ {
		var next []Segment
		for g := 0; g*mergeFanIn < len(segs); g++ {
			group := segs[g*mergeFanIn : min((g+1)*mergeFanIn, len(segs))]
			if len(group) == 1 {
				next = append(next, group[0])
				continue
			}
			out := Segment{Part: group[0].Part, Path: fmt.Sprintf("%s/merge/%s-%d-%05d.lines", spillDir, name, round, g)}
			err := dataset.WriteFile(ctx, st, out.Path, func(w io.Writer) error {
				bw := bufio.NewWriterSize(w, 256<<10)
				err := mergeSegments(ctx, st, group, func(line []byte) error {
					bw.Write(line)
					out.Length += int64(len(line)) + 1
					out.Lines++
					return bw.WriteByte('\n')
				})
				if err != nil {
					return err
				}
				return bw.Flush()
			})
			if err != nil {
				return nil, fmt.Errorf("merge spill segments: %w", err)
			}
			next = append(next, out)
		}
		segs = next
	}
	return segs, nil
}

// mergeSegments calls fn with the lines of the segments in byte order, each segment being
// sorted (as Spill writes them); it holds one line and one buffer per segment. The line
// passed to fn is valid only during the call.
func mergeSegments(ctx context.Context, st *store, segs []Segment, fn func(line []byte) error) error {
	var h segmentHeap
	defer func() {
		for _, sr := range h {
			sr.Close()
		}
	}()
	for _, sg := range segs {
		if sg.Path == "" {
			continue // a placeholder, so that every partition exists
		}
		sr, err := openSegment(ctx, st, sg)
		if err != nil {
			return err
		}
		ok, err := sr.next()
		if err != nil || !ok {
			sr.Close()
			if err != nil {
				return err
			}
			continue
		}
		h = append(h, sr)
	}
	heap.Init(&h)
	for h.Len() > 0 {
		sr := h[0]
		if err := fn(sr.line); err != nil {
			return err
		}
		ok, err := sr.next()
		if err != nil {
			return err
		}
		if ok {
			heap.Fix(&h, 0)
		} else {
			heap.Pop(&h)
			sr.Close()
		}
	}
	return nil
}

type segmentHeap []*segmentReader

func (h segmentHeap) Len() int           { return len(h) }
func (h segmentHeap) Less(i, j int) bool { return bytes.Compare(h[i].line, h[j].line) < 0 }
func (h segmentHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *segmentHeap) Push(x any)        { *h = append(*h, x.(*segmentReader)) }
func (h *segmentHeap) Pop() any {
	old := *h
	sr := old[len(old)-1]
	*h = old[:len(old)-1]
	return sr
}

package pipelines

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/toolscale/toolscale/dataset"
)

// defaultFlushBytes is how many bytes of lines a spill buffer holds before it writes a file.
const defaultFlushBytes = 16 << 20

// Spill writes lines to spill files under the dataset folder out, grouped by partition, and
// returns where each partition's lines are. It takes a PCollection<KV<string, []byte>> of
// (partition, line) and returns a PCollection<Segment>.
//
// Each bundle buffers its lines (up to 16 MB) and writes them as one file named by the
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
	parts map[string]*bytes.Buffer
	lines map[string]int64
	size  int64
}

func (f *spillFn) Setup(ctx context.Context) error {
	st, err := openStore(ctx, f.Out)
	if err != nil {
		return err
	}
	f.st = st
	return nil
}

func (f *spillFn) Teardown() error {
	if f.st != nil {
		return f.st.Close()
	}
	return nil
}

func (f *spillFn) StartBundle(_ context.Context, _ func(Segment)) {
	f.parts, f.lines, f.size = map[string]*bytes.Buffer{}, map[string]int64{}, 0
}

func (f *spillFn) ProcessElement(ctx context.Context, part string, line []byte, emit func(Segment)) error {
	b := f.parts[part]
	if b == nil {
		b = &bytes.Buffer{}
		f.parts[part] = b
	}
	b.Write(line)
	b.WriteByte('\n')
	f.lines[part]++
	f.size += int64(len(line)) + 1
	if f.size >= f.FlushBytes {
		return f.flush(ctx, emit)
	}
	return nil
}

func (f *spillFn) FinishBundle(ctx context.Context, emit func(Segment)) error {
	return f.flush(ctx, emit)
}

// flush writes the buffered partitions, in partition order, as one file.
func (f *spillFn) flush(ctx context.Context, emit func(Segment)) error {
	if f.size == 0 {
		return nil
	}
	names := make([]string, 0, len(f.parts))
	for p := range f.parts {
		names = append(names, p)
	}
	slices.Sort(names)
	h := sha256.New()
	for _, p := range names {
		h.Write([]byte(p))
		h.Write([]byte{0})
		h.Write(f.parts[p].Bytes())
		h.Write([]byte{0})
	}
	name := spillDir + "/runs/" + hex.EncodeToString(h.Sum(nil)[:16]) + ".lines"
	segs := make([]Segment, 0, len(names))
	err := dataset.WriteFile(ctx, f.st, name, func(w io.Writer) error {
		var off int64
		for _, p := range names {
			b := f.parts[p].Bytes()
			if _, err := w.Write(b); err != nil {
				return err
			}
			segs = append(segs, Segment{Part: p, Path: name, Offset: off, Length: int64(len(b)), Lines: f.lines[p]})
			off += int64(len(b))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("spill: %w", err)
	}
	for _, sg := range segs {
		emit(sg)
	}
	f.parts, f.lines, f.size = map[string]*bytes.Buffer{}, map[string]int64{}, 0
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

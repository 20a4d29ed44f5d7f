package pipelines

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/toolscale/toolscale/dataset"
	"github.com/toolscale/toolscale/domains"
)

// Many sorted segments, some with lines longer than a read buffer, merge in rounds of at most
// mergeFanIn into the same lines in byte order.
func TestMergeRounds(t *testing.T) {
	ctx := context.Background()
	st, err := openStore(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	r := domains.Rand(1, "spill", 0, "test")
	var segs []Segment
	var want [][]byte
	for f := range 5 {
		name := fmt.Sprintf("%s/runs/f%d.lines", spillDir, f)
		var file bytes.Buffer
		for range 23 {
			var lines [][]byte
			for range r.IntN(6) {
				l := fmt.Sprintf("%08d", r.IntN(1e8))
				if r.IntN(40) == 0 {
					l += strings.Repeat("x", 100<<10) // longer than the reader's buffer
				}
				lines = append(lines, []byte(l))
			}
			slices.SortFunc(lines, bytes.Compare)
			sg := Segment{Part: "records/00000", Path: name, Offset: int64(file.Len()), Lines: int64(len(lines))}
			for _, l := range lines {
				file.Write(l)
				file.WriteByte('\n')
				want = append(want, l)
			}
			sg.Length = int64(file.Len()) - sg.Offset
			segs = append(segs, sg)
		}
		if err := dataset.WriteFile(ctx, st, name, func(w io.Writer) error { _, err := w.Write(file.Bytes()); return err }); err != nil {
			t.Fatal(err)
		}
	}
	segs = append(segs, Segment{Part: "records/00000"}) // a placeholder
	merged, err := mergeRounds(ctx, st, "records-00000", segs)
	if err != nil {
		t.Fatal(err)
	}
	if len(merged) > mergeFanIn {
		t.Errorf("%d segments after the rounds, want at most %d", len(merged), mergeFanIn)
	}
	var got [][]byte
	err = mergeSegments(ctx, st, merged, func(l []byte) error {
		got = append(got, bytes.Clone(l))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(want, bytes.Compare)
	if !slices.EqualFunc(got, want, bytes.Equal) {
		t.Errorf("merged %d lines, want %d in byte order", len(got), len(want))
	}
}

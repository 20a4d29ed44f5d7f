package export

import (
	"context"
	"testing"

	"github.com/toolscale/toolscale/dataset"
)

// BenchmarkExport exports a dataset of 4,000 records (half func_call with full τ² tasks, half
// GeneralThought-shaped qa rows with their reasoning) in 8 shards, reading and verifying every
// shard each time. SetBytes is the size of the shards read. records/cpu-s divides by the
// processor time the process used rather than the wall time.
func BenchmarkExport(b *testing.B) {
	const n = 4000
	dir, m := writeFixture(b, makeRecords(n), 8)
	var size int64
	for _, f := range m.Shards {
		size += f.Bytes
	}
	for _, format := range []string{FormatVerl, FormatToolOrchestra, FormatTau2} {
		b.Run(format, func(b *testing.B) {
			in, out := dataset.OpenDir(dir), dataset.OpenDir(b.TempDir())
			opts := &Options{TempDir: b.TempDir()}
			b.SetBytes(size)
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				s, err := Export(context.Background(), in, out, format, opts)
				if err != nil {
					b.Fatal(err)
				}
				if s.Read != n {
					b.Fatalf("read %d records, want %d", s.Read, n)
				}
			}
			b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "records/s")
			// Processor time of the whole process (the garbage collector's included), for a
			// figure that depends less on what else the machine runs than records/s does.
			if used := cpuTime() - cpu; used > 0 {
				b.ReportMetric(float64(b.N*n)/used.Seconds(), "records/cpu-s")
			}
		})
	}
}

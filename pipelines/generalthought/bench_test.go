package generalthought_test

import (
	"context"
	"path/filepath"
	"testing"

	gt "github.com/toolscale/toolscale/pipelines/generalthought"
	"github.com/toolscale/toolscale/pipelines/generalthought/gtfake"
)

// benchRead reads a generated file completely per iteration and reports rows/s, MB/s of
// JSON (SetBytes: the same logical data whatever the format) and MB/s of the file itself.
func benchRead(b *testing.B, name string, c gtfake.Config) {
	dir := b.TempDir()
	path, sum := writeFixture(b, dir, name, c)
	var json gtfake.Summary
	if gtfake.FormatOf(name) == gtfake.Parquet { // the same rows as JSON, for SetBytes
		_, json = writeFixture(b, dir, "same.jsonl", c)
	} else {
		json = sum
	}
	ctx := context.Background()
	b.SetBytes(json.JSONBytes)
	b.ReportAllocs()
	for b.Loop() {
		r, err := gt.Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for _, err := range gt.All(ctx, r) {
			if _, ok := err.(*gt.RowError); err != nil && !ok {
				b.Fatal(err)
			}
			n++
		}
		r.Close()
		if n != c.Rows {
			b.Fatalf("read %d rows; want %d", n, c.Rows)
		}
	}
	secs := b.Elapsed().Seconds()
	b.ReportMetric(float64(b.N*c.Rows)/secs, "rows/s")
	b.ReportMetric(float64(b.N)*float64(sum.Bytes)/1e6/secs, "file-MB/s")
}

// Realistic rows: questions of 50–2,000 characters, reasoning of 1–20 KB (7.6 KB of JSON a row).
func BenchmarkReadGzipJSONL(b *testing.B) { benchRead(b, "r.jsonl.gz", gtfake.Default(1, 3000)) }
func BenchmarkReadJSONL(b *testing.B)     { benchRead(b, "r.jsonl", gtfake.Default(1, 3000)) }
func BenchmarkReadParquet(b *testing.B)   { benchRead(b, "r.parquet", gtfake.Default(1, 3000)) }

// Short rows (about 500 bytes of JSON): the per-row cost.
func BenchmarkReadGzipJSONLCompact(b *testing.B) { benchRead(b, "c.jsonl.gz", compact(50_000)) }
func BenchmarkReadParquetCompact(b *testing.B)   { benchRead(b, "c.parquet", compact(50_000)) }

func compact(rows int) gtfake.Config {
	c := gtfake.Default(1, rows)
	c.Compact = true
	return c
}

// BenchmarkFilterDedup is the per-row work after reading: Filter and a Deduper.
func BenchmarkFilterDedup(b *testing.B) {
	c := gtfake.Default(1, 3000)
	var rows []gt.Row
	for it := range c.Items() {
		rows = append(rows, it.Row)
	}
	f, err := gt.NewFilter(gt.DefaultFilterConfig())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		d := gt.NewDeduper(gt.DefaultFilterConfig())
		for _, r := range rows {
			if keep, _ := f.Filter(r); keep {
				d.Add(r)
			}
		}
	}
	b.ReportMetric(float64(b.N*len(rows))/b.Elapsed().Seconds(), "rows/s")
}

var _ = filepath.Join

package dataset

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
)

// benchRecords makes n records of about 2 KB each, the size of a func_call record whose
// example holds a small τ² task.
func benchRecords(n int) []Record {
	recs := testRecords(n)
	for i := range recs {
		task := map[string]any{
			"id":          recs[i].ID,
			"description": strings.Repeat("The user wants to move money between accounts. ", 10),
			"evaluation_criteria": map[string]any{
				"actions":          []any{map[string]any{"name": "transfer", "arguments": map[string]any{"from": "acc-1", "to": "acc-2", "amount": i}}},
				"communicate_info": []string{"the new balance is 120.50"},
				"nl_assertions":    []string{strings.Repeat("The agent confirms the transfer before acting. ", 8)},
			},
		}
		b, _ := json.Marshal(task)
		recs[i].Example = b
		recs[i].Problem = strings.Repeat(fmt.Sprintf("Task %d: transfer the money as asked. ", i), 6)
	}
	return recs
}

func BenchmarkShardOf(b *testing.B) {
	ids := make([]string, 1024)
	for i := range ids {
		ids[i] = RecordID(1, "bank", int64(i))
	}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for _, id := range ids {
			n += ShardOf(id, 256)
		}
	}
	b.ReportMetric(float64(b.N*len(ids))/b.Elapsed().Seconds(), "ids/s")
}

func BenchmarkWriteShard(b *testing.B) {
	recs := encodeAllB(b, benchRecords(5000))
	var size int64
	for _, r := range recs {
		size += int64(len(r)) + 1
	}
	for _, gz := range []bool{false, true} {
		b.Run(map[bool]string{false: "plain", true: "gzip"}[gz], func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := WriteShard(io.Discard, recs, gz); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*len(recs))/b.Elapsed().Seconds(), "records/s")
		})
	}
}

func encodeAllB(b *testing.B, recs []Record) [][]byte {
	var out [][]byte
	for _, r := range recs {
		j, err := json.Marshal(r)
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, j)
	}
	return out
}

func benchDataset(b *testing.B, n int) FS {
	fsys := OpenDir(b.TempDir())
	if _, err := WriteDataset(context.Background(), fsys, benchRecords(n), testRejected(), &WriteOptions{Shards: 8, Gzip: true}); err != nil {
		b.Fatal(err)
	}
	return fsys
}

func BenchmarkReaderRecords(b *testing.B) {
	const n = 5000
	fsys := benchDataset(b, n)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		r, err := NewReader(ctx, fsys)
		if err != nil {
			b.Fatal(err)
		}
		for _, err := range r.Records(ctx) {
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "records/s")
}

func BenchmarkValidate(b *testing.B) {
	const n = 5000
	fsys := benchDataset(b, n)
	b.ReportAllocs()
	for b.Loop() {
		rep, err := Validate(context.Background(), fsys, nil)
		if err != nil || !rep.OK() {
			b.Fatal(err, rep.Problems)
		}
	}
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "records/s")
}

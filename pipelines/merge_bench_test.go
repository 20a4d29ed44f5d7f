package pipelines

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/toolscale/toolscale/dataset"
	"github.com/toolscale/toolscale/pipelines/generalthought"
	"github.com/toolscale/toolscale/pipelines/generalthought/gtfake"
)

// gtBenchRows are the sizes of BenchmarkMergeGeneralThought: a tenth-ish sample, and the
// row count of the published GeneralThought-430K.
var gtBenchRows = []int{50_000, 430_788}

// BenchmarkMergeGeneralThought runs the pipeline on GeneralThought-shaped rows only (gtfake
// with realistic lengths, about 7.6 KB of JSON a row, and its default share of bad rows,
// duplicates, open-ended prompts and empty answers), as gzip JSONL and as Parquet. It
// reports rows read per second, the rows kept, the peak Go heap during the run (sampled
// every 50 ms), and the peak resident memory of the run.
//
// There is no setting for "no ToolScale domains" (an empty domain list means all of them):
// the runs name the small test domain with no tasks, which leaves only its two environment
// files besides the merge.
//
// The fixtures take minutes and gigabytes to make; they are kept in
// $TMPDIR/toolscale-gtbench, by size and format, so that later runs and -count reuse them.
// Delete that folder to reclaim the space. Each size can run alone:
// -bench 'MergeGeneralThought/rows=430788/jsonl.gz$'.
func BenchmarkMergeGeneralThought(b *testing.B) {
	for _, rows := range gtBenchRows {
		for _, format := range []string{"jsonl.gz", "parquet"} {
			b.Run(fmt.Sprintf("rows=%d/%s", rows, format), func(b *testing.B) {
				benchMergeGT(b, rows, format)
			})
		}
	}
}

func benchMergeGT(b *testing.B, rows int, format string) {
	path, sum := gtBenchFixture(b, rows, format)
	cfg := DefaultConfig()
	cfg.Out = b.TempDir()
	cfg.Domains = []string{testDomain}
	cfg.TasksPerDomain = 0
	cfg.GeneralThought.Paths = []string{path}
	ctx := context.Background()

	// Leave the previous sub-benchmark's memory out of this one's figures.
	debug.FreeOSMemory()
	resetPeakRSS()
	var heap heapPeak
	var m *dataset.Manifest
	for b.Loop() {
		heap.start()
		res, err := Run(ctx, cfg, RunOptions{Version: "bench"})
		heap.stop()
		if err != nil {
			b.Fatal(err)
		}
		m = res.Manifest
	}
	c := m.Counts
	if c.Read != c.Written+c.Rejected+c.Filtered {
		b.Fatalf("read %d, want written %d + rejected %d + filtered %d = %d", c.Read, c.Written, c.Rejected, c.Filtered,
			c.Written+c.Rejected+c.Filtered)
	}
	if c.Read != int64(sum.Rows) {
		b.Fatalf("read %d rows, want %d", c.Read, sum.Rows)
	}
	if got := c.BySource[dataset.SourceGeneralThought]; got != int64(sum.Kept) {
		b.Fatalf("%d GeneralThought records, want %d", got, sum.Kept)
	}
	for reason, n := range sum.ByReason {
		got := c.RejectedByReason[reason]
		if generalthought.StageOf(reason) == generalthought.StageFilter {
			got = c.FilteredByReason[reason]
		}
		if got != int64(n) {
			b.Fatalf("%s: %d rows, want %d (rejected %v, filtered %v)", reason, got, n, c.RejectedByReason, c.FilteredByReason)
		}
	}
	b.ReportMetric(float64(c.Read)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(c.Written), "kept")
	b.ReportMetric(float64(heap.peak())/(1<<20), "peak-heap-MB")
	b.ReportMetric(peakRSS(b), "peak-RSS-MB")
	b.ReportMetric(float64(sum.Bytes)/1e6, "fixture-MB")
}

// gtBenchFixture returns the fixture of rows rows in format, making it unless an earlier
// run left it in the cache folder, and what it holds.
func gtBenchFixture(b *testing.B, rows int, format string) (string, gtfake.Summary) {
	b.Helper()
	dir := filepath.Join(os.TempDir(), "toolscale-gtbench")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(dir, fmt.Sprintf("gt-%d.%s", rows, format))
	sumPath := path + ".summary.json"
	var sum gtfake.Summary
	if raw, err := os.ReadFile(sumPath); err == nil {
		if err := json.Unmarshal(raw, &sum); err != nil {
			b.Fatalf("%s: %v", sumPath, err)
		}
		if st, err := os.Stat(path); err == nil && st.Size() == sum.Bytes && sum.Rows == rows {
			return path, sum
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		b.Fatal(err)
	}
	b.Logf("making %s", path)
	// The temporary name keeps the format's suffix, which WriteFile reads.
	tmp := filepath.Join(dir, fmt.Sprintf("tmp-%d-gt-%d.%s", os.Getpid(), rows, format))
	sum, err := gtfake.WriteFile(tmp, gtfake.Default(1, rows))
	if err != nil {
		os.Remove(tmp)
		b.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	raw, err := json.Marshal(sum)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(sumPath, raw, 0o644); err != nil {
		b.Fatal(err)
	}
	return path, sum
}

// resetPeakRSS sets the process's peak resident set size (VmHWM) back to its current size,
// where Linux allows it, so that peakRSS reads the peak of what follows.
func resetPeakRSS() {
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) // absent or refused: peakRSS reads the process's peak
}

// heapPeak samples the bytes of heap objects (live and not yet swept) every 50 ms while
// started, and keeps the largest value seen.
type heapPeak struct {
	mu   sync.Mutex
	max  uint64
	done chan struct{}
	wg   sync.WaitGroup
}

func (h *heapPeak) start() {
	h.done = make(chan struct{})
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			h.mu.Lock()
			h.max = max(h.max, s[0].Value.Uint64())
			h.mu.Unlock()
			select {
			case <-h.done:
				return
			case <-t.C:
			}
		}
	}()
}

func (h *heapPeak) stop() {
	close(h.done)
	h.wg.Wait()
}

func (h *heapPeak) peak() uint64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.max
}

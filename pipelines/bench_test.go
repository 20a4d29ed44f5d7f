package pipelines

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/toolscale/toolscale/dataset"
	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/pipelines/configure"
	"github.com/toolscale/toolscale/pipelines/synth"
)

// benchConfig is a run of every real domain that has intent templates, with n tasks per
// domain, on the default environments (two databases per domain, sized like the reference).
func benchConfig(b *testing.B, n int) *Config {
	cfg := DefaultConfig()
	cfg.Out = b.TempDir()
	for _, name := range domains.Names() {
		if d, _ := domains.Lookup(name); name != testDomain && name != benchDomain && len(d.Intents) > 0 {
			cfg.Domains = append(cfg.Domains, name)
		}
	}
	if len(cfg.Domains) == 0 {
		b.Skip("no registered domain has intent templates")
	}
	cfg.TasksPerDomain = n
	return cfg
}

// BenchmarkPipeline runs the whole pipeline on prism and reports verified tasks (tasks
// written as records, and duplicates dropped after verification) per second, and the
// process's peak resident memory. Run one size per process to read the peak of that size:
// -bench 'Pipeline/tasks=4000$'.
func BenchmarkPipeline(b *testing.B) {
	for _, n := range []int{1000, 4000, 16000} {
		b.Run(fmt.Sprintf("tasks=%d", n), func(b *testing.B) {
			cfg := benchConfig(b, n)
			warm := *cfg
			warm.TasksPerDomain = 8
			if _, err := Run(context.Background(), &warm, RunOptions{}); err != nil { // generates the environments
				b.Fatal(err)
			}
			var verified int64
			for b.Loop() {
				res, err := Run(context.Background(), cfg, RunOptions{})
				if err != nil {
					b.Fatal(err)
				}
				c := res.Manifest.Counts
				verified = c.RejectedByReason["duplicate"]
				for _, name := range cfg.Domains {
					verified += c.ByDomain[name]
				}
			}
			b.ReportMetric(float64(verified)*float64(b.N)/b.Elapsed().Seconds(), "verified-tasks/s")
			b.ReportMetric(float64(verified), "verified-tasks/op")
			b.ReportMetric(peakRSS(b), "peak-RSS-MB")
		})
	}
}

// BenchmarkLoop does the same per-task work as the pipeline in a plain Go loop, without Beam:
// synth.Synthesize, the catalogue sample, the record's encoding and schema check, and the
// rejected records' encoding. "serial" is one goroutine; "parallel" spreads the tasks over
// GOMAXPROCS goroutines, as the pipeline's workers do.
func BenchmarkLoop(b *testing.B) {
	const n = 1000
	cfg := benchConfig(b, n)
	if err := cfg.Check(); err != nil {
		b.Fatal(err)
	}
	cat := configure.Default()
	opts := synth.Options{Seed: cfg.Seed, Scale: cfg.Scale, MaxDifficulty: cfg.MaxDifficulty, Now: cfg.now()}
	type item struct {
		d   *domains.Domain
		dbs []domains.DB
	}
	var items []item
	for _, name := range cfg.Domains {
		d, err := domains.Lookup(name)
		if err != nil {
			b.Fatal(err)
		}
		it := item{d: d, dbs: make([]domains.DB, cfg.EnvsPerDomain)}
		for k := range it.dbs {
			if it.dbs[k], err = envs.Get(d, cfg.Seed, k, cfg.Scale); err != nil {
				b.Fatal(err)
			}
		}
		items = append(items, it)
	}
	total := int64(n * len(items))
	// one does task j of the run: task j/len(items) of domain j%len(items).
	one := func(j int64) bool {
		it, i := items[j%int64(len(items))], j/int64(len(items))
		d := it.d
		k := int(i % int64(cfg.EnvsPerDomain))
		id := dataset.RecordID(cfg.Seed, d.Name, i)
		o := synthesizeOne(d, it.dbs[k], k, id, i, opts)
		if o.rej != nil {
			if _, err := json.Marshal(o.rej); err != nil {
				b.Fatal(err)
			}
			return false
		}
		rec := dataset.Record{ID: o.task.ID, Index: i, Category: dataset.CategoryFuncCall, Domain: d.Name,
			Source: dataset.SourceToolScale, License: LicenseToolScale, Difficulty: o.task.Difficulty,
			Problem: o.task.Problem, Answer: o.task.Answer, Example: o.task.Task}
		cat.Sample(domains.Rand(cfg.Seed, d.Name, i, "configure")).Apply(&rec)
		if _, rej, err := encodeRecord(&rec); err != nil || rej != nil {
			b.Fatal(err, rej)
		}
		return true
	}
	b.Run("serial", func(b *testing.B) {
		var verified int64
		for b.Loop() {
			verified = 0
			for j := range total {
				if one(j) {
					verified++
				}
			}
		}
		b.ReportMetric(float64(verified)*float64(b.N)/b.Elapsed().Seconds(), "verified-tasks/s")
	})
	b.Run("parallel", func(b *testing.B) {
		var verified atomic.Int64
		for b.Loop() {
			verified.Store(0)
			var next atomic.Int64
			var wg sync.WaitGroup
			for range runtime.GOMAXPROCS(0) {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for j := next.Add(1) - 1; j < total; j = next.Add(1) - 1 {
						if one(j) {
							verified.Add(1)
						}
					}
				}()
			}
			wg.Wait()
		}
		b.ReportMetric(float64(verified.Load())*float64(b.N)/b.Elapsed().Seconds(), "verified-tasks/s")
	})
}

// peakRSS returns the process's peak resident set size in MB (VmHWM), or 0 where /proc is
// missing.
func peakRSS(b *testing.B) float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			if err != nil {
				b.Fatal(err)
			}
			return kb / 1024
		}
	}
	return 0
}

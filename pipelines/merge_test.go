package pipelines

import (
	"path/filepath"
	"testing"

	"github.com/toolscale/toolscale/dataset"
	"github.com/toolscale/toolscale/pipelines/generalthought"
	"github.com/toolscale/toolscale/pipelines/generalthought/gtfake"
)

// writeGT writes a GeneralThought-shaped file with gtfake and returns its path and summary.
func writeGT(t *testing.T, name string, rows int, seed uint64) (string, gtfake.Summary) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	c := gtfake.Default(seed, rows)
	c.Compact = true
	c.RowsPerGroup = 500
	sum, err := gtfake.WriteFile(path, c)
	if err != nil {
		t.Fatal(err)
	}
	return path, sum
}

// gtConfig merges paths only, besides a few tasks of the test domain.
func gtConfig(t *testing.T, paths ...string) *Config {
	cfg := testConfig(t)
	cfg.TasksPerDomain = 8
	cfg.GeneralThought.Paths = paths
	return cfg
}

// Every row ends in one place, for the reason gtfake made it: a shard (kept), or the
// rejected files (read errors and duplicates as rejected, filtered rows as filtered).
func TestGeneralThought(t *testing.T) {
	for _, tt := range []struct {
		name string
		rows int
	}{
		{"rows.jsonl.gz", 20000}, // a gzip stream far longer than a read buffer: textio.Read would stop early
		{"rows.parquet", 3000},
		{"rows.jsonl", 1500},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path, sum := writeGT(t, tt.name, tt.rows, 7)
			cfg := gtConfig(t, path)
			m := run(t, cfg)
			recs := checkDataset(t, cfg.Out, m)
			c := m.Counts
			if got := c.BySource[dataset.SourceGeneralThought]; got != int64(sum.Kept) {
				t.Errorf("%d GeneralThought records, want %d", got, sum.Kept)
			}
			tasks := int64(len(cfg.Domains) * cfg.TasksPerDomain)
			if c.Read != int64(sum.Rows)+tasks {
				t.Errorf("read %d, want %d rows + %d tasks", c.Read, sum.Rows, tasks)
			}
			for reason, n := range sum.ByReason {
				var got int64
				if generalthought.StageOf(reason) == generalthought.StageFilter {
					got = c.FilteredByReason[reason]
				} else {
					got = c.RejectedByReason[reason]
				}
				if got != int64(n) {
					t.Errorf("%s: %d rows, want %d (rejected %v, filtered %v)", reason, got, n, c.RejectedByReason, c.FilteredByReason)
				}
			}
			for _, r := range recs {
				if r.Source != dataset.SourceGeneralThought {
					continue
				}
				if r.Category != dataset.CategoryQA || r.Problem == "" || r.Answer == "" || r.License == "" || len(r.Tools) == 0 {
					t.Fatalf("incomplete qa record: %+v", r)
				}
			}
		})
	}
}

// Share and cap limit the GeneralThought records, always to the same ones.
func TestGeneralThoughtMix(t *testing.T) {
	path, sum := writeGT(t, "rows.jsonl", 2000, 3)
	a := gtConfig(t, path)
	a.GeneralThought.Share = 0.5
	a.GeneralThought.Cap = 300
	m := run(t, a)
	checkDataset(t, a.Out, m)
	c := m.Counts
	if got := c.BySource[dataset.SourceGeneralThought]; got != 300 {
		t.Errorf("%d GeneralThought records, want the cap, 300", got)
	}
	share, capped := c.FilteredByReason[ReasonMixShare], c.FilteredByReason[ReasonMixCap]
	if share == 0 || capped == 0 || share+capped+300 != int64(sum.Kept) {
		t.Errorf("%d left out by share, %d by cap, 300 kept; want %d in all", share, capped, sum.Kept)
	}
	// A share alone keeps about that share.
	b := gtConfig(t, path)
	b.GeneralThought.Share = 0.25
	mb := run(t, b)
	if got, want := float64(mb.Counts.BySource[dataset.SourceGeneralThought]), 0.25*float64(sum.Kept); got < 0.8*want || got > 1.2*want {
		t.Errorf("share 0.25 kept %v records of %d", got, sum.Kept)
	}
	// The same settings pick the same rows.
	a2 := gtConfig(t, path)
	a2.GeneralThought = a.GeneralThought
	run(t, a2)
	sameTree(t, a.Out, a2.Out)
}

// A glob over several files merges them all; a row repeated in a later file is a duplicate.
func TestGeneralThoughtGlob(t *testing.T) {
	dir := t.TempDir()
	c := gtfake.Default(11, 600)
	c.Compact = true
	sum, err := gtfake.WriteFile(filepath.Join(dir, "a.jsonl"), c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gtfake.WriteFile(filepath.Join(dir, "b.jsonl.gz"), c); err != nil { // the same rows again
		t.Fatal(err)
	}
	cfg := gtConfig(t, filepath.Join(dir, "*.jsonl*"))
	m := run(t, cfg)
	checkDataset(t, cfg.Out, m)
	cnt := m.Counts
	if got := cnt.BySource[dataset.SourceGeneralThought]; got != int64(sum.Kept) {
		t.Errorf("%d records from two copies of the same rows, want %d", got, sum.Kept)
	}
	if cnt.Read != int64(2*sum.Rows+cfg.TasksPerDomain) {
		t.Errorf("read %d, want %d", cnt.Read, 2*sum.Rows+cfg.TasksPerDomain)
	}
}

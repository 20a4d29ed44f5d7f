package pipelines

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/fsouza/fake-gcs-server/fakestorage"

	"github.com/toolscale/toolscale/dataset"
	"github.com/toolscale/toolscale/domains"
	_ "github.com/toolscale/toolscale/domains/all"
	"github.com/toolscale/toolscale/domains/task"
	"github.com/toolscale/toolscale/internal/gcstest"
	"github.com/toolscale/toolscale/schemas"
)

func TestMain(m *testing.M) { ptest.Main(m) }

// testConfig is a small run of the test domain in a fresh folder.
func testConfig(t testing.TB) *Config {
	cfg := DefaultConfig()
	cfg.Out = t.TempDir()
	cfg.Domains = []string{testDomain}
	cfg.TasksPerDomain = 96
	return cfg
}

func run(t testing.TB, cfg *Config) *dataset.Manifest {
	t.Helper()
	res, err := Run(context.Background(), cfg, RunOptions{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return res.Manifest
}

// readTree returns every file under dir by its slash path.
func readTree(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// shardLines returns the lines of every shard of the dataset in dir, in shard order.
func shardLines(t testing.TB, dir string, m *dataset.Manifest) [][]byte {
	t.Helper()
	var all [][]byte
	for _, f := range m.Shards {
		all = append(all, fileLines(t, filepath.Join(dir, f.Path))...)
	}
	return all
}

func fileLines(t testing.TB, path string) [][]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if dataset.IsGzip(path) {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if b, err = io.ReadAll(zr); err != nil {
			t.Fatal(err)
		}
	}
	var lines [][]byte
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<26)
	for sc.Scan() {
		lines = append(lines, slices.Clone(sc.Bytes()))
	}
	return lines
}

// checkDataset checks what every dataset must satisfy, and returns its records.
func checkDataset(t *testing.T, dir string, m *dataset.Manifest) []dataset.Record {
	t.Helper()
	if err := m.Check(); err != nil {
		t.Fatalf("manifest: %v", err)
	}
	c := m.Counts
	if c.Read != c.Written+c.Rejected+c.Filtered {
		t.Errorf("read %d ≠ written %d + rejected %d + filtered %d", c.Read, c.Written, c.Rejected, c.Filtered)
	}
	// Every listed file is there with its size and sha256; nothing else is left behind.
	files := readTree(t, dir)
	for _, f := range m.AllFiles() {
		b, ok := files[f.Path]
		if !ok {
			t.Errorf("%s is listed but missing", f.Path)
			continue
		}
		if int64(len(b)) != f.Bytes || sha(b) != f.SHA256 {
			t.Errorf("%s: %d bytes, sha256 %s; manifest says %d, %s", f.Path, len(b), sha(b), f.Bytes, f.SHA256)
		}
		delete(files, f.Path)
	}
	delete(files, dataset.ManifestName)
	for p := range files {
		t.Errorf("%s is in the folder but not in the manifest", p)
	}
	var recs []dataset.Record
	ids := map[string]bool{}
	instructions := map[string]string{}
	for i, f := range m.Shards {
		lines := fileLines(t, filepath.Join(dir, f.Path))
		if int64(len(lines)) != f.Records {
			t.Errorf("%s: %d lines, manifest says %d", f.Path, len(lines), f.Records)
		}
		prev := ""
		for n, l := range lines {
			if vs, err := schemas.ValidateJSON("record", l); err != nil || len(vs) > 0 {
				t.Fatalf("%s:%d does not fit the record schema: %v %v", f.Path, n+1, vs, err)
			}
			var r dataset.Record
			if err := json.Unmarshal(l, &r); err != nil {
				t.Fatal(err)
			}
			if r.ID <= prev {
				t.Errorf("%s:%d: id %s after %s: not sorted", f.Path, n+1, r.ID, prev)
			}
			prev = r.ID
			if ids[r.ID] {
				t.Errorf("record %s written twice", r.ID)
			}
			ids[r.ID] = true
			if got := dataset.ShardOf(r.ID, len(m.Shards)); got != i {
				t.Errorf("record %s in shard %d, belongs to %d", r.ID, i, got)
			}
			if r.Category == dataset.CategoryFuncCall {
				var tk task.Task
				if err := json.Unmarshal(r.Example, &tk); err != nil {
					t.Fatalf("record %s: example is not a τ² task: %v", r.ID, err)
				}
				in, _ := json.Marshal(tk.UserScenario.Instructions)
				if other, dup := instructions[string(in)]; dup {
					t.Errorf("records %s and %s share their instructions", other, r.ID)
				}
				instructions[string(in)] = r.ID
			}
			recs = append(recs, r)
		}
	}
	for _, f := range m.Rejected {
		for n, l := range fileLines(t, filepath.Join(dir, f.Path)) {
			if vs, err := schemas.ValidateJSON("rejected", l); err != nil || len(vs) > 0 {
				t.Fatalf("%s:%d does not fit the rejected schema: %v %v", f.Path, n+1, vs, err)
			}
		}
	}
	return recs
}

func sha(b []byte) string { return fmt.Sprintf("%x", sha256.Sum256(b)) }

func TestGenerate(t *testing.T) {
	cfg := testConfig(t)
	m := run(t, cfg)
	recs := checkDataset(t, cfg.Out, m)
	c := m.Counts
	if c.Read != 96 {
		t.Errorf("read %d tasks, want 96", c.Read)
	}
	if c.Written == 0 || c.ByDomain[testDomain] != c.Written || c.BySource[dataset.SourceToolScale] != c.Written {
		t.Errorf("written %d, by domain %v, by source %v", c.Written, c.ByDomain, c.BySource)
	}
	// The test domain's intents make every kind of rejection.
	for _, reason := range []string{"no_effect", "action_error", "schema", "duplicate", "no_candidate"} {
		if c.RejectedByReason[reason] == 0 {
			t.Errorf("no task rejected for %q: %v", reason, c.RejectedByReason)
		}
	}
	// Twelve tasks use the repeat intent as their first; the base ones are the same task.
	if c.RejectedByReason["duplicate"] < 2 {
		t.Errorf("%d duplicates, want several", c.RejectedByReason["duplicate"])
	}
	for _, r := range recs {
		if r.Source != dataset.SourceToolScale || r.License != LicenseToolScale || r.Category != dataset.CategoryFuncCall ||
			r.Problem == "" || r.Answer == "" || len(r.Tools) == 0 || len(r.PrefVec) == 0 {
			t.Fatalf("incomplete record: %+v", r)
		}
	}
	checkTau2(t, cfg, m, recs)
}

// checkTau2 checks the τ² layout: the databases load in the data model, tasks.json holds the
// written tasks in id order, and each task's golden actions replay on its database to the
// recorded hashes.
func checkTau2(t *testing.T, cfg *Config, m *dataset.Manifest, recs []dataset.Record) {
	t.Helper()
	byDomain := map[string][]string{}
	for _, r := range recs {
		if r.Category == dataset.CategoryFuncCall {
			byDomain[r.Domain] = append(byDomain[r.Domain], r.ID)
		}
	}
	for _, name := range cfg.Domains {
		d, err := domains.Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(cfg.Out, Tau2Dir, name)
		dbs := map[string]domains.DB{}
		for k := range cfg.EnvsPerDomain {
			b, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("db_%03d.json", k)))
			if err != nil {
				t.Fatal(err)
			}
			db, err := domains.Decode(d, b)
			if err != nil {
				t.Fatalf("%s db %d does not load: %v", name, k, err)
			}
			dbs[fmt.Sprintf("db_%03d.json", k)] = db
		}
		if p, err := os.ReadFile(filepath.Join(dir, "policy.md")); err != nil || string(p) != d.Policy {
			t.Errorf("%s policy.md: %v", name, err)
		}
		b, err := os.ReadFile(filepath.Join(dir, "tasks.json"))
		if err != nil {
			t.Fatal(err)
		}
		var tasks []task.Task
		if err := json.Unmarshal(b, &tasks); err != nil {
			t.Fatalf("%s tasks.json: %v", name, err)
		}
		var ids []string
		for _, tk := range tasks {
			ids = append(ids, tk.ID)
			db := dbs[tk.Toolscale.DB]
			if db == nil {
				t.Fatalf("task %s runs on %q, not one of the written databases", tk.ID, tk.Toolscale.DB)
			}
			env := domains.NewEnv(d, db, cfg.now())
			for _, a := range tk.EvaluationCriteria.Actions {
				if r := env.Call(a.Name, a.Arguments); !r.OK() {
					t.Fatalf("task %s: %s fails on replay: %v", tk.ID, a.Name, r.Err)
				}
			}
			h, err := domains.Hash(env.DB)
			if err != nil {
				t.Fatal(err)
			}
			if h.SHA256 != tk.Toolscale.Expected.SHA256 || h.Tau2 != tk.Toolscale.Expected.Tau2 {
				t.Errorf("task %s: replay gives %+v, task records %+v", tk.ID, h, tk.Toolscale.Expected)
			}
		}
		want := byDomain[name]
		sort.Strings(want)
		if !slices.Equal(ids, want) {
			t.Errorf("%s tasks.json holds %d tasks, want the %d written, in id order", name, len(ids), len(want))
		}
	}
}

// Two runs of the same configuration give the same bytes, file for file.
func TestDeterministic(t *testing.T) {
	a, b := testConfig(t), testConfig(t)
	a.Gzip, b.Gzip = true, true
	run(t, a)
	run(t, b)
	sameTree(t, a.Out, b.Out)
}

func sameTree(t *testing.T, dirA, dirB string) {
	t.Helper()
	fa, fb := readTree(t, dirA), readTree(t, dirB)
	if len(fa) != len(fb) {
		t.Errorf("%d files and %d files", len(fa), len(fb))
	}
	for p, b := range fa {
		if !bytes.Equal(b, fb[p]) {
			t.Errorf("%s differs between the runs", p)
		}
	}
}

// The number of shards changes where records go, not which records there are.
func TestShardCount(t *testing.T) {
	one, five := testConfig(t), testConfig(t)
	one.Shards, five.Shards = 1, 5
	m1, m5 := run(t, one), run(t, five)
	l1, l5 := shardLines(t, one.Out, m1), shardLines(t, five.Out, m5)
	sortLines(l1)
	sortLines(l5)
	if len(l1) == 0 || !slices.EqualFunc(l1, l5, bytes.Equal) {
		t.Errorf("1 shard: %d records, 5 shards: %d records, or they differ", len(l1), len(l5))
	}
	if len(m5.Shards) != 5 || len(m5.Rejected) != 5 {
		t.Errorf("%d shards and %d rejected files, want 5 and 5", len(m5.Shards), len(m5.Rejected))
	}
	if m1.Counts.RejectedByReason["duplicate"] != m5.Counts.RejectedByReason["duplicate"] {
		t.Errorf("rejections differ: %v and %v", m1.Counts.RejectedByReason, m5.Counts.RejectedByReason)
	}
}

func sortLines(l [][]byte) { slices.SortFunc(l, bytes.Compare) }

// Empty shards are written too: more shards than records.
func TestEmptyShards(t *testing.T) {
	cfg := testConfig(t)
	cfg.TasksPerDomain = 3
	cfg.Shards = 8
	m := run(t, cfg)
	checkDataset(t, cfg.Out, m)
	empty := 0
	for _, f := range m.Shards {
		if f.Records == 0 {
			empty++
		}
	}
	if len(m.Shards) != 8 || empty < 5 {
		t.Errorf("%d shards, %d empty; want 8 with at least 5 empty", len(m.Shards), empty)
	}
}

// The direct runner writes the same bytes as prism.
func TestDirectRunner(t *testing.T) {
	a, b := testConfig(t), testConfig(t)
	b.Runner = RunnerDirect
	run(t, a)
	run(t, b)
	sameTree(t, a.Out, b.Out)
}

// A job server of prism's, started on loopback, takes the job through the universal runner
// (the client path Flink's job server uses) and writes the same bytes.
func TestUniversalRunner(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, err := prism.CreateJobServer(ctx, prism.Options{Port: port}); err != nil {
		t.Fatal(err)
	}
	a, b := testConfig(t), testConfig(t)
	b.Runner, b.Endpoint = RunnerUniversal, fmt.Sprintf("localhost:%d", port)
	run(t, b)
	run(t, a) // prism again after universal: it must not submit to the job server above
	sameTree(t, a.Out, b.Out)
}

// A second run in the same folder replaces the first: files the new run does not make are
// removed, and the spill files are gone.
func TestRerunSameFolder(t *testing.T) {
	cfg := testConfig(t)
	cfg.Shards = 6
	run(t, cfg)
	cfg.Shards = 2
	m := run(t, cfg)
	checkDataset(t, cfg.Out, m) // fails on any file the manifest does not list
}

func TestConfigCheck(t *testing.T) {
	for _, tt := range []struct {
		name   string
		change func(*Config)
		want   string
	}{
		{"unknown domain", func(c *Config) { c.Domains = []string{"banks"} }, `domains: unknown domain "banks"`},
		{"no shards", func(c *Config) { c.Shards = 0 }, "shards: 0"},
		{"negative tasks", func(c *Config) { c.TasksPerDomain = -1 }, "tasks_per_domain: -1"},
		{"no envs", func(c *Config) { c.EnvsPerDomain = 0 }, "envs_per_domain: 0"},
		{"bad clock", func(c *Config) { c.Now = "yesterday" }, `now: "yesterday"`},
		{"bad runner", func(c *Config) { c.Runner = "flink-ish" }, `runner: "flink-ish"`},
		{"universal without endpoint", func(c *Config) { c.Runner = RunnerUniversal }, "endpoint:"},
		{"dataflow without project", func(c *Config) { c.Runner = RunnerDataflow; c.Out = "gs://b/p" }, "project:"},
		{"dataflow to a local folder", func(c *Config) {
			c.Runner, c.Dataflow = RunnerDataflow, DataflowConfig{Project: "p", Region: "r", StagingLocation: "gs://b/s"}
		}, "out:"},
		{"share", func(c *Config) { c.GeneralThought.Share = 0 }, "generalthought_share: 0"},
		{"cap", func(c *Config) { c.GeneralThought.Cap = -2 }, "generalthought_cap: -2"},
		{"missing catalogue", func(c *Config) { c.Catalogue = "no/such/catalogue.yaml" }, "catalogue:"},
		{"duplicate domain", func(c *Config) { c.Domains = []string{testDomain, testDomain} }, "listed twice"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultConfig()
			tt.change(c)
			err := c.Check()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Check() = %v; want an error containing %q", err, tt.want)
			}
		})
	}
	c := DefaultConfig()
	if err := c.Check(); err != nil {
		t.Errorf("the default configuration: %v", err)
	}
	if !slices.Equal(c.Domains, domains.Names()) {
		t.Errorf("default domains %v, want every registered domain %v", c.Domains, domains.Names())
	}
}

func TestWorkItems(t *testing.T) {
	for _, tt := range []struct{ tasks, envs int }{{0, 2}, {1, 3}, {5, 2}, {200, 3}, {64, 1}, {129, 2}} {
		cfg := &Config{Domains: []string{"a", "b"}, TasksPerDomain: tt.tasks, EnvsPerDomain: tt.envs}
		seen := map[string]int{}
		for _, it := range workItems(cfg) {
			if it.Hi <= it.Lo || it.Hi-it.Lo > itemSlots {
				t.Errorf("%+v: bad range", it)
			}
			for j := it.Lo; j < it.Hi; j++ {
				i := j*int64(tt.envs) + int64(it.Env)
				if i%int64(tt.envs) != int64(it.Env) {
					t.Errorf("task %d on env %d", i, it.Env)
				}
				seen[fmt.Sprintf("%s/%d", it.Domain, i)]++
			}
		}
		for _, d := range cfg.Domains {
			for i := range tt.tasks {
				if n := seen[fmt.Sprintf("%s/%d", d, i)]; n != 1 {
					t.Errorf("%d tasks, %d envs: task %s/%d in %d items", tt.tasks, tt.envs, d, i, n)
				}
			}
		}
		if len(seen) != 2*tt.tasks {
			t.Errorf("%d tasks, %d envs: %d tasks in items, want %d", tt.tasks, tt.envs, len(seen), 2*tt.tasks)
		}
	}
}

// The real registered domains that have intent templates go through the same pipeline.
func TestRealDomains(t *testing.T) {
	var names []string
	for _, n := range domains.Names() {
		if d, _ := domains.Lookup(n); n != testDomain && len(d.Intents) > 0 {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		t.Skip("no registered domain has intent templates yet")
	}
	cfg := testConfig(t)
	cfg.Domains = names
	cfg.TasksPerDomain = 40
	m := run(t, cfg)
	recs := checkDataset(t, cfg.Out, m)
	checkTau2(t, cfg, m, recs)
	for _, n := range names {
		if m.Counts.ByDomain[n] == 0 {
			t.Errorf("domain %s: no record written; rejected %v", n, m.Counts.RejectedByReason)
		}
	}
	// No two records give the user the same instructions, some are evolved, and no golden
	// READ call repeats one made since the last WRITE.
	seen := map[string]string{}
	evolved := 0
	for _, r := range recs {
		var tk struct {
			UserScenario struct {
				Instructions json.RawMessage `json:"instructions"`
			} `json:"user_scenario"`
			EvaluationCriteria struct {
				Actions []struct {
					Name      string          `json:"name"`
					Arguments json.RawMessage `json:"arguments"`
				} `json:"actions"`
			} `json:"evaluation_criteria"`
		}
		if err := json.Unmarshal(r.Example, &tk); err != nil {
			t.Fatal(err)
		}
		if prev, ok := seen[string(tk.UserScenario.Instructions)]; ok {
			t.Errorf("records %s and %s share their instructions", prev, r.ID)
		}
		seen[string(tk.UserScenario.Instructions)] = r.ID
		if r.Difficulty > 0 {
			evolved++
		}
		d, _ := domains.Lookup(r.Domain)
		reads := map[string]bool{}
		for _, a := range tk.EvaluationCriteria.Actions {
			switch tool := d.Tool(a.Name); {
			case tool == nil:
				t.Errorf("%s: unknown tool %s", r.ID, a.Name)
			case tool.Kind == domains.Write:
				clear(reads)
			case tool.Kind == domains.Read && reads[a.Name+string(a.Arguments)]:
				t.Errorf("%s: %s%s repeats a lookup made since the last change", r.ID, a.Name, a.Arguments)
			case tool.Kind == domains.Read:
				reads[a.Name+string(a.Arguments)] = true
			}
		}
	}
	if evolved < len(recs)/5 {
		t.Errorf("%d of %d records are evolved", evolved, len(recs))
	}
}

// A dataset written to gs:// (an in-process fake-gcs-server found through
// STORAGE_EMULATOR_HOST) holds the same bytes as one written to a local folder, and no
// spill file is left behind.
func TestGCSOutput(t *testing.T) {
	srv := gcstest.Start(t, "bkt")
	// A file of an earlier run that this one does not make.
	srv.CreateObject(fakestorage.Object{ObjectAttrs: fakestorage.ObjectAttrs{BucketName: "bkt", Name: "ds/shards/records-00007-of-00008.jsonl"}, Content: []byte("{}\n")})

	local, remote := testConfig(t), testConfig(t)
	remote.Out = "gs://bkt/ds"
	run(t, local)
	m := run(t, remote)
	ctx := context.Background()
	fsys, err := dataset.Open(ctx, remote.Out)
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	files, err := fsys.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := readTree(t, local.Out)
	if len(files) != len(want) {
		t.Errorf("%d objects under %s, want %d: %v", len(files), remote.Out, len(want), files)
	}
	for _, f := range files {
		b, err := dataset.ReadFile(ctx, fsys, f.Path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b, want[f.Path]) {
			t.Errorf("%s differs from the local run's", f.Path)
		}
	}
	if err := m.Check(); err != nil {
		t.Error(err)
	}
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestEncodeRecord(t *testing.T) {
	good := dataset.Record{ID: "d-1", Category: dataset.CategoryFuncCall, Domain: "d", Source: dataset.SourceToolScale,
		License: LicenseToolScale, Split: "train", Problem: "p", Answer: "a", Tools: []dataset.Tool{},
		ModelMapping: map[string]string{}, ToolPricing: map[string]dataset.Pricing{}, PrefVec: map[string]float64{},
		Example: mustMarshal(t, map[string]any{"any": []any{"<json> & \u2028", 1.5e-7}})}
	line, rej, err := encodeRecord(&good)
	want := mustMarshal(t, &good)
	if err != nil || rej != nil || !bytes.Equal(line, want) {
		t.Errorf("encodeRecord(good) = %s, %+v, %v; want %s", line, rej, err, want)
	}
	bad := good
	bad.Category = "chit_chat"
	bad.Tools = []dataset.Tool{{Alias: "x", Kind: "oracle"}}
	_, rej, err = encodeRecord(&bad)
	if err != nil || rej == nil || rej.Reason != ReasonSchema || !strings.Contains(rej.Detail, "category") || !strings.Contains(rej.Detail, "tools[0].kind") {
		t.Errorf("encodeRecord(bad) = %+v, %v; want a schema rejection naming category and tools[0].kind", rej, err)
	}
}

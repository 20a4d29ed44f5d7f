package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/toolscale/toolscale/dataset"
	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/pipelines"
)

// generateConfigOf runs `toolscale generate args…` with the configuration binding of the
// real root command, and returns the configuration the pipeline would get.
func generateConfigOf(t *testing.T, args ...string) *pipelines.Config {
	t.Helper()
	v := viper.New()
	gen := newGenerateCmd(v)
	var got *pipelines.Config
	gen.RunE = func(*cobra.Command, []string) error {
		var err error
		got, err = generateConfig(v)
		return err
	}
	root := &cobra.Command{Use: "toolscale", SilenceUsage: true, SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error { return bindConfig(cmd, v) }}
	root.PersistentFlags().String("config", "", "")
	root.AddCommand(gen)
	root.SetArgs(append([]string{"generate"}, args...))
	if err := root.ExecuteContext(context.Background()); err != nil {
		t.Fatal(err)
	}
	return got
}

// A flag beats a TOOLSCALE_… variable, which beats the file, which beats the default; nested
// keys of the file are variables too.
func TestGenerateConfig(t *testing.T) {
	file := filepath.Join(t.TempDir(), "gen.yaml")
	yaml := "tasks_per_domain: 7\nshards: 3\ndomains: [bank, weather]\ngeneralthought: data/gt-*.parquet\n" +
		"generalthought_filters:\n  min_question_chars: 25\n  tasks: [math]\n"
	if err := os.WriteFile(file, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	def := generateConfigOf(t)
	if want := pipelines.DefaultConfig(); def.Shards != want.Shards || def.TasksPerDomain != want.TasksPerDomain ||
		def.Out != want.Out || def.Runner != want.Runner || def.GeneralThought.Share != 1 ||
		def.GeneralThought.Filters.MinQuestionChars != want.GeneralThought.Filters.MinQuestionChars {
		t.Errorf("defaults: %+v", def)
	}

	got := generateConfigOf(t, "--config", file)
	if got.TasksPerDomain != 7 || got.Shards != 3 || !slices.Equal(got.Domains, []string{"bank", "weather"}) ||
		!slices.Equal(got.GeneralThought.Paths, []string{"data/gt-*.parquet"}) ||
		got.GeneralThought.Filters.MinQuestionChars != 25 || !slices.Equal(got.GeneralThought.Filters.Tasks, []string{"math"}) ||
		!got.GeneralThought.Filters.DropOpenEnded {
		t.Errorf("from the file: %+v", got)
	}

	t.Setenv("TOOLSCALE_SHARDS", "5")
	t.Setenv("TOOLSCALE_GENERALTHOUGHT_FILTERS_MIN_QUESTION_CHARS", "40")
	t.Setenv("TOOLSCALE_DOMAINS", "movie,school")
	got = generateConfigOf(t, "--config", file)
	if got.Shards != 5 || got.GeneralThought.Filters.MinQuestionChars != 40 || !slices.Equal(got.Domains, []string{"movie", "school"}) {
		t.Errorf("environment over the file: shards %d, min question %d, domains %v", got.Shards,
			got.GeneralThought.Filters.MinQuestionChars, got.Domains)
	}

	got = generateConfigOf(t, "--config", file, "--shards", "9", "--domains", "travel", "--gzip", "--generalthought", "a.jsonl,b.jsonl.gz")
	if got.Shards != 9 || !slices.Equal(got.Domains, []string{"travel"}) || !got.Gzip ||
		!slices.Equal(got.GeneralThought.Paths, []string{"a.jsonl", "b.jsonl.gz"}) {
		t.Errorf("flags over the environment: %+v", got)
	}
}

// domainWithIntents returns the first registered domain with intent templates, or skips.
func domainWithIntents(t *testing.T) string {
	t.Helper()
	for _, n := range domains.Names() {
		if d, _ := domains.Lookup(n); len(d.Intents) > 0 {
			return n
		}
	}
	t.Skip("no registered domain has intent templates yet")
	return ""
}

// `toolscale generate` writes a dataset and says what it wrote.
func TestGenerateCommand(t *testing.T) {
	domain := domainWithIntents(t)
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"generate", "--out", out, "--domains", domain, "--tasks-per-domain", "6",
		"--envs-per-domain", "1", "--shards", "2", "--gzip"}, &stdout, &stderr)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	m, err := dataset.ReadManifest(context.Background(), dataset.OpenDir(out))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Check(); err != nil {
		t.Error(err)
	}
	for _, want := range []string{"records by domain", domain + " ", "rejected by reason", dataset.ShardPath(1, 2, true), dataset.ManifestName} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout.String())
		}
	}
	if m.Counts.Read != 6 {
		t.Errorf("read %d tasks, want 6", m.Counts.Read)
	}
	// Bad settings fail before anything runs, naming the key.
	err = run(context.Background(), []string{"generate", "--out", t.TempDir(), "--shards", "0"}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "shards: 0") {
		t.Errorf("--shards 0: %v", err)
	}
}

func TestIsWorker(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want bool
	}{
		{[]string{"generate"}, false},
		{[]string{"--worker", "--id=1", "--control_endpoint=localhost:1"}, true},
		{[]string{"-worker=true", "--id=1"}, true},
		{[]string{"--id=1", "--worker"}, true},
		{[]string{"--worker=false"}, false},
		{[]string{"env", "run", "--", "--worker"}, false},
	} {
		if got := isWorker(tt.args); got != tt.want {
			t.Errorf("isWorker(%q) = %v; want %v", tt.args, got, tt.want)
		}
	}
}

package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	beamlog "github.com/apache/beam/sdks/v2/go/pkg/beam/log"
	"github.com/spf13/cobra"
	"github.com/spf13/viper"
	"go.yaml.in/yaml/v3"

	"github.com/toolscale/toolscale/dataset"
	"github.com/toolscale/toolscale/pipelines"
)

func newGenerateCmd(v *viper.Viper) *cobra.Command {
	def := pipelines.DefaultConfig()
	cmd := &cobra.Command{
		Use:   "generate",
		Short: "Synthesize a verified, sharded ToolScale dataset on a Beam runner",
		Long: "Runs the Beam pipeline: generates each domain's environments, drafts tasks from the intent\n" +
			"templates, verifies them by replaying their golden calls, drops duplicates, gives each record a\n" +
			"tool configuration and preferences, optionally merges GeneralThought-430K questions, and writes\n" +
			"sorted shards, the rejected records, the τ² layout (tau2/<domain>/) and manifest.json, last.\n" +
			"With no flags it writes a small dataset of every domain to ./toolscale-out on Beam's in-process\n" +
			"runner (prism). Every key of the YAML configuration (--config) is also a TOOLSCALE_… variable.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := generateConfig(v)
			if err != nil {
				return err
			}
			switch level := v.GetString("log_level"); level {
			case "debug", "info", "warn", "error":
				beamlog.SetupLogging(level, "text")
			default:
				return fmt.Errorf("log_level: %q is not debug, info, warn or error", level)
			}
			res, err := pipelines.Run(cmd.Context(), cfg, pipelines.RunOptions{Version: version, Progress: cmd.ErrOrStderr()})
			if err != nil {
				return err
			}
			return printSummary(cmd.OutOrStdout(), cfg, res)
		},
	}
	f := cmd.Flags()
	f.String("out", def.Out, "dataset folder: a local directory or gs://bucket/prefix")
	f.Int64("seed", def.Seed, "seed of every random choice")
	f.Int("tasks-per-domain", def.TasksPerDomain, "tasks each domain attempts")
	f.Int("envs-per-domain", def.EnvsPerDomain, "databases each domain generates")
	f.Int("scale", def.Scale, "size of the generated databases relative to the reference")
	f.Int("max-difficulty", def.MaxDifficulty, "most evolve steps of a task")
	f.StringSlice("domains", nil, "domains to synthesize (default every registered domain)")
	f.Int("shards", def.Shards, "number of record shards")
	f.Bool("gzip", def.Gzip, "gzip the shards")
	f.String("catalogue", def.Catalogue, "tool catalogue YAML (default the embedded one)")
	f.StringSlice("generalthought", nil, "GeneralThought-430K files to merge: paths or globs, local or gs:// (Parquet, JSONL, gzip JSONL)")
	f.Float64("generalthought-share", def.GeneralThought.Share, "fraction of the GeneralThought rows left after filters and dedup to mix in")
	f.Int("generalthought-cap", def.GeneralThought.Cap, "most GeneralThought records (0: no cap)")
	f.String("runner", def.Runner, "Beam runner: prism (in-process), direct, universal or dataflow")
	f.String("endpoint", def.Endpoint, "job server HOST:PORT of the universal runner (Flink's, Spark's, prism's)")
	f.String("project", "", "Dataflow: Google Cloud project")
	f.String("region", "", "Dataflow: region")
	f.String("staging-location", "", "Dataflow: gs:// staging location")
	f.String("temp-location", "", "Dataflow: gs:// temporary location")
	f.String("worker-binary", "", "Dataflow: toolscale built for the workers (CGO_ENABLED=0 GOOS=linux GOARCH=amd64)")
	f.Int("parallelism", def.Parallelism, "goroutines per worker that synthesize tasks (0: GOMAXPROCS)")
	f.String("log-level", "warn", "level of Beam's own log lines on standard error: debug, info, warn or error")
	return cmd
}

// generateConfig fills the pipeline configuration from v: flags, then TOOLSCALE_…
// variables, then the config file, then the defaults.
func generateConfig(v *viper.Viper) (*pipelines.Config, error) {
	cfg := pipelines.DefaultConfig()
	// Every key gets its default, so that viper knows it and its TOOLSCALE_… variable.
	b, err := yaml.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	var defaults map[string]any
	if err := yaml.Unmarshal(b, &defaults); err != nil {
		return nil, err
	}
	setDefaults(v, "", defaults)
	if err := v.Unmarshal(cfg); err != nil {
		return nil, fmt.Errorf("configuration: %w", err)
	}
	return cfg, nil
}

func setDefaults(v *viper.Viper, prefix string, m map[string]any) {
	for k, val := range m {
		if sub, ok := val.(map[string]any); ok {
			setDefaults(v, prefix+k+".", sub)
			continue
		}
		v.SetDefault(prefix+k, val)
	}
}

// printSummary tells what the run wrote: records per domain and source, records left out
// per reason, the shards, and the time it took.
func printSummary(w io.Writer, cfg *pipelines.Config, res *pipelines.Result) error {
	m, c := res.Manifest, res.Manifest.Counts
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "wrote %d records to %s in %.1fs (%s runner): read %d, rejected %d, filtered %d\n",
		c.Written, cfg.Out, res.Elapsed.Seconds(), cfg.Runner, c.Read, c.Rejected, c.Filtered)
	line := func(title string, counts map[string]int64) {
		if len(counts) == 0 {
			fmt.Fprintf(tw, "%s\t-\n", title)
			return
		}
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(counts)) {
			parts = append(parts, fmt.Sprintf("%s %d", k, counts[k]))
		}
		fmt.Fprintf(tw, "%s\t%s\n", title, strings.Join(parts, ", "))
	}
	byDomain := maps.Clone(c.ByDomain)
	for _, d := range cfg.Domains {
		if _, ok := byDomain[d]; !ok {
			byDomain[d] = 0
		}
	}
	line("records by domain", byDomain)
	line("records by source", c.BySource)
	line("rejected by reason", c.RejectedByReason)
	line("filtered by reason", c.FilteredByReason)
	for _, f := range m.Shards {
		fmt.Fprintf(tw, "shard\t%s\t%d records\t%d bytes\n", dataset.Join(dataset.OpenDir(cfg.Out), f.Path), f.Records, f.Bytes)
	}
	fmt.Fprintf(tw, "manifest\t%s\n", dataset.Join(dataset.OpenDir(cfg.Out), dataset.ManifestName))
	return tw.Flush()
}

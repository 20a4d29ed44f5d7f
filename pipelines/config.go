// Package pipelines holds toolscale's Apache Beam pipeline: it turns the registered domains'
// environments into verified τ²-bench tasks, gives each a tool configuration and preference
// vector, merges GeneralThought-430K questions, and writes the records as deterministic
// shards with the τ² layout per domain, the rejected records, and a manifest written last.
//
// The graph is made of composites, one per exported function: WorkItems, Synthesize,
// Configure, Dedup, Spill, WriteShards, WriteEnvironments, WriteTau2Tasks, ReadGeneralThought,
// DedupGeneralThought, MixGeneralThought and WriteManifest; Build joins them and Run runs
// them on a chosen runner. Records never go through a shuffle: Spill writes them to
// content-addressed run files under the output folder and only file segments are grouped,
// so the memory of the in-process runner does not grow with the number of records beyond
// the shard being written.
package pipelines

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/toolscale/toolscale/domains"
	"github.com/toolscale/toolscale/pipelines/configure"
	"github.com/toolscale/toolscale/pipelines/generalthought"
)

// Runners that Run knows.
const (
	RunnerPrism     = "prism"     // Beam's in-process portable runner (the default)
	RunnerDirect    = "direct"    // Beam's in-process direct runner (deprecated by Beam, kept for comparison)
	RunnerUniversal = "universal" // any portable job server at Endpoint, with a loopback worker
	RunnerDataflow  = "dataflow"  // Google Cloud Dataflow
)

// LicenseToolScale is the licence of the records toolscale synthesizes.
const LicenseToolScale = "CC-BY-4.0"

// A Config says what `toolscale generate` makes and where. Keys are the yaml names; every
// key is also a TOOLSCALE_… environment variable and most are flags.
type Config struct {
	// Out is the dataset folder: a local directory or gs://bucket/prefix. Default ./toolscale-out.
	Out string `yaml:"out" mapstructure:"out" json:"-"`
	// Seed derives every random choice. Default 1.
	Seed int64 `yaml:"seed" mapstructure:"seed" json:"seed"`
	// TasksPerDomain is how many tasks each domain attempts. Default 50.
	TasksPerDomain int `yaml:"tasks_per_domain" mapstructure:"tasks_per_domain" json:"tasks_per_domain"`
	// EnvsPerDomain is how many databases each domain generates; task i runs on database
	// i mod EnvsPerDomain. Default 2.
	EnvsPerDomain int `yaml:"envs_per_domain" mapstructure:"envs_per_domain" json:"envs_per_domain"`
	// Scale sizes the generated databases relative to the reference (1 = the same). Default 1.
	Scale int `yaml:"scale" mapstructure:"scale" json:"scale"`
	// Shards is the number of record shards (and of rejected-record files). Default 4.
	Shards int `yaml:"shards" mapstructure:"shards" json:"shards"`
	// Gzip compresses the shards. Default false.
	Gzip bool `yaml:"gzip" mapstructure:"gzip" json:"gzip"`
	// MaxDifficulty is the most evolve steps a task gets. Default 2.
	MaxDifficulty int `yaml:"max_difficulty" mapstructure:"max_difficulty" json:"max_difficulty"`
	// Domains to synthesize; empty means every registered domain.
	Domains []string `yaml:"domains" mapstructure:"domains" json:"domains"`
	// Catalogue is a tool catalogue YAML file; empty means the embedded default.
	Catalogue string `yaml:"catalogue" mapstructure:"catalogue" json:"catalogue"`
	// Now is the frozen clock of every environment, in RFC 3339. Default 2024-05-15T15:00:00Z.
	Now string `yaml:"now" mapstructure:"now" json:"now"`

	// GeneralThought configures the merge of GeneralThought-430K questions.
	GeneralThought GeneralThoughtConfig `yaml:",inline" mapstructure:",squash" json:"generalthought"`

	// Runner is prism (default), direct, universal or dataflow.
	Runner string `yaml:"runner" mapstructure:"runner" json:"-"`
	// Endpoint is the job server (HOST:PORT) of the universal runner.
	Endpoint string `yaml:"endpoint" mapstructure:"endpoint" json:"-"`
	// Dataflow holds the Dataflow runner's settings.
	Dataflow DataflowConfig `yaml:",inline" mapstructure:",squash" json:"-"`
	// Parallelism is the number of goroutines a worker uses to synthesize the tasks of one
	// work item; 0 means GOMAXPROCS.
	Parallelism int `yaml:"parallelism" mapstructure:"parallelism" json:"-"`
}

// GeneralThoughtConfig says which GeneralThought-430K files to merge and how many of their
// rows. Its keys sit at the top level of the configuration: `generalthought` is the path or
// glob, as the --generalthought flag.
type GeneralThoughtConfig struct {
	// Paths are files or globs (local or gs://): Parquet, JSONL or gzip JSONL. None: no merge.
	Paths []string `yaml:"generalthought" mapstructure:"generalthought" json:"paths"`
	// Share is the fraction, in (0, 1], of the rows left after filters and dedup that are
	// mixed in, chosen by a hash of the record id (so the same seed picks the same rows).
	// Default 1.
	Share float64 `yaml:"generalthought_share" mapstructure:"generalthought_share" json:"share"`
	// Cap is the most GeneralThought records written (those with the smallest ids); 0 means
	// no cap.
	Cap int `yaml:"generalthought_cap" mapstructure:"generalthought_cap" json:"cap"`
	// Filters select and de-duplicate rows (see generalthought.FilterConfig).
	Filters generalthought.FilterConfig `yaml:"generalthought_filters" mapstructure:"generalthought_filters" json:"filters"`
}

// DataflowConfig holds what the Dataflow runner needs; see Beam's Dataflow options.
type DataflowConfig struct {
	Project         string `yaml:"project" mapstructure:"project" json:"-"`
	Region          string `yaml:"region" mapstructure:"region" json:"-"`
	StagingLocation string `yaml:"staging_location" mapstructure:"staging_location" json:"-"`
	TempLocation    string `yaml:"temp_location" mapstructure:"temp_location" json:"-"`
	// WorkerBinary is a toolscale binary built for the workers (CGO_ENABLED=0 GOOS=linux
	// GOARCH=amd64); empty lets Beam cross-compile the launcher.
	WorkerBinary string `yaml:"worker_binary" mapstructure:"worker_binary" json:"-"`
	JobName      string `yaml:"job_name" mapstructure:"job_name" json:"-"`
}

// DefaultNow is the default frozen clock, the reference environments' own.
const DefaultNow = "2024-05-15T15:00:00Z"

// DefaultConfig returns the configuration of `toolscale generate` with no flags: a small,
// complete dataset of every registered domain in ./toolscale-out, on the in-process runner.
func DefaultConfig() *Config {
	return &Config{
		Out:            "./toolscale-out",
		Seed:           1,
		TasksPerDomain: 50,
		EnvsPerDomain:  2,
		Scale:          1,
		Shards:         4,
		MaxDifficulty:  2,
		Now:            DefaultNow,
		Runner:         RunnerPrism,
		GeneralThought: GeneralThoughtConfig{
			Share:   1,
			Filters: generalthought.DefaultFilterConfig(),
		},
	}
}

// maxShards bounds Shards: shard names carry five digits.
const maxShards = 99999

// Check reports every setting that cannot work, each error naming its key. It also fills
// Domains with every registered domain when it is empty, and sorts it.
func (c *Config) Check() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", key, fmt.Sprintf(format, args...)))
	}
	if strings.TrimSpace(c.Out) == "" {
		bad("out", "empty")
	} else if strings.Contains(c.Out, "://") && !strings.HasPrefix(c.Out, "gs://") && !strings.HasPrefix(c.Out, "file://") {
		bad("out", "%q: want a local directory or gs://bucket/prefix", c.Out)
	}
	if c.TasksPerDomain < 0 {
		bad("tasks_per_domain", "%d is negative", c.TasksPerDomain)
	}
	if c.EnvsPerDomain < 1 {
		bad("envs_per_domain", "%d: need at least 1", c.EnvsPerDomain)
	}
	if c.Scale < 1 {
		bad("scale", "%d: need at least 1", c.Scale)
	}
	if c.Shards < 1 || c.Shards > maxShards {
		bad("shards", "%d: need 1 to %d", c.Shards, maxShards)
	}
	if c.MaxDifficulty < 0 {
		bad("max_difficulty", "%d is negative", c.MaxDifficulty)
	}
	if c.Parallelism < 0 {
		bad("parallelism", "%d is negative", c.Parallelism)
	}
	if _, err := time.Parse(time.RFC3339, c.Now); err != nil {
		bad("now", "%q is not an RFC 3339 time such as %s", c.Now, DefaultNow)
	}
	if len(c.Domains) == 0 {
		c.Domains = domains.Names()
	} else {
		c.Domains = slices.Clone(c.Domains)
		slices.Sort(c.Domains)
	}
	for i, name := range c.Domains {
		if i > 0 && name == c.Domains[i-1] {
			bad("domains", "%q listed twice", name)
			continue
		}
		if _, err := domains.Lookup(name); err != nil {
			bad("domains", "%v", err)
		}
	}
	if len(c.Domains) == 0 && len(c.GeneralThought.Paths) == 0 {
		bad("domains", "none registered and no generalthought files: nothing to generate")
	}
	if c.Catalogue != "" {
		if _, err := c.catalogueYAML(); err != nil {
			bad("catalogue", "%v", err)
		}
	}
	gt := c.GeneralThought
	for i, p := range gt.Paths {
		if strings.TrimSpace(p) == "" {
			bad("generalthought", "path %d is empty", i)
		}
	}
	if !(gt.Share > 0 && gt.Share <= 1) {
		bad("generalthought_share", "%v is not in (0, 1]", gt.Share)
	}
	if gt.Cap < 0 {
		bad("generalthought_cap", "%d is negative", gt.Cap)
	}
	if err := gt.Filters.Validate(); err != nil {
		bad("generalthought_filters", "%v", err)
	}
	if len(gt.Paths) > 0 && !gt.Filters.DedupByID {
		bad("generalthought_filters.dedup_by_id", "cannot be false: record ids derive from question_id, so rows that share one are always duplicates")
	}
	switch c.Runner {
	case RunnerPrism, RunnerDirect:
	case RunnerUniversal:
		if c.Endpoint == "" {
			bad("endpoint", "the universal runner needs the job server's HOST:PORT")
		}
	case RunnerDataflow:
		for _, f := range []struct{ key, v string }{
			{"project", c.Dataflow.Project}, {"region", c.Dataflow.Region}, {"staging_location", c.Dataflow.StagingLocation},
		} {
			if f.v == "" {
				bad(f.key, "the dataflow runner needs it")
			}
		}
		if !strings.HasPrefix(c.Out, "gs://") {
			bad("out", "%q: Dataflow workers write to gs://bucket/prefix, not a local folder", c.Out)
		}
	default:
		bad("runner", "%q is not prism, direct, universal or dataflow", c.Runner)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	return nil
}

// catalogueYAML returns the catalogue's YAML: the file Catalogue names, or the embedded
// default; it checks that the YAML is a valid catalogue.
func (c *Config) catalogueYAML() ([]byte, error) {
	if c.Catalogue == "" {
		return configure.DefaultYAML(), nil
	}
	b, err := os.ReadFile(c.Catalogue)
	if err != nil {
		return nil, err
	}
	if _, err := configure.Parse(b, c.Catalogue); err != nil {
		return nil, err
	}
	return b, nil
}

// now returns the parsed frozen clock; Check has vetted it.
func (c *Config) now() time.Time {
	t, err := time.Parse(time.RFC3339, c.Now)
	if err != nil {
		return domains.DefaultNow
	}
	return t.UTC()
}

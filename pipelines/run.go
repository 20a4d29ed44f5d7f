package pipelines

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/options/jobopts"

	// Runners and filesystems, registered for their side effects.
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/gcs"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/dataflow"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/direct"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/universal"

	"github.com/toolscale/toolscale/dataset"
)

// Build adds the whole generate pipeline to s: synthesis, verification, dedup and
// configuration of the tasks, the GeneralThought merge when cfg names files, the shards, the
// rejected records, the τ² layout and the manifest. cfg must have passed Check; catalogue is
// the tool catalogue's YAML. It returns the PCollection<string> of the manifest's path.
//
// Every line bound for a later stage is spilled by the DoFn that makes it (Spill is applied
// to each producer's output, never after a Flatten, so it fuses with the producer): what
// crosses shuffles are segments, tallies and file descriptions, a few per bundle.
func Build(s beam.Scope, cfg *Config, meta ManifestMeta, catalogue []byte) beam.PCollection {
	tasks, rejected, dups, tallies := Synthesize(s, cfg, WorkItems(s, cfg))
	records, badRecords := Configure(s, cfg, catalogue, tasks)
	spilled := []beam.PCollection{
		Spill(s, cfg.Out, records),
		Spill(s, cfg.Out, dups),
		Spill(s, cfg.Out, RejectedLines(s, cfg, rejected)),
		Spill(s, cfg.Out, RejectedLines(s, cfg, badRecords)),
	}
	spilled = append(spilled, Dedup(s, cfg, beam.Flatten(s, spilled...)))
	read := []beam.PCollection{tallies}
	if len(cfg.GeneralThought.Paths) > 0 {
		gtSpilled, gtTallies := ReadGeneralThought(s, cfg, catalogue)
		deduped, kept := DedupGeneralThought(s, cfg, gtSpilled)
		spilled = append(spilled, gtSpilled, deduped)
		if gt := cfg.GeneralThought; gt.Share < 1 || gt.Cap > 0 {
			spilled = append(spilled, MixGeneralThought(s, cfg, kept))
		}
		read = append(read, gtTallies)
	}
	written := WriteShards(s, cfg, beam.Flatten(s, spilled...))
	tau2 := WriteTau2Tasks(s, cfg, written)
	envFiles := WriteEnvironments(s, cfg, written)
	return WriteManifest(s, cfg, meta, append(read, written, tau2, envFiles)...)
}

// RunOptions are what a run needs beyond its Config.
type RunOptions struct {
	// Version is the tool version the manifest records.
	Version string
	// Progress, when set, receives a progress line now and then while an in-process run
	// (prism, direct, or universal with its loopback worker) lasts.
	Progress io.Writer
	// ProgressEvery is the time between progress lines; 0 means 5 seconds.
	ProgressEvery time.Duration
}

// A Result is what a run made.
type Result struct {
	Manifest *dataset.Manifest
	Elapsed  time.Duration
}

// ManifestConfig returns the configuration as the manifest records it: every setting that
// shapes the dataset, and the catalogue's sha256, but not where the dataset is written or
// which runner wrote it, so that the same data gives the same manifest. cfg must have
// passed Check.
func ManifestConfig(cfg *Config, catalogue []byte) (json.RawMessage, error) {
	sum := sha256.Sum256(catalogue)
	b, err := json.Marshal(struct {
		*Config
		CatalogueSHA256 string `json:"catalogue_sha256"`
	}{cfg, hex.EncodeToString(sum[:])})
	if err != nil {
		return nil, fmt.Errorf("encode configuration: %w", err)
	}
	return b, nil
}

// runMu serializes runs: Beam reads runner options from the global flag set.
var runMu sync.Mutex

// Run checks cfg, builds the pipeline and runs it on cfg.Runner, then reads back the
// manifest it wrote. The old manifest of the folder, if any, is removed first, so that no
// reader trusts the folder while the run rewrites it.
func Run(ctx context.Context, cfg *Config, opts RunOptions) (*Result, error) {
	start := time.Now()
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	catalogue, err := cfg.catalogueYAML()
	if err != nil {
		return nil, fmt.Errorf("catalogue: %w", err)
	}
	conf, err := ManifestConfig(cfg, catalogue)
	if err != nil {
		return nil, err
	}
	st, err := openStore(ctx, cfg.Out)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	if err := st.remove(ctx, dataset.ManifestName); err != nil {
		return nil, fmt.Errorf("remove the old manifest: %w", err)
	}

	p, s := beam.NewPipelineWithRoot()
	Build(s, cfg, ManifestMeta{ToolVersion: opts.Version, Seed: cfg.Seed, Config: conf}, catalogue)

	runMu.Lock()
	defer runMu.Unlock()
	if err := setRunnerFlags(cfg); err != nil {
		return nil, err
	}
	if !beam.Initialized() {
		beam.Init()
	}
	stop := startProgress(cfg, opts)
	_, err = beam.Run(ctx, cfg.Runner, p)
	stop()
	if err != nil {
		return nil, fmt.Errorf("run on %s: %w", cfg.Runner, err)
	}
	m, err := dataset.ReadManifest(ctx, st)
	if err != nil {
		return nil, fmt.Errorf("the run ended without a manifest: %w", err)
	}
	return &Result{Manifest: m, Elapsed: time.Since(start)}, nil
}

// universalEndpoint is the endpoint the last universal run set, so that a later prism run
// starts its own in-process job server instead of submitting to it.
var universalEndpoint string

// setRunnerFlags sets the global Beam flags the runner reads.
func setRunnerFlags(cfg *Config) error {
	set := func(name, value string) error {
		if flag.Lookup(name) == nil {
			return fmt.Errorf("runner %s: Beam flag --%s is not defined", cfg.Runner, name)
		}
		if err := flag.Set(name, value); err != nil {
			return fmt.Errorf("runner %s: --%s=%s: %w", cfg.Runner, name, value, err)
		}
		return nil
	}
	switch cfg.Runner {
	case RunnerPrism:
		if *jobopts.Endpoint != "" && *jobopts.Endpoint == universalEndpoint {
			*jobopts.Endpoint = ""
		}
	case RunnerUniversal:
		universalEndpoint = cfg.Endpoint
		if err := set("endpoint", cfg.Endpoint); err != nil {
			return err
		}
		// Without it the SDK would ask the job server for Docker workers.
		return set("environment_type", "LOOPBACK")
	case RunnerDataflow:
		df := cfg.Dataflow
		for _, f := range []struct{ name, value string }{
			{"project", df.Project}, {"region", df.Region}, {"staging_location", df.StagingLocation},
			{"temp_location", df.TempLocation}, {"worker_binary", df.WorkerBinary}, {"job_name", df.JobName},
		} {
			if f.value == "" {
				continue
			}
			if err := set(f.name, f.value); err != nil {
				return err
			}
		}
	}
	return nil
}

// startProgress prints a progress line now and then, for runs whose workers live in this
// process, until the returned function is called.
func startProgress(cfg *Config, opts RunOptions) (stop func()) {
	if opts.Progress == nil || cfg.Runner == RunnerDataflow {
		return func() {}
	}
	every := opts.ProgressEvery
	if every <= 0 {
		every = 5 * time.Second
	}
	total := int64(len(cfg.Domains)) * int64(cfg.TasksPerDomain)
	tasks0, rows0 := progress.tasks.Load(), progress.rows.Load()
	start := time.Now()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				tasks, rows := progress.tasks.Load()-tasks0, progress.rows.Load()-rows0
				secs := time.Since(start).Seconds()
				line := fmt.Sprintf("generate: %d/%d tasks (%.0f/s)", tasks, total, float64(tasks)/secs)
				if len(cfg.GeneralThought.Paths) > 0 {
					line += fmt.Sprintf(", %d GeneralThought rows", rows)
				}
				fmt.Fprintf(opts.Progress, "%s, %.0fs\n", line, secs)
			}
		}
	}()
	return func() {
		close(done)
		wg.Wait()
	}
}
